// The one door for every user action: the domain rows, the outbox entries for
// Circuit and the audit entry are written in one SQLite transaction, and only
// after it commits do the precise change events go out and the outbox sender
// get its nudge. A handler cannot forget the audit entry: an action that
// writes none is rolled back as a programming error.
import * as crypto from 'node:crypto'
import type { DataChanged } from '../../src-shared/events'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { recordAudit, type AuditInput } from './audit'
import type { Clock } from './clock'
import type { EventBus } from './event-bus'
import type { HookHandler, HookName, ActionHooks } from './hooks'
import { currentCaller } from './caller'
import { recordKeyInTransaction } from './idempotency'
import type { IdSource } from './ids'
import { readSigner } from './settings'

/** A change's outbox entry (every action that sends writes one: compiled once). */
interface EnqueueArgs {
  op_id: string
  entity_type: string
  entity_id: string
  op: string
  payload: string
  payload_sha: string
  payload_version: number
  label: string
  base_version: string | null
  depends_on: string | null
  next_attempt_at: number
  station: string
  created_at: number
}
const ENQUEUE = (q: Kysely<Database>, a: EnqueueArgs) =>
  q.insertInto('outbox').values({
    op_id: a.op_id,
    entity_type: a.entity_type,
    entity_id: a.entity_id,
    op: a.op,
    payload: a.payload,
    payload_sha: a.payload_sha,
    payload_version: a.payload_version,
    label: a.label,
    base_version: a.base_version,
    depends_on: a.depends_on,
    next_attempt_at: a.next_attempt_at,
    station: a.station,
    created_at: a.created_at
  })

export interface OutboxDraft {
  entityType: string
  entityId: string
  /** The semantic operation ("clerk.sell"); the sync layer maps it to Circuit calls. */
  op: string
  payload: unknown
  /** What the change is, in words, for the Sync screen. */
  label: string
  /** Circuit's `updated` stamp of the record this change was based on. */
  baseVersion?: string | null
  dependsOn?: string | null
}

// Node's one-shot hash (20.12 and later) where there is one: no Hash object made on every hammer.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string) => string }).hash

/** What the sender checks before sending: a payload changed on disk is never sent. */
export function payloadChecksum(payload: string): string {
  return oneShot ? oneShot('sha256', payload) : crypto.createHash('sha256').update(payload).digest('hex')
}

/** Bumped when an outbox payload's shape changes; the sender refuses versions it does not know. */
export const PAYLOAD_VERSION = 1

export interface ActionTx {
  readonly now: number
  readonly who: { actor: string; station: string }
  /** Queue a change for Circuit; returns its op id. */
  enqueue(draft: OutboxDraft): string
  /** The audit entry for this action; returns its id. */
  audit(entry: AuditInput): number
  /** Say which records changed, so screens refresh those. */
  changed(entity: DataChanged['entity'], ids: string[] | null, saleId?: string): void
  /** A new id from the station's id source (records made offline). */
  newId(): string
  /** Let the capabilities that follow this kind of action do their part, in this transaction. */
  fire<K extends HookName>(name: K, payload: ActionHooks[K]): void
}

/** An outbox entry an action committed: what the outbox witness records of it. */
export interface CommittedEntry {
  seq: number
  opId: string
  label: string
}

export type CommitListener = (enqueued: number, entries: readonly CommittedEntry[]) => void

export interface ActionDeps {
  db: Replica
  clock: Clock
  ids: IdSource
  events: EventBus
}

/**
 * One running action's handle. A class, not an object of closures: an action
 * makes one on every hammer, and its methods need not be made again each time.
 */
class RunningAction implements ActionTx {
  readonly changes: DataChanged[] = []
  readonly entries: CommittedEntry[] = []
  audited = 0
  private signed: { actor: string; station: string } | null = null

  constructor(
    private readonly deps: ActionDeps,
    private readonly hooks: ReadonlyMap<HookName, HookHandler<HookName>[]>,
    readonly now: number
  ) {}

  // Read when first asked: a settings change signs its audit entry with the name it sets.
  get who(): { actor: string; station: string } {
    return (this.signed ??= currentCaller() ?? readSigner(this.deps.db))
  }

  enqueue(d: OutboxDraft): string {
    const opId = this.deps.ids.next()
    const payload = JSON.stringify(d.payload)
    const row = this.deps.db.prepared(ENQUEUE).run({
      op_id: opId,
      entity_type: d.entityType,
      entity_id: d.entityId,
      op: d.op,
      payload,
      payload_sha: payloadChecksum(payload),
      payload_version: PAYLOAD_VERSION,
      label: d.label,
      base_version: d.baseVersion ?? null,
      depends_on: d.dependsOn ?? null,
      next_attempt_at: this.now,
      station: this.who.station,
      created_at: this.now
    })
    this.entries.push({ seq: Number(row.lastInsertRowid), opId, label: d.label })
    return opId
  }

  audit(entry: AuditInput): number {
    this.audited++
    return recordAudit(this.deps.db, this.who, this.now, entry)
  }

  changed(entity: DataChanged['entity'], ids: string[] | null, saleId?: string): void {
    this.changes.push(saleId === undefined ? { entity, ids } : { entity, ids, saleId })
  }

  newId(): string {
    return this.deps.ids.next()
  }

  fire<K extends HookName>(name: K, payload: ActionHooks[K]): void {
    const handlers = this.hooks.get(name)
    if (handlers) for (const h of handlers) h(this, payload)
  }
}

export class Actions {
  private readonly commitListeners = new Set<CommitListener>()
  private readonly hooks = new Map<HookName, HookHandler<HookName>[]>()

  constructor(private readonly deps: ActionDeps) {}

  run<T>(fn: (tx: ActionTx) => T): T {
    const { db, clock } = this.deps
    const tx = new RunningAction(this.deps, this.hooks, clock.now())
    const result = db.tx(() => {
      // A call sent with an idempotency key records it with its rows: once committed, never run again.
      recordKeyInTransaction(db, tx.now)
      const out = fn(tx)
      if (tx.audited === 0) throw new Error('A user action must write its audit entry')
      return out
    })
    const { changes, entries } = tx
    if (entries.length > 0) changes.push({ entity: 'outbox', ids: null })
    for (const c of changes) this.deps.events.emit('data.changed', c)
    for (const l of this.commitListeners) l(entries.length, entries)
    return result
  }

  /** Run `handler` inside every action that fires `name` (registered by the composition root). */
  hook<K extends HookName>(name: K, handler: HookHandler<K>): void {
    const list = this.hooks.get(name) ?? []
    list.push(handler as HookHandler<HookName>)
    this.hooks.set(name, list)
  }

  /** Called after every committed action (the outbox sender, the witness, the backup schedule). */
  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener)
    return () => this.commitListeners.delete(listener)
  }
}
