// F11: a full disk. A write that finds no room (SQLITE_FULL, ENOSPC) answers
// `disk_full` with what to do — never `internal` — records nothing, and the
// status bar says where the disk is full until the next write succeeds. A copy
// to a full second folder says the same of that folder.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../src-main/app/boot'
import { manualClock } from '../../src-main/core/clock'
import { toRpcError } from '../../src-main/core/dispatcher'
import { backupName } from '../../src-main/db/replica'
import { readStationFile } from '../../src-main/safety-net/data-folder'
import type { StatusSnapshot } from '../../src-shared/events'
import { snapshotTables, tempDir, testCore } from '../helpers'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function call<T>(core: Core, name: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

const LOTS = 200

async function podium() {
  const t = tempDir('saleroom-full-')
  const clock = manualClock()
  const core = await testCore(t.dir, { clock, backupTickMs: 60_000 })
  cleanups.push(t.cleanup, () => core.close())
  const raw = core.replica()!.raw
  raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('s1', 'Autumn Sale', 'published', '{}')`)
  const add = raw.prepare(
    `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES (?, 's1', ?, ?, ?, 'available', '{}')`
  )
  for (let i = 1; i <= LOTS; i++) add.run(`i${i}`, String(i), String(i).padStart(9, '0'), `Lot ${i}`)
  return { core, clock, dir: t.dir }
}

describe('a full disk', () => {
  it('a hammer that finds no room answers disk_full, records nothing, and the status bar says so until a write succeeds', async () => {
    const { core, dir } = await podium()
    const raw = core.replica()!.raw
    // The database may not grow by one more page: SQLite answers SQLITE_FULL, as on a full disk.
    raw.pragma(`max_page_count = ${raw.pragma('page_count', { simple: true }) as number}`)
    let failed: { code: string; message: string } | null = null
    let lot = 0
    let before: Record<string, unknown[]> = {}
    while (!failed && lot < LOTS) {
      lot++
      before = snapshotTables(raw)
      const r = await core.dispatch('clerking.pass', { itemId: `i${lot}` })
      if (!r.ok) failed = r.error
    }
    expect(failed).toMatchObject({ code: 'disk_full' })
    expect(failed!.message).toBe(
      `The disk is full: free space on the disk that holds ${dir}, then try again; nothing was recorded.`
    )
    // Nothing of the failed action was kept: no lot result, no outbox entry, no audit entry.
    expect(snapshotTables(raw)).toEqual(before)
    const full = await call<StatusSnapshot>(core, 'app.status')
    expect(full.diskFull).toEqual({ where: dir, message: failed!.message })

    // Space is freed: the same action goes through and the status bar clears.
    raw.pragma('max_page_count = 1073741823')
    await call(core, 'clerking.pass', { itemId: `i${lot}` })
    expect((await call<StatusSnapshot>(core, 'app.status')).diskFull).toBeNull()
  })

  it('a copy to a full second folder says which disk, and the next good copy clears it', async () => {
    const { core, clock, dir } = await podium()
    const share = tempDir('saleroom-full-share-')
    cleanups.push(share.cleanup)
    await call(core, 'backups.configure', { folder: share.dir })
    const stationId = readStationFile(dir)!.stationId
    clock.advance(60_000)
    // The copy's half-written file lands on a device that is always full: SQLite's own backup
    // meets a real ENOSPC. (Entered below the schedule, which clears stale half-copies first.)
    const replica = core.replica()!
    const partial = join(share.dir, `${backupName(replica.file, 'clerking', clock.now(), stationId)}.partial`)
    symlinkSync('/dev/full', partial)
    const err = await replica.backup('clerking', clock.now(), share.dir, { stationId }).catch((e: unknown) => e)
    expect(toRpcError(err)).toEqual({
      code: 'disk_full',
      message: `The disk is full: free space on the disk that holds ${share.dir}; the copy was not taken and is taken again once there is room.`
    })
    expect(existsSync(partial)).toBe(false) // what the failed copy wrote is not left taking room
    const status = await call<StatusSnapshot>(core, 'app.status')
    expect(status.diskFull).toEqual({ where: share.dir, message: (toRpcError(err) as { message: string }).message })
    // A write to the data folder does not say the share has room again…
    await call(core, 'clerking.pass', { itemId: 'i1' })
    expect((await call<StatusSnapshot>(core, 'app.status')).diskFull?.where).toBe(share.dir)
    // …the next whole copy there does.
    clock.advance(1)
    await call(core, 'backups.now')
    expect((await call<StatusSnapshot>(core, 'app.status')).diskFull).toBeNull()
  })

  it('SQLITE_FULL and ENOSPC from anywhere in a call map to disk_full, never internal', () => {
    const sqlite = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    const fs = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/x' })
    const wrapped = new Error('Copy failed', { cause: fs })
    for (const err of [sqlite, fs, wrapped]) {
      const e = toRpcError(err)
      expect(e.code).toBe('disk_full')
      expect(e.message).toMatch(/^The disk is full: free space on .* then try again; nothing was recorded\.$/)
      expect(e.message).not.toContain('ENOSPC')
    }
    expect(toRpcError(new Error('boom')).code).toBe('internal')
  })
})
