// Charges added and removed at the desk reach Circuit as the order's whole
// list, with their own tax rate; a list Circuit changed meanwhile is a
// conflict, not overwritten; locked orders refuse.
import { beforeAll, describe, expect, it } from 'vitest'
import type { CheckoutOrder } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from './desk'

const desk = useDesk({ seed: 14, lots: 200, clients: 60 })
let term = ''
beforeAll(() => {
  term = (
    desk.station.core
      .replica()!
      .raw.prepare(`SELECT id FROM reference_terms WHERE vocabulary = 'additional_charges' LIMIT 1`)
      .get() as { id: string }
  ).id
})

const orders = (status: string) =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status === status)

describe('charges', () => {
  it('added with its tax rate, then removed: Circuit holds each list, and the totals follow', async () => {
    const order = orders('new')[0]
    const before = desk.sim.store.orderTotals(order)
    const added = await desk.station.call<CheckoutOrder>('checkout.addCharge', {
      orderId: order.id,
      termId: term,
      amount: 2_500,
      taxRateBp: 2_000,
      description: 'Packing'
    })
    expect(added.charges.at(-1)).toMatchObject({ amount: 2_500, tax: 500 })
    await desk.station.settle()
    const after = desk.sim.store.orderTotals(desk.sim.store.orders.get(order.id)!)
    expect(after.charges - before.charges).toBe(2_500)
    expect(after.chargesVat - before.chargesVat).toBe(500)
    expect(added.ours!.grandTotal).toBe(after.grandTotal)

    const removed = await desk.station.call<CheckoutOrder>('checkout.removeCharge', {
      orderId: order.id,
      chargeId: added.charges.at(-1)!.id
    })
    expect(removed.charges).toHaveLength(added.charges.length - 1)
    await desk.station.settle()
    expect(desk.sim.store.orderTotals(desk.sim.store.orders.get(order.id)!).charges).toBe(before.charges)
  })

  it("a list Circuit changed meanwhile is a conflict; a locked order's charges are read-only", async () => {
    const order = orders('in_process')[0] ?? orders('new')[1]
    desk.sim.store.orders
      .get(order.id)!
      .charges.push({ termId: term, amount: 999, taxBp: 0, description: 'back office', date: Date.now() })
    desk.sim.store.touchOrder(desk.sim.store.orders.get(order.id)!)
    await desk.station.call('checkout.addCharge', { orderId: order.id, termId: term, amount: 1_000 })
    await desk.station.settle()
    const conflict = desk.station.core.replica()!.raw.prepare(`SELECT op FROM outbox WHERE state = 'conflict'`).all()
    expect(conflict).toEqual([{ op: 'order.setCharges' }])

    const locked = orders('locked')[0]
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const r = await desk.station.send('checkout.addCharge', { orderId: locked.id, termId: term, amount: 100 })
    expect(!r.ok && r.error.message).toContain('read-only')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)
  })
})
