// Exactly once from the keyboard up. A mutating call may carry an
// idempotency key (the web host's `Idempotency-Key` header, the same through
// the Electron bridge); the renderer makes one per user action. A repeated
// key answers the first call's result and changes nothing: a double Enter, a
// double click, a retry after "not completed". The outbox's read-back covers
// the network; the key covers the person.
//
// The key is recorded in the action's own transaction (`Actions.run` reads
// it from the call's async context), so an action that committed is never
// run again under its key, even when its answer was lost on the way out.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import type { RpcResult } from '../../src-shared/rpc'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Replica } from '../db/replica'
import type { OnBehalfOf } from './caller'
import type { Clock } from './clock'

export interface CallMeta {
  /** One per user action; a repeat of it answers the first result. */
  idempotencyKey?: string
  /** Another station's write, run here at the venue hub on its behalf (the audit names it). */
  onBehalfOf?: OnBehalfOf
}

export interface KeyedCall {
  key: string
  call: string
  inputHash: string
}

/** The key of the call running in this async context, for `Actions.run` to record with its rows. */
export const keyedCall = new AsyncLocalStorage<KeyedCall>()

const KEY_SHAPE = /^[A-Za-z0-9._:-]{8,200}$/
/** Keys older than this are forgotten (a double Enter is seconds apart; a retry minutes). */
export const KEY_LIFETIME_MS = 7 * 24 * 3_600_000

/** JSON with object keys sorted, so the same request hashes the same whatever its key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v ?? null)
}

export function hashInput(call: string, input: unknown): string {
  return createHash('sha256').update(call).update('\n').update(canonical(input)).digest('hex')
}

// Every keyed call runs these: compiled once.
const RECORD_KEY = (q: Kysely<Database>, a: { key: string; call: string; inputHash: string; at: number }) =>
  q
    .insertInto('idempotency_keys')
    .orIgnore()
    .values({ key: a.key, call: a.call, input_hash: a.inputHash, result: null, created_at: a.at })
const STORED = (q: Kysely<Database>, a: { key: string }) =>
  q.selectFrom('idempotency_keys').select(['call', 'input_hash', 'result']).where('key', '=', a.key)
const RECORD_RESULT = (
  q: Kysely<Database>,
  a: { key: string; call: string; inputHash: string; result: string; at: number }
) =>
  q
    .insertInto('idempotency_keys')
    .values({ key: a.key, call: a.call, input_hash: a.inputHash, result: a.result, created_at: a.at })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ result: eb.ref('excluded.result') })))

/** Record the key inside the caller's transaction (the first action of a keyed call). */
export function recordKeyInTransaction(db: Replica, now: number): void {
  const k = keyedCall.getStore()
  if (!k) return
  db.prepared(RECORD_KEY).run({ key: k.key, call: k.call, inputHash: k.inputHash, at: now })
}

export class IdempotencyKeys {
  private readonly inflight = new Map<string, Promise<RpcResult<unknown>>>()

  constructor(
    private readonly db: Replica,
    private readonly clock: Clock
  ) {
    db.run(db.q.deleteFrom('idempotency_keys').where('created_at', '<', clock.now() - KEY_LIFETIME_MS))
  }

  /** Run `exec` once for this key; a repeat (at once, or later) answers the first call's result. */
  async run(
    key: string,
    call: string,
    input: unknown,
    exec: () => Promise<RpcResult<unknown>>
  ): Promise<RpcResult<unknown>> {
    if (!KEY_SHAPE.test(key)) {
      return fail(
        'invalid_input',
        'An idempotency key is 8 to 200 letters, digits, dots, colons, dashes or underscores (one per user action).'
      )
    }
    const inputHash = hashInput(call, input)
    // A double Enter: the first is still running; answer what it answers.
    const running = this.inflight.get(key)
    if (running) {
      await running.catch(() => undefined)
      return this.inflight.has(key) ? this.run(key, call, input, exec) : this.repeat(key, call, inputHash, exec)
    }
    return this.repeat(key, call, inputHash, exec)
  }

  private async repeat(
    key: string,
    call: string,
    inputHash: string,
    exec: () => Promise<RpcResult<unknown>>
  ): Promise<RpcResult<unknown>> {
    const stored = this.db.prepared(STORED).first({ key })
    if (stored) {
      if (stored.call !== call || stored.input_hash !== inputHash) {
        return fail(
          'conflict',
          'This idempotency key was already used for a different request; nothing was done. Send a new key for a new action.'
        )
      }
      if (stored.result !== null) return { ok: true, data: JSON.parse(stored.result) as unknown }
      return fail(
        'conflict',
        'This action was already recorded (its answer was lost on the way); nothing was done again. The screen shows it.'
      )
    }
    const first = keyedCall.run({ key, call, inputHash }, exec)
    this.inflight.set(key, first)
    try {
      const result = await first
      if (result.ok) {
        // An action recorded the key with its rows; a call that wrote nothing (a print) records it now.
        this.db.prepared(RECORD_RESULT).run({
          key,
          call,
          inputHash,
          result: JSON.stringify(result.data ?? null),
          at: this.clock.now()
        })
      }
      return result
    } finally {
      this.inflight.delete(key)
    }
  }
}

function fail(code: 'invalid_input' | 'conflict', message: string): RpcResult<unknown> {
  return { ok: false, error: { code, message } }
}
