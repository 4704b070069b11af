// The outbox's witness: a small append-only file in the data folder naming
// each outbox entry once its transaction has committed (seq, op id, label).
// SQLite keeps the latest commits in its -wal file; if that file loses its
// tail (a damaged disk, a copy taken without it), those commits vanish
// without a word. At start the witness is compared with the outbox, and
// entries it names that the outbox no longer holds are reported by label.
//
// Cost on the hammer: one write() of a line, no fsync. The file is fsynced on
// a timer and at close, so a killed process loses nothing of it (the OS holds
// what was written) and a power cut at most the last seconds. At start it is
// compacted to the entries still open.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { LostEntry } from '../../src-shared/events'
import type { CommitListener } from '../core/action'
import type { Logger } from '../core/ports'
import { LOST_ENTRIES_KEY, readLostEntries } from '../core/status'
import { writeKeyed } from '../core/keyed-values'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES } from '../db/schema'

export const WITNESS_FILE = 'outbox-witness.log'

export interface WitnessEntry {
  seq: number
  opId: string
  label: string
}

export function witnessPath(dataDir: string): string {
  return join(dataDir, WITNESS_FILE)
}

function line(e: WitnessEntry): string {
  return JSON.stringify({ seq: e.seq, opId: e.opId, label: e.label }) + '\n'
}

/** Every whole line of the witness; a torn last line (a write cut off) is skipped. */
export function readWitness(path: string): WitnessEntry[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const out: WitnessEntry[] = []
  for (const l of text.split('\n')) {
    if (!l) continue
    try {
      const v = JSON.parse(l) as Partial<WitnessEntry>
      if (Number.isInteger(v.seq) && typeof v.opId === 'string' && typeof v.label === 'string') {
        out.push({ seq: v.seq!, opId: v.opId, label: v.label })
      }
    } catch {
      // a torn line
    }
  }
  return out
}

/** Replace the witness with these entries, whole (temporary name, fsync, rename). */
function rewrite(path: string, entries: WitnessEntry[]): void {
  const partial = `${path}.partial`
  const fd = openSync(partial, 'w', 0o600)
  try {
    writeSync(fd, entries.map(line).join(''))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(partial, path)
}

/** Start afresh (a restored copy: what the old database had is not this one's to miss). */
export function resetWitness(dataDir: string): void {
  rmSync(witnessPath(dataDir), { force: true })
}

/**
 * Entries the witness names that the outbox does not hold (same seq and op
 * id). Read-only on the database.
 */
export function missingFromOutbox(db: Replica, witnessed: WitnessEntry[]): WitnessEntry[] {
  if (witnessed.length === 0) return []
  const present = new Map<number, string>()
  const minSeq = Math.min(...witnessed.map((e) => e.seq))
  for (const r of db.all(db.q.selectFrom('outbox').select(['seq', 'op_id']).where('seq', '>=', minSeq))) {
    present.set(r.seq, r.op_id)
  }
  const seen = new Set<string>()
  return witnessed.filter((e) => {
    if (seen.has(e.opId)) return false
    seen.add(e.opId)
    return present.get(e.seq) !== e.opId
  })
}

/**
 * At start, before anything new is written: entries the witness saw
 * committed that the outbox no longer holds are reported (the log, and the
 * `lostEntries` list the status bar shows, kept in settings until the user
 * dismisses it), and the witness is rewritten to the entries still open.
 */
export function compactWitness(dataDir: string, db: Replica, now: number, log: Logger): LostEntry[] {
  const path = witnessPath(dataDir)
  const lost = existsSync(path) ? missingFromOutbox(db, readWitness(path)) : []
  if (lost.length > 0) {
    log.error('changes committed on this station are missing from its database (its WAL lost its tail)', {
      lost: lost.map((e) => ({ seq: e.seq, opId: e.opId, label: e.label }))
    })
    const known = readLostEntries(db)
    const merged = [...known, ...lost.filter((e) => !known.some((k) => k.opId === e.opId))]
    writeKeyed(
      db,
      'settings',
      LOST_ENTRIES_KEY,
      JSON.stringify(merged.map((e) => ({ seq: e.seq, opId: e.opId, label: e.label }))),
      now
    )
  }
  const open = db.all(
    db.q.selectFrom('outbox').select(['seq', 'op_id', 'label']).where('state', 'in', OPEN_OUTBOX_STATES).orderBy('seq')
  )
  rewrite(
    path,
    open.map((r) => ({ seq: r.seq, opId: r.op_id, label: r.label ?? '' }))
  )
  return lost
}

/**
 * Feed the witness from committed actions: after each commit that queued
 * entries, those entries (every outbox entry is queued by an action, which
 * hands them over: no read-back on the hammer's path). Answers the unsubscribe.
 */
export function witnessCommits(
  actions: { onCommit(listener: CommitListener): () => void },
  witness: Witness
): () => void {
  return actions.onCommit((_enqueued, entries) => {
    if (entries.length > 0) witness.record(entries)
  })
}

export interface WitnessOptions {
  /** How often what was appended is fsynced (ms). */
  fsyncEveryMs?: number
  log?: Logger
}

/** The open witness file of a running station. */
export class Witness {
  private fd: number | null
  private dirty = false
  private failed = false
  private readonly timer: NodeJS.Timeout

  constructor(
    readonly path: string,
    private readonly o: WitnessOptions = {}
  ) {
    try {
      this.fd = openSync(path, 'a', 0o600)
    } catch (err) {
      // Without its witness the station still works; it only cannot name what a damaged WAL loses.
      this.fd = null
      o.log?.error('the outbox witness cannot be opened', { path, error: String(err) })
    }
    this.timer = setInterval(() => this.flush(), o.fsyncEveryMs ?? 2000)
    this.timer.unref()
  }

  /**
   * Name entries whose transaction has committed (call after the commit).
   * Never throws: the action is already recorded, and a witness that cannot
   * be written (a full disk) must not make it look failed.
   */
  record(entries: readonly { seq: number; opId: string; label: string }[]): void {
    if (this.fd === null || entries.length === 0) return
    try {
      writeSync(this.fd, entries.map(line).join(''))
      this.dirty = true
      this.failed = false
    } catch (err) {
      if (!this.failed) this.o.log?.warn('the outbox witness could not be written', { error: String(err) })
      this.failed = true
    }
  }

  /** fsync what was appended since the last time. */
  flush(): void {
    if (this.fd === null || !this.dirty) return
    try {
      fsyncSync(this.fd)
      this.dirty = false
    } catch (err) {
      this.o.log?.warn('the outbox witness could not be synced', { error: String(err) })
    }
  }

  close(): void {
    clearInterval(this.timer)
    this.flush()
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}
