// Opening the local replica: health check, pragmas, backup, migrations. Also a
// small synchronous executor for Kysely-built queries, so that a write and its
// outbox entry commit in one better-sqlite3 transaction that cannot await (and
// so can never wait on the network while holding the database).
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type Compilable } from 'kysely'
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AppError } from '../../src-shared/rpc'
import type { Database } from './schema'
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations'
import { diskFullError, isDiskFull } from './disk-full'

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
  /**
   * Check the full-text indexes (and rebuild a damaged one) before use. Default true; the app
   * asks for it only after an unclean shutdown, where damage comes from: at 100,000 rows the
   * check costs about as much as the rest of a start.
   */
  checkSearchIndexes?: boolean
}

/** Stands for one value in a query compiled once (`Replica.prepared`). */
class Placeholder {
  constructor(readonly name: string) {}
}

/** A query compiled once; each run fills its placeholders from `a`. */
export interface Prepared<A, R> {
  readonly sql: string
  /** The parameters a run with `a` binds, in order (what a benchmark's bare baseline runs with `sql`). */
  params(a: A): unknown[]
  all(a: A): R[]
  first(a: A): R | undefined
  run(a: A): BetterSqlite3.RunResult
}

export class Replica {
  readonly q: Kysely<Database>
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  private readonly preparedQueries = new WeakMap<object, Prepared<never, unknown>>()
  /**
   * Folders where the last write or copy failed for want of space (the data
   * folder, a copies folder), for the status bar. The next write that commits
   * clears the data folder; the next whole copy clears its folder.
   */
  private readonly full = new Set<string>()

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
    try {
      return this.prepare(c.sql).run(...(c.parameters as unknown[]))
    } catch (err) {
      throw this.asDiskFull(err)
    }
  }

  /**
   * A Kysely query compiled once and kept as a prepared statement, for queries
   * that run on every key or hammer, where building and compiling the query each
   * time would cost more than running it. `build` gets placeholders (`a.id`) that
   * stand for one value each, filled in from the object given at each run (`a`
   * itself has no keys: an insert names each column, `values({ x: a.x })`); keep
   * `build` a module-level function, as it is what the statement is kept under.
   */
  prepared<A extends object, R>(build: (q: Kysely<Database>, a: A) => Compilable<R>): Prepared<A, R> {
    let p = this.preparedQueries.get(build) as Prepared<A, R> | undefined
    if (p) return p
    const placeholders = new Proxy({} as A, { get: (_t, name) => new Placeholder(String(name)) })
    const c = build(this.q, placeholders).compile()
    const stmt = this.prepare(c.sql)
    const given = c.parameters
    const bind = (a: A): unknown[] =>
      given.map((v) => {
        if (!(v instanceof Placeholder)) return v
        const value = (a as Record<string, unknown>)[v.name]
        if (value === undefined) throw new Error(`No value for the placeholder "${v.name}"`)
        return value
      })
    p = {
      sql: c.sql,
      params: bind,
      all: (a) => stmt.all(...bind(a)) as R[],
      first: (a) => stmt.get(...bind(a)) as R | undefined,
      run: (a) => {
        try {
          return stmt.run(...bind(a))
        } catch (err) {
          throw this.asDiskFull(err)
        }
      }
    }
    this.preparedQueries.set(build, p)
    return p
  }

  /** Plain SQL for what the query builder cannot say (FTS5 MATCH, pragmas). */
  sql<R>(sql: string, ...params: unknown[]): R[] {
    return this.prepare(sql).all(...params) as R[]
  }

  /** Plain SQL that changes rows. */
  exec(sql: string, ...params: unknown[]): BetterSqlite3.RunResult {
    try {
      return this.prepare(sql).run(...params)
    } catch (err) {
      throw this.asDiskFull(err)
    }
  }

  /**
   * One atomic transaction. The callback is synchronous on purpose: it cannot
   * await, so no network call can ever happen while the transaction is open.
   */
  tx<T>(fn: () => T, o: { refetchable?: boolean } = {}): T {
    // What can be fetched again (a pulled page with its cursor) need not be on the disk the
    // moment it commits: its commit skips the fsync, and the next synced commit (any user
    // action) or checkpoint puts it there. A power cut before that loses only such pages and
    // their cursor together, so the pull resumes from the last page that is on the disk; WAL
    // mode keeps the file whole either way.
    const relaxed = o.refetchable === true && !this.raw.inTransaction
    if (relaxed) this.raw.pragma('synchronous = NORMAL')
    let out: T
    try {
      out = this.raw.transaction(() => {
        const result = fn()
        if (result instanceof Promise) throw new Error('Replica.tx callbacks must be synchronous')
        return result
      })()
    } catch (err) {
      throw this.asDiskFull(err)
    } finally {
      if (relaxed) this.raw.pragma('synchronous = FULL')
    }
    if (this.full.size > 0) this.full.delete(this.dataDir)
    return out
  }

  /** The folder holding the database file. */
  get dataDir(): string {
    return dirname(this.file)
  }

  /**
   * Where the disk was last found full (the data folder first), or null. Set
   * by a write or copy that failed with SQLITE_FULL / ENOSPC.
   */
  get diskFull(): string | null {
    if (this.full.has(this.dataDir)) return this.dataDir
    for (const where of this.full) return where
    return null
  }

  /**
   * SQLITE_FULL becomes the `disk_full` answer that says where to free space
   * (the transaction has rolled back: nothing was recorded); other errors pass.
   */
  private asDiskFull(err: unknown, where = this.dataDir, what: 'record' | 'copy' = 'record'): unknown {
    if (!isDiskFull(err)) return err
    this.full.add(where)
    if (err instanceof AppError) return err // already said (a nested transaction)
    return diskFullError(where, err, what)
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
    o: { progress?: (done: number, total: number) => void; stationId?: string | null } = {}
  ): Promise<string> {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // Two copies in the same millisecond (a button pressed twice, a test's still clock) never share a name.
    let at = now
    while (existsSync(join(dir, backupName(this.file, reason, at, o.stationId)))) at++
    const target = join(dir, backupName(this.file, reason, at, o.stationId))
    const partial = `${target}.partial`
    try {
      await this.raw.backup(partial, {
        progress: ({ totalPages, remainingPages }) => {
          o.progress?.(totalPages - remainingPages, totalPages)
          // Pages per step: small steps leave the event loop free for the clerk between them.
          return 256
        }
      })
      chmodSync(partial, 0o600)
      // A copy is a plain rollback-journal file: whoever reads it later (the restore list,
      // another station on the share) leaves no -wal or -shm file beside it.
      const copy = new BetterSqlite3(partial)
      try {
        copy.pragma('journal_mode = DELETE')
      } finally {
        copy.close()
      }
      // On disk before it takes a backup's name: a power cut must not leave a named, empty file.
      fsyncFile(partial)
      renameSync(partial, target)
    } catch (err) {
      // A failed copy (a full disk above all) must not keep the space it took.
      for (const f of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true })
      throw this.asDiskFull(err, dir, 'copy')
    }
    this.full.delete(dir)
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

