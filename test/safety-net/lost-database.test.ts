// F3: never a silent empty station. A database that is missing or 0 bytes in
// a data folder that was used before, or whose -wal went missing after a
// crash, opens the recovery screen with the newest copy offered (the second
// folder's and the station's own) — never a first run.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { replicaPath, type Core } from '../../src-main/app/boot'
import { manualClock } from '../../src-main/core/clock'
import type { AppInfo, BackupCopy, BackupList, RestoreResult, Settings } from '../../src-shared/contract'
import type { StatusSnapshot } from '../../src-shared/events'
import { tempDir, testCore } from '../helpers'
import { killedStation } from './kill-station'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function call<T>(core: Core, name: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

async function boot(dir: string, clock = manualClock()): Promise<Core> {
  const core = await testCore(dir, { clock })
  cleanups.push(() => core.close())
  return core
}

/** A station that worked: a name, a second folder, a copy there; closed cleanly (its shutdown backup taken). */
async function usedStation() {
  const data = tempDir('saleroom-used-')
  const share = tempDir('saleroom-share-')
  cleanups.push(data.cleanup, share.cleanup)
  const clock = manualClock()
  const core = await testCore(data.dir, { clock })
  await call(core, 'settings.update', { stationName: 'Cashier 2', userName: 'Ruth' })
  await call(core, 'backups.configure', { folder: share.dir })
  clock.advance(60_000)
  const copy = await call<BackupCopy>(core, 'backups.now')
  await core.close()
  return { data: data.dir, share: share.dir, copy }
}

describe('a lost database', () => {
  it('missing, in a folder used before: the recovery screen offers the copies; restoring one brings the station back', async () => {
    const { data, share, copy } = await usedStation()
    rmSync(replicaPath(data))

    const core = await boot(data)
    const info = await call<AppInfo>(core, 'app.info')
    expect(info.firstRun).toBe(false)
    expect(info.damaged).toMatchObject({ kind: 'missing', message: expect.stringContaining('is missing') })
    expect(info.damaged!.message).toContain('backups/') // what shows the folder was used
    // The second folder (remembered outside the database) and this station's own backups.
    const places = new Set(info.damaged!.copies.map((c) => c.place))
    expect(places).toEqual(new Set(['second-folder', 'this-station']))
    expect(info.damaged!.copies.find((c) => c.file === copy.file)).toMatchObject({ station: 'Cashier 2' })
    expect(info.damaged!.latestBackup).toBe(info.damaged!.copies[0].file)
    // Nothing else runs, and no empty database was made.
    expect(await core.dispatch('lookup.lots', { q: '1' })).toMatchObject({
      ok: false,
      error: { code: 'replica_damaged' }
    })
    expect(existsSync(replicaPath(data))).toBe(false)

    const list = await call<BackupList>(core, 'backups.list')
    expect(list.folder).toBe(share)
    const restored = await call<RestoreResult>(core, 'backups.restore', { file: copy.file })
    expect(restored).toMatchObject({ restoredFrom: copy.file, previousCopy: null, held: true })
    expect((await call<AppInfo>(core, 'app.info')).damaged).toBeNull()
    expect(await call<Settings>(core, 'settings.get')).toMatchObject({ stationName: 'Cashier 2', userName: 'Ruth' })
  })

  it('0 bytes, in a folder used before: recovery too; the newest copy is restored by app.restoreLatestBackup', async () => {
    const { data } = await usedStation()
    truncateSync(replicaPath(data), 0)
    for (const s of ['-wal', '-shm']) rmSync(replicaPath(data) + s, { force: true })

    const core = await boot(data)
    const info = await call<AppInfo>(core, 'app.info')
    expect(info.damaged).toMatchObject({ kind: 'empty', message: expect.stringContaining('0 bytes') })
    const r = await call<{ restoredFrom: string; damagedCopy: string | null }>(core, 'app.restoreLatestBackup')
    expect(r.restoredFrom).toBe(info.damaged!.latestBackup)
    expect(r.damagedCopy).toMatch(/saleroom\.db\.damaged-/) // the empty file is kept, renamed
    expect(await call<Settings>(core, 'settings.get')).toMatchObject({ stationName: 'Cashier 2' })
  })

  it('going on without a copy is the user’s choice, and the empty file is kept', async () => {
    const { data } = await usedStation()
    writeFileSync(replicaPath(data), '')
    const core = await boot(data)
    expect((await call<AppInfo>(core, 'app.info')).damaged?.kind).toBe('empty')
    expect(await core.dispatch('backups.skipRestore', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' }
    })
    const r = await call<{ kept: string | null }>(core, 'backups.skipRestore', { confirm: true })
    expect(r.kept).toMatch(/saleroom\.db\.damaged-/)
    const info = await call<AppInfo>(core, 'app.info')
    expect(info.damaged).toBeNull()
    expect(info.firstRun).toBe(true)
  })

  it('a first start (nothing in the folder, or only an empty file) is a first run, not a recovery', async () => {
    const fresh = tempDir('saleroom-fresh-')
    cleanups.push(fresh.cleanup)
    writeFileSync(replicaPath(fresh.dir), '')
    const core = await boot(fresh.dir)
    expect(await call<AppInfo>(core, 'app.info')).toMatchObject({ damaged: null, firstRun: true })
  })

  it('a -wal lost after a crash: recovery names what is gone; a copy restores, held', async () => {
    const data = tempDir('saleroom-wal-')
    const share = tempDir('saleroom-wal-share-')
    cleanups.push(data.cleanup, share.cleanup)
    const committed = await killedStation({ dataDir: data.dir, lots: 5, checkpointAfter: 2, share: share.dir })
    rmSync(`${replicaPath(data.dir)}-wal`)
    rmSync(`${replicaPath(data.dir)}-shm`, { force: true })

    const core = await boot(data.dir)
    const info = await call<AppInfo>(core, 'app.info')
    expect(info.damaged).toMatchObject({ kind: 'wal-lost', message: expect.stringContaining('saleroom.db-wal') })
    // Lots 3 to 5 lived only in the -wal.
    expect(info.damaged!.lostEntries.map((e) => e.label)).toEqual(['Lot 3 passed', 'Lot 4 passed', 'Lot 5 passed'])
    // Looking did not make a new -wal that would hide what happened.
    expect(existsSync(`${replicaPath(data.dir)}-wal`)).toBe(false)
    const offered = info.damaged!.copies.filter((c) => c.problem === null)
    expect(offered.map((c) => c.place)).toContain('second-folder')
    expect(offered[0]).toMatchObject({ station: 'Podium', unsent: 2 })

    const restored = await call<RestoreResult>(core, 'backups.restore', { file: offered[0].file })
    expect(restored).toMatchObject({ unsent: 2, held: true })
    expect(restored.previousCopy).toMatch(/saleroom\.db\.damaged-/)
    const status = await call<StatusSnapshot>(core, 'app.status')
    expect(status.sendingHeld).toMatchObject({ entries: 2 })
    expect(status.pending).toBe(2)
    // What the station made after that copy is not in it: named, to be entered again.
    expect(status.lostEntries).toEqual(committed.slice(2))
  }, 60_000)

  it('a -wal lost after a crash, and the user goes on with the file as it is: the lost changes are listed', async () => {
    const data = tempDir('saleroom-wal-')
    cleanups.push(data.cleanup)
    const committed = await killedStation({ dataDir: data.dir, lots: 4, checkpointAfter: 3 })
    rmSync(`${replicaPath(data.dir)}-wal`)

    const core = await boot(data.dir)
    expect((await call<AppInfo>(core, 'app.info')).damaged?.kind).toBe('wal-lost')
    expect(await call(core, 'backups.skipRestore', { confirm: true })).toEqual({ kept: null })
    const status = await call<StatusSnapshot>(core, 'app.status')
    expect(status.lostEntries).toEqual([committed[3]])
    expect(status.pending).toBe(3)
    // A clean close after that is a clean start next time.
    await core.close()
    cleanups.pop()
    expect(readdirSync(data.dir).filter((f) => f.endsWith('.open'))).toEqual([]) // closed cleanly
    const again = await boot(data.dir)
    expect((await call<AppInfo>(again, 'app.info')).damaged).toBeNull()
  }, 60_000)

  it('a clean close removes its marker; a crash with the -wal in place opens as usual', async () => {
    const data = tempDir('saleroom-crash-')
    cleanups.push(data.cleanup)
    const committed = await killedStation({ dataDir: data.dir, lots: 3, checkpointAfter: 1 })
    expect(existsSync(join(data.dir, 'saleroom.db.open'))).toBe(true)
    const core = await boot(data.dir)
    expect((await call<AppInfo>(core, 'app.info')).damaged).toBeNull()
    const status = await call<StatusSnapshot>(core, 'app.status')
    expect(status).toMatchObject({ pending: 3, lostEntries: [] })
    expect(committed).toHaveLength(3)
  }, 60_000)
})
