// Collections at the venue: a release at the collection desk of a station
// joined to the hub reaches the hub once and every station following it; a
// release at the hub reaches the joined stations; a release made while the
// hub is down reaches it once when it is back (the outbox); two stations
// that release the same lot while cut off from each other both keep their
// record and show the lot out with the first; a station straight on Circuit
// sends nothing anywhere (the simulator's log shows no call for it). All with
// real parts: a hub on loopback over TLS, joined stations with their own
// SQLite files, the Circuit simulator over HTTP.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { AuditEntry, ClerkBoard, Collection, DeskBuyer, VenueStatus } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { directStation, joinHub, startHub, type VenueStation } from './stations'

let sim: RunningSimulator
let hub: VenueStation
let deskA: VenueStation
let deskB: VenueStation
let hubPort: number
let board: ClerkBoard
const dirs: { dir: string; cleanup(): void }[] = []
let nextLot = 0

/** Requests the simulator answered, by "METHOD path" (only /api requests are counted). */
async function simRequests(): Promise<Record<string, number>> {
  const r = await fetch(`${sim.url}/_sim/stats`)
  return ((await r.json()) as { data: { requests: Record<string, number> } }).data.requests
}

const collectionRequests = (log: Record<string, number>) => Object.keys(log).filter((k) => k.includes('collection'))

/** The hub sells the next lot (Circuit answering); every joined station sees it sold. */
async function sellAtHub(n = 0): Promise<{ itemId: string; lot: string; paddle: string; clientId: string }> {
  const lot = board.lots.filter((l) => l.status === 'available')[nextLot++]
  const bidder = board.bidders.filter((b) => b.type === 'floor')[n]
  await hub.call('clerking.sell', { itemId: lot.id, paddle: bidder.paddle, amount: 150_00, confirm: true })
  for (const s of [deskA, deskB]) {
    await expect
      .poll(async () => {
        const b = await s.call<ClerkBoard>('clerking.board', { saleId: '1' })
        return b.lots.find((l) => l.id === lot.id)?.status
      })
      .toBe('sold')
  }
  return { itemId: lot.id, lot: lot.lot, paddle: bidder.paddle, clientId: bidder.clientId }
}

const collectionsAt = (s: VenueStation) => s.call<Collection[]>('warehouse.collections', { saleId: '1' })
const rowsAt = (s: VenueStation, itemId: string) =>
  s.core
    .replica()!
    .raw.prepare('SELECT release_id, station, collected_by FROM collections WHERE item_id = ? ORDER BY at, release_id')
    .all(itemId) as { release_id: string; station: string; collected_by: string }[]
const releaseAuditsAt = async (s: VenueStation, itemId: string) =>
  (await s.call<AuditEntry[]>('audit.list', { limit: 500 })).filter(
    (a) => a.action === 'warehouse.release' && a.entityId === itemId
  )
const queuedAt = (s: VenueStation) =>
  (
    s.core.replica()!.raw.prepare(`SELECT count(*) AS n FROM outbox WHERE entity_type = 'collection'`).get() as {
      n: number
    }
  ).n

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, lots: 40, clients: 30, quiet: true })
  for (const n of ['hub', 'a', 'b', 'direct']) dirs.push(tempDir(`saleroom-collections-${n}-`))
  const h = await startHub(dirs[0].dir, sim.url)
  hub = h.station
  hubPort = h.venue.hosting!.port
  await hub.pull('1')
  deskA = await joinHub(dirs[1].dir, h.venue.hosting!, 'STORE-A')
  deskB = await joinHub(dirs[2].dir, h.venue.hosting!, 'STORE-B')
  await deskA.pull('1')
  await deskB.pull('1')
  board = await hub.call<ClerkBoard>('clerking.board', { saleId: '1' })
}, 60_000)

afterAll(async () => {
  for (const s of [deskB, deskA, hub]) await s?.close().catch(() => undefined)
  await sim?.close()
  for (const d of dirs) d.cleanup()
})

