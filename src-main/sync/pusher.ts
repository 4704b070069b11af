// The outbox sender: the one loop that takes what users did on this station
// to Circuit, exactly once.
//
// - Entries are claimed with a lease (state in_flight); a process that dies
//   leaves them in_flight, and the next start hands them back.
// - Per record, in order: only the oldest open entry of a record is ever sent,
//   so one stuck record never blocks the others; a few different records are
//   sent at once.
// - Circuit has no idempotency keys, so before any entry is sent the record is
//   read back (in one batched request per kind). What Circuit holds decides:
//   already what we want (an earlier send got through, answer lost) → done;
//   what we based the change on → send; anything else → conflict, shown to the
//   user. A dropped connection can therefore never double a result.
// - Every answer is checked against what was sent. A mismatch stops that
//   record's queue as a conflict with both sides; only a money-scale mismatch
//   (an amount a power of ten off: units misread) stops all sending.
// - Errors by class: network, 5xx and time-outs back off (exponential, jitter,
//   capped); 429 pauses everything until Circuit's retry_after; a log-in that
//   lapsed pauses until the user logs in; a 4xx that a retry cannot fix marks
//   the entry needs_attention with Circuit's message, and that record waits.
// - A station restored from a copy holds its sending (core/hold.ts): it
//   reads back and settles what Circuit already has, but sends nothing until
//   the user confirms the original station is off, or every restored entry
//   has settled (the original may still be sending the same changes).
// No network call is ever made inside a database transaction.
import type { CircuitApiClient } from '../circuit'
import {
  CircuitAuthRequired,
  CircuitConfigError,
  CircuitError,
  CircuitHttpError,
  CircuitRateLimited
} from '../circuit/errors'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES, type Database, type OutboxRow, type OutboxState } from '../db/schema'
import { jsonTextValues } from '../db/json-values'
import { PAYLOAD_VERSION, payloadChecksum } from '../core/action'
import { clearHold, readHold } from '../core/hold'
import { noteSenderWrite } from './sender-writes'
import { iso, type Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { CircuitGateway, Logger } from '../core/ports'
import type { SenderState } from '../core/status'
import type { DataChanged } from '../../src-shared/events'
import type { Mismatch, PushSide, ServerRecord, SyncRegistry } from '../core/sync-adapter'
import { setLastSync } from './last-sync'
import type { ExpressionBuilder, Kysely } from 'kysely'

// The sender's statements, each compiled once (every entry sent runs several).

/** An entry taken back from a round: never sent, it goes as it is; sent, it is read back first. */
const backInQueue = (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.case().when('sent_at', 'is', null).then('pending').else('unknown').end().$castTo<OutboxState>()

/** What a dead process left in flight. */
const RETURN_ALL_IN_FLIGHT = (q: Kysely<Database>) =>
  q
    .updateTable('outbox')
    .set((eb) => ({ state: backInQueue(eb), lease_until: null }))
    .where('state', '=', 'in_flight')

/** What a round that never finished left in flight, its lease run out. */
const RETURN_LAPSED = (q: Kysely<Database>, a: { now: number }) =>
  q
    .updateTable('outbox')
    .set((eb) => ({ state: backInQueue(eb), lease_until: null }))
    .where('state', '=', 'in_flight')
    .where('lease_until', 'is not', null)
    .where('lease_until', '<', a.now)

const HELD_OPEN = (q: Kysely<Database>, a: { held: string }) =>
  q
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', 'in', jsonTextValues<number>(a.held))
    .where('state', 'not in', ['done', 'discarded'])

/** Due entries with nothing of the same record before them still open, oldest first. */
const DUE = (q: Kysely<Database>, a: { now: number; limit: number }) =>
  q
    .selectFrom('outbox as o')
    .selectAll('o')
    .where('o.state', 'in', ['pending', 'unknown'])
    .where('o.next_attempt_at', '<=', a.now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox as p')
            .select('p.seq')
            .whereRef('p.entity_type', '=', 'o.entity_type')
            .whereRef('p.entity_id', '=', 'o.entity_id')
            .whereRef('p.seq', '<', 'o.seq')
            .where('p.state', 'not in', ['done', 'discarded'])
        )
      )
    )
    .orderBy('o.seq')
    .limit(a.limit)
