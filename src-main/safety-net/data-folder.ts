// What the data folder says about the station, outside its database: who it
// is (station.json: its random id, its name and its second folder, so a lost
// database can still be restored from there), whether the last session closed
// cleanly (saleroom.db.open), and whether the folder was used before. At
// start, a missing or empty database in a folder that was used, or a database
// whose WAL went missing after a crash, opens the recovery screen — never a
// first run.
import { writeKeyed } from '../core/keyed-values'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { RecoveryKind } from '../../src-shared/contract'
import { readStationId, STATION_ID_KEY } from '../db/backups'
import type { Replica } from '../db/replica'
import { WITNESS_FILE } from './witness'

/** A small JSON file written whole (temporary name, fsync, rename) and readable only by this user. */
function writeJsonFile(path: string, value: unknown): void {
  const partial = `${path}.partial`
  const fd = openSync(partial, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + '\n')
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(partial, path)
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch {
    return null
  }
}

// ── The station's identity ─────────────────────────────────────────────────

export interface StationFile {
  /** Random, made at the first start of this install; names its copies. */
  stationId: string
  stationName: string
  /** The second folder chosen in Settings, kept here so a lost database can be restored from it. */
  backupFolder: string | null
}

export function stationFilePath(dataDir: string): string {
  return join(dataDir, 'station.json')
}

export function readStationFile(dataDir: string): StationFile | null {
  const v = readJsonFile(stationFilePath(dataDir)) as Partial<StationFile> | null
  if (!v || typeof v.stationId !== 'string' || !/^[0-9a-z]{6,32}$/.test(v.stationId)) return null
  return {
    stationId: v.stationId,
    stationName: typeof v.stationName === 'string' ? v.stationName : '',
    backupFolder: typeof v.backupFolder === 'string' ? v.backupFolder : null
  }
}

export function writeStationFile(dataDir: string, s: StationFile): void {
  writeJsonFile(stationFilePath(dataDir), s)
}

/** 12 hex digits from the OS's random source: unique among a house's stations without any coordination. */
export function newStationId(): string {
  return randomBytes(6).toString('hex')
}

/**
 * The station id belongs to the install (its data folder), not to a database
 * file: a copy restored here, or a file brought from another station, takes
 * this install's id, so two stations never share one. Kept in settings (a
 * copy says who took it) and in station.json (the install's own record).
 */
export function ensureStationIdentity(
  db: Replica,
  dataDir: string,
  settings: { stationName: string; backupFolder: string | null },
  now: number
): string {
  const id = readStationFile(dataDir)?.stationId ?? newStationId()
  if (readStationId(db) !== id) {
    writeKeyed(db, 'settings', STATION_ID_KEY, JSON.stringify(id), now)
  }
  writeStationFile(dataDir, { stationId: id, ...settings })
  return id
}

// ── Open, closed cleanly ───────────────────────────────────────────────────

/**
 * Written (fsynced) once the database is open and its WAL exists, removed at
 * a clean close. A marker still there at start means the last session ended
 * without closing; SQLite then finds what it had committed in the -wal file.
 * If that file is gone too, those commits are gone: the WAL was lost. At a
 * clean close the WAL is checkpointed into the database first and the marker
 * says so, so a crash between closing and removing the marker is not mistaken
 * for a lost WAL.
 */
export interface OpenMarker {
  state: 'open' | 'checkpointed'
  pid: number
  openedAt: number
  /** The -wal file existed when the marker was written (so its absence later means it was lost). */
  walSeen: boolean
}

export function markerPath(file: string): string {
  return `${file}.open`
}

export function readMarker(file: string): OpenMarker | null {
  const v = readJsonFile(markerPath(file)) as Partial<OpenMarker> | null
  if (!v || (v.state !== 'open' && v.state !== 'checkpointed')) return null
  return { state: v.state, pid: Number(v.pid) || 0, openedAt: Number(v.openedAt) || 0, walSeen: v.walSeen === true }
}

