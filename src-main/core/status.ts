// What the status bar shows, computed from the replica, the connection and
// the outbox sender. Each published snapshot carries a growing `seq`, so a
// window can tell a newer snapshot from an older one whatever order they
// arrive in (event stream versus a call's answer).
import type { StatusSnapshot } from '../../src-shared/events'
import type { Replica } from '../db/replica'
import { iso } from './clock'
import type { EventBus } from './event-bus'
import type { GatewayState } from './ports'

export interface SenderState {
  paused: { reason: string; until: number | null } | null
  lastError: string | null
}

export const idleSender: SenderState = { paused: null, lastError: null }

export interface StatusDeps {
  db: Replica
  events: EventBus
  connection(): GatewayState
  sender(): SenderState
}

export function outboxCounts(db: Replica) {
  const row = db.first(
    db.q
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.count<number>('seq').filterWhere('state', 'in', ['pending', 'in_flight', 'unknown']).as('pending'),
        eb.fn.count<number>('seq').filterWhere('state', '=', 'needs_attention').as('attention'),
        eb.fn.count<number>('seq').filterWhere('state', '=', 'conflict').as('conflicts'),
        eb.fn
          .min<number | null>('created_at')
          .filterWhere('state', 'in', ['pending', 'in_flight', 'unknown'])
          .as('oldest')
      ])
  )
  return {
    pending: Number(row?.pending ?? 0),
    needsAttention: Number(row?.attention ?? 0),
    conflicts: Number(row?.conflicts ?? 0),
    oldest: row?.oldest ?? null
  }
}

export class StatusBoard {
  private seq = 0
  private last = ''
  private current: StatusSnapshot | null = null

  constructor(private readonly deps: StatusDeps) {}

  private compute(): Omit<StatusSnapshot, 'seq'> {
    const { db } = this.deps
    const gw = this.deps.connection()
    const sender = this.deps.sender()
    const counts = outboxCounts(db)
    const last = db.first(db.q.selectFrom('sync_state').select('value').where('key', '=', 'last_sync_at'))
    return {
      connection: gw.connection,
      demo: gw.demo,
      serverUrl: gw.serverUrl,
      pending: counts.pending,
      needsAttention: counts.needsAttention,
      conflicts: counts.conflicts,
      oldestPendingAt: counts.oldest === null ? null : iso(counts.oldest),
      lastSyncAt: last ? (JSON.parse(last.value) as string) : null,
      lastError: sender.lastError ?? gw.lastError,
      paused: sender.paused
        ? { reason: sender.paused.reason, until: sender.paused.until === null ? null : iso(sender.paused.until) }
        : null
    }
  }

  /** Recompute; when anything moved, publish it under the next seq. */
  publish(): StatusSnapshot {
    const next = this.compute()
    const key = JSON.stringify(next)
    if (key !== this.last || !this.current) {
      this.last = key
      this.current = { seq: ++this.seq, ...next }
      this.deps.events.emit('status', this.current)
    }
    return this.current
  }

  /** The current snapshot; never one with an old seq and new content. */
  read(): StatusSnapshot {
    return this.publish()
  }
}
