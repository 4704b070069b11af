// Opening the local replica: health check, pragmas, backup, migrations. Also a
// small synchronous executor for Kysely-built queries, so that a write and its
// outbox entry commit in one better-sqlite3 transaction that cannot await (and
// so can never wait on the network while holding the database).
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type Compilable } from 'kysely'
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Database } from './schema'
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations'

export class ReplicaDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly latestBackup: string | null
  ) {
    super(`The local database ${file} is damaged (${detail}). It has not been changed.`)
    this.name = 'ReplicaDamagedError'
  }
}

export class ReplicaTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly version: number
  ) {
    super(
      `The local database ${file} was written by a newer Saleroom (schema ${version}, this app knows ${LATEST_VERSION}).`
    )
    this.name = 'ReplicaTooNewError'
  }
}

export interface OpenOptions {
  /** Folder for automatic backups; defaults to `<file's folder>/backups`. */
  backupDir?: string
  /** For file names of backups; injected so tests are deterministic. */
  now: () => number
  /** Stop at this schema version (tests of old versions). */
  targetVersion?: number
  migrations?: readonly Migration[]
}

export class Replica {
  readonly q: Kysely<Database>
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

  constructor(
    readonly raw: BetterSqlite3.Database,
    readonly file: string,
    readonly backupDir: string
  ) {
    this.q = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      stmt = this.raw.prepare(sql)
      this.statements.set(sql, stmt)
    }
    return stmt
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile()
    return this.prepare(c.sql).all(...(c.parameters as unknown[])) as R[]
  }

  first<R>(query: Compilable<R>): R | undefined {
    const c = query.compile()
    return this.prepare(c.sql).get(...(c.parameters as unknown[])) as R | undefined
  }

  run(query: Compilable<unknown>): BetterSqlite3.RunResult {
    const c = query.compile()
    return this.prepare(c.sql).run(...(c.parameters as unknown[]))
  }

  /** Plain SQL for what the query builder cannot say (FTS5 MATCH, pragmas). */
  sql<R>(sql: string, ...params: unknown[]): R[] {
    return this.prepare(sql).all(...params) as R[]
  }

  /** Plain SQL that changes rows. */
  exec(sql: string, ...params: unknown[]): BetterSqlite3.RunResult {
    return this.prepare(sql).run(...params)
  }

  /**
   * One atomic transaction. The callback is synchronous on purpose: it cannot
   * await, so no network call can ever happen while the transaction is open.
   */
  tx<T>(fn: () => T): T {
    return this.raw.transaction(() => {
      const out = fn()
      if (out instanceof Promise) throw new Error('Replica.tx callbacks must be synchronous')
      return out
    })()
  }

  get version(): number {
    return this.raw.pragma('user_version', { simple: true }) as number
  }

  /**
   * An online backup (SQLite's backup API, page by page between other work, so
   * nobody waits). Written under a temporary name and renamed when whole: a
   * process killed midway never leaves a half file that looks like a backup.
   */
  async backup(
    reason: string,
    now: number,
    dir = this.backupDir,
    o: { progress?: (done: number, total: number) => void } = {}
  ): Promise<string> {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const target = join(dir, backupName(this.file, reason, now))
    const partial = `${target}.partial`
    await this.raw.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        o.progress?.(totalPages - remainingPages, totalPages)
        // Pages per step: small steps leave the event loop free for the clerk between them.
        return 256
      }
    })
    chmodSync(partial, 0o600)
    // On disk before it takes a backup's name: a power cut must not leave a named, empty file.
    const fd = openSync(partial, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(partial, target)
    return target
  }

  close(): void {
    this.statements.clear()
    if (this.raw.open) this.raw.close()
  }
}

export function stamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

function backupName(file: string, reason: string, now: number): string {
  return `${basename(file, '.db')}-${stamp(now)}-${reason}.db`
}

export function latestBackup(backupDir: string): string | null {
  if (!existsSync(backupDir)) return null
  const files = readdirSync(backupDir)
    .filter((f) => f.endsWith('.db'))
    .map((f) => join(backupDir, f))
  if (files.length === 0) return null
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs || (a < b ? 1 : -1))
  return files[0]
}

export function quickCheck(raw: BetterSqlite3.Database): string | null {
  try {
    const rows = raw.pragma('quick_check') as { quick_check: string }[]
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok')
    return problems.length ? problems.slice(0, 3).join('; ') : null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

function hasTables(raw: BetterSqlite3.Database): boolean {
  return (raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0
}

/**
 * Damage confined to a full-text index (the look-up's word search) is repaired
 * by rebuilding that index from its table; the rest of the replica is fine, so
 * the app is not locked over it.
 */
function repairSearchIndexes(raw: BetterSqlite3.Database): void {
  for (const table of ['items_fts', 'clients_fts']) {
    const exists = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)
    if (!exists) continue
    try {
      raw.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('integrity-check', 1)`).run()
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', msg: 'search index damaged; rebuilding it', table, error: String(err) })
      )
      raw.prepare(`INSERT INTO ${table}(${table}) VALUES ('rebuild')`).run()
    }
  }
}

export async function openReplica(file: string, opts: OpenOptions): Promise<Replica> {
  const backupDir = opts.backupDir ?? join(dirname(file), 'backups')
  const migrations = opts.migrations ?? MIGRATIONS
  const target = opts.targetVersion ?? migrations[migrations.length - 1].version
  // Buyers' names, e-mails and phones live here: the folder is the user's alone (0700, files 0600),
  // whatever the umask.
  if (!existsSync(dirname(file))) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    chmodSync(dirname(file), 0o700)
  }
  const existed = existsSync(file)

  let raw: BetterSqlite3.Database
  try {
    raw = new BetterSqlite3(file)
  } catch (err) {
    throw new ReplicaDamagedError(file, err instanceof Error ? err.message : String(err), latestBackup(backupDir))
  }
  // Check before any pragma that writes: a damaged file is reported, never touched.
  if (existed) {
    const problem = quickCheck(raw)
    if (problem) {
      raw.close()
      throw new ReplicaDamagedError(file, problem, latestBackup(backupDir))
    }
  }

  raw.pragma('journal_mode = WAL')
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
  raw.pragma('synchronous = FULL')
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')

  repairSearchIndexes(raw)

  const replica = new Replica(raw, file, backupDir)
  const from = replica.version
  const knownLatest = Math.max(LATEST_VERSION, migrations[migrations.length - 1].version)
  if (from > knownLatest) {
    replica.close()
    throw new ReplicaTooNewError(file, from)
  }
  const pending = migrations.filter((m) => m.version > from && m.version <= target)
  if (pending.length > 0) {
    // An online backup before any migration; a brand-new empty file has nothing to keep.
    if (hasTables(raw)) await replica.backup(`v${from}-before-migration`, opts.now())
    for (const m of pending) {
      raw.transaction(() => {
        m.up(raw)
        raw.pragma(`user_version = ${m.version}`)
      })()
    }
  }
  return replica
}

/**
 * Put the latest backup in place of a damaged file. The damaged file (and its
 * WAL) is kept beside it, renamed, so nothing is ever thrown away.
 */
export function restoreLatestBackup(file: string, now: number, backupDir = join(dirname(file), 'backups')) {
  const backup = latestBackup(backupDir)
  if (!backup) throw new Error(`No backup found in ${backupDir}`)
  const damagedCopy = `${file}.damaged-${stamp(now)}`
  if (existsSync(file)) renameSync(file, damagedCopy)
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, damagedCopy + suffix)
  }
  copyFileSync(backup, file)
  return { restoredFrom: backup, damagedCopy }
}
