import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, readFileSync, writeFileSync, statSync, openSync, writeSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { LATEST_VERSION, MIGRATIONS } from '../../src-main/db/migrations'
import { openReplica, ReplicaDamagedError, ReplicaTooNewError } from '../../src-main/db/replica'
import { stageCopy, swapIn } from '../../src-main/db/backups'
import { tempDir } from '../helpers'

const now = () => Date.UTC(2026, 10, 23, 9, 0, 0)
let cleanups: (() => void)[] = []
afterEach(() => {
  cleanups.forEach((c) => c())
  cleanups = []
})
function dir() {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

/** Rows that every schema version can hold, to prove data survives migrations. */
function seed(raw: import('better-sqlite3').Database) {
  raw
    .prepare(
      "INSERT INTO sales (id, label, status, raw, lots_locked) VALUES ('s1', 'Spring Sale', 'published', '{}', 0)"
    )
    .run()
  raw
    .prepare(
      `INSERT INTO items (id, sale_id, lot, lot_number, lot_letter, lot_sort, title, status, raw, estimate_low)
       VALUES ('i1', 's1', '269A', 269, 'A', '000000269A', 'George III silver sauceboat', 'available', '{}', 40000)`
    )
    .run()
  raw
    .prepare(
      "INSERT INTO clients (id, first_name, last_name, display_name, status, raw) VALUES ('c1', 'Laura', 'Marchetti', 'Marchetti, Laura', 'approved', '{}')"
    )
    .run()
}

describe('replica migrations', () => {
  it('creates a new replica at the latest version with the pragmas set', async () => {
    const file = join(dir(), 'saleroom.db')
    const db = await openReplica(file, { now })
    expect(db.version).toBe(LATEST_VERSION)
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.raw.pragma('busy_timeout', { simple: true })).toBe(5000)
    const strict = db.raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'outbox'").get() as { sql: string }
    expect(strict.sql).toMatch(/STRICT/)
    db.close()
  })

  it('v13 keeps the collections of a v12 replica and lets a lot hold a second release (two stations at once)', async () => {
    const file = join(dir(), 'saleroom.db')
    const old = await openReplica(file, { now, targetVersion: 12 })
    seed(old.raw)
    const insert = `INSERT INTO collections (item_id, sale_id, release_id, client_id, paddle, lot, collected_by, note,
        confirmed_reason, released_by, station, at) VALUES ('i1', 's1', ?, 'c1', '204', '269A', ?, NULL, NULL, 'clerk', ?, ?)`
    old.raw.prepare(insert).run('rel-a', 'Laura', 'STORE-A', 1000)
    // Before v13 a lot held one collection only.
    expect(() => old.raw.prepare(insert).run('rel-b', 'Carrier', 'STORE-B', 2000)).toThrow(/UNIQUE/)
    old.close()

    const db = await openReplica(file, { now })
    expect(db.raw.prepare('SELECT release_id, collected_by FROM collections').all()).toEqual([
      { release_id: 'rel-a', collected_by: 'Laura' }
    ])
    db.raw.prepare(insert).run('rel-b', 'Carrier', 'STORE-B', 2000)
    expect(() => db.raw.prepare(insert).run('rel-b', 'Carrier', 'STORE-B', 2000)).toThrow(/UNIQUE/)
    expect(db.raw.prepare('SELECT count(*) AS n FROM collections').get()).toEqual({ n: 2 })
    db.close()
  })

  for (const from of MIGRATIONS.slice(0, -1).map((m) => m.version)) {
    it(`migrates a database at version ${from} to the latest, keeping its rows and taking a backup first`, async () => {
      const d = dir()
      const file = join(d, 'saleroom.db')
      const old = await openReplica(file, { now, targetVersion: from })
      expect(old.version).toBe(from)
      seed(old.raw)
      old.close()

      const db = await openReplica(file, { now })
      expect(db.version).toBe(LATEST_VERSION)
      const item = db.raw.prepare("SELECT lot, title, estimate_low FROM items WHERE id = 'i1'").get()
      expect(item).toEqual({ lot: '269A', title: 'George III silver sauceboat', estimate_low: 40000 })
      // The search index built by a later migration covers rows written before it.
      const hit = db.raw.prepare("SELECT rowid FROM items_fts WHERE items_fts MATCH 'sauceboat'").all()
      expect(hit).toHaveLength(1)
      db.close()

      const backups = readdirSync(join(d, 'backups'))
      expect(backups).toHaveLength(1)
      expect(backups[0]).toMatch(new RegExp(`v${from}-before-migration\\.db$`))
      const backup = await openReplica(join(d, 'backups', backups[0]), { now, targetVersion: from })
      expect(backup.version).toBe(from)
      expect(backup.raw.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 1 })
      backup.close()
    })
  }

  it('rolls a failing migration back whole: version and tables unchanged', async () => {
    const file = join(dir(), 'saleroom.db')
    const good = MIGRATIONS[0]
    const broken = {
      version: 2,
      name: 'breaks half-way',
      up(raw: import('better-sqlite3').Database) {
        raw.exec('CREATE TABLE half_done (x INTEGER) STRICT')
        throw new Error('disk full')
      }
    }
    const db1 = await openReplica(file, { now, migrations: [good] })
    db1.close()
    await expect(openReplica(file, { now, migrations: [good, broken] })).rejects.toThrow('disk full')
    const db2 = await openReplica(file, { now, migrations: [good] })
    expect(db2.version).toBe(1)
    expect(db2.raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined()
    db2.close()
  })

  it('detects a file that is not a database, reports it and leaves it untouched', async () => {
    const d = dir()
    const file = join(d, 'saleroom.db')
    writeFileSync(file, 'this is not a sqlite file, it is a shopping list'.repeat(100))
    const before = readFileSync(file)
    await expect(openReplica(file, { now })).rejects.toBeInstanceOf(ReplicaDamagedError)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(existsSync(join(d, 'backups'))).toBe(false)
  })

  it('detects a damaged page in a real replica and offers the latest backup', async () => {
    const d = dir()
    const file = join(d, 'saleroom.db')
    const db = await openReplica(file, { now, targetVersion: 1 })
    seed(db.raw)
    for (let i = 0; i < 300; i++) {
      db.raw
        .prepare(
          "INSERT INTO clients (id, first_name, last_name, display_name, status, raw) VALUES (?, 'A', 'B', 'B, A', 'new', ?)"
        )
        .run(`x${i}`, 'y'.repeat(200))
    }
    db.close()
    const migrated = await openReplica(file, { now }) // takes a backup
    migrated.raw.pragma('wal_checkpoint(TRUNCATE)')
    migrated.raw.pragma('journal_mode = DELETE')
    migrated.close()

    // Scribble over a page in the middle of the file.
    const size = statSync(file).size
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 2 / 4096) * 4096)
    closeSync(fd)
    const damaged = readFileSync(file)

    const err = await openReplica(file, { now }).catch((e) => e)
    expect(err).toBeInstanceOf(ReplicaDamagedError)
    expect((err as ReplicaDamagedError).latestBackup).toMatch(/before-migration\.db$/)
    expect(readFileSync(file).equals(damaged)).toBe(true)

    // Copy, then swap: the damaged file is kept beside it, renamed.
    const { staged } = stageCopy((err as ReplicaDamagedError).latestBackup!, file, () => undefined)
    const { previousCopy } = swapIn(staged, now(), 'damaged')
    expect(previousCopy).toMatch(/saleroom\.db\.damaged-/)
    expect(readFileSync(previousCopy!).equals(damaged)).toBe(true)
    const ok = await openReplica(file, { now })
    expect(ok.raw.prepare("SELECT label FROM sales WHERE id = 's1'").get()).toEqual({ label: 'Spring Sale' })
    ok.close()
  })

  it('refuses a replica written by a newer Saleroom', async () => {
    const file = join(dir(), 'saleroom.db')
    const db = await openReplica(file, { now })
    db.raw.pragma(`user_version = ${LATEST_VERSION + 5}`)
    db.close()
    await expect(openReplica(file, { now })).rejects.toBeInstanceOf(ReplicaTooNewError)
  })
})
