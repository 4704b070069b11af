// Payments through a real station and the simulator over HTTP: taken at the
// desk at once, recorded on Circuit once — also when Circuit records one and
// the answer is lost, and when the station is offline for a while.
import { describe, expect, it } from 'vitest'
import type { CheckoutInvoice, PaymentResult } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from './desk'

const desk = useDesk({ seed: 5, lots: 200, clients: 80 })

const faults = (f: Record<string, number>) =>
  fetch(`${desk.sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })
const openOrders = () =>
  [...desk.sim.store.orders.values()].filter(
    (o) =>
      o.saleId === '2' &&
      o.type === 'bidder' &&
      (o.status === 'new' || o.status === 'in_process') &&
      desk.sim.store.orderTotals(o).amountDue > 0
  )
const ours = (orderId: string) =>
  [...desk.sim.store.transactions.values()].filter(
    (t) => t.orderId === orderId && (t.info ?? '').includes('[saleroom:')
  )
const invoiceOf = (orderId: string) => {
  const o = desk.sim.store.orders.get(orderId)!
  return desk.station.call<CheckoutInvoice>('checkout.invoice', {
    saleId: '2',
    paddle: desk.sim.store.paddlesOf('2', o.ownerId)[0]
  })
}

describe('payments', () => {
  it('a partial card payment, then the rest by wire: each once on Circuit, the order settled', async () => {
    const order = openOrders()[0]
    const due = desk.sim.store.orderTotals(order).amountDue
    const first = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 10_000,
      cardType: 'VISA',
      last4: '4242'
    })
    expect(first.payment).toMatchObject({ method: 'card', amount: 10_000, pending: true, details: 'VISA •••• 4242' })
    expect(first.order.totals.amountDue).toBe(due - 10_000)
    await desk.station.call('checkout.pay', {
      orderId: order.id,
      method: 'wire',
      amount: due - 10_000,
      account: '12345678',
      bankName: 'Main Bank'
    })
    await desk.station.settle()
    expect(ours(order.id).map((t) => [t.type, t.amount])).toEqual([
      ['Payment', 10_000],
      ['Wire Transfer', due - 10_000]
    ])
    expect(ours(order.id)[0]).toMatchObject({ creditCardType: 'VISA', creditCardLast4: '4242' })
    expect(desk.sim.store.orderTotals(order).amountDue).toBe(0)
    const view = (await invoiceOf(order.id)).orders.find((o) => o.id === order.id)!
    expect(view.payments.filter((p) => !p.pending)).toHaveLength(view.payments.length)
    expect(view.totals.amountDue).toBe(0)
  })

  it('cash: the change is what is over the amount due, and only the amount due is recorded', async () => {
    const order = openOrders()[0]
    const due = desk.sim.store.orderTotals(order).amountDue
    const r = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: due,
      tendered: due + 2_430
    })
    expect(r.changeDue).toBe(2_430)
    expect(r.payment.amount).toBe(due)
    await desk.station.settle()
    expect(ours(order.id).map((t) => [t.type, t.amount])).toEqual([['cash', due]])
  })

  it('Circuit records a payment and the answer is lost: read back, recognised, never sent twice', async () => {
    const order = openOrders()[0]
    await faults({ dropAfterApplyRate: 1 })
    await desk.station.call('checkout.pay', {
      orderId: order.id,
      method: 'cheque',
      amount: 5_000,
      chequeNumber: '000123',
      chequeDate: '2026-11-30',
      bankName: 'Northern'
    })
    // The send is applied on Circuit, its answer dropped: the entry waits as an unknown outcome.
    for (let i = 0; i < 200 && ours(order.id).length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(ours(order.id)).toHaveLength(1)
    await faults({ dropAfterApplyRate: 0 })
    await desk.station.settle()
    expect(ours(order.id)).toHaveLength(1)
    expect(ours(order.id)[0]).toMatchObject({ type: 'Cheque', amount: 5_000, chequeNumber: '000123' })
    expect(desk.station.core.pusher()!.totals.alreadyApplied).toBeGreaterThanOrEqual(1)
    // A pull after it does not show the payment twice either.
    await desk.station.pull('2')
    const view = (await invoiceOf(order.id)).orders.find((o) => o.id === order.id)!
    expect(view.payments.filter((p) => p.amount === 5_000 && p.method === 'cheque')).toHaveLength(1)
  })

  it('refuses a locked order, a bad card number and a nothing-due cash payment, changing nothing', async () => {
    const locked = [...desk.sim.store.orders.values()].find((o) => o.saleId === '2' && o.status === 'locked')!
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const r1 = await desk.station.send('checkout.pay', { orderId: locked.id, method: 'cash', amount: 100 })
    expect(!r1.ok && r1.error.message).toContain('locked')
    const r2 = await desk.station.send('checkout.pay', {
      orderId: locked.id,
      method: 'card',
      amount: 100,
      cardType: 'VISA',
      last4: '42'
    })
    expect(!r2.ok && r2.error.code).toBe('invalid_input')
    const r3 = await desk.station.send('checkout.pay', { orderId: locked.id, method: 'cash', amount: 1.5 })
    expect(!r3.ok && r3.error.code).toBe('invalid_input')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)
  })
})