/** The same, among the entries a restore held (a JSON list of their seqs). */
const DUE_HELD = (q: Kysely<Database>, a: { now: number; limit: number; held: string }) =>
  DUE(q, a).where('o.seq', 'in', jsonTextValues<number>(a.held))

const LEASE = (q: Kysely<Database>, a: { seq: number; until: number }) =>
  q.updateTable('outbox').set({ state: 'in_flight', lease_until: a.until }).where('seq', '=', a.seq)

const RELEASE = (q: Kysely<Database>, a: { seq: number; state: OutboxState; at: number; error: string | null }) =>
  q
    .updateTable('outbox')
    .set((eb) => ({
      state: a.state,
      lease_until: null,
      next_attempt_at: a.at,
      last_error: eb.fn.coalesce(eb.val(a.error), 'last_error')
    }))
    .where('seq', '=', a.seq)
    .where('state', '=', 'in_flight')

const MARK_SENT = (q: Kysely<Database>, a: { seq: number; at: number }) =>
  q
    .updateTable('outbox')
    .set((eb) => ({ sent_at: a.at, attempts: eb('attempts', '+', 1) }))
    .where('seq', '=', a.seq)

const WAIT = (q: Kysely<Database>, a: { seq: number; at: number; reason: string }) =>
  q
    .updateTable('outbox')
    .set((eb) => ({ state: backInQueue(eb), lease_until: null, next_attempt_at: a.at, last_error: a.reason }))
    .where('seq', '=', a.seq)
    .where('state', '=', 'in_flight')

const DONE = (q: Kysely<Database>, a: { seq: number; at: number }) =>
  q
    .updateTable('outbox')
    .set({ state: 'done', acked_at: a.at, lease_until: null, last_error: null, conflict: null })
    .where('seq', '=', a.seq)

const OPEN_FOR = (q: Kysely<Database>, a: { entityType: string; entityId: string }) =>
  q
    .selectFrom('outbox')
    .select('seq')
    .where('entity_type', '=', a.entityType)
    .where('entity_id', '=', a.entityId)
    .where('state', 'in', OPEN_OUTBOX_STATES)
    .limit(1)

const CONFLICT = (q: Kysely<Database>, a: { seq: number; conflict: string; error: string }) =>
  q
    .updateTable('outbox')
    .set({ state: 'conflict', lease_until: null, conflict: a.conflict, last_error: a.error })
    .where('seq', '=', a.seq)

const ATTENTION = (q: Kysely<Database>, a: { seq: number; error: string; status: number | null }) =>
  q
    .updateTable('outbox')
    .set({ state: 'needs_attention', lease_until: null, last_error: a.error, last_status: a.status })
    .where('seq', '=', a.seq)

/** An answer before anything was applied (429, a lapsed log-in): back unsent, the attempt not charged. */
const NOT_APPLIED = (q: Kysely<Database>, a: { seq: number; error: string }) =>
  q
    .updateTable('outbox')
    .set((eb) => ({ state: 'pending', lease_until: null, last_error: a.error, attempts: eb('attempts', '-', 1) }))
    .where('seq', '=', a.seq)

const RETRY_LATER = (
  q: Kysely<Database>,
  a: { seq: number; state: OutboxState; error: string; status: number | null; at: number }
) =>
  q
    .updateTable('outbox')
    .set({ state: a.state, lease_until: null, last_error: a.error, last_status: a.status, next_attempt_at: a.at })
    .where('seq', '=', a.seq)

export interface PusherOptions {
  db: Replica
  clock: Clock
  gateway: CircuitGateway<CircuitApiClient>
  events: EventBus
  log: Logger
  /** The station's sync adapters (the same registry the pull writes through). */
  registry: SyncRegistry
  /** Entries claimed per round (one read-back request per kind and round). */
  batchSize?: number
  leaseMs?: number
  backoffBaseMs?: number
  backoffCapMs?: number
  /** How often the timer looks for work (ms); 0 = no timer (tests drive it). */
  tickMs?: number
  /** After this many failed sends of unclear cause, an entry needs attention. */
  maxUnclearAttempts?: number
  /** Requests in flight at once, for different records (default 8). */
  concurrency?: number
  /** 0..1; injected so tests are deterministic. */
  random?: () => number
}

