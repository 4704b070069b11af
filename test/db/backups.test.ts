// Backups in normal use (after each completed pull, at clean shutdown, the
// newest few kept) and a damaged search index repaired rather than locking the app.
import { describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openReplica } from '../../src-main/db/replica'
import { rollingBackup, stageCopy, swapIn } from '../../src-main/db/backups'
import { startBackupSchedule } from '../../src-main/safety-net/schedule'
import { markOpen } from '../../src-main/safety-net/data-folder'
import { Actions } from '../../src-main/core/action'
import { sequentialIds } from '../../src-main/core/ids'
import { readSettings } from '../../src-main/core/settings'
import { EventBus } from '../../src-main/core/event-bus'
import { manualClock } from '../../src-main/core/clock'
import { silentLogger } from '../../src-main/core/ports'
import { lookupLots } from '../../src-main/lookup/lookup'
import { tempDir, testCore } from '../helpers'

const backups = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : [])

describe('backups in normal use', () => {
  it('one after each completed pull and one at clean shutdown; none for a failed pull', async () => {
    const t = tempDir()
    try {
      const clock = manualClock()
      const replica = await openReplica(join(t.dir, 'saleroom.db'), { now: clock.now })
      const events = new EventBus()
      const schedule = startBackupSchedule({
        replica,
        events,
        clock,
        log: silentLogger,
        actions: new Actions({ db: replica, clock, ids: sequentialIds(), events }),
        settings: () => readSettings(replica),
        onChange: () => {}
      })
      const progress = (phase: 'done' | 'failed') =>
        events.emit('pull.progress', { saleId: '1', label: null, phase, fetched: 1, total: 1, done: true, error: null })
      progress('failed')
      progress('done')
      await schedule.close()
      const files = backups(replica.backupDir)
      expect(files.filter((f) => f.endsWith('-after-pull.db'))).toHaveLength(1)
      expect(files.filter((f) => f.endsWith('-shutdown.db'))).toHaveLength(1)
      expect(files.some((f) => f.endsWith('.partial'))).toBe(false)
      const copy = new BetterSqlite3(join(replica.backupDir, files[0]), { readonly: true })
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok')
      copy.close()
      replica.close()
    } finally {
      t.cleanup()
    }
  })

  it('keeps the newest few of each kind and never counts a half-written one', async () => {
    const t = tempDir()
    try {
      const clock = manualClock()
      const replica = await openReplica(join(t.dir, 'saleroom.db'), { now: clock.now })
      mkdirSync(replica.backupDir, { recursive: true })
      writeFileSync(join(replica.backupDir, 'leftover.db.partial'), 'half a backup from a killed process')
      for (let i = 0; i < 7; i++) {
        clock.advance(60_000)
        await rollingBackup(replica, 'after-pull', clock.now(), 3)
      }
      const kept = backups(replica.backupDir).filter((f) => f.endsWith('-after-pull.db'))
      expect(kept).toHaveLength(3)
      expect(kept.at(-1)).toContain('20261123T090700000Z') // UTC, to the millisecond
      expect(backups(replica.backupDir)).toContain('leftover.db.partial') // never taken for a backup, never pruned as one
      replica.close()
    } finally {
      t.cleanup()
    }
  })

  it('a core closed cleanly leaves a shutdown backup the recovery screen can offer', async () => {
    const t = tempDir()
    try {
      const core = await testCore(t.dir)
      await core.close()
      expect(backups(join(t.dir, 'backups')).some((f) => /-shutdown@[0-9a-f]{12}\.db$/.test(f))).toBe(true)
    } finally {
      t.cleanup()
    }
  })
})

