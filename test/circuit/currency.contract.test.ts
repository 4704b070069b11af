// Money in Circuit's own currency (issue 18 §7): amounts on the wire are decimal
// text with the currency's decimals (GBP 2, JPY 0, KWD 3). The client learns them
// from /me (or is told them) and reads and writes exact minor units with them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim/index'
import { mulberry32 } from '../../src-main/circuit-sim/prng'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { CircuitConfigError } from '../../src-main/circuit/errors'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'
import { json, LOGIN_OK, makeClient, startServer } from './helpers'

const NOW = Date.UTC(2026, 10, 26, 9, 0)
const makeSimClient = (url: string, currencyDecimals?: number): CircuitApiClient =>
  createCircuitClient({
    baseUrl: url,
    now: () => NOW,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    timeoutMs: 5000,
    currencyDecimals
  })

describe.each([
  { code: 'JPY', decimals: 0 },
  { code: 'GBP', decimals: 2 },
  { code: 'KWD', decimals: 3 }
])('a Circuit in $code ($decimals decimals)', ({ code, decimals }) => {
  let sim: RunningSimulator
  let client: CircuitApiClient
  beforeAll(async () => {
    sim = await startSimulator({ lots: 60, clients: 40, currency: code, now: () => NOW, quiet: true })
    client = makeSimClient(sim.url)
  })
  afterAll(() => sim.close())

  it('/me gives the decimals and the client takes them', async () => {
    expect(client.currencyDecimals()).toBe(2)
    const me = await client.me()
    expect(me.currency).toMatchObject({ code, decimals })
    expect(client.currencyDecimals()).toBe(decimals)
  })

  it('reads items, orders and terms in exact minor units', async () => {
    const items = await client.listAll('items.list', { filter: { sale: '2' } }, { range: 50 })
    for (const i of items) {
      const stored = sim.store.items.get(i.id)!
      expect([i.estimateLow, i.estimateHigh, i.hammer]).toEqual([
        stored.estimateLow,
        stored.estimateHigh,
        stored.hammer
      ])
    }
    const orders = await client.orders.findAll({ sale: '2' })
    expect(orders.length).toBeGreaterThan(5)
    for (const o of orders) {
      const t = sim.store.orderTotals(sim.store.orders.get(o.id)!)
      expect([o.grandTotal, o.amountDue, o.paymentReceived], `order ${o.id}`).toEqual([
        t.grandTotal,
        t.amountDue,
        t.paymentReceived
      ])
    }
    const steps = await client.terms.all('bid_steps')
    expect(steps[0].ranges?.[1]).toEqual({ from: 10_000, increment: 1_000 })
  })

  it('writes payments and charges that round-trip exactly (random amounts)', async () => {
    const rng = mulberry32(decimals + 7)
    const order = (await client.orders.list({ filter: { sale: '2', type: 'bidder', status: 'new' } })).rows[0]
    const amounts = [
      1,
      5,
      10,
      99,
      100,
      1000,
      1001,
      123_456_789,
      100_000_000_000,
      ...Array.from({ length: 20 }, () => rng.int(1, 999_999_999))
    ]
    for (const amount of amounts) {
      const t = await client.transactions.create({
        order: order.id,
        transaction_type: 'cash',
        amount,
        transaction_date: '2026-11-26'
      })
      expect(t.amount, String(amount)).toBe(amount)
      expect(sim.store.transactions.get(t.id)!.amount).toBe(amount)
      expect((await client.transactions.find(t.id))!.amount).toBe(amount)
      await client.transactions.delete(t.id)
    }
    const patched = await client.orders.patch(order.id, {
      additional_charges: [{ term: '11', amount: 2505, taxRateBp: 2000, description: 'Shipping' }]
    })
    expect(patched!.charges[0]).toMatchObject({ amount: 2505, taxRateBp: 2000, taxAmount: 501 })
    expect(sim.store.orders.get(order.id)!.charges[0]).toMatchObject({ amount: 2505, taxBp: 2000 })
    await client.orders.patch(order.id, { additional_charges: [] })
  })
})

describe('currency decimals in the client', () => {
  it('an option, a setter, and a check: 0 to 4 whole decimals', async () => {
    const server = await startServer((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      json(res, 200, {
        data: [{ id: '901', order: '789', transaction_type: 'cash', amount: '1250', transaction_date: '2026-11-26' }],
        count: 1
      })
    })
    try {
      const { client } = makeClient(server.url, { currencyDecimals: 0 })
      expect(client.currencyDecimals()).toBe(0)
      expect((await client.transactions.list()).rows[0].amount).toBe(1250)
      client.setCurrencyDecimals(3)
      expect((await client.transactions.list()).rows[0].amount).toBe(1_250_000)
      await client.transactions.create({
        order: '789',
        transaction_type: 'cash',
        amount: 1234,
        transaction_date: '2026-11-26'
      })
      expect(JSON.parse(server.seen.at(-1)!.body).amount).toBe('1.234')
      for (const bad of [-1, 5, 1.5, Number.NaN])
        expect(() => client.setCurrencyDecimals(bad)).toThrow(CircuitConfigError)
      expect(() => makeClient(server.url, { currencyDecimals: 7 })).toThrow(CircuitConfigError)
      expect(client.currencyDecimals()).toBe(3)
    } finally {
      await server.close()
    }
  })

  it('a /me without config leaves the decimals as they were', async () => {
    const server = await startServer((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      json(res, 200, { data: [{ id: '1', name: 'John Admin', email: 'a@b.c', roles: ['administrator'] }] })
    })
    try {
      const { client } = makeClient(server.url, { currencyDecimals: 0 })
      const me = await client.me()
      expect(me.currency).toBeNull()
      expect(client.currencyDecimals()).toBe(0)
    } finally {
      await server.close()
    }
  })
})