export interface DrainReport {
  sent: number
  acknowledged: number
  alreadyApplied: number
  failed: number
  conflicts: number
}

type Paused = { kind: 'rate' | 'auth' | 'halt'; reason: string; until: number | null }

/** While sending is held, what Circuit does not have yet is looked at again this often. */
const HELD_RETRY_MS = 5_000
const HELD_MESSAGE = 'Held: this station was restored from a copy; confirm the original station is off to send.'

interface RoundWrites {
  writes: (() => void)[]
  changed: Map<string, Set<string>>
}

export class OutboxPusher {
  private readonly listeners = new Set<() => void>()
  private paused: Paused | null = null
  private lastError: string | null = null
  private running: Promise<void> | null = null
  private again = false
  private closed = false
  private timer: NodeJS.Timeout | null = null
  private wake: NodeJS.Timeout | null = null
  private readonly refreshWanted = new Map<string, Set<string>>()
  private unsubscribeGateway: (() => void) | null = null
  private unsubscribeEvents: (() => void) | null = null
  /**
   * What a round decided, written in one transaction at its end. Safe to lose
   * in a crash: the entries are still in flight, go back on start, and the
   * read-back decides them again — so one commit per round, not per entry.
   */
  private batch: RoundWrites | null = null
  /** Sending is held for this round (a restored station, core/hold.ts): read back and settle only. */
  private held = false
  /** Rounds whose decisions the disk refused to take (full): saved before anything new is claimed. */
  private unsaved: RoundWrites[] = []
  private saveError: string | null = null
  private retrySave: NodeJS.Timeout | null = null
  /** When Circuit last acknowledged something, written with the round. */
  private synced: number | null = null
  readonly totals: DrainReport = { sent: 0, acknowledged: 0, alreadyApplied: 0, failed: 0, conflicts: 0 }

  constructor(private readonly o: PusherOptions) {}

  private get batchSize() {
    return this.o.batchSize ?? 100
  }

