import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim hammer -> bidder orders', () => {
  let api: Api
  let clock = Date.UTC(2026, 10, 26, 10, 0, 0)
  beforeAll(async () => {
    api = await startApi({ now: () => clock, tokenTtlSeconds: 86400 })
  })
  afterAll(() => api.sim.close())

  const sell = (itemId: string, clientId: string, cents: number, alias?: string) =>
    api.call('PATCH', `datatable-items/${itemId}`, {
      field_sold_for_amount: cents,
      field_winner_bidder: clientId,
      ...(alias ? { field_bidder_alias: alias } : {}),
      field_sold_status: 'sold'
    })

  it('selling creates one order per sale+buyer and extends it for the next lot', async () => {
    const [a, b, c] = await availableLots(api, 3, 0)
    const laura = await paddle(api, '204')
    const other = await paddle(api, '101')

    const r1 = await sell(a.id, laura.clientId, 45000, '204')
    expect(r1.status).toBe(200)
    const sold = r1.body.data[0]
    expect(sold).toMatchObject({
      status: 'sold',
      sold_status: 'sold',
      hammer_price: '450.00',
      winner: { id: laura.clientId, label: 'Laura Marchetti', bidder_number: '204' }
    })
    expect(sold.current_order).toEqual(expect.any(String))

    const r2 = await sell(b.id, laura.clientId, 600000)
    expect(r2.body.data[0].current_order).toBe(sold.current_order)
    const r3 = await sell(c.id, other.clientId, 10000)
    expect(r3.body.data[0].current_order).not.toBe(sold.current_order)

    const orders = await api.get(`orders?filter[sale]=1&filter[owner]=${laura.clientId}&filter[type]=bidder`)
    expect(orders.count).toBe(1)
    const order = orders.data[0]
    expect(order).toMatchObject({
      type: 'bidder',
      status: { id: 'new', label: 'New' },
      item_count: 2,
      items: [a.id, b.id],
      bidder_ids: ['204'],
      customer_number: expect.stringMatching(/^C\d+$/)
    })
    // 450.00: premium 25% = 112.50, VAT 20% of premium = 22.50
    // 6000.00: premium 25% of 5000 + 20% of 1000 = 1450.00, VAT 290.00
    expect(order.invoice_data.totals).toMatchObject({ hammer: '6450.00', premium: '1562.50', vat: '312.50' })
    expect(order.grand_total).toBe('8325.00')
    expect(order.amount_due).toBe('8325.00')
    expect(order.payment_received).toBe('0.00')
  })

  it('re-selling to another buyer moves the lot; withdrawing and un-selling take it off the order', async () => {
    const [a, b] = await availableLots(api, 2, 10)
    const p1 = await paddle(api, '102')
    const p2 = await paddle(api, '103')
    const first = (await sell(a.id, p1.clientId, 20000)).body.data[0]
    await sell(b.id, p1.clientId, 30000)
    const moved = (await sell(a.id, p2.clientId, 25000)).body.data[0]
    expect(moved.current_order).not.toBe(first.current_order)
    const o1 = (await api.get(`orders/${first.current_order}`)).data[0]
    expect(o1.items).toEqual([b.id])

    const withdrawn = await api.call('PATCH', `datatable-items/${b.id}`, {
      field_withdrawn: 1,
      auctioneer_notes: 'Damaged'
    })
    expect(withdrawn.body.data[0]).toMatchObject({
      status: 'withdrawn',
      hammer_price: null,
      winner: null,
      current_order: null
    })
    expect((await api.get(`orders/${first.current_order}`)).data[0]).toMatchObject({
      items: [],
      item_count: 0,
      grand_total: '0.00'
    })

    const unsold = await api.call('PATCH', `datatable-items/${a.id}`, { field_sold_status: 'unsold' })
    expect(unsold.body.data[0]).toMatchObject({ status: 'unsold', current_order: null })
    expect((await api.get(`orders/${moved.current_order}`)).data[0].item_count).toBe(0)
    expect((await api.get(`datatable-items?filter[sale]=1&filter[status]=passed&filter[id]=${a.id}`)).count).toBe(1)
  })

  it('rejects a hammer sent as a decimal string (the PATCH field is cents) and a sale without winner', async () => {
    const [a] = await availableLots(api, 1, 20)
    const bad = await api.call('PATCH', `datatable-items/${a.id}`, {
      field_sold_for_amount: '450.00',
      field_winner_bidder: '115',
      field_sold_status: 'sold'
    })
    expect(bad.status).toBe(422)
    expect(bad.body).toMatchObject({ status: 422, errors: { field_sold_for_amount: expect.any(Array) } })
    const noWinner = await api.call('PATCH', `datatable-items/${a.id}`, {
      field_sold_for_amount: 45000,
      field_sold_status: 'sold'
    })
    expect(noWinner.status).toBe(422)
    expect(noWinner.body.errors.field_winner_bidder).toBeDefined()
    expect((await api.get(`datatable-items/${a.id}`)).data[0].status).toBe('available')
  })

  it('delete-winning-bid returns the previous winner and takes the lot off its order', async () => {
    const [a] = await availableLots(api, 1, 30)
    const p = await paddle(api, '104')
    const sold = (await sell(a.id, p.clientId, 12300, '104')).body.data[0]
    const res = await api.call('DELETE', `delete-winning-bid/${a.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      data: { success: true, item_id: a.id, previous_winner: '104', previous_hammer_price: '123.00' }
    })
    expect((await api.get(`datatable-items/${a.id}`)).data[0]).toMatchObject({
      status: 'available',
      hammer_price: null,
      current_order: null
    })
    expect((await api.get(`orders/${sold.current_order}`)).data[0].items).not.toContain(a.id)
    expect((await api.call('DELETE', `delete-winning-bid/${a.id}`)).status).toBe(422)
  })

  it('station-edit changes data as another station and bumps updated', async () => {
    const [a] = await availableLots(api, 1, 40)
    const before = (await api.get(`datatable-items/${a.id}`)).data[0]
    clock += 5000 // `updated` has second resolution
    const sold = await api.control('POST', 'station-edit', { op: 'sell', item: a.id, paddle: '205', price: '450.00' })
    expect(sold.status).toBe(200)
    const after = (await api.get(`datatable-items/${a.id}`)).data[0]
    expect(after).toMatchObject({ status: 'sold', hammer_price: '450.00', bidder_alias: '205' })
    expect(after.updated > before.updated).toBe(true)
    const delta = await api.get(`datatable-items?filter[updated][value][from]=${after.updated}`)
    expect(delta.data.map((d: any) => d.id)).toContain(a.id)

    expect((await api.control('POST', 'station-edit', { op: 'unsell', item: a.id })).status).toBe(200)
    expect((await api.get(`datatable-items/${a.id}`)).data[0].status).toBe('unsold')
    expect((await api.control('POST', 'station-edit', { op: 'withdraw', item: a.id })).status).toBe(200)
    expect((await api.get(`datatable-items/${a.id}`)).data[0].status).toBe('withdrawn')

    const client = (await api.get('datatable-clients?range=1&sort=id')).data[0]
    const edit = await api.control('POST', 'station-edit', {
      op: 'edit-client',
      client: client.id,
      fields: { phone: '+44 7000 000000', email: 'new@example.com' }
    })
    expect(edit.status).toBe(200)
    const changed = (await api.get(`datatable-clients/${client.id}`)).data[0]
    expect(changed).toMatchObject({ phone: '+44 7000 000000', email: 'new@example.com' })
    expect(changed.updated > client.updated).toBe(true)
    expect((await api.control('POST', 'station-edit', { op: 'explode' })).status).toBe(400)
  })

  it('upserts clients by uuid and phone cards by client+session', async () => {
    const created = await api.call('POST', 'datatable-clients', {
      uuid: 'test-uuid-1',
      first_name: 'Jane',
      last_name: 'Smith',
      email: 'jane@example.com',
      company: 'Smith Fine Art Ltd',
      address: { country: 'GB', locality: 'Bath', postal_code: 'BA1 1AA', thoroughfare: '1 High St' }
    })
    expect(created.status).toBe(201)
    expect(created.body.data[0]).toMatchObject({
      uuid: 'test-uuid-1',
      company: 'Smith Fine Art Ltd',
      philaworksplace_id: expect.stringMatching(/^C\d+$/),
      status: { id: 'new' },
      address: { city: 'Bath' }
    })
    const again = await api.call('POST', 'datatable-clients', { uuid: 'test-uuid-1', phone: '+44 1225 000000' })
    expect(again.status).toBe(200)
    expect(again.body.data[0]).toMatchObject({
      id: created.body.data[0].id,
      phone: '+44 1225 000000',
      first_name: 'Jane'
    })
    expect((await api.call('POST', 'datatable-clients', { first_name: 'X', email: 'not-an-email' })).status).toBe(422)

    const addresses = await api.get(`client-address?filter[client]=${created.body.data[0].id}`)
    expect(addresses.count).toBe(1)
    const del = await api.call('DELETE', `client-address/${addresses.data[0].id}`)
    expect(del.status).toBe(400)

    const session = (await api.get('sale-sessions?filter[sale]=1')).data[0]
    const [lot] = await availableLots(api, 1, 50)
    const body = {
      sale_id: '1',
      client_id: created.body.data[0].id,
      session_id: session.id,
      paddle_number: '399',
      phone: '+44 1225 000000',
      lots: [lot.id]
    }
    const card = await api.call('POST', 'phone_bidder_cards', body)
    expect(card.status).toBe(201)
    const same = await api.call('POST', 'phone_bidder_cards', { ...body, lots: [] })
    expect(same.status).toBe(200)
    expect(same.body.data[0]).toMatchObject({ id: card.body.data[0].id, lots: [] })
    const gone = await api.call('DELETE', 'phone_bidder_cards', { ids: [card.body.data[0].id] })
    expect(gone.status).toBe(200)
    expect((await api.get(`phone_bidder_cards?filter[id]=${card.body.data[0].id}`)).count).toBe(0)
  })
})
