// Lots sold at the podium appear at once on the buyer's order at checkout —
// offline too, on a provisional order from this station's own number series —
// and Circuit's order (which Circuit makes itself) replaces it when it comes,
// with the same totals; nothing creates a second order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutInvoice, ClerkBoard } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
let dataDir = ''
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 9, lots: 80, clients: 40, quiet: true })
  const data = tempDir('saleroom-mirror-')
  cleanups.push(data.cleanup)
  dataDir = data.dir
  station = await startStation(data.dir, sim.url, { name: 'Podium' })
  await station.pull('2') // a sale with Circuit's orders: the house's tax type is known from them
  await station.pull('1')
})
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

describe("the buyer's order follows the podium", () => {
  it('provisional while Circuit has none, replaced by Circuit’s with the same totals', async () => {
    const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const buyer = board.bidders.find((b) => b.type === 'floor')!
    const other = board.bidders.filter((b) => b.type === 'floor')[1]
    await station.core.pusher()!.close() // the network is gone at the podium
    const [l1, l2, l3] = board.lots.filter((l) => l.status === 'available')
    await station.call('clerking.sell', { itemId: l1.id, paddle: buyer.paddle, amount: 120_000, confirm: true })
    await station.call('clerking.sell', { itemId: l2.id, paddle: buyer.paddle, amount: 640_000, confirm: true })
    await station.call('clerking.sell', { itemId: l3.id, paddle: other.paddle, amount: 30_000, confirm: true })
    // Resold to someone else: it leaves this buyer's order.
    await station.call('clerking.sell', { itemId: l3.id, paddle: buyer.paddle, amount: 35_000, confirm: true })

    const offline = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: buyer.paddle })
    expect(offline.orders).toHaveLength(1)
    const provisional = offline.orders[0]
    expect(provisional).toMatchObject({ provisional: true, status: 'new' })
    expect(provisional.number).toMatch(/^P-PODIUM-\d{4}$/)
    expect(provisional.lines.map((l) => l.lot)).toEqual([l1.lot, l2.lot, l3.lot])
    expect(provisional.problem).toBeNull()
    const otherInvoice = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: other.paddle })
    expect(otherInvoice.orders).toEqual([]) // the provisional order emptied by the resale is gone

    // The network comes back (the station starts again): the lots reach Circuit, Circuit makes
    // its order, a pull brings it and it takes the provisional one's place.
    await station.close()
    station = await startStation(dataDir, sim.url, { name: 'Podium' })
    await station.settle()
    await station.pull('1')
    const online = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: buyer.paddle })
    const onCircuit = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '1' && o.type === 'bidder' && o.ownerId === buyer.clientId
    )
    expect(onCircuit).toHaveLength(1)
    expect(online.orders).toHaveLength(1)
    const order = online.orders[0]
    expect(order).toMatchObject({ provisional: false, id: onCircuit[0].id, number: onCircuit[0].orderNumber })
    expect(order.lines.map((l) => l.lot)).toEqual([l1.lot, l2.lot, l3.lot])
    // Ours, worked out offline on the provisional order, is what Circuit computed.
    expect(order.ours).toEqual(provisional.ours)
    expect(order.totals.grandTotal).toBe(sim.store.orderTotals(onCircuit[0]).grandTotal)
    expect(order.differences).toEqual([])
    const raw = station.core.replica()!.raw
    expect(raw.prepare(`SELECT count(*) AS n FROM orders WHERE server_id IS NULL`).get()).toEqual({ n: 0 })
  })
})