  state(): SenderState {
    return {
      paused: this.paused ? { reason: this.paused.reason, until: this.paused.until } : null,
      lastError: this.lastError
    }
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private changed() {
    for (const l of this.listeners) l()
  }

  /** Hand back what a dead process left in flight, then send on a timer and on reconnect. */
  start(): void {
    const { db } = this.o
    db.tx(() => {
      // Sent before the crash: the outcome is unknown, the read-back decides. Never sent: plain pending.
      db.prepared(RETURN_ALL_IN_FLIGHT).run({})
    })
    // A hold released from Settings (or any settings change) may let sending go on at once.
    this.unsubscribeEvents = this.o.events.subscribe((name, payload) => {
      if (name === 'data.changed' && (payload as DataChanged).entity === 'settings') this.kick()
    })
    this.unsubscribeGateway = this.o.gateway.onChange((s) => {
      if (s.connection === 'online') {
        if (this.paused?.kind === 'auth') this.setPaused(null)
        this.kick()
      }
    })
    const every = this.o.tickMs ?? 5_000
    if (every > 0) {
      this.timer = setInterval(() => this.kick(), every)
      this.timer.unref()
    }
    this.kick()
  }

  /** Send what is ready, soon. Safe to call often: one drain runs at a time. */
  kick(): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          while (!this.closed && (await this.round())) {
            // keep going while rounds find work
          }
        } while (this.again && !this.closed)
      } catch (err) {
        this.o.log.error('outbox sender failed', {
          error: err instanceof Error ? (err.stack ?? err.message) : String(err)
        })
      } finally {
        this.running = null
      }
    })()
  }

  /** Wait until the sender has nothing it can do right now (tests, quitting). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Kick and wait (tests, `sync.now`). */
  async drain(): Promise<void> {
    this.kick()
    await this.idle()
  }

  /** Read these records back on the next round and write Circuit's version locally (after a discard). */
  refresh(entityType: string, ids: string[]): void {
    let set = this.refreshWanted.get(entityType)
    if (!set) this.refreshWanted.set(entityType, (set = new Set()))
    for (const id of ids) set.add(id)
    this.kick()
  }

  /** Clear a stop after a mismatch (the user retried from the Sync screen). */
  resume(): void {
    if (this.paused?.kind === 'halt') this.setPaused(null)
    this.kick()
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    if (this.wake) clearTimeout(this.wake)
    if (this.retrySave) clearTimeout(this.retrySave)
    this.unsubscribeGateway?.()
    this.unsubscribeEvents?.()
    await this.idle()
  }

  private write(fn: () => void) {
    if (this.batch) this.batch.writes.push(fn)
    else this.o.db.tx(fn)
  }

  private notify(entityType: string, id: string) {
    if (this.batch) {
      const ids = this.batch.changed.get(entityType) ?? new Set<string>()
      ids.add(id)
      this.batch.changed.set(entityType, ids)
    } else {
      this.o.events.emit('data.changed', { entity: entityType as DataChanged['entity'], ids: [id] })
    }
  }

  /**
   * Write what the round decided. If the disk refuses (full), nothing of it is
   * lost: the decisions wait in memory, no new round claims anything, and the
   * save is tried again on every kick until it goes through — so an entry
   * sent and acknowledged is never left "in flight" until a restart.
   */
  private flush() {
    const b = this.batch
    this.batch = null
    if (b) this.unsaved.push(b)
    this.saveUnsaved()
  }

  /** True when everything decided so far is on disk. */
  private saveUnsaved(): boolean {
    if (this.unsaved.length === 0) return true
    const rounds = this.unsaved
    const synced = this.synced
    try {
      if (rounds.some((r) => r.writes.length) || synced !== null) {
        this.o.db.tx(() => {
          for (const r of rounds) for (const w of r.writes) w()
          if (synced !== null) setLastSync(this.o.db, synced)
        })
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      this.saveError = `This station could not save what Circuit answered (${message}); it tries again.`
      this.lastError = this.saveError
      this.o.log.error('outbox round not saved; kept to save again', { error: message })
      if (!this.retrySave) {
        this.retrySave = setTimeout(() => {
          this.retrySave = null
          this.kick()
        }, 2_000)
        this.retrySave.unref()
      }
      this.changed()
      return false
    }
    this.unsaved = []
    this.synced = null
    if (this.saveError) {
      this.saveError = null
      this.lastError = null
      this.changed()
    }
    for (const r of rounds) {
      for (const [entity, ids] of r.changed) {
        this.o.events.emit('data.changed', { entity: entity as DataChanged['entity'], ids: [...ids] })
      }
    }
    return true
  }

  private setPaused(p: Paused | null) {
    this.paused = p
    if (this.wake) clearTimeout(this.wake)
    this.wake = null
    if (p?.until != null) {
      this.wake = setTimeout(() => this.kick(), Math.max(0, p.until - this.o.clock.now()) + 5)
      this.wake.unref()
    }
    this.changed()
  }

  private backoff(attempts: number): number {
    const base = this.o.backoffBaseMs ?? 1_000
    const cap = this.o.backoffCapMs ?? 300_000
    const ceiling = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempts - 1, 30)))
    const r = (this.o.random ?? Math.random)()
    // Half fixed, half random: spreads stations apart without ever retrying at once.
    return Math.round(ceiling / 2 + (r * ceiling) / 2)
  }

  /** One round: claim a batch, read back, decide, send. True when it did something. */
  private async round(): Promise<boolean> {
    // What an earlier round decided goes to disk first; until it does, nothing new is claimed.
    if (!this.saveUnsaved()) return false
    const now = this.o.clock.now()
    if (this.paused) {
      if (this.paused.until !== null && this.paused.until <= now) this.setPaused(null)
      else return false
    }
    const client = this.o.gateway.client()
    if (!client) return false
    await this.refreshRequested(client)
    const hold = readHold(this.o.db)
    if (this.held && hold === null) {
      // The hold just ended (confirmed, or settled): what waited for it goes now.
      this.o.db.run(
        this.o.db.q
          .updateTable('outbox')
          .set({ next_attempt_at: 0, last_error: null })
          .where('state', 'in', ['pending', 'unknown'])
          .where('last_error', '=', HELD_MESSAGE)
      )
    }
    this.held = hold !== null

    const batch = this.claim(now, hold?.entries ?? null)
    if (batch.length === 0) return false
    this.batch = { writes: [], changed: new Map() }
    try {
      await this.sendBatch(client, batch)
    } finally {
      this.flush()
    }
    this.changed()
    return true
  }

  private async sendBatch(client: CircuitApiClient, batch: OutboxRow[]): Promise<void> {
    const byType = new Map<string, OutboxRow[]>()
    for (const e of batch) {
      const list = byType.get(e.entity_type) ?? []
      list.push(e)
      byType.set(e.entity_type, list)
    }
    for (const [type, entries] of byType) {
      const handler = this.o.registry.push(type)
      if (!handler) {
        for (const e of entries) this.attention(e, `This station does not know how to send "${e.op}" to Circuit.`, null)
        continue
      }
      if (this.paused) {
        this.release(entries)
        continue
      }
      let server: Map<string, ServerRecord>
      try {
        server = await handler.readBack(client, [...new Set(entries.map((e) => e.entity_id))])
        this.o.gateway.reportReachable(true)
      } catch (err) {
        this.failedRead(entries, err)
        continue
      }
      // Different records, so their order does not matter: a few requests in flight at once
      // keep the line to Circuit busy. A record's own entries never overlap (one per round).
      let next = 0
      const worker = async () => {
        while (next < entries.length) {
          const entry = entries[next++]
          if (this.paused || this.closed) {
            this.release([entry])
            continue
          }
          await this.process(handler, client, entry, server.get(entry.entity_id))
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 8, entries.length) }, worker))
    }
  }

  /**
   * The oldest open entry of each record that is due, leased in one
   * transaction. While sending is held, only the restored entries are
   * claimed (to be read back); the hold ends here once all of them settled.
   */
  private claim(now: number, held: number[] | null): OutboxRow[] {
    const { db } = this.o
    const leaseMs = this.o.leaseMs ?? 60_000
    return db.tx(() => {
      if (held !== null) {
        const open = held.length ? (db.prepared(HELD_OPEN).first({ held: JSON.stringify(held) })?.n ?? 0) : 0
        if (open === 0) {
          // Every restored entry is on Circuit or was dropped: nothing of the original's can be doubled.
          clearHold(db)
          this.held = false
          held = null
          this.o.log.info('sending hold ended: every restored entry has settled')
          this.o.events.emit('data.changed', { entity: 'settings', ids: null })
        }
      }
      // A lease that ran out belongs to a round that never finished (its save failed and was lost):
      // the entry goes back, to be read back before anything is sent again.
      db.prepared(RETURN_LAPSED).run({ now })
      const rows: OutboxRow[] =
        held === null
          ? db.prepared(DUE).all({ now, limit: this.batchSize })
          : db.prepared(DUE_HELD).all({ now, limit: this.batchSize, held: JSON.stringify(held) })
      for (const r of rows) db.prepared(LEASE).run({ seq: r.seq, until: now + leaseMs })
      return rows
    })
  }

  /** Put claimed entries back as they were, due now (the round stopped before them). */
  private release(entries: OutboxRow[], delayMs = 0, error?: string) {
    const { db } = this.o
    const at = this.o.clock.now() + delayMs
    this.write(() => {
      for (const e of entries) {
        db.prepared(RELEASE).run({
          seq: e.seq,
          state: e.sent_at === null ? 'pending' : 'unknown',
          at,
          error: error ?? null
        })
      }
    })
  }

  private async process(
    handler: PushSide,
    client: CircuitApiClient,
    entry: OutboxRow,
    server: ServerRecord | undefined
  ): Promise<void> {
    if (entry.payload_version > PAYLOAD_VERSION) {
      this.attention(entry, 'This change was queued by a newer Saleroom; update this station to send it.', null)
      return
    }
    // What waits on disk must be what was written: a changed byte in an amount is never sent.
    if (entry.payload_sha !== null && payloadChecksum(entry.payload) !== entry.payload_sha) {
      this.o.log.error('outbox entry damaged on disk; not sent', { seq: entry.seq, label: entry.label })
      this.attention(
        entry,
        'This change was damaged on disk since it was recorded (its checksum does not match); nothing was sent. Check it against the paper record, then discard it and record it again.',
        null
      )
      return
    }
    if (!server) {
      this.attention(entry, `Circuit no longer has this record (${entry.entity_type} ${entry.entity_id}).`, 404)
      return
    }
    const decision = handler.decide(entry, server)
    switch (decision.kind) {
      case 'applied':
        this.totals.alreadyApplied++
        this.acknowledge(handler, entry, server)
        return
      case 'conflict':
        this.conflict(entry, decision.ours, decision.theirs, server)
        return
      case 'refused':
        this.attention(entry, decision.message, null)
        return
      case 'wait':
        this.wait(entry, decision.reason, decision.retryInMs)
        return
      case 'send':
        break
    }
    if (this.held) {
      // Circuit does not have it yet, and the original station may be about to send it: wait for the user.
      this.release([entry], HELD_RETRY_MS, HELD_MESSAGE)
      return
    }

    const sentAt = this.o.clock.now()
    this.write(() => this.o.db.prepared(MARK_SENT).run({ seq: entry.seq, at: sentAt }))
    const sent: OutboxRow = { ...entry, sent_at: sentAt, attempts: entry.attempts + 1 }
    this.totals.sent++
    let answer: ServerRecord
    try {
      answer = await handler.send(client, sent, server)
      this.o.gateway.reportReachable(true)
    } catch (err) {
      this.failedSend(sent, err)
      return
    }
    const mismatch = handler.verify(sent, answer)
    if (mismatch) {
      this.mismatched(sent, mismatch, answer)
      return
    }
    this.acknowledge(handler, sent, answer)
  }

  /**
   * Circuit recorded the write differently. That record's queue stops, as a
   * conflict with both sides (keep mine sends ours over Circuit's; take theirs
   * keeps Circuit's); other records go on. A money-scale mismatch stops every
   * send: the client and Circuit disagree on units.
   */
  private mismatched(entry: OutboxRow, m: Mismatch, answer: ServerRecord) {
    if (m.scope === 'all') {
      this.attention(entry, m.message, null)
      this.o.log.error('Circuit recorded an amount a power of ten off; sending stopped', {
        seq: entry.seq,
        mismatch: m.message
      })
      this.setPaused({ kind: 'halt', reason: `Sending stopped: ${m.message}`, until: null })
      return
    }
    this.o.log.warn('Circuit recorded a write differently; that record waits', { seq: entry.seq, mismatch: m.message })
    this.conflict(entry, m.ours, m.theirs, answer, m.message)
  }

  /** Not yet: back in the queue unsent, due again later (no attempt is charged). */
  private wait(entry: OutboxRow, reason: string, retryInMs: number) {
    const at = this.o.clock.now() + retryInMs
    this.write(() => this.o.db.prepared(WAIT).run({ seq: entry.seq, at, reason }))
    this.notify(entry.entity_type, entry.entity_id)
  }

  private acknowledge(handler: PushSide, entry: OutboxRow, rec: ServerRecord) {
    const { db } = this.o
    const now = this.o.clock.now()
    this.write(() => {
      db.prepared(DONE).run({ seq: entry.seq, at: now })
      // Circuit's version wins once nothing of ours waits for this record (the row a pull skipped arrives here),
      // under either id: a provisional order's later changes may already be re-pointed to Circuit's id.
      if (
        !this.hasOpenEntries(entry.entity_type, entry.entity_id) &&
        (rec.id === entry.entity_id || !this.hasOpenEntries(entry.entity_type, rec.id))
      ) {
        handler.applyServer(db, rec)
        noteSenderWrite(db, entry.entity_type, entry.entity_id)
      }
    })
    this.synced = now
    this.totals.acknowledged++
    this.lastError = null
    this.notify(entry.entity_type, entry.entity_id)
  }

  private hasOpenEntries(entityType: string, entityId: string): boolean {
    return this.o.db.prepared(OPEN_FOR).first({ entityType, entityId }) !== undefined
  }

  private conflict(entry: OutboxRow, ours: string, theirs: string, server: ServerRecord, message?: string) {
    const { db } = this.o
    this.write(() =>
      db.prepared(CONFLICT).run({
        seq: entry.seq,
        conflict: JSON.stringify({ ours, theirs, serverUpdated: server.updated, record: server }),
        error: message ?? `Circuit has ${theirs}; this station has ${ours}.`
      })
    )
    this.totals.conflicts++
    this.o.log.warn('outbox conflict', { seq: entry.seq, entity: entry.entity_id, ours, theirs })
    this.notify(entry.entity_type, entry.entity_id)
  }

  private attention(entry: OutboxRow, message: string, status: number | null) {
    this.write(() => this.o.db.prepared(ATTENTION).run({ seq: entry.seq, error: message, status }))
    this.totals.failed++
    this.lastError = message
    this.notify(entry.entity_type, entry.entity_id)
  }

  /** The read-back failed: nothing was sent, so every entry goes back as it was. */
  private failedRead(entries: OutboxRow[], err: unknown) {
    const message = err instanceof Error ? err.message : String(err)
    if (this.pauseFor(err)) {
      this.release(entries, 0, message)
      return
    }
    if (err instanceof CircuitError && err.kind === 'network') this.o.gateway.reportReachable(false, message)
    this.lastError = message
    const attempts = Math.max(1, ...entries.map((e) => e.attempts + 1))
    this.release(entries, this.backoff(attempts), message)
  }

  private failedSend(entry: OutboxRow, err: unknown) {
    const { db } = this.o
    const message = err instanceof Error ? err.message : String(err)
    this.lastError = message
    if (this.pauseFor(err)) {
      // 429 and a lapsed log-in are answers before anything was applied.
      this.write(() => db.prepared(NOT_APPLIED).run({ seq: entry.seq, error: message }))
      return
    }
    if (err instanceof CircuitHttpError && err.status === 412) {
      // A venue hub's record moved since it was read back (another station's change reached it first):
      // nothing was applied; the next round reads it again and decides (a conflict, with both versions,
      // or the same change again when only Circuit's answer was written over it at the hub meanwhile).
      const next = this.o.clock.now() + this.backoff(entry.attempts)
      this.write(() =>
        db.prepared(RETRY_LATER).run({ seq: entry.seq, state: 'pending', error: message, status: 412, at: next })
      )
      return
    }
    if (err instanceof CircuitHttpError && !err.retryable) {
      this.attention(entry, `Circuit refused it: ${message}`, err.status)
      return
    }
    if (err instanceof CircuitConfigError) {
      this.attention(entry, message, null)
      return
    }
    const notSent = err instanceof CircuitError && err.kind === 'network'
    if (notSent) this.o.gateway.reportReachable(false, message)
    const unclear = !notSent && !(err instanceof CircuitError && err.kind === 'unknown-outcome')
    const limit = this.o.maxUnclearAttempts ?? 10
    if (unclear && !(err instanceof CircuitHttpError) && entry.attempts >= limit) {
      this.attention(entry, `Sending failed ${entry.attempts} times: ${message}`, null)
      return
    }
    // Unknown outcome, 5xx, time-out: the next round reads the record back before anything is resent.
    const next = this.o.clock.now() + this.backoff(entry.attempts)
    this.write(() =>
      db.prepared(RETRY_LATER).run({
        seq: entry.seq,
        state: notSent ? 'pending' : 'unknown',
        error: message,
        status: err instanceof CircuitHttpError ? err.status : null,
        at: next
      })
    )
  }

  /** 429 pauses the whole queue; a lapsed log-in pauses it until the user logs in. */
  private pauseFor(err: unknown): boolean {
    if (err instanceof CircuitRateLimited) {
      this.setPaused({
        kind: 'rate',
        reason: `Circuit asked us to wait until ${iso(err.retryAt).slice(11, 19)} UTC`,
        until: err.retryAt
      })
      return true
    }
    if (err instanceof CircuitAuthRequired) {
      const reason = 'Circuit needs you to log in again (Settings, F5)'
      this.setPaused({ kind: 'auth', reason, until: null })
      // The gateway checks the log-in from here on; once Circuit answers it, sending resumes.
      this.o.gateway.reportReachable(false, reason)
      return true
    }
    return false
  }

  private async refreshRequested(client: CircuitApiClient) {
    for (const [type, ids] of this.refreshWanted) {
      const handler = this.o.registry.push(type)
      this.refreshWanted.delete(type)
      if (!handler || ids.size === 0) continue
      try {
        const recs = await handler.readBack(client, [...ids])
        this.o.db.tx(() => {
          for (const rec of recs.values()) {
            if (this.hasOpenEntries(type, rec.id)) continue
            handler.applyServer(this.o.db, rec)
            noteSenderWrite(this.o.db, type, rec.id)
          }
        })
        this.o.events.emit('data.changed', { entity: type as DataChanged['entity'], ids: [...recs.keys()] })
      } catch {
        // Not now: the next pull brings the records anyway.
      }
    }
  }
}
