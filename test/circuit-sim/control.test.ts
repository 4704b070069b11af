import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../src-main/circuit-sim/index'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim control API and faults', () => {
  let api: Api
  beforeAll(async () => {
    api = await startApi()
  })
  afterAll(() => api.sim.close())

  it('sends rate-limit headers and a 429 with retry_after when the fault fires', async () => {
    const okRes = await api.call('GET', 'datatable-sales')
    expect(okRes.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/)
    expect(okRes.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/)
    expect(Number(okRes.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)

    expect((await api.control('POST', 'faults', { rate429: 1, retryAfterSeconds: 7 })).status).toBe(200)
    const res = await api.call('GET', 'datatable-sales')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.body).toEqual({ title: 'Rate limit exceeded', status: 429, detail: expect.any(String), retry_after: 7 })
    await api.control('POST', 'faults', { rate429: 0 })
    expect((await api.call('GET', 'datatable-sales')).status).toBe(200)
  })

  it('enforces a real per-minute limit when configured', async () => {
    await api.control('POST', 'faults', { rateLimitPerMinute: 2 })
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await api.call('GET', 'payment_types')).status)
    expect(statuses.slice(-1)).toEqual([429])
    await api.control('POST', 'reset')
  })

  it('answers 500 without applying the change', async () => {
    const [lot] = await availableLots(api, 1, 0)
    await api.control('POST', 'faults', { error500Rate: 1 })
    const res = await api.call('PATCH', `datatable-items/${lot.id}`, { title: 'never' })
    expect(res.status).toBe(500)
    expect(res.body).toMatchObject({ title: 'Internal Server Error', status: 500, detail: expect.any(String) })
    await api.control('POST', 'faults', { error500Rate: 0 })
    expect((await api.get(`datatable-items/${lot.id}`)).data[0].title).not.toBe('never')
  })

  it('drop-after-apply applies the change, then drops the connection', async () => {
    await api.control('DELETE', 'stats')
    const [lot] = await availableLots(api, 1, 5)
    const p = await paddle(api, '204')
    await api.control('POST', 'faults', { dropAfterApplyRate: 1 })
    await expect(
      api.call('PATCH', `datatable-items/${lot.id}`, {
        field_sold_for_amount: 33300,
        field_winner_bidder: p.clientId,
        field_sold_status: 'sold'
      })
    ).rejects.toThrow()
    // reads are not dropped
    const item = (await api.get(`datatable-items/${lot.id}`)).data[0]
    expect(item).toMatchObject({ status: 'sold', hammer_price: '333.00' })
    await api.control('POST', 'faults', { dropAfterApplyRate: 0 })
    const stats = await api.control('GET', 'stats')
    expect(stats.body.data.requests[`PATCH /api/v1.0/datatable-items/${lot.id}`]).toBe(1)
  })

  it('validates fault settings', async () => {
    const bad = await api.control('POST', 'faults', { error500Rate: 2, latencyMs: -1, typo: true })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({
      title: 'Bad Request',
      status: 400,
      errors: { error500Rate: expect.any(Array), latencyMs: expect.any(Array), typo: expect.any(Array) }
    })
    const notJson = await fetch(`${api.sim.url}/_sim/faults`, { method: 'POST', body: '{oops' })
    expect(notJson.status).toBe(400)
    const current = await api.control('GET', 'faults')
    expect(current.body.data).toMatchObject({ error500Rate: 0, rate429: 0, dropAfterApplyRate: 0 })
  })

  it('applies latency', async () => {
    await api.control('POST', 'faults', { latencyMs: 150 })
    const t = Date.now()
    await api.get('payment_types')
    expect(Date.now() - t).toBeGreaterThanOrEqual(140)
    await api.control('POST', 'faults', { latencyMs: 0 })
  })

  it('uses a seeded PRNG: the same fault config gives the same outcomes', async () => {
    const run = async (): Promise<number[]> => {
      await api.control('POST', 'faults', { error500Rate: 0.5 })
      const out: number[] = []
      for (let i = 0; i < 12; i++) out.push((await api.call('GET', 'payment_types')).status)
      return out
    }
    const a = await run()
    const b = await run()
    expect(a).toEqual(b)
    expect(a).toContain(500)
    expect(a).toContain(200)
    await api.control('POST', 'faults', { error500Rate: 0 })
  })

  it('counts requests per method and path', async () => {
    await api.control('DELETE', 'stats')
    await api.get('datatable-sales')
    await api.get('datatable-sales')
    await api.call('PATCH', 'datatable-sales/1', { venue: 'Town Hall' })
    const stats = (await api.control('GET', 'stats')).body.data
    expect(stats.requests['GET /api/v1.0/datatable-sales']).toBe(2)
    expect(stats.requests['PATCH /api/v1.0/datatable-sales/1']).toBe(1)
    expect(stats.total).toBe(3)
  })

  it('reset restores the seeded state and turns faults off', async () => {
    await api.control('POST', 'reset')
    const seeded = (await api.control('GET', 'state')).body
    const [lot] = await availableLots(api, 1, 100)
    await api.call('PATCH', `datatable-items/${lot.id}`, { title: 'dirty' })
    await api.control('POST', 'faults', { latencyMs: 5 })
    await api.control('POST', 'reset')
    // the token survives a reset
    expect((await api.get(`datatable-items/${lot.id}`)).data[0].title).not.toBe('dirty')
    expect((await api.control('GET', 'faults')).body.data.latencyMs).toBe(0)
    const after = (await api.control('GET', 'state')).body
    expect(after).toEqual(seeded)
    expect(api.sim.store.items.get(lot.id)?.title).not.toBe('dirty')
  })

  it('is deterministic: same seed -> same state, other seed -> different data', async () => {
    const opts = { quiet: true, lots: 200, clients: 60 }
    const [a, b, c] = await Promise.all([
      startSimulator({ ...opts, seed: 7 }),
      startSimulator({ ...opts, seed: 7 }),
      startSimulator({ ...opts, seed: 8 })
    ])
    try {
      const [sa, sb, sc] = await Promise.all([a, b, c].map(async (s) => (await fetch(`${s.url}/_sim/state`)).text()))
      expect(sa).toBe(sb)
      expect(sa).not.toBe(sc)
      const state = JSON.parse(sa)
      expect(state.items.length).toBe(200 + 80 + 40)
      expect(state.orders.length).toBeGreaterThan(0)
      expect(state.transactions.length).toBeGreaterThan(0)
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })
})

describe('circuit-sim shutdown', () => {
  it('POST /_sim/shutdown answers, then stops listening', async () => {
    const sim = await startSimulator({ lots: 10, clients: 10, quiet: true })
    const res = await fetch(`${sim.url}/_sim/shutdown`, { method: 'POST' })
    expect(await res.json()).toEqual({ data: { stopping: true } })
    await expect
      .poll(() =>
        fetch(`${sim.url}/api/login-token`).then(
          () => 'answering',
          () => 'gone'
        )
      )
      .toBe('gone')
    await sim.close()
  })
})
