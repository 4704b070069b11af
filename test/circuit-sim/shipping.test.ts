// Shipments, shipping boxes and shipping areas (README.txt "Shipping"): the
// documented bodies are taken, bad ones refused with 422 changing nothing, a
// shipment is found again by its order, and a box is created or updated by its
// number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim shipping', () => {
  let api: Api
  let orderId: string
  let items: string[]
  beforeAll(async () => {
    api = await startApi({ now: () => Date.UTC(2026, 10, 26, 15, 0, 0) })
    const p = await paddle(api, '150')
    const lots = await availableLots(api, 3, 200)
    for (const lot of lots) {
      const r = await api.call('PATCH', `datatable-items/${lot.id}`, {
        field_sold_for_amount: 5000,
        field_winner_bidder: p.clientId,
        field_sold_status: 'sold'
      })
      orderId = r.body.data[0].current_order
    }
    items = lots.map((l: { id: string }) => l.id)
  })
  afterAll(() => api.sim.close())

  it('shipping areas: the documented rows, at both spellings of the path', async () => {
    const areas = await api.get('shipping-areas')
    expect(areas.data).toEqual([
      { id: '81', label: 'Local', description: 'Within 50 miles', base_rate: '10.00' },
      { id: '82', label: 'National', description: 'Within country', base_rate: '25.00' },
      { id: '83', label: 'International', description: 'Outside country', base_rate: '50.00' }
    ])
    expect((await api.get('shipping_areas')).data).toEqual(areas.data)
  })

  it("creates a shipment from the docs' body and finds it by order", async () => {
    const r = await api.call('POST', 'shipments', {
      order: orderId,
      items: [items[0], items[1]],
      shipping_method: 'FedEx Ground',
      tracking_number: '123456789012',
      shipping_cost: '25.00',
      weight: '2.5',
      dimensions: { length: '30', width: '20', height: '15', unit: 'cm' }
    })
    expect(r.status).toBe(201)
    const row = r.body.data[0]
    expect(row).toMatchObject({
      order: orderId,
      items: [items[0], items[1]],
      shipping_method: 'FedEx Ground',
      tracking_number: '123456789012',
      shipping_cost: '25.00',
      weight: '2.5',
      dimensions: { length: '30', width: '20', height: '15', unit: 'cm' },
      status: 'pending',
      created: '2026-11-26T15:00:00Z'
    })
    const found = await api.get(`shipments?filter[order]=${orderId}`)
    expect(found.data).toEqual([row])
    expect((await api.get(`shipments/${row.id}`)).data[0]).toEqual(row)
    expect((await api.get(`shipments?filter[order]=${orderId}&filter[status]=shipped`)).count).toBe(0)
  })

  it('refuses a bad shipment with 422 and keeps nothing', async () => {
    const before = api.sim.store.shipments.size
    const cases: [Record<string, unknown>, string][] = [
      [{ items: [items[2]], shipping_method: 'UPS' }, 'order'],
      [{ order: orderId, items: [], shipping_method: 'UPS' }, 'items'],
      [{ order: orderId, items: ['1'], shipping_method: 'UPS' }, 'items'],
      [{ order: orderId, items: [items[2]] }, 'shipping_method'],
      [{ order: orderId, items: [items[2]], shipping_method: 'UPS', weight: '-1' }, 'weight'],
      [{ order: orderId, items: [items[2]], shipping_method: 'UPS', shipping_cost: '1000000000.01' }, 'shipping_cost'],
      [{ order: orderId, items: [items[2]], shipping_method: 'UPS', dimensions: { length: '30' } }, 'dimensions'],
      [{ order: orderId, items: [items[2]], shipping_method: 'UPS', status: 'lost' }, 'status']
    ]
    for (const [body, field] of cases) {
      const r = await api.call('POST', 'shipments', body)
      expect(r.status, JSON.stringify(body)).toBe(422)
      expect(Object.keys(r.body.errors), JSON.stringify(body)).toContain(field)
    }
    // Only a buyer's order ships: not a consignor's.
    const consignor = [...api.sim.store.orders.values()].find((o) => o.type === 'consignor')!
    const r = await api.call('POST', 'shipments', { order: consignor.id, items: ['1'], shipping_method: 'UPS' })
    expect(r.status).toBe(422)
    expect(api.sim.store.shipments.size).toBe(before)
  })

  it('a box is created, then updated by its number; a lot goes in one box only', async () => {
    const one = await api.call('POST', 'shipping-box', {
      order: orderId,
      items: [items[0]],
      box_number: '1',
      weight: '2.5',
      dimensions: '30x20x15cm'
    })
    expect(one.status).toBe(201)
    expect(one.body.data[0]).toMatchObject({
      order: orderId,
      items: [items[0]],
      box_number: '1',
      weight: '2.5',
      dimensions: '30x20x15cm'
    })
    const two = await api.call('POST', 'shipping-box', { order: orderId, items: [items[1]], box_number: 2 })
    expect(two.status).toBe(201)
    const clash = await api.call('POST', 'shipping-box', { order: orderId, items: [items[1]], box_number: '1' })
    expect(clash.status).toBe(422)
    expect(clash.body.errors.items[0]).toContain('Already in box 2')
    const updated = await api.call('POST', 'shipping-box', {
      order: orderId,
      items: [items[0], items[2]],
      box_number: '1',
      weight: 3
    })
    expect(updated.status).toBe(200)
    expect(updated.body.data[0]).toMatchObject({
      id: one.body.data[0].id,
      items: [items[0], items[2]],
      weight: '3',
      dimensions: '30x20x15cm'
    })
    const boxes = await api.get(`shipping-box?filter[order]=${orderId}`)
    expect(boxes.data.map((b: { box_number: string }) => b.box_number)).toEqual(['1', '2'])
    const bad = await api.call('POST', 'shipping-box', {
      order: orderId,
      items: [items[2]],
      box_number: '3',
      dimensions: 'big'
    })
    expect(bad.status).toBe(422)
    expect((await api.get(`shipping-box?filter[order]=${orderId}`)).count).toBe(2)
  })
})
