// The copies a station can be restored from, and putting one in place. A
// copy is only ever read here (opened read-only) until the user picks it; the
// database it replaces is renamed and kept, never deleted.
import BetterSqlite3 from 'better-sqlite3'
import { copyFileSync, existsSync, readdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { BackupCopy } from '../../src-shared/contract'
import { LATEST_VERSION } from '../db/migrations'
import { quickCheck, stamp } from '../db/replica'

const NAME = /^.*-(\d{8}T\d{6}Z)-(.+)\.db$/

function takenAt(stampText: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stampText)
  if (!m) return null
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])).toISOString()
}

/** What a copy holds, read without changing it. */
export function describeCopy(file: string, place: BackupCopy['place']): BackupCopy {
  const m = NAME.exec(file.split(/[\\/]/).pop() ?? '')
  const kind = m?.[2] ?? 'copy'
  const base: BackupCopy = {
    file,
    place,
    kind: kind.startsWith('clerking-') ? 'clerking' : kind,
    station: null,
    takenAt: m ? takenAt(m[1]) : null,
    bytes: statSync(file).size,
    unsent: null,
    sales: [],
    problem: null
  }
  let db: BetterSqlite3.Database | null = null
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
    const damaged = quickCheck(db)
    if (damaged) return { ...base, problem: `damaged (${damaged})` }
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > LATEST_VERSION) return { ...base, problem: `written by a newer Saleroom (schema ${version})` }
    const station = db.prepare(`SELECT value FROM settings WHERE key = 'stationName'`).get() as
      { value: string } | undefined
    const unsent = db
      .prepare(
        `SELECT count(*) AS n FROM outbox WHERE state IN ('pending', 'in_flight', 'unknown', 'needs_attention', 'conflict')`
      )
      .get() as { n: number }
    const sales = db.prepare(`SELECT label FROM sales ORDER BY sale_date DESC, id LIMIT 5`).all() as { label: string }[]
    return {
      ...base,
      station: station ? (JSON.parse(station.value) as string) : 'Station 1',
      unsent: unsent.n,
      sales: sales.map((s) => s.label)
    }
  } catch (err) {
    return { ...base, problem: `not a Saleroom database (${err instanceof Error ? err.message : String(err)})` }
  } finally {
    db?.close()
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
  // Whole copies only: a `.partial` file is a copy a killed process never finished.
  return names.filter((f) => f.endsWith('.db')).map((f) => describeCopy(join(dir, f), place))
}

/** Newest first: the second folder's copies and this station's own backups. */
export function listCopies(folder: string | null, backupDir: string): BackupCopy[] {
  return [...copiesIn(folder, 'second-folder'), ...copiesIn(backupDir, 'this-station')].sort((a, b) =>
    (b.takenAt ?? '').localeCompare(a.takenAt ?? '')
  )
}

/**
 * Put a copy in place of the station's database file (closed by the caller).
 * The file it replaces, and its WAL, are renamed and kept. Changes the copy
 * had not seen acknowledged may have reached Circuit after it was taken:
 * they become "outcome unknown", so each is read back before it is sent.
 */
export function installCopy(copy: string, file: string, now: number): { previousCopy: string | null; unsent: number } {
  let previousCopy: string | null = null
  if (existsSync(file)) {
    previousCopy = `${file}.replaced-${stamp(now)}`
    renameSync(file, previousCopy)
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, previousCopy + suffix)
    }
  }
  copyFileSync(copy, file)
  const db = new BetterSqlite3(file)
  try {
    const r = db
      .prepare(
        `UPDATE outbox SET state = 'unknown', lease_until = NULL, next_attempt_at = 0
         WHERE state IN ('pending', 'in_flight', 'unknown')`
      )
      .run()
    return { previousCopy, unsent: r.changes }
  } finally {
    db.close()
  }
}
