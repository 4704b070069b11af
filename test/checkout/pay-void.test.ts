// Payments at the desk, with the rules a cashier meets in the first ten
// minutes, and voids: against the simulator over HTTP and a real SQLite file.
// Cash pays the amount and hands back the change; more than is due asks
// first; a void deletes Circuit's payment exactly once (read back first: a
// payment already gone counts as done), and a payment not yet sent is
// cancelled here and never sent.
import { describe, expect, it } from 'vitest'
import type { AuditEntry, CheckoutInvoice, CheckoutOrder, PaymentResult } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { countDeletes, simFaults, useDesk } from './desk'

const desk = useDesk({ seed: 31, lots: 200, clients: 80, gate: true })

const openOrders = (minDue = 1) =>
  [...desk.sim.store.orders.values()].filter(
    (o) =>
      o.saleId === '2' &&
      o.type === 'bidder' &&
      (o.status === 'new' || o.status === 'in_process') &&
      desk.sim.store.orderTotals(o).amountDue >= minDue
  )
const onCircuit = (localId: string) =>
  [...desk.sim.store.transactions.values()].filter((t) => (t.info ?? '').includes(`[saleroom:${localId}]`))
const view = async (orderId: string): Promise<CheckoutOrder> => {
  const o = desk.sim.store.orders.get(orderId)!
  const inv = await desk.station.call<CheckoutInvoice>('checkout.invoice', {
    saleId: '2',
    paddle: desk.sim.store.paddlesOf('2', o.ownerId)[0]
  })
  return inv.orders.find((x) => x.id === orderId)!
}
const outbox = (entityId: string) =>
  desk.station.core
    .replica()!
    .raw.prepare(`SELECT op, state FROM outbox WHERE entity_type = 'transaction' AND entity_id = ? ORDER BY seq`)
    .all(entityId) as { op: string; state: string }[]
const card = (orderId: string, amount: number, extra: Record<string, unknown> = {}) =>
  desk.station.call<PaymentResult>('checkout.pay', {
    orderId,
    method: 'card',
    amount,
    cardType: 'VISA',
    last4: '4242',
    ...extra
  })
let turn = 0
/** An open order with at least `minDue` due, a different one each time while there are several. */
const freshOrder = (minDue = 10_000) => {
  const all = openOrders(minDue)
  if (!all.length) throw new Error(`no open order with ${minDue} due left`)
  return all[turn++ % all.length]
}

