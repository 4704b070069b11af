// A station's copy restored onto a spare laptop: its outbox still sends what
// the broken station had not sent, and what the broken station did send after
// the copy was taken is read back as applied — each change reaches Circuit once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { readHold } from '../../src-main/core/hold'
import type { AuditEntry } from '../../src-shared/contract'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { rollingBackup } from '../../src-main/db/backups'
import type { BackupCopy, BackupList, ClerkBoard, RestoreResult, StatusSnapshot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation } from './stations'

let sim: RunningSimulator
const cleanups: (() => void)[] = []
beforeAll(async () => {
  sim = await startSimulator({ seed: 6, lots: 40, clients: 30, quiet: true })
})
afterAll(async () => {
  await sim.close()
  for (const c of cleanups) c()
})

describe('restoring a copy on a spare station', () => {
  it('sends what had not reached Circuit, and nothing twice', async () => {
    const broken = tempDir('saleroom-broken-')
    const spare = tempDir('saleroom-spare-')
    const usb = tempDir('saleroom-usb-')
    cleanups.push(broken.cleanup, spare.cleanup, usb.cleanup)

    // The podium laptop clerks five lots with the network down, and its copy is taken.
    const podium = await startStation(broken.dir, sim.url, { name: 'Podium' })
    await podium.pull('1')
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    await podium.core.pusher()!.close()
    const lots = board.lots.slice(0, 5)
    for (const [i, lot] of lots.entries()) {
      await podium.call('clerking.sell', {
        itemId: lot.id,
        paddle: board.bidders[i].paddle,
        amount: (i + 2) * 100_00,
        confirm: true
      })
    }
    const copy = await rollingBackup(podium.core.replica()!, 'after-pull', Date.now(), 5, usb.dir)

    // After the copy, the podium got three of them through before it died.
    for (const [i, lot] of lots.slice(0, 3).entries()) {
      await fetch(`${sim.url}/_sim/station-edit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          op: 'sell',
          item: lot.id,
          paddle: board.bidders[i].paddle,
          price: `${(i + 2) * 100}.00`
        })
      })
    }
    await podium.close()

    // The spare starts from the copy.
    mkdirSync(spare.dir, { recursive: true })
    copyFileSync(copy, join(spare.dir, 'saleroom.db'))
    const station = await startStation(spare.dir, sim.url, { name: 'Spare' })
    expect((await station.call<StatusSnapshot>('app.status')).pending).toBe(5)
    await station.settle()
    expect(station.openEntries()).toEqual([])
    expect(station.core.pusher()!.totals).toMatchObject({ alreadyApplied: 3, sent: 2 })

    for (const [i, lot] of lots.entries()) {
      expect(sim.store.items.get(lot.id)).toMatchObject({
        status: 'sold',
        hammer: (i + 2) * 100_00,
        winnerId: board.bidders[i].clientId
      })
      // One applied change per lot, whoever sent it.
      expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
    }
    await station.close()
  })

  it('restored from Settings onto a fresh data folder: unsent entries are read back, each reaches Circuit once', async () => {
    const broken = tempDir('saleroom-broken-')
    const spare = tempDir('saleroom-spare-')
    const share = tempDir('saleroom-share-')
    cleanups.push(broken.cleanup, spare.cleanup, share.cleanup)

    const podium = await startStation(broken.dir, sim.url, { name: 'Podium' })
    await podium.pull('1')
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    await podium.core.pusher()!.close()
    const lots = board.lots.filter((l) => l.status === 'available').slice(10, 14)
    expect(lots).toHaveLength(4)
    for (const [i, lot] of lots.entries()) {
      await podium.call('clerking.sell', {
        itemId: lot.id,
        paddle: board.bidders[i].paddle,
        amount: (i + 3) * 100_00,
        confirm: true
      })
    }
    await podium.call('backups.configure', { folder: share.dir })
    const copy = await podium.call<BackupCopy>('backups.now')
    expect(copy).toMatchObject({ station: 'Podium', unsent: 4, kind: 'clerking' })
    // One of them reached Circuit after the copy was taken; then the laptop died.
    await fetch(`${sim.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'sell', item: lots[0].id, paddle: board.bidders[0].paddle, price: '300.00' })
    })
    await podium.close()

    // The spare: a fresh data folder, the share chosen in Settings, the newest copy restored.
    const station = await startStation(spare.dir, sim.url, { name: 'Spare' })
    await station.call('backups.configure', { folder: share.dir })
    const list = await station.call<BackupList>('backups.list')
    const offered = list.copies.find((c) => c.place === 'second-folder' && c.station === 'Podium')!
    expect(offered.unsent).toBe(4)
    const restored = await station.call<RestoreResult>('backups.restore', { file: offered.file })
    expect(restored).toMatchObject({ restoredFrom: offered.file, unsent: 4, held: true })
    expect(restored.previousCopy).toContain('.replaced-')
    expect((await station.call<{ stationName: string }>('settings.get')).stationName).toBe('Podium')

    // The podium is dead: the user says so, and sending starts.
    await station.call('backups.releaseHold', { confirmOriginalOff: true })
    await station.settle()
    expect(station.openEntries()).toEqual([])
    expect(station.core.pusher()!.totals).toMatchObject({ alreadyApplied: 1, sent: 3 })
    for (const [i, lot] of lots.entries()) {
      expect(sim.store.items.get(lot.id)).toMatchObject({ status: 'sold', hammer: (i + 3) * 100_00 })
      expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
    }
    await station.close()
  })

  it('a full disk during a restore leaves the station on its own database, working, with a clear error', async () => {
    const data = tempDir('saleroom-full-')
    const share = tempDir('saleroom-full-share-')
    cleanups.push(data.cleanup, share.cleanup)
    const station = await startStation(data.dir, sim.url, { name: 'Desk' })
    await station.pull('1')
    const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    await station.core.pusher()!.close()
    const lots = board.lots.filter((l) => l.status === 'available').slice(-6, -3)
    expect(lots).toHaveLength(3)
    const sell = (i: number) =>
      station.call('clerking.sell', {
        itemId: lots[i].id,
        paddle: board.bidders[i].paddle,
        amount: (i + 1) * 100_00,
        confirm: true
      })
    await sell(0)
    await station.call('backups.configure', { folder: share.dir })
    const copy = await station.call<BackupCopy>('backups.now')
    await sell(1) // after the copy: a restore would roll it back, a failed one must not lose it

    // The disk fills up: the restore's copy finds no room (a real ENOSPC, from /dev/full).
    const file = join(data.dir, 'saleroom.db')
    symlinkSync('/dev/full', `${file}.restoring`)
    const failed = await station.send('backups.restore', { file: copy.file })
    expect(failed).toMatchObject({ ok: false, error: { code: 'disk_full' } })
    if (!failed.ok) {
      expect(failed.error.message).toContain(`free space on the disk that holds ${data.dir}`)
      expect(failed.error.message).toContain('this station goes on with its database as it was')
    }
    // Never busy: the station answers, still holds the sale made after the copy, and records more.
    expect((await station.call<StatusSnapshot>('app.status')).pending).toBe(2)
    await sell(2)
    expect((await station.call<StatusSnapshot>('app.status')).pending).toBe(3)
    expect(readdirSync(data.dir).filter((f) => f.includes('.replaced-') || f.includes('.restoring'))).toEqual([])

    // With room again, the same restore goes through, and what it replaced is kept.
    const restored = await station.call<RestoreResult>('backups.restore', { file: copy.file })
    expect(restored).toMatchObject({ unsent: 1, held: true })
    expect(existsSync(restored.previousCopy!)).toBe(true)
    expect((await station.call<StatusSnapshot>('app.status')).pending).toBe(1)
    await station.close()
  })

  it('restored beside a live original: sending is held until the user confirms the original is off', async () => {
    const original = tempDir('saleroom-original-')
    const spareDir = tempDir('saleroom-spare-')
    const share = tempDir('saleroom-share-')
    cleanups.push(original.cleanup, spareDir.cleanup, share.cleanup)

    const podium = await startStation(original.dir, sim.url, { name: 'Podium' })
    await podium.pull('1')
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    await podium.core.pusher()!.close()
    const lots = board.lots.filter((l) => l.status === 'available').slice(-3)
    expect(lots).toHaveLength(3)
    for (const [i, lot] of lots.entries()) {
      await podium.call('clerking.sell', {
        itemId: lot.id,
        paddle: board.bidders[i].paddle,
        amount: (i + 5) * 100_00,
        confirm: true
      })
    }
    await podium.call('backups.configure', { folder: share.dir })
    const copy = await podium.call<BackupCopy>('backups.now')

    // A spare restores the copy while the podium still runs.
    const spare = await startStation(spareDir.dir, sim.url, { name: 'Spare' })
    await spare.call('backups.configure', { folder: share.dir })
    const restored = await spare.call<RestoreResult>('backups.restore', { file: copy.file })
    expect(restored).toMatchObject({ unsent: 3, held: true })
    // The hold is in the restored file itself, naming the entries it holds back.
    const hold = readHold(spare.core.replica()!)
    const open = spare.core.replica()!.raw.prepare(`SELECT seq FROM outbox ORDER BY seq`).all() as { seq: number }[]
    expect(hold).toMatchObject({ reason: 'restored', entries: open.map((r) => r.seq) })
    const held = await spare.call<StatusSnapshot>('app.status')
    expect(held.sendingHeld).toMatchObject({ entries: 3, message: expect.stringContaining('(Settings, F5)') })
    // While held, the spare reads back but sends nothing.
    await spare.core.pusher()!.drain()
    for (const lot of lots) expect(sim.store.items.get(lot.id)!.status).toBe('available')
    expect(sim.store.clerkingLog.filter((c) => lots.some((l) => l.id === c.item))).toEqual([])

    // Only an explicit confirmation ends it; it is audited.
    expect(await spare.send('backups.releaseHold', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await spare.send('backups.releaseHold', { confirmOriginalOff: false })).toMatchObject({ ok: false })
    expect((await spare.call<StatusSnapshot>('app.status')).sendingHeld).not.toBeNull()
    await podium.close()
    expect(await spare.call('backups.releaseHold', { confirmOriginalOff: true })).toEqual({
      released: true,
      entries: 3
    })
    expect((await spare.call<StatusSnapshot>('app.status')).sendingHeld).toBeNull()
    const [entry] = await spare.call<AuditEntry[]>('audit.list', { limit: 1 })
    expect(entry).toMatchObject({ action: 'backups.releaseHold', after: { confirmedOriginalOff: true } })

    // Its copies are its own: the spare took this install's station id, not the podium's.
    const spareCopy = await spare.call<BackupCopy>('backups.now')
    expect(spareCopy.stationId).not.toBe(copy.stationId)
    expect(spareCopy.station).toBe('Podium') // the name came with the copy; the id did not

    await spare.settle()
    for (const lot of lots) expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
    await spare.close()
  })

  it('restored beside a live original that sends everything first: the read-back settles each entry and the hold ends by itself, nothing doubled', async () => {
    const original = tempDir('saleroom-original-')
    const spareDir = tempDir('saleroom-spare-')
    const share = tempDir('saleroom-share-')
    cleanups.push(original.cleanup, spareDir.cleanup, share.cleanup)
    const podium = await startStation(original.dir, sim.url, { name: 'Podium' })
    await podium.pull('1')
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const pusher = podium.core.pusher()!
    await pusher.close()
    const lots = board.lots.filter((l) => l.status === 'available').slice(0, 2)
    for (const [i, lot] of lots.entries()) {
      await podium.call('clerking.sell', {
        itemId: lot.id,
        paddle: board.bidders[i].paddle,
        amount: 300_00,
        confirm: true
      })
    }
    await podium.call('backups.configure', { folder: share.dir })
    const copy = await podium.call<BackupCopy>('backups.now')
    await podium.close()
    // The original comes back and sends what it had (the copy holds the same entries).
    const again = await startStation(original.dir, sim.url, { name: 'Podium' })
    await again.settle()
    await again.close()
    for (const lot of lots) expect(sim.store.items.get(lot.id)!.status).toBe('sold')

    const spare = await startStation(spareDir.dir, sim.url, { name: 'Spare' })
    await spare.call('backups.configure', { folder: share.dir })
    expect(await spare.call<RestoreResult>('backups.restore', { file: copy.file })).toMatchObject({ held: true })
    await spare.settle()
    expect((await spare.call<StatusSnapshot>('app.status')).sendingHeld).toBeNull()
    for (const lot of lots) expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
    // Sending goes on normally afterwards.
    await spare.call('clerking.pass', { itemId: board.lots.filter((l) => l.status === 'available')[5].id })
    await spare.settle()
    expect((await spare.call<StatusSnapshot>('app.status')).pending).toBe(0)
    await spare.close()
  })
})
