// Offline payments on provisional orders (§6): lots sold at the podium while
// Circuit is away make a provisional order, and the buyer pays at the desk at
// once. The payment (and a charge) waits for Circuit's order that replaces
// the provisional one, follows it, and lands on Circuit exactly once — with
// answers lost on the way, and without anyone pulling by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutInvoice, CheckoutOrder, ClerkBoard, PaymentResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let proxy: TestProxy
let station: Station
let cleanup = () => {}

beforeAll(async () => {
  sim = await startSimulator({ seed: 41, lots: 60, clients: 60, quiet: true })
  proxy = await startProxy(sim.url)
  const t = tempDir('saleroom-provisional-')
  cleanup = t.cleanup
  station = await startStation(t.dir, proxy.url, { name: 'Podium1' })
  await station.pull('1')
})
afterAll(async () => {
  await station.close()
  await proxy.close()
  await sim.close()
  cleanup()
})

const faults = (f: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })
const onCircuit = (localId: string) =>
  [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes(`[saleroom:${localId}]`))

describe('payments on provisional orders', () => {
  it('taken offline at the desk, sent once Circuit has made the order, each exactly once', async () => {
    const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    // A buyer with no order of Circuit's in this sale.
    const buyer = board.bidders.find(
      (b) => ![...sim.store.orders.values()].some((o) => o.saleId === '1' && o.ownerId === b.clientId)
    )!
    const lots = board.lots.filter((l) => l.status === 'available').slice(0, 3)
    const term = (
      station.core
        .replica()!
        .raw.prepare(`SELECT id FROM reference_terms WHERE vocabulary = 'additional_charges' LIMIT 1`)
        .get() as { id: string }
    ).id

    // Circuit is away: every request is cut.
    proxy.rule = () => 'drop'
    for (const [i, lot] of lots.entries())
      await station.call('clerking.sell', {
        itemId: lot.id,
        paddle: buyer.paddle,
        amount: (i + 1) * 10_000,
        confirm: true
      })
    const inv = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: buyer.paddle })
    expect(inv.orders).toHaveLength(1)
    const provisional = inv.orders[0]
    expect(provisional).toMatchObject({ provisional: true, number: 'P-PODIUM1-0001' })

    const card = await station.call<PaymentResult>('checkout.pay', {
      orderId: provisional.id,
      method: 'card',
      amount: 20_000,
      cardType: 'VISA',
      last4: '1111'
    })
    expect(card.payment).toMatchObject({ pending: true, receiptNumber: 'R-PODIUM1-0001' })
    const withCharge = await station.call<CheckoutOrder>('checkout.addCharge', {
      orderId: provisional.id,
      termId: term,
      amount: 2_500,
      taxRateBp: 2_000
    })
    expect(withCharge.totals.charges).toBe(2_500)
    const cash = await station.call<PaymentResult>('checkout.pay', {
      orderId: provisional.id,
      method: 'cash',
      amount: 5_000
    })
    await station.call('checkout.voidPayment', { paymentId: cash.payment.id, reason: 'Paid by card instead' })
    const wire = await station.call<PaymentResult>('checkout.pay', {
      orderId: provisional.id,
      method: 'wire',
      amount: 7_500,
      account: '55554444'
    })
    const due = (await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: buyer.paddle }))
      .outstanding
    await station.core.pusher()!.drain()

    // Circuit is back, losing half of its answers; nobody pulls.
    await faults({ dropAfterApplyRate: 0.5 })
    proxy.rule = () => 'pass'
    await station.settle(60_000)
    await faults({ dropAfterApplyRate: 0 })
    const stuck = station.core
      .replica()!
      .raw.prepare(`SELECT op, entity_id, last_error FROM outbox WHERE state NOT IN ('done', 'discarded')`)
      .all()
    expect(stuck).toEqual([])

    const theirs = [...sim.store.orders.values()].filter((o) => o.saleId === '1' && o.ownerId === buyer.clientId)
    expect(theirs).toHaveLength(1)
    const order = theirs[0]
    expect(order.lines.map((l) => l.itemId).sort()).toEqual(lots.map((l) => l.id).sort())
    expect(onCircuit(card.payment.id).map((t) => [t.orderId, t.amount])).toEqual([[order.id, 20_000]])
    expect(onCircuit(wire.payment.id).map((t) => [t.orderId, t.amount])).toEqual([[order.id, 7_500]])
    expect(onCircuit(cash.payment.id)).toEqual([])
    expect(order.charges.map((c) => [c.amount, c.taxBp])).toEqual([[2_500, 2_000]])

    // The station shows Circuit's order in the provisional one's place, with what was taken on it.
    const after = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: buyer.paddle })
    expect(after.orders.map((o) => [o.id, o.provisional])).toEqual([[order.id, false]])
    expect(after.orders[0].payments.map((p) => [p.id, p.pending, p.voided])).toEqual([
      [card.payment.id, false, false],
      [cash.payment.id, false, true],
      [wire.payment.id, false, false]
    ])
    expect(after.orders[0].charges.map((c) => c.amount)).toEqual([2_500])
    expect(after.outstanding).toBe(sim.store.orderTotals(order).amountDue)
    // Offline, the lines' tax was not known (no order of Circuit's seen yet); all else was.
    expect(after.outstanding - after.orders[0].totals.tax).toBe(due - withCharge.totals.tax)
    // The screen still holding the provisional id finds Circuit's order.
    const byOldId = await station.call<CheckoutOrder>('checkout.setStatus', { orderId: provisional.id, status: 'new' })
    expect(byOldId.id).toBe(order.id)
  }, 120_000)
})
