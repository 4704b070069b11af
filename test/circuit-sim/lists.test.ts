import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi, type Api } from './helpers'

describe('circuit-sim list conventions', () => {
  let api: Api
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0)
  beforeAll(async () => {
    api = await startApi({ now: () => clock, tokenTtlSeconds: 10 * 365 * 86400 })
  })
  afterAll(() => api.sim.close())

  it('pages 0-based with count, an absolute next.href, and no next on the last page', async () => {
    const first = await api.get('datatable-items?filter[sale]=1&range=100')
    expect(first.count).toBe(300)
    expect(first.data).toHaveLength(100)
    expect(first.data[0].position).toBe(1)
    expect(first.self).toEqual({
      title: 'Self',
      href: expect.stringContaining(`${api.sim.url}/api/v1.0/datatable-items?`)
    })
    const next = new URL(first.next.href)
    expect(next.origin).toBe(api.sim.url)
    expect(next.searchParams.get('page')).toBe('1')
    expect(first.next.title).toBe('Next')
    // follow next.href until the end
    let href: string | undefined = first.next.href
    const seen = first.data.map((d: any) => d.id)
    while (href) {
      const res = await fetch(href, { headers: { authorization: `Bearer ${api.token}` } })
      const page = (await res.json()) as any
      seen.push(...page.data.map((d: any) => d.id))
      href = page.next?.href
      if (!href) expect(page.data.length).toBeGreaterThan(0)
    }
    expect(new Set(seen).size).toBe(300)
    const beyond = await api.get('datatable-items?filter[sale]=1&range=100&page=3')
    expect(beyond.data).toEqual([])
    expect(beyond.next).toBeUndefined()
    expect(beyond.count).toBe(300)
  })

  it('caps range at 500 and rejects a bad page', async () => {
    const big = await api.get('datatable-clients?range=5000')
    expect(big.data.length).toBe(400)
    expect((await api.call('GET', 'datatable-clients?page=-1')).status).toBe(400)
  })

  it('filters with IN, ranges, text regex and sorts', async () => {
    const some = await api.get('datatable-clients?range=3&sort=id')
    const uuids = some.data.map((c: any) => c.uuid)
    const q = uuids.map((u: string, i: number) => `filter[uuid][value][${i}]=${u}`).join('&')
    const inRes = await api.get(`datatable-clients?${q}&filter[uuid][operator]=IN&fields=id,uuid,philaworksplace_id`)
    expect(inRes.count).toBe(3)
    expect(Object.keys(inRes.data[0]).sort()).toEqual(['id', 'philaworksplace_id', 'uuid'])

    const est = await api.get(
      'datatable-items?filter[sale]=1&filter[estimate_low][value][from]=500&filter[estimate_low][value][to]=1000.00&range=500&sort=-estimate_low,lot'
    )
    expect(est.count).toBeGreaterThan(0)
    for (const row of est.data) {
      expect(Number(row.estimate_low)).toBeGreaterThanOrEqual(500)
      expect(Number(row.estimate_low)).toBeLessThanOrEqual(1000)
    }
    const lows = est.data.map((r: any) => Number(r.estimate_low))
    expect([...lows].sort((a, b) => b - a)).toEqual(lows)

    const laura = await api.get('datatable-clients?filter[first_name]=^laur&filter[last_name_company]=marchetti')
    expect(laura.count).toBe(1)
    expect(laura.data[0].label).toBe('Laura Marchetti')

    const lot = await api.get('datatable-items?filter[sale]=1&filter[lot]=269A')
    expect(lot.data[0]).toMatchObject({ lot: '269A', lot_number: 269, lot_letter: 'A' })
    const natural = await api.get(
      'datatable-items?filter[sale]=1&filter[lot_number][value][from]=269&filter[lot_number][value][to]=270&sort=lot'
    )
    expect(natural.data.map((r: any) => r.lot).slice(0, 3)).toEqual(['269', '269A', '270'])
  })

  it('filters on hammer_price ranges of sold lots (decimal strings)', async () => {
    const sold = await api.get(
      'datatable-items?filter[sale]=2&filter[status]=sold&filter[hammer_price][value][from]=100&filter[hammer_price][value][to]=1000&range=500'
    )
    expect(sold.count).toBeGreaterThan(0)
    for (const row of sold.data) {
      expect(row.status).toBe('sold')
      expect(row.hammer_price).toMatch(/^\d+\.\d{2}$/)
      expect(Number(row.hammer_price)).toBeGreaterThanOrEqual(100)
      expect(Number(row.hammer_price)).toBeLessThanOrEqual(1000)
    }
  })

  it('supports the updated-from delta filter on every synced resource', async () => {
    const resources = [
      'datatable-sales',
      'datatable-items',
      'datatable-clients',
      'orders',
      'bidder_ids',
      'phone_bidder_cards'
    ]
    clock = Date.UTC(2030, 0, 1, 0, 0, 0)
    const from = '2030-01-01T00:00:00Z'
    for (const r of resources) {
      const empty = await api.get(`${r}?filter[updated][value][from]=${from}`)
      expect(empty.count, r).toBe(0)
    }
    const item = (await api.get('datatable-items?filter[sale]=1&range=1')).data[0]
    const patched = await api.call('PATCH', `datatable-items/${item.id}`, { title: 'Changed title' })
    expect(patched.status).toBe(200)
    expect(patched.body.data[0].updated).toBe(from)
    const delta = await api.get(`datatable-items?filter[updated][value][from]=${from}`)
    expect(delta.data.map((d: any) => d.id)).toEqual([item.id])
    const byDay = await api.get(
      'datatable-items?filter[updated][value][from]=2030-01-01&filter[updated][value][to]=2030-01-01'
    )
    expect(byDay.count).toBe(1)
    const sale = await api.call('PATCH', 'datatable-sales/1', { lots_locked: true })
    expect(sale.body.data[0]).toMatchObject({ lots_locked: true, updated: from })
    expect((await api.get(`datatable-sales?filter[updated][value][from]=${from}`)).count).toBe(1)
  })

  it('rejects unknown filter and sort fields with the error body', async () => {
    const res = await api.call('GET', 'datatable-items?filter[colour]=red')
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: expect.stringContaining('colour'),
      errors: { 'filter[colour]': expect.any(Array) }
    })
    const sort = await api.call('GET', 'orders?sort=-nope')
    expect(sort.status).toBe(400)
    expect(sort.body.status).toBe(400)
    const badDate = await api.call('GET', 'orders?filter[updated][value][from]=yesterday')
    expect(badDate.status).toBe(400)
  })

  it('answers malformed JSON with a 400 error body, unknown routes with 404', async () => {
    const res = await api.call('PATCH', 'datatable-sales/1', '{"lots_locked": tru')
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: expect.stringContaining('Malformed JSON')
    })
    const missing = await api.call('GET', 'datatable-items/999999')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ title: 'Resource not found', status: 404 })
    expect((await api.call('GET', 'no-such-thing')).status).toBe(404)
  })

  it('serves sessions, items-lots, phone cards and taxonomies', async () => {
    const sessions = await api.get('sale-sessions?filter[sale]=1')
    expect(sessions.data.map((s: any) => s.session_number)).toEqual([1, 2])
    expect(sessions.data[0]).toMatchObject({
      sale: '1',
      item_range_start: '1',
      auctioneer: { id: expect.any(String), name: expect.any(String) }
    })
    const lots = await api.get('items-lots?sale=1')
    expect(lots.data).toHaveLength(300)
    expect(lots.data[0]).toEqual({ id: expect.any(String), lot: '1', position: 1 })
    const cards = await api.get(`phone_bidder_cards?filter[sale_id]=1&filter[session_id]=${sessions.data[0].id}`)
    expect(cards.count).toBeGreaterThan(0)
    expect(cards.data[0]).toMatchObject({
      sale_id: '1',
      session_id: sessions.data[0].id,
      lots: expect.any(Array),
      staff: { id: expect.any(String), name: expect.any(String) }
    })
    const print = await api.get(`sale-session-phone-bidders-card?filter[session]=${sessions.data[0].id}`)
    expect(print.count).toBe(cards.count)
    const charges = await api.get('additional_charges')
    expect(charges.data[0]).toMatchObject({
      id: expect.any(String),
      label: expect.any(String),
      default_amount: expect.stringMatching(/^\d+\.\d{2}$/),
      default_vat: expect.any(String)
    })
    for (const vocab of ['payment_types', 'bank_accounts', 'bid_steps', 'tax_types', 'vat_amounts']) {
      const list = await api.get(vocab)
      expect(list.count, vocab).toBeGreaterThan(0)
    }
    const laura = await api.get('bidder_ids?filter[sale]=1&filter[bidder_number]=204')
    expect(laura.data[0]).toMatchObject({
      bidder_number: '204',
      bidder_type: 'floor',
      client: { label: 'Laura Marchetti' },
      live_credit: '0.00'
    })
  })
})
