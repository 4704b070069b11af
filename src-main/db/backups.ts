// Rolling backups: one kind per reason (after a pull, at shutdown, the
// clerking copies to a second folder), each keeping its newest few. A copy is
// written under a temporary name and renamed when whole, so a process killed
// midway leaves only a `.partial` file, which the next backup of that kind
// removes. (Backups before a migration are kept apart and never pruned here.)
//
// Copies are named by the station's random id, never its name, and pruning
// touches only this station's: stations sharing a folder keep their own.
//
// And putting a copy in place of the database: copy, then swap. The copy is
// written and fsynced beside the live file; only when it is whole, checked
// and prepared does a rename put it in place. A failure at any step leaves the
// live database as it was.
import BetterSqlite3 from 'better-sqlite3'
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { fsyncFile, quickCheck, stamp, type Replica } from './replica'

export const ROLLING_REASONS = ['after-pull', 'shutdown'] as const

/** The settings key of the station's random id (made at its first start). */
export const STATION_ID_KEY = 'stationId'

/** The station's random id from its settings, or null (a replica no station has started yet). */
export function readStationId(db: Replica | BetterSqlite3.Database): string | null {
  const raw = 'raw' in db ? db.raw : db
  try {
    const row = raw.prepare('SELECT value FROM settings WHERE key = ?').get(STATION_ID_KEY) as
      { value: string } | undefined
    const id = row ? (JSON.parse(row.value) as unknown) : null
    return typeof id === 'string' && /^[0-9a-z]{6,32}$/.test(id) ? id : null
  } catch {
    return null // no settings table (not a Saleroom database, or a very old one)
  }
}

/** Take one backup and keep only the newest `keep` of that reason taken by this station. */
export async function rollingBackup(
  replica: Replica,
  reason: string,
  now: number,
  keep: number,
  dir = replica.backupDir,
  o: { progress?: (done: number, total: number) => void } = {}
): Promise<string> {
  const stationId = readStationId(replica)
  const suffix = `-${reason}${stationId ? `@${stationId}` : ''}.db`
  removeLeftovers(dir, suffix)
  const file = await replica.backup(reason, now, dir, { ...o, stationId })
  const mine = readdirSync(dir)
    .filter((f) => f.endsWith(suffix) && isOurCopyName(f))
    .sort() // names carry a UTC stamp: text order is time order
  for (const old of mine.slice(0, Math.max(0, mine.length - keep))) removeCopy(join(dir, old))
  removeOrphans(dir)
  return file
}

/** `saleroom-<stamp>-…`: a name this app gives its copies. */
function isOurCopyName(name: string): boolean {
  return /^[^/\\]+-\d{8}T\d{6}(\d{3})?Z-/.test(name)
}

/** A copy and whatever a reader left beside it. */
function removeCopy(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true })
}

/** Half-written copies of this kind that a killed process left behind. */
function removeLeftovers(dir: string, suffix: string): void {
  for (const f of namesIn(dir)) {
    if (/\.partial(-wal|-shm|-journal)?$/.test(f) && f.includes(`${suffix}.partial`))
      rmSync(join(dir, f), { force: true })
  }
}

/**
 * `-wal`, `-shm` and `-journal` files whose copy is gone (pruned, or read by
 * an older Saleroom that left them): they belong to no database any more.
 */
export function removeOrphans(dir: string): void {
  const names = new Set(namesIn(dir))
  for (const f of names) {
    const m = /^(.+\.db)-(wal|shm|journal)$/.exec(f)
    if (m && isOurCopyName(m[1]) && !names.has(m[1])) rmSync(join(dir, f), { force: true })
  }
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return [] // the folder does not exist (yet), or the share is away
  }
}

/**
 * Copy a file and fsync it. Written with plain reads and writes (no kernel
 * copy shortcut), so a full disk answers ENOSPC at the write that found no room.
 */
export function copyDurably(from: string, to: string): void {
  const src = openSync(from, 'r')
  try {
    const dst = openSync(to, 'w', 0o600)
    try {
      const buf = Buffer.allocUnsafe(1 << 20)
      for (;;) {
        const n = readSync(src, buf, 0, buf.length, null)
        if (n === 0) break
        for (let off = 0; off < n;) off += writeSync(dst, buf, off, n - off)
      }
      fsyncSync(dst)
    } finally {
      closeSync(dst)
    }
  } finally {
    closeSync(src)
  }
  chmodSync(to, 0o600)
}