export function markOpen(file: string, now: number): void {
  writeJsonFile(markerPath(file), {
    state: 'open',
    pid: process.pid,
    openedAt: now,
    walSeen: existsSync(`${file}-wal`)
  } satisfies OpenMarker)
}

/** Close cleanly: checkpoint the WAL into the file, say so, close, remove the marker. */
export function closeCleanly(db: Replica): void {
  const file = db.file
  try {
    const [r] = db.raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
    const marker = readMarker(file)
    if (r?.busy === 0 && marker) writeJsonFile(markerPath(file), { ...marker, state: 'checkpointed' })
  } catch {
    // A full disk or a read-only folder: the marker stays "open", and the -wal stays until SQLite removes it.
  }
  db.close()
  rmSync(markerPath(file), { force: true })
}

// ── Was this folder used before? ───────────────────────────────────────────

function nonEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => !f.startsWith('.'))
  } catch {
    return false
  }
}

function size(path: string): number | null {
  try {
    return statSync(path).size
  } catch {
    return null
  }
}

/** Signs, in words, that this data folder held a working station. */
export function earlierUse(dataDir: string, file: string): string[] {
  const found: string[] = []
  const backups = join(dataDir, 'backups')
  try {
    const n = readdirSync(backups).filter((f) => f.endsWith('.db')).length
    if (n > 0) found.push(`${n} backup${n === 1 ? '' : 's'} in backups/`)
  } catch {
    // no backups folder
  }
  if (nonEmptyDir(join(dataDir, 'prints'))) found.push('printed documents in prints/')
  if (nonEmptyDir(join(dataDir, 'exports'))) found.push('exported files in exports/')
  if (nonEmptyDir(join(dataDir, 'venue'))) found.push("the venue's certificate and log-ins in venue/")
  for (const f of ['secrets.json', 'secrets.bin'])
    if (existsSync(join(dataDir, f))) found.push(`a saved Circuit log-in (${f})`)
  if (existsSync(stationFilePath(dataDir))) found.push("this station's identity (station.json)")
  if ((size(join(dataDir, WITNESS_FILE)) ?? 0) > 0) found.push(`the record of changes made here (${WITNESS_FILE})`)
  if (existsSync(markerPath(file))) found.push(`a session that was not closed (${basename(markerPath(file))})`)
  const name = basename(file)
  let kept: string[] = []
  try {
    kept = readdirSync(dirname(file)).filter((f) => new RegExp(`^${escapeRe(name)}\\.(replaced|damaged)-`).test(f))
  } catch {
    // the folder itself is missing
  }
  if (kept.length) found.push(`an earlier database kept as ${kept.sort().at(-1)}`)
  return found
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface LostDatabase {
  kind: RecoveryKind
  message: string
  evidence: string[]
}

/**
 * Before the database is opened (opening would make a new, empty one): is it
 * missing, empty, or without the WAL it had when the last session died?
 */
export function inspectDataFolder(dataDir: string, file: string): LostDatabase | null {
  const bytes = size(file)
  if (bytes === null || bytes === 0) {
    const evidence = earlierUse(dataDir, file)
    if (evidence.length === 0) return null // a first start
    const what = bytes === null ? `is missing` : `is empty (0 bytes)`
    return {
      kind: bytes === null ? 'missing' : 'empty',
      evidence,
      message:
        `The station's database (${basename(file)}) ${what}, but this data folder was used before (${evidence.join('; ')}). ` +
        'Saleroom has not started an empty station over it: restore the newest copy, or go on with an empty database if that is what you mean.'
    }
  }
  const marker = readMarker(file)
  if (marker?.state === 'open' && marker.walSeen && !existsSync(`${file}-wal`)) {
    return {
      kind: 'wal-lost',
      evidence: [`a session that was not closed (${basename(markerPath(file))})`],
      message:
        `Saleroom was not closed cleanly, and the file holding its latest changes (${basename(file)}-wal) is missing: ` +
        'what was recorded since the last checkpoint is not in the database. Restore the newest copy, or go on with the database as it is.'
    }
  }
  return null
}
