// Contract test: every endpoint in the table against the Circuit simulator
// (src-main/circuit-sim), plus token expiry/refresh, 429 and dropped answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator } from '../../src-main/circuit-sim/index'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'
import { CircuitRateLimited, CircuitUnknownOutcome, isCircuitError } from '../../src-main/circuit/errors'
import { TERM_VOCABULARIES } from '../../src-main/circuit/endpoints'
import { caught } from './helpers'

const T0 = Date.UTC(2026, 10, 26, 9, 0)
const clock = { t: T0 }
const now = () => clock.t
let sim: Awaited<ReturnType<typeof startSimulator>>
let client: CircuitApiClient

async function control(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}/_sim/${path}`, {
    method: body === undefined && path !== 'expire-tokens' && path !== 'reset' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? (path === 'expire-tokens' || path === 'reset' ? '{}' : undefined) : JSON.stringify(body)
  })
  return res.json()
}
const NO_FAULTS = { latencyMs: 0, error500Rate: 0, rate429: 0, dropAfterApplyRate: 0 }
const loginCount = async () => ((await control('stats')).data.requests['GET /api/login-token'] ?? 0) as number

function makeClient(over: Partial<Parameters<typeof createCircuitClient>[0]> = {}): CircuitApiClient {
  return createCircuitClient({
    baseUrl: sim.url,
    now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    timeoutMs: 5000,
    ...over
  })
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 1,
    lots: 60,
    clients: 40,
    user: 'demo@saleroom.test',
    password: 'demo',
    tokenTtlSeconds: 3600,
    now,
    quiet: true
  })
  client = makeClient()
})
afterAll(() => sim?.close())
beforeEach(async () => {
  await control('faults', NO_FAULTS)
})

describe('every endpoint decodes against the simulator', () => {
  it('me, sales, sessions', async () => {
    const me = await client.me()
    expect(me.id).toBeTruthy()
    expect(me.currency?.decimals).toBe(2)
    const sales = await client.listAll('sales.list', {}, { range: 2 })
    expect(sales.length).toBeGreaterThanOrEqual(3)
    const s1 = await client.sales.get('1')
    expect(s1).toMatchObject({ id: '1', status: expect.any(String) })
    const sessions = await client.sessions.forSale('1')
    expect(sessions.rows.length).toBeGreaterThan(0)
    expect(sessions.rows.every((s) => s.saleId === '1' && Number.isInteger(s.number))).toBe(true)
  })

  it('items: list (all pages), get, lots, patch hammer, delete winning bid', async () => {
    const pages: number[] = []
    const items = await client.listAll(
      'items.list',
      { filter: { sale: '1' } },
      { range: 25, onPage: (_r, p) => void pages.push(p.page) }
    )
    expect(items).toHaveLength(60)
    expect(pages).toEqual([0, 1, 2])
    expect(items.every((i) => Number.isInteger(i.estimateLow ?? 0) && i.saleId === '1')).toBe(true)
    const lots = await client.items.lots('1')
    expect(lots.rows).toHaveLength(60)
    const target = items.find((i) => i.status === 'available')!
    expect(await client.items.get(target.id)).toMatchObject({ id: target.id, lot: target.lot })
    const bidders = await client.bidders.forSale('1')
    const bidder = bidders.rows[0]
    const sold = await client.items.patch(target.id, {
      field_sold_for_amount: 45050,
      field_winner_bidder: bidder.clientId,
      field_bidder_alias: bidder.paddle,
      field_sold_status: 'sold'
    })
    expect(sold).toMatchObject({ status: 'sold', hammer: 45050, winnerClientId: bidder.clientId })
    const undo = await client.items.deleteWinningBid(target.id)
    expect(undo).toMatchObject({ success: true, itemId: target.id, previousHammer: 45050 })
    expect((await client.items.get(target.id)).hammer).toBeNull()
    const withdrawn = await client.items.patch(target.id, { field_withdrawn: true })
    expect(withdrawn?.status).toBe('withdrawn')
  })

  it('clients and addresses', async () => {
    const page = await client.clients.list({ range: 10, sort: '-updated' })
    expect(page.rows).toHaveLength(10)
    expect(page.count).toBeGreaterThanOrEqual(40)
    const c = await client.clients.get(page.rows[0].id)
    expect(c.id).toBe(page.rows[0].id)
    const created = await client.clients.create({
      first_name: 'Ada',
      last_name: 'Contract',
      email: 'ada@example.test',
      status: 'new'
    })
    expect(created).toMatchObject({ firstName: 'Ada', lastName: 'Contract' })
    const patched = await client.clients.patch(created.id, { phone: '+44 20 7946 0000' })
    expect(patched?.phone).toBe('+44 20 7946 0000')
    const addr = await client.addresses.create({
      client: created.id,
      address: { country: 'GB', locality: 'London', postal_code: 'SW1A 1AA', thoroughfare: '1 Test St' },
      address_types: ['billing'],
      default_address: true
    })
    expect(addr).toMatchObject({ clientId: created.id, address: { city: 'London', country: 'GB' } })
    const second = await client.addresses.create({
      client: created.id,
      address: { country: 'GB', locality: 'Bath', postal_code: 'BA1 1AA', thoroughfare: '2 Test St' },
      address_types: ['shipping']
    })
    expect((await client.addresses.patch(second.id, { address: { thoroughfare: '3 Test St' } }))?.address.street).toBe(
      '3 Test St'
    )
    expect((await client.addresses.get(second.id)).id).toBe(second.id)
    expect((await client.addresses.forClient(created.id)).rows).toHaveLength(2)
    expect(await client.addresses.delete(second.id)).toMatchObject({ ok: true })
  })

  it('bidders, phone cards (list, upsert, delete), session phone cards', async () => {
    const bidders = await client.listAll('bidders.list', { filter: { sale: '1' } }, { range: 50 })
    expect(bidders.length).toBeGreaterThan(0)
    expect(bidders.every((b) => b.saleId === '1' && b.paddle !== '')).toBe(true)
    const sessions = await client.sessions.forSale('1')
    const session = sessions.rows[0]
    const cards = await client.phoneCards.list({ saleId: '1' })
    expect(cards.rows.every((c) => c.saleId === '1')).toBe(true)
    const clientId = bidders[0].clientId
    const card = await client.phoneCards.upsert({
      sale_id: '1',
      session_id: session.id,
      client_id: clientId,
      phone: '+44 7700 900000',
      lots: []
    })
    expect(card).toMatchObject({ saleId: '1', clientId, phone: '+44 7700 900000' })
    const again = await client.phoneCards.upsert({
      sale_id: '1',
      session_id: session.id,
      client_id: clientId,
      phone: '+44 7700 900001'
    })
    expect(again?.id).toBe(card!.id) // upsert in place
    const perSession = await client.phoneCards.forSession(session.id)
    expect(perSession.rows.some((c) => c.id === card!.id)).toBe(true)
    expect(await client.phoneCards.delete(card!.id)).toMatchObject({ ok: true })
  })

  it('orders: list, get, create, patch, split, credit note, cancel-and-reissue', async () => {
    const orders = await client.listAll('orders.list', { filter: { type: 'bidder' } }, { range: 20 })
    expect(orders.length).toBeGreaterThan(0)
    const full = await client.orders.get(orders[0].id)
    expect(full.lines.length).toBeGreaterThan(0)
    expect(full.lines.every((l) => Number.isInteger(l.hammer ?? 0))).toBe(true)

    const open =
      orders.find((o) => (o.status === 'new' || o.status === 'in_process') && o.lines.length >= 2) ??
      orders.find((o) => o.status === 'new' || o.status === 'in_process')!
    const openFull = await client.orders.get(open.id)
    const charges = await client.terms.list('additional_charges')
    const patched = await client.orders.patch(open.id, {
      additional_charges: [{ term: charges.rows[0].id, amount: 2550, description: 'Packing' }]
    })
    expect(patched?.charges.some((c) => c.amount === 2550)).toBe(true)
    expect(openFull.lines.length).toBeGreaterThanOrEqual(2)
    const split = await client.orders.split(open.id, [openFull.lines[0].itemId])
    expect(split.originalOrderId).toBe(open.id)
    expect(split.movedItems).toEqual([openFull.lines[0].itemId])

    const finished = orders.find((o) => o.status === 'finished')!
    const finishedFull = await client.orders.get(finished.id)
    const note = await client.orders.createCreditNote(finished.id, [finishedFull.lines[0].itemId])
    expect(note.creditNoteOrderId).toBeTruthy()

    const locked = orders.find((o) => o.status === 'locked')!
    const reissued = await client.orders.cancelAndReissue(locked.id)
    expect(reissued.newOrderId).toBeTruthy()
    expect(reissued.creditNoteId).toBeTruthy()

    // a new empty order for a client in sale 3
    const c = (await client.clients.list({ range: 1 })).rows[0]
    const created = await client.orders.create({ type: 'bidder', sale: '3', owner: c.id, items: [] })
    expect(created).toMatchObject({ saleId: '3', clientId: c.id, status: 'new' })
  })

  it('transactions (list, create, patch, delete) and cheques', async () => {
    const txs = await client.listAll('transactions.list', {}, { range: 50 })
    expect(txs.length).toBeGreaterThan(0)
    expect(txs.every((t) => Number.isInteger(t.amount))).toBe(true)
    const cheque = txs.find((t) => t.type === 'cheque')!
    const r = await client.cheques.generate(cheque.id)
    expect(r.chequeUrl).toMatch(/cheque_/)
    expect((await client.cheques.generate(cheque.id, { current: true })).chequeUrl).toMatch(/cheque_/)
    const order = (await client.orders.list({ filter: { status: 'new' } })).rows[0]
    const created = await client.transactions.create({
      order: order.id,
      transaction_type: 'Payment',
      amount: 1999,
      transaction_date: '2026-11-26',
      credit_card_type: 'Visa',
      credit_card_last_4_digits: '4242',
      info: 'contract'
    })
    expect(created).toMatchObject({ orderId: order.id, amount: 1999 })
    const forOrder = await client.transactions.forOrder(order.id)
    expect(forOrder.rows.find((t) => t.id === created.id)).toMatchObject({ type: 'card', cardLast4: '4242' })
    const patched = await client.transactions.patch(created.id, { amount: 2000, info: 'fixed' })
    expect(patched?.amount ?? 2000).toBe(2000)
    expect(await client.transactions.delete(created.id)).toMatchObject({ ok: true })
  })

  it('taxonomy terms', async () => {
    for (const v of TERM_VOCABULARIES) {
      const all = await client.terms.all(v)
      expect(all.length, v).toBeGreaterThan(0)
    }
    const steps = await client.terms.all('bid_steps')
    expect(steps[0].ranges?.[0]).toEqual({ from: 0, increment: 500 })
  })
})

describe('behaviour against the simulator', () => {
  it('token expiry: 403 expired → one shared re-login; clock-based refresh before expire', async () => {
    const c = makeClient()
    await c.sales.list()
    const before = await loginCount()
    await control('expire-tokens')
    const results = await Promise.all([
      c.sales.list(),
      c.items.list({ filter: { sale: '1' }, range: 5 }),
      c.clients.list({ range: 5 })
    ])
    expect(results).toHaveLength(3)
    expect((await loginCount()) - before).toBe(1)
    // the simulator issues tokens for 3600 s on the shared clock: 59.5 min later
    // the client refreshes proactively (60 s margin) instead of hitting a 403
    clock.t += 3570_000
    const beforeRefresh = await loginCount()
    await c.sales.list()
    expect((await loginCount()) - beforeRefresh).toBe(1)
  })

  it('429 → CircuitRateLimited with retryAt; succeeds after waiting', async () => {
    const c = makeClient()
    await c.sales.list() // log in first (faults also apply to login-token)
    await control('faults', { ...NO_FAULTS, rate429: 1, retryAfterSeconds: 2 })
    const e = await caught(c.sales.list())
    expect(e).toBeInstanceOf(CircuitRateLimited)
    expect(e.retryAt).toBe(clock.t + 2000)
    await control('faults', NO_FAULTS)
    clock.t = e.retryAt // "wait" on the injected clock
    expect((await c.sales.list()).rows.length).toBeGreaterThan(0)
  })

  it('dropped after apply → CircuitUnknownOutcome, and the change is there', async () => {
    const c = makeClient()
    const item = (await c.items.list({ filter: { sale: '1', status: 'available' }, range: 1 })).rows[0]
    await control('faults', { ...NO_FAULTS, dropAfterApplyRate: 1 })
    const e = await caught(c.items.patch(item.id, { field_withdrawn: true }))
    expect(isCircuitError(e)).toBe(true)
    expect(e).toBeInstanceOf(CircuitUnknownOutcome)
    expect(e.outcome).toBe('unknown')
    await control('faults', NO_FAULTS)
    expect((await c.items.get(item.id)).status).toBe('withdrawn')
  })
})
