// A station that joined a hub is started again with `--join URL --code CODE`
// (its start script) while the hub is down: it opens on its own replica and
// works on, keeping the pin it paired with, and what it did reaches the hub
// when the hub is back. (It used to refuse to start: it tried to pair again
// and could not reach the hub.)
import { afterAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, PodiumLot, StatusSnapshot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { freePort } from './processes'
import { joinHub, startHub, type VenueStation } from './stations'

let sim: RunningSimulator | null = null
const open: VenueStation[] = []
const cleanups: (() => void)[] = []

afterAll(async () => {
  for (const s of open) await s.close().catch(() => undefined)
  await sim?.close()
  for (const c of cleanups) c()
})

describe('a station started again while its hub is down', () => {
  it('opens, clerks on its replica, and its change reaches the hub when the hub is back', async () => {
    sim = await startSimulator({ seed: 5, lots: 30, clients: 20, quiet: true })
    const [hubDir, podiumDir] = [tempDir('saleroom-rejoin-hub-'), tempDir('saleroom-rejoin-podium-')]
    cleanups.push(hubDir.cleanup, podiumDir.cleanup)
    const port = await freePort()
    let hub = (await startHub(hubDir.dir, sim.url, 'PODIUM-1', undefined, port)).station
    open.push(hub)
    const hubInfo = (await hub.call<{ hosting: { url: string; pairingCode: string } }>('venue.status')).hosting
    await hub.pull('1')
    let podium = await joinHub(podiumDir.dir, hubInfo, 'PODIUM-2')
    open.push(podium)
    await podium.pull('1')

    await podium.close()
    await hub.close()
    // Started again as its script starts it, with the hub down.
    podium = await joinHub(podiumDir.dir, hubInfo, 'PODIUM-2')
    open.push(podium)
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const lot = board.lots.find((l) => l.status === 'available')!
    const bidder = board.bidders.find((b) => b.type === 'floor')!
    await podium.call('clerking.sell', { itemId: lot.id, paddle: bidder.paddle, amount: 300_00, confirm: true })
    const waiting = await podium.call<StatusSnapshot>('app.status')
    expect(waiting).toMatchObject({ pending: 1, via: { kind: 'hub' } })

    hub = (await startHub(hubDir.dir, sim.url, 'PODIUM-1', undefined, port)).station
    open.push(hub)
    await podium.settle(30_000)
    const atHub = await hub.call<PodiumLot[]>('clerking.lots', { ids: [lot.id] })
    expect(atHub[0]).toMatchObject({ status: 'sold', hammer: 300_00, paddle: bidder.paddle })
  })
})