describe('collections shared through the venue hub', () => {
  it('a release at a joined station reaches the hub once and the other joined station; never Circuit', async () => {
    const sold = await sellAtHub(0)
    const r = await deskA.call<{ releaseId: string }>('warehouse.release', {
      itemIds: [sold.itemId],
      collectedBy: 'Ada Byrne',
      confirm: true
    })
    expect(queuedAt(deskA)).toBe(1)
    await deskA.settle()
    for (const s of [hub, deskB]) {
      await expect.poll(async () => (await collectionsAt(s)).map((c) => c.itemId)).toContain(sold.itemId)
      const c = (await collectionsAt(s)).find((x) => x.itemId === sold.itemId)!
      expect(c).toMatchObject({ lot: sold.lot, paddle: sold.paddle, collectedBy: 'Ada Byrne' })
      // Kept as made at STORE-A: its release id and station.
      expect(rowsAt(s, sold.itemId)).toEqual([
        { release_id: r.releaseId, station: 'STORE-A', collected_by: 'Ada Byrne' }
      ])
    }
    // The hub's audit names the station; its audit CSV lists the collection in words.
    expect(await releaseAuditsAt(hub, sold.itemId)).toEqual([expect.objectContaining({ station: 'STORE-A' })])
    const { path } = await hub.call<{ path: string }>('audit.exportCsv', { saleId: '1' })
    expect(readFileSync(path, 'utf8')).toContain(`Lot ${sold.lot} handed out to Ada Byrne for paddle ${sold.paddle}`)
    // STORE-B's desk shows the lot out, and refuses to hand it out again.
    const buyer = await deskB.call<DeskBuyer>('warehouse.buyer', { saleId: '1', clientId: sold.clientId })
    expect(buyer.lots.find((l) => l.itemId === sold.itemId)!.collected).toMatchObject({
      collectedBy: 'Ada Byrne',
      station: 'STORE-A'
    })
    const again = await deskB.send('warehouse.release', { itemIds: [sold.itemId], collectedBy: 'X', confirm: true })
    expect(!again.ok && again.error.code).toBe('conflict')
    // Circuit never heard of it.
    expect(collectionRequests(await simRequests())).toEqual([])
  })

  it('a lost answer is read back: the entry sent again finds the release at the hub and sends nothing', async () => {
    const sold = await sellAtHub(1)
    await deskA.call('warehouse.release', { itemIds: [sold.itemId], collectedBy: 'Bo Lind', confirm: true })
    await deskA.settle()
    await expect.poll(() => rowsAt(hub, sold.itemId).length).toBe(1)
    // As if the hub's answer had been lost: the entry is back to "unknown outcome".
    const raw = deskA.core.replica()!.raw
    const seq = (
      raw.prepare(`SELECT max(seq) AS seq FROM outbox WHERE entity_type = 'collection'`).get() as { seq: number }
    ).seq
    raw.prepare(`UPDATE outbox SET state = 'unknown', next_attempt_at = 0 WHERE seq = ?`).run(seq)
    const pusher = deskA.core.pusher()!
    const before = { ...pusher.totals }
    pusher.kick()
    await deskA.settle()
    // Decided "already there" on the read-back: not sent a second time.
    expect(pusher.totals.alreadyApplied).toBe(before.alreadyApplied + 1)
    expect(pusher.totals.sent).toBe(before.sent)
    expect((raw.prepare('SELECT state FROM outbox WHERE seq = ?').get(seq) as { state: string }).state).toBe('done')
    expect(rowsAt(hub, sold.itemId)).toHaveLength(1)
    expect(await releaseAuditsAt(hub, sold.itemId)).toHaveLength(1)
  })

  it('a release at the hub reaches the joined stations', async () => {
    const sold = await sellAtHub(2)
    await hub.call('warehouse.release', { itemIds: [sold.itemId], collectedBy: 'Cleo Hart', confirm: true })
    // The hub is not joined to anyone: nothing is queued there.
    expect(queuedAt(hub)).toBe(0)
    for (const s of [deskA, deskB]) {
      await expect
        .poll(() => rowsAt(s, sold.itemId))
        .toEqual([expect.objectContaining({ station: 'PODIUM-1', collected_by: 'Cleo Hart' })])
    }
  })

  it('made while the hub is down, a release waits in the outbox and reaches the hub once when it is back', async () => {
    const sold = await sellAtHub(3)
    await hub.call<VenueStatus>('venue.stopHosting')
    await deskA.call('warehouse.release', { itemIds: [sold.itemId], collectedBy: 'Dan Ives', confirm: true })
    await deskA.core.pusher()!.drain()
    expect(rowsAt(hub, sold.itemId)).toEqual([])
    await hub.call<VenueStatus>('venue.host', { port: hubPort, host: '127.0.0.1' })
    await deskA.settle(30_000)
    await expect.poll(() => rowsAt(hub, sold.itemId)).toEqual([expect.objectContaining({ station: 'STORE-A' })])
    expect(await releaseAuditsAt(hub, sold.itemId)).toHaveLength(1)
    await expect.poll(() => rowsAt(deskB, sold.itemId), { timeout: 20_000 }).toHaveLength(1)
  })

  it('one lot released on two stations cut off from each other: both records kept, the desk shows the first', async () => {
    const sold = await sellAtHub(4)
    await hub.call<VenueStatus>('venue.stopHosting')
    const first = await deskA.call<{ releaseId: string }>('warehouse.release', {
      itemIds: [sold.itemId],
      collectedBy: 'First Taker',
      confirm: true
    })
    // Recorded after the first (at the same millisecond, the release ids decide: STORE-A's sorts first).
    const second = await deskB.call<{ releaseId: string }>('warehouse.release', {
      itemIds: [sold.itemId],
      collectedBy: 'Second Taker',
      confirm: true
    })
    await hub.call<VenueStatus>('venue.host', { port: hubPort, host: '127.0.0.1' })
    await deskA.settle(30_000)
    await deskB.settle(30_000)
    for (const s of [hub, deskA, deskB]) {
      await expect
        .poll(() => rowsAt(s, sold.itemId).map((r) => r.release_id), { timeout: 20_000 })
        .toEqual([first.releaseId, second.releaseId])
      const listed = (await collectionsAt(s)).filter((c) => c.itemId === sold.itemId)
      expect(listed).toEqual([expect.objectContaining({ collectedBy: 'First Taker' })])
      const buyer = await s.call<DeskBuyer>('warehouse.buyer', { saleId: '1', clientId: sold.clientId })
      expect(buyer.lots.find((l) => l.itemId === sold.itemId)!.collected).toMatchObject({
        collectedBy: 'First Taker',
        releaseId: first.releaseId
      })
    }
    // Both are in the hub's audit, each signed by its station.
    expect((await releaseAuditsAt(hub, sold.itemId)).map((a) => a.station).sort()).toEqual(['STORE-A', 'STORE-B'])
  })
})

describe('a station straight on Circuit', () => {
  it('records a release and sends it nowhere', async () => {
    const direct = await directStation(dirs[3].dir, sim.url, 'STORE-D')
    try {
      await direct.pull('1')
      const b = await direct.call<ClerkBoard>('clerking.board', { saleId: '1' })
      const lot = b.lots.find((l) => l.status === 'available')!
      const bidder = b.bidders.find((x) => x.type === 'floor')!
      await direct.call('clerking.sell', { itemId: lot.id, paddle: bidder.paddle, amount: 90_00, confirm: true })
      await direct.settle()
      await direct.call('warehouse.release', { itemIds: [lot.id], collectedBy: 'Eve Moss', confirm: true })
      expect((await collectionsAt(direct)).map((c) => c.itemId)).toContain(lot.id)
      // Nothing queued, so nothing can go to Circuit; and nothing went.
      expect(queuedAt(direct)).toBe(0)
      await direct.settle()
      expect(collectionRequests(await simRequests())).toEqual([])
    } finally {
      await direct.close()
    }
  })
})
