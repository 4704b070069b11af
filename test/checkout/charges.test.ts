// Charges added and removed at the desk reach Circuit as the order's whole
// list, with their own tax rate; a list Circuit changed meanwhile is a
// conflict, not overwritten; locked orders refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutOrder } from '../../src-shared/contract'
import { snapshotTables, tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
let term = ''
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 14, lots: 200, clients: 60, quiet: true })
  const data = tempDir('saleroom-charges-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, sim.url, { name: 'Cashier' })
  await station.pull('2')
  term = (
    station.core
      .replica()!
      .raw.prepare(`SELECT id FROM reference_terms WHERE vocabulary = 'additional_charges' LIMIT 1`)
      .get() as { id: string }
  ).id
})
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

const orders = (status: string) =>
  [...sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status === status)

describe('charges', () => {
  it('added with its tax rate, then removed: Circuit holds each list, and the totals follow', async () => {
    const order = orders('new')[0]
    const before = sim.store.orderTotals(order)
    const added = await station.call<CheckoutOrder>('checkout.addCharge', {
      orderId: order.id,
      termId: term,
      amount: 2_500,
      taxRateBp: 2_000,
      description: 'Packing'
    })
    expect(added.charges.at(-1)).toMatchObject({ amount: 2_500, tax: 500 })
    await station.settle()
    const after = sim.store.orderTotals(sim.store.orders.get(order.id)!)
    expect(after.charges - before.charges).toBe(2_500)
    expect(after.chargesVat - before.chargesVat).toBe(500)
    expect(added.ours!.grandTotal).toBe(after.grandTotal)

    const removed = await station.call<CheckoutOrder>('checkout.removeCharge', {
      orderId: order.id,
      chargeId: added.charges.at(-1)!.id
    })
    expect(removed.charges).toHaveLength(added.charges.length - 1)
    await station.settle()
    expect(sim.store.orderTotals(sim.store.orders.get(order.id)!).charges).toBe(before.charges)
  })

  it("a list Circuit changed meanwhile is a conflict; a locked order's charges are read-only", async () => {
    const order = orders('in_process')[0] ?? orders('new')[1]
    sim.store.orders
      .get(order.id)!
      .charges.push({ termId: term, amount: 999, taxBp: 0, description: 'back office', date: Date.now() })
    sim.store.touchOrder(sim.store.orders.get(order.id)!)
    await station.call('checkout.addCharge', { orderId: order.id, termId: term, amount: 1_000 })
    await station.settle()
    const conflict = station.core.replica()!.raw.prepare(`SELECT op FROM outbox WHERE state = 'conflict'`).all()
    expect(conflict).toEqual([{ op: 'order.setCharges' }])

    const locked = orders('locked')[0]
    const before = snapshotTables(station.core.replica()!.raw)
    const r = await station.send('checkout.addCharge', { orderId: locked.id, termId: term, amount: 100 })
    expect(!r.ok && r.error.message).toContain('read-only')
    expect(snapshotTables(station.core.replica()!.raw)).toEqual(before)
  })
})