describe('search index damage', () => {
  it('is repaired by rebuilding the index, and the replica opens as usual', async () => {
    const t = tempDir()
    try {
      const file = join(t.dir, 'saleroom.db')
      const replica = await openReplica(file, { now: () => 0 })
      replica.exec("INSERT INTO sales (id, label, status, raw) VALUES ('s', 'Sale', 'published', '{}')")
      for (let i = 1; i <= 50; i++) {
        replica.exec(
          `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES (?, 's', ?, ?, ?, 'available', '{}')`,
          `i${i}`,
          String(i),
          String(i).padStart(9, '0'),
          `Silver sauceboat number ${i}`
        )
      }
      replica.close()
      // Scribble over the index's own pages (its shadow table), leaving the lots alone.
      const raw = new BetterSqlite3(file)
      // An index entry for a lot that does not exist, and one lot's entry gone: the index no longer matches its table.
      raw.exec("INSERT INTO items_fts(rowid, lot, title, description) VALUES (99999, '0', 'ghost lot', '')")
      raw.exec(
        "INSERT INTO items_fts(items_fts, rowid, lot, title, description) SELECT 'delete', rowid, lot, title, description FROM items WHERE id = 'i7'"
      )
      expect(() => raw.prepare("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)").run()).toThrow()
      raw.close()

      const again = await openReplica(file, { now: () => 0 })
      expect(() =>
        again.raw.prepare("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)").run()
      ).not.toThrow()
      expect(lookupLots(again, 'sauceboat', undefined, 100)).toHaveLength(50)
      again.close()
    } finally {
      t.cleanup()
    }
  })
})

describe('copy, then swap', () => {
  it('a copy that cannot be read is refused before anything is moved; the database and its folder are as they were', async () => {
    const t = tempDir()
    try {
      const file = join(t.dir, 'saleroom.db')
      const replica = await openReplica(file, { now: () => 0 })
      replica.exec("INSERT INTO sales (id, label, status, raw) VALUES ('s', 'Sale', 'published', '{}')")
      replica.close()
      const before = readFileSync(file)
      const names = readdirSync(t.dir).sort()
      const junk = join(t.dir, 'junk.db')
      writeFileSync(junk, 'not a database at all '.repeat(500))
      expect(() => stageCopy(junk, file, () => undefined)).toThrow()
      expect(readFileSync(file).equals(before)).toBe(true)
      expect(readdirSync(t.dir).sort()).toEqual([...names, 'junk.db'].sort()) // no .restoring left behind

      // A good copy goes in by one rename; the file it replaced is kept, whole.
      const good = await openReplica(join(t.dir, 'other.db'), { now: () => 0 })
      good.exec("INSERT INTO sales (id, label, status, raw) VALUES ('o', 'Other', 'published', '{}')")
      good.close()
      const { staged } = stageCopy(join(t.dir, 'other.db'), file, () => undefined)
      const { previousCopy } = swapIn(staged, Date.UTC(2026, 10, 23, 9), 'replaced')
      expect(previousCopy).toBe(`${file}.replaced-20261123T090000Z`)
      expect(readFileSync(previousCopy!).equals(before)).toBe(true)
      const now = new BetterSqlite3(file, { readonly: true })
      expect(now.prepare('SELECT id FROM sales').all()).toEqual([{ id: 'o' }])
      now.close()
    } finally {
      t.cleanup()
    }
  })

  it('at start, is checked (and repaired) after an unclean shutdown', async () => {
    const t = tempDir()
    try {
      const core = await testCore(t.dir)
      const replica = core.replica()!
      replica.exec("INSERT INTO sales (id, label, status, raw) VALUES ('s', 'Sale', 'published', '{}')")
      replica.exec(
        `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES ('i1', 's', '1', '000000001', 'Silver sauceboat', 'available', '{}')`
      )
      await core.close()
      const file = join(t.dir, 'saleroom.db')
      const raw = new BetterSqlite3(file)
      raw.exec("INSERT INTO items_fts(rowid, lot, title, description) VALUES (99999, '0', 'ghost lot', '')")
      raw.close()
      // The session that wrote it never closed: its open marker is still there.
      markOpen(file, Date.now())
      const again = await testCore(t.dir)
      expect(() =>
        again.replica()!.raw.prepare("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)").run()
      ).not.toThrow()
      await again.close()
    } finally {
      t.cleanup()
    }
  })
})
