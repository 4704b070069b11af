// F5 / F13: stations sharing a backup folder. Copies are named by a random
// station id (every install starts as "Station 1"; "Desk 1" and "desk-1", or
// two non-Latin names, made the same name before) and a UTC stamp with
// milliseconds; pruning touches only this station's copies; no -wal or -shm
// file is left beside a copy; the list shows each copy's station name and
// time; copies named the old way still list and restore.
import { afterEach, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../src-main/app/boot'
import { manualClock } from '../../src-main/core/clock'
import { openReplica } from '../../src-main/db/replica'
import type { BackupCopy, BackupList, RestoreResult, Settings } from '../../src-shared/contract'
import { tempDir, testCore } from '../helpers'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function call<T>(core: Core, name: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

async function station(share: string, name: string | null, clock = manualClock()) {
  const data = tempDir('saleroom-names-')
  const core = await testCore(data.dir, { clock, backupTickMs: 60_000 })
  cleanups.push(data.cleanup, () => core.close())
  if (name) await call(core, 'settings.update', { stationName: name })
  await call(core, 'backups.configure', { folder: share, keep: 2 })
  return { core, clock, data: data.dir }
}

const dbFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.db'))

describe('copies in a shared folder', () => {
  for (const [a, b] of [
    [null, null], // every install is "Station 1"
    ['Desk 1', 'desk-1'],
    ['Касса', '收银台']
  ] as const) {
    it(`stations named ${a ?? 'Station 1'} and ${b ?? 'Station 1'} keep their own copies`, async () => {
      const share = tempDir('saleroom-shared-')
      cleanups.push(share.cleanup)
      const one = await station(share.dir, a)
      const two = await station(share.dir, b)
      for (let i = 0; i < 3; i++) {
        for (const s of [one, two]) {
          s.clock.advance(60_000)
          await call(s.core, 'backups.now')
        }
      }
      // Each kept its newest two; neither pruned the other's.
      const names = dbFiles(share.dir)
      expect(names).toHaveLength(4)
      const ids = await Promise.all(
        [one, two].map(async (s) => (await call<BackupCopy>(s.core, 'backups.now')).stationId)
      )
      expect(ids[0]).toMatch(/^[0-9a-f]{12}$/)
      expect(ids[0]).not.toBe(ids[1])
      const list = await call<BackupList>(one.core, 'backups.list')
      const shared = list.copies.filter((c) => c.place === 'second-folder')
      // Each copy says its station's name, read from the copy, and its time to the millisecond.
      expect(new Set(shared.map((c) => c.station))).toEqual(new Set([a ?? 'Station 1', b ?? 'Station 1']))
      for (const c of shared) expect(c.takenAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(shared.filter((c) => c.stationId === ids[0])).toHaveLength(2)
      expect(shared.filter((c) => c.stationId === ids[1])).toHaveLength(2)
    })
  }

  it('two copies in the same second (and the same millisecond) get two names', async () => {
    const share = tempDir('saleroom-shared-')
    cleanups.push(share.cleanup)
    const s = await station(share.dir, 'Podium')
    const first = await call<BackupCopy>(s.core, 'backups.now')
    const second = await call<BackupCopy>(s.core, 'backups.now') // the test's clock has not moved
    expect(first.file).not.toBe(second.file)
    expect(dbFiles(share.dir)).toHaveLength(2)
    expect(first.file).toMatch(/saleroom-\d{8}T\d{9}Z-clerking@[0-9a-f]{12}\.db$/)
  })

  it('leaves no -wal or -shm beside the copies, and clears those an older Saleroom left', async () => {
    const share = tempDir('saleroom-shared-')
    cleanups.push(share.cleanup)
    const s = await station(share.dir, 'Podium')
    // A copy as an older Saleroom took it: WAL format, named without a station id.
    const old = await openReplica(join(s.data, 'old.db'), { now: () => 0 })
    old.raw.exec(`INSERT INTO settings (key, value, updated_at) VALUES ('stationName', '"Old desk"', 0)`)
    const oldCopy = join(share.dir, 'saleroom-20261123T090500Z-clerking-old-desk.db')
    await old.raw.backup(oldCopy)
    old.close()
    // A pruned copy's leftovers, as older versions left them.
    writeFileSync(join(share.dir, 'saleroom-20261122T080000Z-clerking-old-desk.db-wal'), '')
    writeFileSync(join(share.dir, 'saleroom-20261122T080000Z-clerking-old-desk.db-shm'), '')

    for (let i = 0; i < 3; i++) {
      s.clock.advance(60_000)
      await call(s.core, 'backups.now')
      await call(s.core, 'backups.list') // reading every copy, the old one too
    }
    const leftovers = readdirSync(share.dir).filter((f) => /-(wal|shm|journal)$/.test(f))
    expect(leftovers).toEqual([])
    // A copy is a plain file: another station reading it makes nothing beside it either.
    const copy = dbFiles(share.dir).find((f) => f.includes('@'))!
    const reader = new BetterSqlite3(join(share.dir, copy), { readonly: true })
    expect(reader.pragma('journal_mode', { simple: true })).toBe('delete')
    reader.prepare('SELECT count(*) FROM settings').get()
    reader.close()
    expect(existsSync(join(share.dir, `${copy}-wal`))).toBe(false)
  })

  it('a copy named the old way (no station id, time to the second) still lists and restores', async () => {
    const share = tempDir('saleroom-shared-')
    cleanups.push(share.cleanup)
    const s = await station(share.dir, 'Spare')
    const old = await openReplica(join(s.data, 'old.db'), { now: () => 0 })
    old.raw.exec(`INSERT INTO settings (key, value, updated_at) VALUES ('stationName', '"Podium"', 0)`)
    old.raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('9', 'Spring Sale', 'published', '{}')`)
    const oldCopy = join(share.dir, 'saleroom-20261123T090500Z-clerking-podium.db')
    await old.raw.backup(oldCopy)
    old.close()

    const listed = (await call<BackupList>(s.core, 'backups.list')).copies.find((c) => c.file === oldCopy)
    expect(listed).toMatchObject({
      kind: 'clerking',
      station: 'Podium',
      stationId: null,
      takenAt: '2026-11-23T09:05:00.000Z',
      sales: ['Spring Sale'],
      problem: null
    })
    const before = await call<BackupCopy>(s.core, 'backups.now')
    const restored = await call<RestoreResult>(s.core, 'backups.restore', { file: oldCopy })
    expect(restored.restoredFrom).toBe(oldCopy)
    // The copy's station name comes back; this install's second folder and station id stay.
    expect(await call<Settings>(s.core, 'settings.get')).toMatchObject({
      stationName: 'Podium',
      backupFolder: share.dir
    })
    const next = await call<BackupCopy>(s.core, 'backups.now')
    expect(next.stationId).toBe(before.stationId)
  })
})
