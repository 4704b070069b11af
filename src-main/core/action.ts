// The one door for every user action: the domain rows, the outbox entries for
// Circuit and the audit entry are written in one SQLite transaction, and only
// after it commits do the precise change events go out and the outbox sender
// get its nudge. A handler cannot forget the audit entry: an action that
// writes none is rolled back as a programming error.
import { createHash } from 'node:crypto'
import type { DataChanged } from '../../src-shared/events'
import type { Replica } from '../db/replica'
import { recordAudit, type AuditInput } from './audit'
import type { Clock } from './clock'
import type { EventBus } from './event-bus'
import type { HookHandler, HookName, ActionHooks } from './hooks'
import { currentCaller } from './caller'
import { recordKeyInTransaction } from './idempotency'
import type { IdSource } from './ids'
import { readSettings } from './settings'

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

/** What the sender checks before sending: a payload changed on disk is never sent. */
export function payloadChecksum(payload: string): string {
  return createHash('sha256').update(payload).digest('hex')
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

export interface ActionDeps {
  db: Replica
  clock: Clock
  ids: IdSource
  events: EventBus
}

export class Actions {
  private readonly commitListeners = new Set<(enqueued: number) => void>()
  private readonly hooks = new Map<HookName, HookHandler<HookName>[]>()

  constructor(private readonly deps: ActionDeps) {}

  run<T>(fn: (tx: ActionTx) => T): T {
    const { db, clock, ids } = this.deps
    const now = clock.now()
    const changes: DataChanged[] = []
    let enqueued = 0
    let audited = 0
    const result = db.tx(() => {
      // A call sent with an idempotency key records it with its rows: once committed, never run again.
      recordKeyInTransaction(db, now)
      // Read when first asked: a settings change signs its audit entry with the name it sets.
      let signed: { actor: string; station: string } | null = null
      const who = () => {
        if (!signed) {
          const settings = readSettings(db)
          signed = currentCaller() ?? { actor: settings.userName, station: settings.stationName }
        }
        return signed
      }
      const tx: ActionTx = {
        now,
        get who() {
          return who()
        },
        enqueue: (d) => {
          const opId = ids.next()
          const payload = JSON.stringify(d.payload)
          db.exec(
            `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_sha, payload_version, label,
               base_version, depends_on, next_attempt_at, station, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            opId,
            d.entityType,
            d.entityId,
            d.op,
            payload,
            payloadChecksum(payload),
            PAYLOAD_VERSION,
            d.label,
            d.baseVersion ?? null,
            d.dependsOn ?? null,
            now,
            who().station,
            now
          )
          enqueued++
          return opId
        },
        audit: (entry) => {
          audited++
          return recordAudit(db, who(), now, entry)
        },
        changed: (entity, changedIds, saleId) => {
          changes.push(saleId === undefined ? { entity, ids: changedIds } : { entity, ids: changedIds, saleId })
        },
        newId: () => ids.next(),
        fire: (name, payload) => {
          for (const h of this.hooks.get(name) ?? []) h(tx, payload)
        }
      }
      const out = fn(tx)
      if (audited === 0) throw new Error('A user action must write its audit entry')
      return out
    })
    if (enqueued > 0) changes.push({ entity: 'outbox', ids: null })
    for (const c of changes) this.deps.events.emit('data.changed', c)
    for (const l of this.commitListeners) l(enqueued)
    return result
  }

  /** Run `handler` inside every action that fires `name` (registered by the composition root). */
  hook<K extends HookName>(name: K, handler: HookHandler<K>): void {
    const list = this.hooks.get(name) ?? []
    list.push(handler as HookHandler<HookName>)
    this.hooks.set(name, list)
  }

  /** Called after every committed action (the outbox sender, the status bar). */
  onCommit(listener: (enqueued: number) => void): () => void {
    this.commitListeners.add(listener)
    return () => this.commitListeners.delete(listener)
  }
}
