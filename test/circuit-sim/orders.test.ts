import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim orders and payments', () => {
  let api: Api
  beforeAll(async () => {
    api = await startApi({ now: () => Date.UTC(2026, 10, 26, 15, 0, 0) })
  })
  afterAll(() => api.sim.close())

  /** Sell `n` fresh lots to one paddle; returns the order id and item ids. */
  async function buy(
    paddleNo: string,
    n: number,
    skip: number,
    cents = 10000
  ): Promise<{ orderId: string; items: string[]; clientId: string }> {
    const p = await paddle(api, paddleNo)
    const lots = await availableLots(api, n, skip)
    let orderId = ''
    for (const lot of lots) {
      const r = await api.call('PATCH', `datatable-items/${lot.id}`, {
        field_sold_for_amount: cents,
        field_winner_bidder: p.clientId,
        field_sold_status: 'sold'
      })
      orderId = r.body.data[0].current_order
    }
    return { orderId, items: lots.map((l: any) => l.id), clientId: p.clientId }
  }

  it('splits items into a new order, then merges a second split into the buyer’s other open order', async () => {
    const { orderId, items, clientId } = await buy('110', 4, 0)
    const split = await api.call('PATCH', 'order-split', { order: orderId, items: [items[0]] })
    expect(split.status).toBe(200)
    expect(split.body.data).toMatchObject({ original_order_id: orderId, moved_items: [items[0]] })
    const newId = split.body.data.new_order_id
    expect(newId).not.toBe(orderId)
    const merge = await api.call('PATCH', 'order-split', { order: orderId, items: [items[1]] })
    expect(merge.body.data.new_order_id).toBe(newId)
    expect((await api.get(`orders/${newId}`)).data[0].items).toEqual([items[0], items[1]])
    expect((await api.get(`orders/${orderId}`)).data[0].items).toEqual([items[2], items[3]])
    expect((await api.get(`orders?filter[owner]=${clientId}&filter[sale]=1&filter[type]=bidder`)).count).toBe(2)
    const all = await api.call('PATCH', 'order-split', { order: orderId, items: [items[2], items[3]] })
    expect(all.status).toBe(422)
    const foreign = await api.call('PATCH', 'order-split', { order: orderId, items: ['1'] })
    expect(foreign.status).toBe(422)
  })

  it('credit notes need a finished/locked order and at most 100 items', async () => {
    const { orderId, items } = await buy('111', 3, 10, 50000)
    const early = await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0]] })
    expect(early.status).toBe(422)
    expect(early.body).toMatchObject({ status: 422, errors: { order: expect.any(Array) } })

    expect((await api.call('PATCH', `orders/${orderId}`, { status: 'finished' })).body.data[0].status.id).toBe(
      'finished'
    )
    const tooMany = await api.call('POST', `order-create-credit-note/${orderId}`, {
      items: Array.from({ length: 101 }, (_, i) => String(i + 1))
    })
    expect(tooMany.status).toBe(400)
    const note = await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0]] })
    expect(note.status).toBe(200)
    const cn = (await api.get(`orders/${note.body.data.credit_note_order_nid}`)).data[0]
    // 500.00 + 125.00 premium + 25.00 VAT, negated
    expect(cn).toMatchObject({
      type: 'credit_note',
      credit_note_for: orderId,
      items: [items[0]],
      grand_total: '-650.00'
    })
    expect((await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0]] })).status).toBe(422)
    // a finished order's lots cannot be un-sold silently
    expect((await api.call('PATCH', `datatable-items/${items[1]}`, { field_sold_status: 'unsold' })).status).toBe(409)
  })

  it('cancel-and-reissue only works on locked orders', async () => {
    const { orderId, items } = await buy('112', 2, 20)
    expect((await api.call('POST', `order-cancel-and-reissue/${orderId}`)).status).toBe(422)
    await api.call('PATCH', `orders/${orderId}`, { status: 'locked' })
    expect((await api.call('PATCH', `orders/${orderId}`, { status: 'new' })).status).toBe(409)
    const res = await api.call('POST', `order-cancel-and-reissue/${orderId}`)
    expect(res.status).toBe(200)
    const { new_order_nid, credit_note_nid } = res.body.data
    expect((await api.get(`orders/${orderId}`)).data[0].status.id).toBe('canceled')
    const reissued = (await api.get(`orders/${new_order_nid}`)).data[0]
    expect(reissued).toMatchObject({ type: 'bidder', status: { id: 'new' }, items })
    const note = (await api.get(`orders/${credit_note_nid}`)).data[0]
    expect(note.grand_total).toBe(`-${reissued.grand_total}`)
    expect((await api.get(`datatable-items/${items[0]}`)).data[0].current_order).toBe(new_order_nid)
  })

  // Circuit credits a lot once (issue 16 F4, F15): a lot an earlier credit note credited
  // is not credited again by cancel-and-reissue, not billed again on the reissued order,
  // and cannot be split off or credited a second time.
  it('cancel-and-reissue after a credit note: the credited lot is neither credited again nor billed again', async () => {
    const { orderId, items } = await buy('116', 3, 60, 20000) // 3 × (200.00 + 50.00 + 10.00) = 780.00
    await api.call('PATCH', `orders/${orderId}`, { status: 'locked' })
    const first = await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0]] })
    expect(first.status).toBe(200)
    expect((await api.get(`orders/${first.body.data.credit_note_order_nid}`)).data[0].grand_total).toBe('-260.00')

    const res = await api.call('POST', `order-cancel-and-reissue/${orderId}`)
    expect(res.status).toBe(200)
    const reissued = (await api.get(`orders/${res.body.data.new_order_nid}`)).data[0]
    const note = (await api.get(`orders/${res.body.data.credit_note_nid}`)).data[0]
    // The reissued order bills the two lots not credited: 2 × 260.00.
    expect(reissued.items).toEqual([items[1], items[2]])
    expect(reissued.grand_total).toBe('520.00')
    // Its credit note credits those two only; the first lot was credited once already.
    expect(note.items).toEqual([items[1], items[2]])
    expect(note.grand_total).toBe('-520.00')
    // The credited lot stays with the canceled order; the others moved.
    expect((await api.get(`datatable-items/${items[0]}`)).data[0].current_order).toBe(orderId)
    expect((await api.get(`datatable-items/${items[1]}`)).data[0].current_order).toBe(reissued.id)
    // Every line of the canceled order is now credited once: 780.00 in all.
    const notes = await api.get(`orders?filter[type]=credit_note&filter[credit_note_for]=${orderId}`)
    const credited = notes.data.flatMap((n: any) => n.items)
    expect(credited.sort()).toEqual([...items].sort())
    expect(notes.data.reduce((s: number, n: any) => s + Number(n.grand_total.replace('.', '')), 0)).toBe(-78000)
  })

  it('a credited lot cannot be credited again or split off (422)', async () => {
    const { orderId, items } = await buy('117', 3, 70)
    await api.call('PATCH', `orders/${orderId}`, { status: 'finished' })
    expect((await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0]] })).status).toBe(200)
    const again = await api.call('POST', `order-create-credit-note/${orderId}`, { items: [items[0], items[1]] })
    expect(again.status).toBe(422)
    expect(again.body.errors.items.join(' ')).toContain('already been credited')
    // Back in process, the order can be split, but not by its credited lot.
    await api.call('PATCH', `orders/${orderId}`, { status: 'in_process' })
    const split = await api.call('PATCH', 'order-split', { order: orderId, items: [items[0]] })
    expect(split.status).toBe(422)
    expect(split.body.errors.items[0]).toContain('already credited')
    expect((await api.get(`orders/${orderId}`)).data[0].items).toEqual(items)
    expect((await api.call('PATCH', 'order-split', { order: orderId, items: [items[1]] })).status).toBe(200)
  })

  it('cancel-and-reissue of an order whose every lot is credited is refused and changes nothing', async () => {
    const { orderId, items } = await buy('118', 1, 80)
    await api.call('PATCH', `orders/${orderId}`, { status: 'locked' })
    await api.call('POST', `order-create-credit-note/${orderId}`, { items })
    const before = api.sim.store.orders.size
    const res = await api.call('POST', `order-cancel-and-reissue/${orderId}`)
    expect(res.status).toBe(422)
    expect(api.sim.store.orders.size).toBe(before)
    expect((await api.get(`orders/${orderId}`)).data[0].status.id).toBe('locked')
  })

  it('records payments, updates amount_due, and validates with 422', async () => {
    const { orderId } = await buy('113', 1, 30, 100000) // 1000.00 + 250.00 + 50.00 = 1300.00
    const pay = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'Payment',
      amount: '500.00',
      credit_card_type: 'Visa',
      credit_card_last_4_digits: '4567',
      transaction_date: '2026-11-26'
    })
    expect(pay.status).toBe(201)
    expect(pay.body.data[0]).toMatchObject({
      order: orderId,
      transaction_type: 'Payment',
      amount: '500.00',
      credit_card_last_4_digits: '4567'
    })
    const cash = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'cash',
      amount: 100.5,
      transaction_date: '2026-11-26'
    })
    expect(cash.status).toBe(201)
    let order = (await api.get(`orders/${orderId}`)).data[0]
    expect(order).toMatchObject({ grand_total: '1300.00', payment_received: '600.50', amount_due: '699.50' })

    const invalid = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'Barter',
      amount: 'lots',
      transaction_date: '26/11/2026'
    })
    expect(invalid.status).toBe(422)
    expect(Object.keys(invalid.body.errors).sort()).toEqual(['amount', 'transaction_date', 'transaction_type'])
    const future = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'Cheque',
      amount: '10.00',
      transaction_date: '2026-11-26',
      cheque_date: '2026-12-01'
    })
    expect(future.status).toBe(422)
    expect(future.body.errors.cheque_date).toBeDefined()
    const missing = await api.call('POST', 'transactions', { transaction_type: 'Cheque' })
    expect(missing.status).toBe(422)
    expect(missing.body.errors).toHaveProperty('order')

    const patched = await api.call('PATCH', `transactions/${cash.body.data[0].id}`, {
      amount: '199.50',
      info: 'corrected'
    })
    expect(patched.body.data[0]).toMatchObject({ amount: '199.50', info: 'corrected' })
    order = (await api.get(`orders/${orderId}`)).data[0]
    expect(order.amount_due).toBe('600.50')
    expect((await api.call('DELETE', `transactions/${cash.body.data[0].id}`)).status).toBe(204)
    expect((await api.get(`orders/${orderId}`)).data[0].payment_received).toBe('500.00')

    const list = await api.get(`transactions?filter[order]=${orderId}`)
    expect(list.count).toBe(1)
  })

  it('generates cheques only for cheque transactions', async () => {
    const { orderId } = await buy('114', 1, 40)
    const card = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'Payment',
      amount: '10.00',
      transaction_date: '2026-11-26'
    })
    const refused = await api.call('POST', 'generate-cheque', { transaction_id: card.body.data[0].id })
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ title: "Transaction must be of type 'Cheque'", status: 400 })
    const cheque = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'cheque',
      amount: '20.00',
      transaction_date: '2026-11-26',
      cheque_number: '001234',
      cheque_date: '2026-11-25',
      bank: '5',
      bank_account_number: '123456789'
    })
    expect(cheque.body.data[0]).toMatchObject({ bank: { id: '5', name: 'Main Bank' }, bank_account_number: '****6789' })
    const id = cheque.body.data[0].id
    const ok = await api.call('POST', 'generate-cheque', { id })
    expect(ok.status).toBe(200)
    expect(ok.body.data.cheque_url).toBe(`/files/cheque_${id}.pdf`)
    const pdf = await fetch(`${api.sim.url}${ok.body.data.cheque_url}`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect((await pdf.text()).startsWith('%PDF-')).toBe(true)
  })

  it('creates and patches orders with additional charges', async () => {
    const p = await paddle(api, '115')
    const [lot] = await availableLots(api, 1, 50)
    await api.call('PATCH', `datatable-items/${lot.id}`, {
      field_sold_for_amount: 20000,
      field_winner_bidder: p.clientId,
      field_sold_status: 'sold'
    })
    const created = await api.call('POST', 'orders', {
      type: 'bidder',
      sale: '1',
      owner: p.clientId,
      status: 'new',
      items: [lot.id],
      additional_charges: [{ term: '11', amount: '25.00', tax: '20.00', description: 'Shipping fee' }]
    })
    expect(created.status).toBe(201)
    const o = created.body.data[0]
    // 200.00 + 50.00 + 10.00 + 25.00 + 5.00
    expect(o).toMatchObject({
      items: [lot.id],
      grand_total: '290.00',
      additional_charges: [{ term: { id: '11', label: 'Shipping Fee' }, amount: '25.00', tax: '20.00' }]
    })
    const patched = await api.call('PATCH', `orders/${o.id}`, { additional_charges: [], status: 'in_process' })
    expect(patched.body.data[0]).toMatchObject({
      grand_total: '260.00',
      status: { id: 'in_process' },
      additional_charges: []
    })
    expect(patched.body.data[0].changed >= o.changed).toBe(true)
    expect((await api.call('POST', 'orders', { sale: '1', owner: p.clientId, items: ['1'] })).status).toBe(422)
  })
})
