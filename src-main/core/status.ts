// What the status bar shows, computed from the replica, the connection and
// the outbox sender. Each published snapshot carries a growing `seq`, so a
// window can tell a newer snapshot from an older one whatever order they
// arrive in (event stream versus a call's answer).
import type { BackupStatus, LostEntry, StatusSnapshot } from '../../src-shared/events'
import { diskFullMessage } from '../db/disk-full'
import type { Replica } from '../db/replica'
import { iso } from './clock'
import type { EventBus } from './event-bus'
import type { Kysely } from 'kysely'
import { OPEN_OUTBOX_STATES, type Database } from '../db/schema'
import { readKeyed } from './keyed-values'
import { readHold } from './hold'
import type { GatewayState } from './ports'

/** Settings key: outbox entries found lost at start (the safety net's witness), until dismissed. */
export const LOST_ENTRIES_KEY = 'lostOutboxEntries'

export function readLostEntries(db: Replica): LostEntry[] {
  const text = readKeyed(db, 'settings', LOST_ENTRIES_KEY)
  if (text === null) return []
  try {
    const v = JSON.parse(text) as unknown
    if (!Array.isArray(v)) return []
    return v.filter(
      (e): e is LostEntry =>
        typeof e === 'object' &&
        e !== null &&
        Number.isInteger((e as LostEntry).seq) &&
        typeof (e as LostEntry).opId === 'string' &&
        typeof (e as LostEntry).label === 'string'
    )
  } catch {
    return []
  }
}

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
  /** The copies to the second folder (the safety net), if this station takes them. */
  backup?(): BackupStatus
}

/**
 * Counts of open entries. Done entries pile up as history, so this reads only
 * open states through the (state, next_attempt_at, seq) index: its cost
 * follows what is waiting, not everything ever sent.
 */
const OPEN_COUNTS = (q: Kysely<Database>) =>
  q
    .selectFrom('outbox')
    .select((eb) => ['state', eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('state', 'in', OPEN_OUTBOX_STATES)
    .groupBy('state')

export function outboxCounts(db: Replica) {
  const rows = db.prepared(OPEN_COUNTS).all({})
  const out = { pending: 0, needsAttention: 0, conflicts: 0, oldest: null as number | null }
  for (const r of rows) {
    if (r.state === 'needs_attention') out.needsAttention = r.n
    else if (r.state === 'conflict') out.conflicts = r.n
    else {
      out.pending += r.n
      if (r.oldest !== null && (out.oldest === null || r.oldest < out.oldest)) out.oldest = r.oldest
    }
  }
  return out
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
    const hold = readHold(db)
    const full = db.diskFull
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
        : null,
      backup: this.deps.backup?.() ?? { folder: null, lastAt: null, lastError: null },
      diskFull:
        full === null ? null : { where: full, message: diskFullMessage(full, full === db.dataDir ? 'record' : 'copy') },
      sendingHeld: hold ? { since: iso(hold.since), entries: hold.entries.length, message: hold.message } : null,
      lostEntries: readLostEntries(db),
      via: gw.venue ? { kind: 'hub', hub: gw.venue.hub, circuit: gw.venue.circuit } : { kind: 'direct' }
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

  private timer: NodeJS.Timeout | null = null
  private stopped = false

  /**
   * Publish soon rather than now: after a burst of actions the counts are read
   * once, and never on the path of the key press that caused them.
   */
  schedule(delayMs = 50): void {
    if (this.timer || this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.publish()
    }, delayMs)
    this.timer.unref()
  }

  /** No more scheduled publishing: the database is about to close. */
  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** The current snapshot; never one with an old seq and new content. */
  read(): StatusSnapshot {
    return this.publish()
  }
}