/** The directory's entries on disk too (a rename survives a power cut). Not possible on Windows; skipped there. */
function fsyncDir(dir: string): void {
  let fd: number | null = null
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder; its renames are journalled by NTFS.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

export interface PreparedCopy {
  /** The database file it will replace. */
  file: string
  /** The prepared copy, whole and fsynced, beside it. */
  staged: string
}

/** The name a prepared copy waits under, beside the database. */
export function stagedName(file: string): string {
  return `${file}.restoring`
}

/**
 * Step one of a restore, while the station still works on its database:
 * copy `source` beside `file` (fsynced), check it is a whole database, and let
 * `prepare` change it (in one transaction) before it is put in place. Throws
 * (and removes what it wrote) if any of that fails; the database is untouched.
 */
export function stageCopy<T>(
  source: string,
  file: string,
  prepare: (db: BetterSqlite3.Database) => T
): { staged: PreparedCopy; prepared: T } {
  const staged = stagedName(file)
  // A killed restore's journal must never be rolled into the fresh copy; a stale copy itself is overwritten.
  for (const f of [`${staged}-journal`, `${staged}-wal`, `${staged}-shm`]) rmSync(f, { force: true })
  try {
    copyDurably(source, staged)
    const db = new BetterSqlite3(staged, { fileMustExist: true })
    let prepared: T
    try {
      const problem = quickCheck(db)
      if (problem) throw new Error(`the copy is damaged (${problem})`)
      // A plain file (no WAL): everything written here is in the file itself when it closes.
      db.pragma('journal_mode = DELETE')
      db.pragma('synchronous = FULL')
      prepared = db.transaction(() => prepare(db))()
    } finally {
      db.close()
    }
    fsyncFile(staged)
    return { staged: { file, staged }, prepared }
  } catch (err) {
    discardStaged(file)
    throw err
  }
}

/** Remove a staged copy (a failed or abandoned restore). */
export function discardStaged(file: string): void {
  const staged = stagedName(file)
  for (const f of [staged, `${staged}-journal`, `${staged}-wal`, `${staged}-shm`]) rmSync(f, { force: true })
}

/**
 * Step two, with the database closed: the live file (and its -wal/-shm) is
 * kept as `<file>.<keepAs>-<stamp>` and the staged copy renamed into place.
 * The live name is never without a whole database: the old file gets its new
 * name by a hard link, and one rename replaces it. If anything fails, what was
 * moved goes back and the live database is as it was.
 */
export function swapIn(p: PreparedCopy, now: number, keepAs: 'replaced' | 'damaged'): { previousCopy: string | null } {
  const { file, staged } = p
  let previousCopy: string | null = null
  const moved: [string, string][] = []
  let linked = false
  try {
    if (existsSync(file)) {
      previousCopy = `${file}.${keepAs}-${stamp(now)}`
      for (let n = 2; existsSync(previousCopy); n++) previousCopy = `${file}.${keepAs}-${stamp(now)}-${n}`
      // The WAL belongs to the old file: it must never meet the new one.
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(file + suffix)) {
          renameSync(file + suffix, previousCopy + suffix)
          moved.push([previousCopy + suffix, file + suffix])
        }
      }
      try {
        linkSync(file, previousCopy)
        linked = true
      } catch {
        // A file system without hard links: rename (the live name is empty for one more rename).
        renameSync(file, previousCopy)
        moved.push([previousCopy, file])
      }
    }
    renameSync(staged, file)
  } catch (err) {
    for (const [from, to] of moved.reverse()) {
      try {
        renameSync(from, to)
      } catch {
        // Best effort; the log and the kept names say where each file is.
      }
    }
    if (linked && previousCopy) rmSync(previousCopy, { force: true })
    discardStaged(file)
    throw err
  }
  fsyncDir(dirname(file))
  return { previousCopy }
}

/**
 * Move the database (and its -wal and -shm) aside as `<file>.<as>-<stamp>`,
 * so a new one can start in its place; answers the kept name, or null when
 * there was no file.
 */
export function keepAside(file: string, now: number, as: 'replaced' | 'damaged'): string | null {
  if (!existsSync(file)) return null
  let kept = `${file}.${as}-${stamp(now)}`
  for (let n = 2; existsSync(kept); n++) kept = `${file}.${as}-${stamp(now)}-${n}`
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, kept + suffix)
  renameSync(file, kept)
  fsyncDir(dirname(file))
  return kept
}
