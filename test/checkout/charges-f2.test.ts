// F2 — nothing ordinary stops sending. A charge with no description, or with
// its VAT rate left blank, is filled in by Circuit (the type's label, its
// default_vat); the answer check accepts that, and a later hammer and a
// payment still go out. A real difference in the list of charges is a
// conflict on that order only, shown line by line, and keep mine and take
// theirs both settle it. Against the simulator over HTTP.
import { beforeAll, describe, expect, it } from 'vitest'
import type { CheckoutOrder, ClerkBoard, OutboxEntry, PaymentResult } from '../../src-shared/contract'
import { useDesk } from './desk'

const desk = useDesk({ seed: 23, lots: 40, clients: 60, sales: ['2', '1'] })
const SHIPPING = '11' // Shipping Fee, default VAT 20 %
const STORAGE = '13' // Storage, default VAT 20 %

const openOrders = () =>
  [...desk.sim.store.orders.values()].filter(
    (o) => o.saleId === '2' && o.type === 'bidder' && (o.status === 'new' || o.status === 'in_process')
  )
const entries = () => desk.station.call<OutboxEntry[]>('outbox.list', { limit: 500, history: true })
const open = async () => (await entries()).filter((e) => e.state !== 'done' && e.state !== 'discarded')

let orders: ReturnType<typeof openOrders>
beforeAll(() => {
  orders = openOrders()
})

describe('F2: charges Circuit fills in do not stop sending', () => {
  it('Shipping 25.00 @ 20 % with no description, and Storage with its rate left blank; a later hammer and payment go out', async () => {
    const order = orders[0]
    const shipping = await desk.station.call<CheckoutOrder>('checkout.addCharge', {
      orderId: order.id,
      termId: SHIPPING,
      amount: 2_500,
      taxRateBp: 2_000
    })
    expect(shipping.charges.at(-1)).toMatchObject({ amount: 2_500, tax: 500 })
    // Left blank: shown at once at the type's default VAT, sent blank for Circuit to apply.
    const storage = await desk.station.call<CheckoutOrder>('checkout.addCharge', {
      orderId: order.id,
      termId: STORAGE,
      amount: 1_000
    })
    expect(storage.charges.at(-1)).toMatchObject({ amount: 1_000, tax: 200 })
    await desk.station.settle()
    expect(await open()).toEqual([])
    expect(desk.station.core.pusher()!.state().paused).toBeNull()
    const theirs = desk.sim.store.orders.get(order.id)!.charges
    expect(theirs.map((c) => [c.termId, c.amount, c.taxBp, c.description])).toEqual([
      [SHIPPING, 2_500, 2_000, 'Shipping Fee'],
      [STORAGE, 1_000, 2_000, 'Storage']
    ])
    expect((await entries()).filter((e) => e.op === 'order.setCharges').map((e) => e.state)).toEqual(['done', 'done'])

    // Sending goes on: a hammer at the podium and a payment at the desk.
    const board = await desk.station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const lot = board.lots.find((l) => l.status === 'available')!
    await desk.station.call('clerking.sell', {
      itemId: lot.id,
      paddle: board.bidders[0].paddle,
      amount: 10_000,
      confirm: true
    })
    const paid = await desk.station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 1_000,
      cardType: 'VISA',
      last4: '4242'
    })
    await desk.station.settle()
    expect(desk.sim.store.items.get(lot.id)).toMatchObject({ status: 'sold', hammer: 10_000 })
    expect(
      [...desk.sim.store.transactions.values()].filter((t) => (t.info ?? '').includes(`[saleroom:${paid.payment.id}]`))
    ).toHaveLength(1)
    expect(await open()).toEqual([])
  })

  it('a list the back office changed meanwhile: a conflict on that order, both lists line by line; keep mine settles it', async () => {
    const order = orders[1]
    const sim = desk.sim.store.orders.get(order.id)!
    sim.charges.push({ termId: '12', amount: 1_500, taxBp: 2_000, description: 'Insurance', date: Date.now() })
    desk.sim.store.touchOrder(sim)
    await desk.station.call('checkout.addCharge', {
      orderId: order.id,
      termId: SHIPPING,
      amount: 2_500,
      taxRateBp: 2_000
    })
    await desk.station.settle()
    const [conflict] = await open()
    expect(conflict).toMatchObject({ op: 'order.setCharges', state: 'conflict' })
    expect(conflict.conflict!.ours).toBe('Shipping Fee 25.00 at 20.00 %')
    expect(conflict.conflict!.theirs).toBe('Insurance 15.00 at 20.00 %')
    expect(desk.station.core.pusher()!.state().paused).toBeNull()
    await desk.station.call('outbox.keepMine', { seq: conflict.seq })
    await desk.station.settle()
    expect(await open()).toEqual([])
    expect(desk.sim.store.orders.get(order.id)!.charges.map((c) => c.termId)).toEqual([SHIPPING])
  })

  it('…and take theirs settles it too, keeping Circuit’s list here', async () => {
    const order = orders[2] ?? orders[0]
    const sim = desk.sim.store.orders.get(order.id)!
    const before = sim.charges.length
    sim.charges.push({ termId: '14', amount: 850, taxBp: 2_000, description: 'Packing', date: Date.now() })
    desk.sim.store.touchOrder(sim)
    await desk.station.call('checkout.addCharge', { orderId: order.id, termId: STORAGE, amount: 1_000, taxRateBp: 0 })
    await desk.station.settle()
    const [conflict] = await open()
    expect(conflict).toMatchObject({ op: 'order.setCharges', state: 'conflict' })
    expect(conflict.conflict!.ours.split('\n')).toContain('Storage 10.00 at 0.00 %')
    expect(conflict.conflict!.theirs.split('\n')).toContain('Packing 8.50 at 20.00 %')
    await desk.station.call('outbox.takeTheirs', { seq: conflict.seq })
    await desk.station.settle()
    expect(await open()).toEqual([])
    expect(desk.sim.store.orders.get(order.id)!.charges).toHaveLength(before + 1)
    const here = desk.station.core
      .replica()!
      .raw.prepare('SELECT term_id FROM order_charges WHERE order_id = ? ORDER BY id')
      .all(order.id) as { term_id: string }[]
    expect(here.map((c) => c.term_id)).toEqual(desk.sim.store.orders.get(order.id)!.charges.map((c) => c.termId))
  })
})