describe('taking a payment', () => {
  it('cash: the amount is what is paid and tendered − amount is the change (5,000.00 with 5,020.00 handed over)', async () => {
    const order = freshOrder(600_000)
    const due = desk.sim.store.orderTotals(order).amountDue
    const r = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: 500_000,
      tendered: 502_000
    })
    expect(r.payment.amount).toBe(500_000)
    expect(r.changeDue).toBe(2_000)
    expect(r.order.totals.amountDue).toBe(due - 500_000)
    await desk.station.settle()
    expect(onCircuit(r.payment.id).map((t) => [t.type, t.amount])).toEqual([['cash', 500_000]])

    // Less handed over than the amount: refused, nothing written.
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const short = await desk.station.send('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: 10_000,
      tendered: 9_000
    })
    expect(!short.ok && short.error).toMatchObject({ code: 'invalid_input' })
    expect(!short.ok && short.error.message).toContain('less than')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)
  })

  it('more than is due asks first (needs_confirmation with reasons); confirm: true takes it; no amount passes MAX_MINOR', async () => {
    const order = freshOrder()
    const due = desk.sim.store.orderTotals(order).amountDue
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const over = await desk.station.send('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: due + 100,
      cardType: 'VISA',
      last4: '4242'
    })
    expect(!over.ok && over.error.code).toBe('needs_confirmation')
    const reasons = !over.ok ? over.error.fields?.reasons : undefined
    expect(reasons).toHaveLength(1)
    expect(reasons![0]).toContain('more than the')
    // The slip from the demo: 99,999,999,999.00 against what was due, on one Enter.
    const huge = await desk.station.send('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 9_999_999_999_900,
      cardType: 'VISA',
      last4: '4242',
      confirm: true
    })
    expect(!huge.ok && huge.error.code).toBe('invalid_input')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)

    const r = await card(order.id, due + 100, { confirm: true })
    expect(r.order.totals.amountDue).toBe(-100)
    await desk.station.settle()
    expect(onCircuit(r.payment.id)).toHaveLength(1)
  })

  it('a cheque: dates checked on the calendar, the bank against Circuit’s list', async () => {
    const order = freshOrder()
    const cheque = (over: Record<string, unknown>) =>
      desk.station.send('checkout.pay', {
        orderId: order.id,
        method: 'cheque',
        amount: 1_000,
        chequeNumber: '000777',
        chequeDate: '2026-11-30',
        ...over
      })
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const feb30 = await cheque({ chequeDate: '2026-02-30' })
    expect(!feb30.ok && feb30.error.code).toBe('invalid_input')
    expect(!feb30.ok && JSON.stringify(feb30.error)).toContain('calendar')
    const unknownBank = await cheque({ bankId: '999' })
    expect(!unknownBank.ok && unknownBank.error.message).toContain("Circuit's list of bank accounts")
    const postDated = await cheque({ chequeDate: '2099-01-01' })
    expect(!postDated.ok && postDated.error.message).toContain('post-dated')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)

    const ok = await cheque({ bankId: '5', chequeDate: '2024-02-29' })
    expect(ok.ok).toBe(true)
    const p = (ok as { data: PaymentResult }).data.payment
    expect(p.details).toBe('Barclays Bank plc, cheque no. 000777')
    await desk.station.settle()
    expect(onCircuit(p.id)[0]).toMatchObject({ bankId: '5', chequeDate: '2024-02-29' })
  })

  it('a receipt number from the station’s own series until Circuit’s id is known; never our read-back reference', async () => {
    const order = freshOrder()
    const r = await card(order.id, 1_500)
    expect(r.payment.receiptNumber).toMatch(/^R-CASHIER-\d{4}$/)
    expect(r.payment.details).not.toContain('saleroom')
    await desk.station.settle()
    const p = (await view(order.id)).payments.find((x) => x.id === r.payment.id)!
    expect(p.receiptNumber).toBe(onCircuit(r.payment.id)[0].id)
    expect(JSON.stringify((await view(order.id)).payments)).not.toContain('[saleroom:')
  })
})

