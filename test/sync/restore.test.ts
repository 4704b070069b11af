// A station's copy restored onto a spare laptop: its outbox still sends what
// the broken station had not sent, and what the broken station did send after
// the copy was taken is read back as applied — each change reaches Circuit once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { rollingBackup } from '../../src-main/db/backups'
import type { ClerkBoard, StatusSnapshot } from '../../src-shared/contract'
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
})
