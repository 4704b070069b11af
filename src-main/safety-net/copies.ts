// The copies a station can be restored from, and putting one in place. A
// copy is only ever read here (opened read-only) until the user picks it; the
// database it replaces is renamed and kept, never deleted.
import { readKeyed, writeKeyed } from '../core/keyed-values'
import { OPEN_OUTBOX_STATES } from '../db/schema'
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { BackupCopy } from '../../src-shared/contract'
import { setHold } from '../core/hold'
import { removeOrphans, stageCopy, STATION_ID_KEY, type PreparedCopy } from '../db/backups'
import { LATEST_VERSION } from '../db/migrations'
import { quickCheck, Replica } from '../db/replica'

/**
 * `saleroom-<stamp>-<kind>[@<station id>].db`. The stamp has milliseconds
 * (20261123T090500123Z) or, in copies taken before station ids, seconds; the
 * kind is `clerking` (or, in old names, `clerking-<station name>`), `after-pull`,
 * `shutdown`, `v3-before-migration`…
 */
const NAME = /^.*?-(\d{8}T\d{6}(?:\d{3})?Z)-(.+?)(?:@([0-9a-z]{6,32}))?\.db$/

function takenAt(stampText: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?Z$/.exec(stampText)
  if (!m) return null
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7] : 0)).toISOString()
}

/** What a copy's name says: when, which kind, which station (by id). */
export function parseCopyName(name: string): { takenAt: string | null; kind: string; stationId: string | null } {
  const m = NAME.exec(name)
  if (!m) return { takenAt: null, kind: 'copy', stationId: null }
  return {
    takenAt: takenAt(m[1]),
    kind: m[2].startsWith('clerking') ? 'clerking' : m[2],
    stationId: m[3] ?? null
  }
}

/**
 * Open a copy read-only, and leave nothing beside it: a copy in WAL format
 * (taken by an older Saleroom) makes SQLite create -wal and -shm files even
 * for a reader; those it made here are removed once it is closed.
 */
function readCopy<T>(file: string, read: (db: BetterSqlite3.Database) => T): T {
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f))
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    return read(db)
  } finally {
    db.close()
    for (const f of sidecars) rmSync(f, { force: true })
  }
}

/** What a copy holds, read without changing it. */
export function describeCopy(file: string, place: BackupCopy['place']): BackupCopy {
  const named = parseCopyName(basename(file))
  const stat = statSync(file)
  const base: BackupCopy = {
    file,
    place,
    kind: named.kind,
    station: null,
    stationId: named.stationId,
    // A copy whose name says nothing of its time (put there by hand) is dated by the file.
    takenAt: named.takenAt ?? stat.mtime.toISOString(),
    bytes: stat.size,
    unsent: null,
    sales: [],
    problem: null
  }
  try {
    return readCopy(file, (db) => {
      const damaged = quickCheck(db)
      if (damaged) return { ...base, problem: `damaged (${damaged})` }
      const version = db.pragma('user_version', { simple: true }) as number
      if (version > LATEST_VERSION) return { ...base, problem: `written by a newer Saleroom (schema ${version})` }
      // Read through a Replica of the copy (read only): the same queries as the live station's.
      const r = new Replica(db, file, '')
      const station = readKeyed(r, 'settings', 'stationName')
      const unsent =
        r.first(
          r.q
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', 'in', OPEN_OUTBOX_STATES)
        )?.n ?? 0
      const sales = r.all(r.q.selectFrom('sales').select('label').orderBy('sale_date', 'desc').orderBy('id').limit(5))
      return {
        ...base,
        station: station !== null ? (JSON.parse(station) as string) : 'Station 1',
        unsent,
        sales: sales.map((s) => s.label)
      }
    })
  } catch (err) {
    return { ...base, problem: `not a Saleroom database (${err instanceof Error ? err.message : String(err)})` }
  }
}

function copiesIn(dir: string | null, place: BackupCopy['place']): BackupCopy[] {
  if (!dir || !existsSync(dir)) return []
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  // -wal and -shm files an older Saleroom's reading left beside pruned copies.
  removeOrphans(dir)
  // Whole copies only: a `.partial` file is a copy a killed process never finished.
  return names.filter((f) => f.endsWith('.db')).map((f) => describeCopy(join(dir, f), place))
}

/** Newest first: the second folder's copies and this station's own backups. */
export function listCopies(folder: string | null, backupDir: string): BackupCopy[] {
  return [...copiesIn(folder, 'second-folder'), ...copiesIn(backupDir, 'this-station')].sort(
    (a, b) => (b.takenAt ?? '').localeCompare(a.takenAt ?? '') || a.file.localeCompare(b.file)
  )
}

export interface StagedRestore {
  staged: PreparedCopy
  /** Entries the copy holds that Circuit had not acknowledged when it was taken. */
  unsent: number
  /** Their seqs: sending is held until the original station is confirmed off. */
  held: number[]
}

/**
 * Step one of a restore (the station keeps working meanwhile): the copy is
 * written and fsynced beside the database, checked, and prepared:
 * - changes it had not seen acknowledged may have reached Circuit after it
 *   was taken: they become "outcome unknown", so each is read back before it
 *   is sent;
 * - sending is held (the station it came from may still be running and
 *   sending the same changes) until the user confirms it is off;
 * - it takes this install's station id, so its copies never mix with those
 *   of the station it came from, and keeps this install's second folder.
 */
export function stageRestore(
  copy: string,
  file: string,
  o: { now: number; stationId: string | null; backupFolder: string | null; holdMessage: string }
): StagedRestore {
  const { staged, prepared } = stageCopy(copy, file, (raw) => {
    const db = new Replica(raw, `${file}.restoring`, '')
    // Every entry that may have been sent is read back before anything is sent again.
    const unsent = Number(
      db.run(
        db.q
          .updateTable('outbox')
          .set({ state: 'unknown', lease_until: null, next_attempt_at: 0 })
          .where('state', 'in', ['pending', 'in_flight', 'unknown'])
      ).changes
    )
    const open = db.all(db.q.selectFrom('outbox').select('seq').where('state', 'in', OPEN_OUTBOX_STATES).orderBy('seq'))
    setHold(db, { reason: 'restored', since: o.now, entries: open.map((r) => r.seq), message: o.holdMessage })
    const put = (key: string, value: unknown) => writeKeyed(db, 'settings', key, JSON.stringify(value), o.now)
    if (o.stationId) put(STATION_ID_KEY, o.stationId)
    // The second folder is this machine's disk or share: chosen here, it stays chosen.
    if (o.backupFolder) put('backupFolder', o.backupFolder)
    return { unsent, held: open.map((r) => r.seq) }
  })
  return { staged, ...prepared }
}