describe('voiding a payment', () => {
  it('one on Circuit: deleted there once, listed as voided, the amount due back, audited with its reason', async () => {
    const deletes = countDeletes(desk.sim)
    const order = freshOrder()
    const due = desk.sim.store.orderTotals(order).amountDue
    const r = await card(order.id, 2_000)
    await desk.station.settle()
    const serverId = onCircuit(r.payment.id)[0].id
    const after = await desk.station.call<CheckoutOrder>('checkout.voidPayment', {
      paymentId: r.payment.id,
      reason: 'Keyed on the wrong order'
    })
    expect(after.totals.amountDue).toBe(due)
    expect(after.payments.find((p) => p.id === r.payment.id)).toMatchObject({
      voided: true,
      voidReason: 'Keyed on the wrong order',
      amount: 2_000
    })
    await desk.station.settle()
    expect(onCircuit(r.payment.id)).toEqual([])
    expect(deletes.get(serverId)).toBe(1)
    expect(desk.sim.store.orderTotals(order).amountDue).toBe(due)
    // Still listed after a pull, voided, for the receipt and the audit.
    await desk.station.pull('2')
    const v = await view(order.id)
    expect(v.payments.find((p) => p.id === r.payment.id)).toMatchObject({ voided: true, receiptNumber: serverId })
    expect(v.totals.amountDue).toBe(due)
    const audit = await desk.station.call<AuditEntry[]>('audit.list', { limit: 20 })
    expect(audit.find((a) => a.action === 'checkout.voidPayment' && a.entityId === r.payment.id)?.after).toMatchObject({
      reason: 'Keyed on the wrong order'
    })
    const again = await desk.station.send('checkout.voidPayment', { paymentId: r.payment.id, reason: 'again' })
    expect(!again.ok && again.error.message).toContain('already voided')
  })

  it('the delete’s answer is lost: read back, already gone, never deleted twice', async () => {
    const deletes = countDeletes(desk.sim)
    const order = freshOrder()
    const r = await card(order.id, 2_500)
    await desk.station.settle()
    const serverId = onCircuit(r.payment.id)[0].id
    const applied = desk.station.core.pusher()!.totals.alreadyApplied
    await simFaults(desk, { dropAfterApplyRate: 1 })
    await desk.station.call('checkout.voidPayment', { paymentId: r.payment.id, reason: 'Card declined afterwards' })
    for (let i = 0; i < 300 && onCircuit(r.payment.id).length; i++) await new Promise((ok) => setTimeout(ok, 10))
    await simFaults(desk, { dropAfterApplyRate: 0 })
    await desk.station.settle()
    expect(deletes.get(serverId)).toBe(1)
    expect(desk.station.core.pusher()!.totals.alreadyApplied).toBeGreaterThan(applied)
    expect(outbox(r.payment.id)).toEqual([
      { op: 'payment.record', state: 'done' },
      { op: 'payment.void', state: 'done' }
    ])
  })

  it('one already gone from Circuit (the back office deleted it) counts as done', async () => {
    const order = freshOrder()
    const r = await card(order.id, 3_000)
    await desk.station.settle()
    desk.sim.store.removeTransaction(onCircuit(r.payment.id)[0].id)
    const deletes = countDeletes(desk.sim)
    await desk.station.call('checkout.voidPayment', { paymentId: r.payment.id, reason: 'Refunded by the office' })
    await desk.station.settle()
    expect([...deletes.values()]).toEqual([])
    expect(outbox(r.payment.id).at(-1)).toEqual({ op: 'payment.void', state: 'done' })
  })

  it('one not yet sent is cancelled here, its entry discarded in the same transaction, and never sent', async () => {
    const gate = desk.gate!
    const [a, b] = [freshOrder(), freshOrder()]
    // The sender's round waits on Circuit: what is taken meanwhile stays unclaimed.
    gate.hold()
    await card(a.id, 1_000)
    for (let i = 0; i < 500 && gate.held() === 0; i++) await new Promise((ok) => setTimeout(ok, 5))
    expect(gate.held()).toBeGreaterThan(0)
    const r = await card(b.id, 1_100)
    expect(outbox(r.payment.id)).toEqual([{ op: 'payment.record', state: 'pending' }])
    const after = await desk.station.call<CheckoutOrder>('checkout.voidPayment', {
      paymentId: r.payment.id,
      reason: 'Buyer changed their mind'
    })
    expect(after.payments.find((p) => p.id === r.payment.id)).toMatchObject({ voided: true, pending: false })
    expect(outbox(r.payment.id)).toEqual([{ op: 'payment.record', state: 'discarded' }])
    gate.release()
    await desk.station.settle()
    expect(onCircuit(r.payment.id)).toEqual([])
    expect((await view(b.id)).payments.find((p) => p.id === r.payment.id)?.voided).toBe(true)
  })

  it('one being sent when voided: the void follows it, and Circuit ends without it', async () => {
    const gate = desk.gate!
    const order = freshOrder()
    gate.hold()
    const r = await card(order.id, 1_200)
    // Its read-back is at the gate: the entry is in flight, so the void goes through the outbox.
    for (let i = 0; i < 500 && gate.held() === 0; i++) await new Promise((ok) => setTimeout(ok, 5))
    await desk.station.call('checkout.voidPayment', { paymentId: r.payment.id, reason: 'Wrong card' })
    expect(outbox(r.payment.id).map((e) => e.op)).toEqual(['payment.record', 'payment.void'])
    gate.release()
    await desk.station.settle()
    expect(onCircuit(r.payment.id)).toEqual([])
    expect(outbox(r.payment.id).map((e) => e.state)).toEqual(['done', 'done'])
  })
})
