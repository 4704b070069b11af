// Balances (§5) and bounds (F7): what a buyer owes is the net over their
// orders for the sale, credit notes included — negative is a refund owed —
// and each order's total moves at once with a charge or a void made here,
// before Circuit's figures arrive. Totals are exact (BigInt): an amount
// beyond exact minor units is a clear error, and a payment against it is
// refused with nothing recorded.
import { describe, expect, it } from 'vitest'
import type { CheckoutBuyer, CheckoutInvoice, PaymentResult } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from './desk'

const desk = useDesk({ seed: 19, lots: 200, clients: 60, gate: true })

const orders = (status: string) =>
  [...desk.sim.store.orders.values()].filter(
    (o) => o.saleId === '2' && o.type === 'bidder' && o.status === status && o.credited.length === 0
  )
const paddleOf = (ownerId: string) => desk.sim.store.paddlesOf('2', ownerId)[0]
const invoice = (ownerId: string) =>
  desk.station.call<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle: paddleOf(ownerId) })
const simOutstanding = (ownerId: string) =>
  [...desk.sim.store.orders.values()]
    .filter((o) => o.saleId === '2' && o.ownerId === ownerId)
    .reduce((n, o) => n + desk.sim.store.orderTotals(o).amountDue, 0)

describe('balances', () => {
  it('a refund owed after a credit note shows as a negative outstanding, net of what is due on another order', async () => {
    // A buyer with a paid-up finished order and another order with something due.
    const open = orders('new').find((o) => desk.sim.store.orderTotals(o).amountDue > 0)!
    const finished = await desk.station.call<{ id: string }>('checkout.setStatus', {
      orderId: open.id,
      status: 'finished'
    })
    const due = desk.sim.store.orderTotals(open).amountDue
    await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: finished.id,
      method: 'wire',
      amount: due,
      account: '1234'
    })
    await desk.station.settle()
    const lines = open.lines.map((l) => l.itemId)
    await desk.station.call('checkout.creditNote', { orderId: open.id, itemIds: lines })
    const inv = await invoice(open.ownerId)
    const credit = inv.orders.find((o) => o.type === 'credit_note')!
    expect(credit.totals.amountDue).toBeLessThan(0)
    const net = inv.orders.reduce((n, o) => n + o.totals.amountDue, 0)
    expect(inv.outstanding).toBe(net)
    await desk.station.settle()
    await desk.station.pull('2')
    const after = await invoice(open.ownerId)
    expect(after.outstanding).toBe(simOutstanding(open.ownerId))
    expect(after.outstanding).toBeLessThan(0)
    const found = await desk.station.call<CheckoutBuyer[]>('checkout.find', { saleId: '2', q: paddleOf(open.ownerId) })
    expect(found[0].outstanding).toBe(after.outstanding)
  })

  it('a charge taken here counts at once, before Circuit has it; a voided payment stops counting', async () => {
    const order = orders('in_process')[0]
    const before = await invoice(order.ownerId)
    const gate = desk.gate!
    gate.hold()
    await desk.station.call('checkout.addCharge', { orderId: order.id, termId: '11', amount: 2_500, taxRateBp: 2_000 })
    const charged = await invoice(order.ownerId)
    expect(charged.outstanding).toBe(before.outstanding + 3_000)
    const paid = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 1_000,
      cardType: 'VISA',
      last4: '4242'
    })
    expect((await invoice(order.ownerId)).outstanding).toBe(before.outstanding + 2_000)
    await desk.station.call('checkout.voidPayment', { paymentId: paid.payment.id, reason: 'Wrong amount' })
    expect((await invoice(order.ownerId)).outstanding).toBe(before.outstanding + 3_000)
    gate.release()
    await desk.station.settle()
    expect((await invoice(order.ownerId)).outstanding).toBe(simOutstanding(order.ownerId))
    expect(simOutstanding(order.ownerId)).toBe(before.outstanding + 3_000)
  })
})

describe('bounds (F7)', () => {
  it('an amount beyond exact minor units: a clear error, never internal; a payment against it records nothing', async () => {
    const order = orders('new')[1] ?? orders('in_process')[1]
    const db = desk.station.core.replica()!.raw
    // As a station written before the contract's maximum could hold (or a Circuit answer could bring).
    db.prepare('UPDATE order_lines SET hammer = ? WHERE order_id = ? AND item_id = ?').run(
      Number.MAX_SAFE_INTEGER - 10,
      order.id,
      order.lines[0].itemId
    )
    db.prepare('UPDATE orders SET grand_total = NULL, server_basis = NULL WHERE id = ?').run(order.id)
    const inv = await desk.station.send('checkout.invoice', { saleId: '2', paddle: paddleOf(order.ownerId) })
    expect(!inv.ok && inv.error.code).toBe('conflict')
    expect(!inv.ok && inv.error.message).toContain('more than this station can count exactly')
    const before = snapshotTables(db)
    const pay = await desk.station.send('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 1_000,
      cardType: 'VISA',
      last4: '4242',
      confirm: true
    })
    expect(!pay.ok && pay.error.code).toBe('conflict')
    expect(snapshotTables(db)).toEqual(before)
  })
})
