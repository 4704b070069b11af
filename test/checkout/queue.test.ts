// The cashier's queue (checkout.queue): the sale's buyers who bought and
// still owe, newest hammer first, each with the same net the desk shows
// (checkout.invoice's outstanding, credit notes included), against a real
// station's SQLite replica pulled from the simulator over HTTP.
import { describe, expect, it } from 'vitest'
import type { CheckoutInvoice, CheckoutQueueEntry, ClerkBoard, PaymentResult } from '../../src-shared/contract'
import { useDesk } from './desk'

const desk = useDesk({ seed: 23, lots: 200, clients: 60, sales: ['2', '1'] })

const queue = (saleId = '2') => desk.station.call<CheckoutQueueEntry[]>('checkout.queue', { saleId })
const invoice = (paddle: string, saleId = '2') =>
  desk.station.call<CheckoutInvoice>('checkout.invoice', { saleId, paddle })
const paddleOf = (ownerId: string) => desk.sim.store.paddlesOf('2', ownerId)[0]
const entryOf = async (paddle: string, saleId = '2') => (await queue(saleId)).find((e) => e.paddle === paddle)
const bidderOrders = () =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && paddleOf(o.ownerId))
const onlyOrder = (ownerId: string) =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.ownerId === ownerId).length === 1

describe('checkout.queue', () => {
  it('lists exactly the buyers who owe, with the net, the lots and the hammer order the desk has', async () => {
    const paddles = [...new Set(bidderOrders().map((o) => paddleOf(o.ownerId)))]
    const invoices = await Promise.all(paddles.map((p) => invoice(p)))
    const owing = invoices.filter((i) => i.outstanding > 0)
    // The sale has both kinds, so leaving some out is a real decision.
    expect(owing.length).toBeGreaterThan(3)
    expect(owing.length).toBeLessThan(invoices.length)

    const listed = await queue()
    const byPaddle = (a: { paddle: string }, b: { paddle: string }) => a.paddle.localeCompare(b.paddle)
    expect(
      listed
        .map(({ paddle, clientId, name, lots, outstanding }) => ({ paddle, clientId, name, lots, outstanding }))
        .sort(byPaddle)
    ).toEqual(
      owing
        .map((i) => ({
          paddle: i.paddle,
          clientId: i.client.id,
          name: i.client.name,
          lots: new Set(i.orders.filter((o) => o.type === 'bidder').flatMap((o) => o.lines.map((l) => l.itemId))).size,
          outstanding: i.outstanding
        }))
        .sort(byPaddle)
    )
    // Newest first: nothing was hammered here, so by when Circuit made each buyer's order.
    const times = listed.map((e) => e.lastHammerAt)
    expect(times.every((t) => t !== null)).toBe(true)
    expect([...times].sort((a, b) => b! - a!)).toEqual(times)
  })

  it('puts the buyer of the newest hammer at this station first', async () => {
    const board = await desk.station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const [a, b, c] = board.bidders.filter((x) => x.type === 'floor')
    const [l1, l2, l3, l4] = board.lots.filter((l) => l.status === 'available')
    expect(await queue('1')).toEqual([])
    const sell = (itemId: string, paddle: string, amount: number) =>
      desk.station.call('clerking.sell', { itemId, paddle, amount, confirm: true })
    await sell(l1.id, a.paddle, 10_000)
    await sell(l2.id, b.paddle, 20_000)
    await sell(l3.id, c.paddle, 30_000)
    expect((await queue('1')).map((e) => e.paddle)).toEqual([c.paddle, b.paddle, a.paddle])
    await sell(l4.id, a.paddle, 40_000)
    const after = await queue('1')
    expect(after.map((e) => e.paddle)).toEqual([a.paddle, c.paddle, b.paddle])
    expect(after[0].lots).toBe(2)
    expect(after[0].outstanding).toBe((await invoice(a.paddle, '1')).outstanding)
    expect(after[0].lastHammerAt).toBeGreaterThanOrEqual(after[1].lastHammerAt!)
  })

  it('nets a credit note against the invoice; paid up to that net, the buyer leaves the queue', async () => {
    const order = bidderOrders().find(
      (o) =>
        onlyOrder(o.ownerId) &&
        (o.status === 'new' || o.status === 'in_process') &&
        o.lines.length >= 2 &&
        desk.sim.store.orderTotals(o).amountDue > 0
    )!
    // A credit note is for a finished order.
    await desk.station.call('checkout.setStatus', { orderId: order.id, status: 'finished' })
    const paddle = paddleOf(order.ownerId)
    const before = (await entryOf(paddle))!
    expect(before.outstanding).toBe(desk.sim.store.orderTotals(order).amountDue)

    await desk.station.call('checkout.creditNote', { orderId: order.id, itemIds: [order.lines[0].itemId] })
    const credited = await invoice(paddle)
    const note = credited.orders.find((o) => o.type === 'credit_note')!
    expect(note.totals.amountDue).toBeLessThan(0)
    const entry = (await entryOf(paddle))!
    expect(entry.outstanding).toBe(credited.outstanding)
    expect(entry.outstanding).toBe(before.outstanding + note.totals.amountDue)
    expect(entry.lots).toBe(before.lots) // still bought, though one is credited

    // Paying the net (less than the invoice's own amount due) settles the buyer.
    const bill = credited.orders.find((o) => o.type === 'bidder')!
    expect(bill.totals.amountDue).toBeGreaterThan(credited.outstanding)
    await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: bill.id,
      method: 'wire',
      amount: credited.outstanding,
      account: '55501234'
    })
    expect((await invoice(paddle)).outstanding).toBe(0)
    expect(await entryOf(paddle)).toBeUndefined()
  })

  it('leaves out a buyer paid in full, and takes them back when the payment is voided', async () => {
    const listed = await queue()
    const order = bidderOrders().find(
      (o) => onlyOrder(o.ownerId) && listed.some((e) => e.paddle === paddleOf(o.ownerId)) && o.status !== 'locked'
    )!
    const paddle = paddleOf(order.ownerId)
    const entry = (await entryOf(paddle))!
    const paid = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: entry.outstanding,
      cardType: 'VISA',
      last4: '4242'
    })
    const after = await queue()
    expect(after.find((e) => e.paddle === paddle)).toBeUndefined()
    expect(after).toHaveLength(listed.length - 1)

    await desk.station.call('checkout.voidPayment', { paymentId: paid.payment.id, reason: 'Card declined' })
    const back = await queue()
    expect(back.find((e) => e.paddle === paddle)).toEqual(entry)
    expect(back.map((e) => e.paddle)).toEqual(listed.map((e) => e.paddle))
  })

  it('refuses a sale id that is not one', async () => {
    const res = await desk.station.send('checkout.queue', { saleId: '' })
    expect(res.ok).toBe(false)
  })
})
