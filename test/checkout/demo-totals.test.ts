// For every order of the demo sales (the simulator as demo mode seeds it),
// Saleroom's own totals — the shared invoice maths over the replica's lines,
// the sale's premium text and each line's tax type — equal Circuit's to the
// minor unit, and checkout.invoice flags no difference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutInvoice } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ quiet: true }) // the demo's own seed and size
  const data = tempDir('saleroom-totals-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, sim.url, { name: 'Cashier' })
  for (const sale of sim.store.sales.values()) await station.pull(sale.id)
}, 120_000)
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

describe("our totals against Circuit's", () => {
  it('agree for every order of every demo sale', async () => {
    const orders = [...sim.store.orders.values()]
    expect(orders.length).toBeGreaterThan(20)
    let compared = 0
    const buyers = new Set(orders.map((o) => `${o.saleId}/${o.ownerId}`))
    for (const key of buyers) {
      const [saleId, clientId] = key.split('/')
      const paddle = sim.store.paddlesOf(saleId, clientId)[0]
      if (!paddle) continue
      const inv = await station.call<CheckoutInvoice>('checkout.invoice', { saleId, paddle })
      for (const order of inv.orders) {
        const theirs = sim.store.orderTotals(sim.store.orders.get(order.id)!)
        expect(order.problem, `order ${order.number}`).toBeNull()
        expect(order.ours, `order ${order.number}`).toEqual({
          hammer: theirs.hammer,
          premium: theirs.premium,
          tax: theirs.vat + theirs.chargesVat,
          charges: theirs.charges,
          grandTotal: theirs.grandTotal,
          paid: theirs.paymentReceived,
          amountDue: theirs.amountDue
        })
        expect(order.differences).toEqual([])
        compared++
      }
    }
    // Every order of a buyer with a paddle in its sale was compared.
    const withPaddle = orders.filter((o) => sim.store.paddlesOf(o.saleId, o.ownerId).length > 0)
    expect(compared).toBe(withPaddle.length)
    expect(compared).toBeGreaterThan(20)
  }, 60_000)

  it("a premium text that cannot be read is shown on the order, and Circuit's figure stays the authority", async () => {
    const order = [...sim.store.orders.values()].find((o) => sim.store.paddlesOf(o.saleId, o.ownerId).length > 0)!
    const raw = station.core.replica()!.raw
    const before = raw.prepare('SELECT buyers_premium FROM sales WHERE id = ?').get(order.saleId) as {
      buyers_premium: string
    }
    raw.prepare('UPDATE sales SET buyers_premium = ? WHERE id = ?').run('twenty per cent', order.saleId)
    try {
      const inv = await station.call<CheckoutInvoice>('checkout.invoice', {
        saleId: order.saleId,
        paddle: sim.store.paddlesOf(order.saleId, order.ownerId)[0]
      })
      const view = inv.orders.find((o) => o.id === order.id)!
      expect(view.problem).toContain('"twenty per cent" cannot be read')
      expect(view.ours).toBeNull()
      expect(view.totals.grandTotal).toBe(sim.store.orderTotals(order).grandTotal)
    } finally {
      raw.prepare('UPDATE sales SET buyers_premium = ? WHERE id = ?').run(before.buyers_premium, order.saleId)
    }
  })
})