/** A UTC stamp with milliseconds (20261123T090500123Z): text order is time order. */
export function stampMs(now: number): string {
  return new Date(now).toISOString().replace(/[-:.]/g, '')
}

/**
 * `saleroom-<UTC stamp with ms>-<reason>@<station id>.db`. The station id is
 * the random one made at the station's first start (never its name: every
 * install starts as "Station 1"), so stations sharing a folder keep apart.
 */
export function backupName(file: string, reason: string, now: number, stationId?: string | null): string {
  return `${basename(file, '.db')}-${stampMs(now)}-${reason}${stationId ? `@${stationId}` : ''}.db`
}

export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
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
const SEARCH_INDEXES = [
  {
    table: 'items_fts',
    check: "INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)",
    rebuild: "INSERT INTO items_fts(items_fts) VALUES ('rebuild')"
  },
  {
    table: 'clients_fts',
    check: "INSERT INTO clients_fts(clients_fts, rank) VALUES ('integrity-check', 1)",
    rebuild: "INSERT INTO clients_fts(clients_fts) VALUES ('rebuild')"
  }
]

function repairSearchIndexes(raw: BetterSqlite3.Database): void {
  // FTS5's own commands (an insert naming the table itself): nothing a query builder says.
  for (const { table, check, rebuild } of SEARCH_INDEXES) {
    const exists = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)
    if (!exists) continue
    try {
      raw.prepare(check).run()
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', msg: 'search index damaged; rebuilding it', table, error: String(err) })
      )
      raw.prepare(rebuild).run()
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

  if (opts.checkSearchIndexes ?? true) repairSearchIndexes(raw)

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
