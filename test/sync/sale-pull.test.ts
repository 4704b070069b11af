// Pulling a sale from the simulator over real HTTP into a real SQLite file.
import { buildSyncRegistry } from '../../src-main/app/compose'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createMemorySecretStore } from '../../src-main/circuit'
import { openReplica, type Replica } from '../../src-main/db/replica'
import { manualClock } from '../../src-main/core/clock'
import { EventBus } from '../../src-main/core/event-bus'
import { silentLogger } from '../../src-main/core/ports'
import { createCircuitGateway } from '../../src-main/sync/circuit-gateway'
import { PULLED_ORDER_TYPES, createSalePull, readCursor } from '../../src-main/sync/sale-pull'
import { lookupBuyers, lookupLots } from '../../src-main/lookup/lookup'
import type { PullProgress } from '../../src-shared/events'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from './proxy'

const LOTS = 300
const CLIENTS = 150
const PAGE = 50

let sim: RunningSimulator
let proxy: TestProxy
let db: Replica
let cleanup: () => void
let closers: (() => Promise<void>)[] = []

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  sim = await startSimulator({ seed: 3, lots: LOTS, clients: CLIENTS, quiet: true })
  proxy = await startProxy(sim.url)
  db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
})
afterEach(async () => {
  for (const c of closers) await c()
  closers = []
  db.close()
  await proxy.close()
  await sim.close()
  cleanup()
})

async function puller() {
  const clock = manualClock(Date.now())
  const events = new EventBus()
  const progress: PullProgress[] = []
  events.subscribe((name, payload) => {
    if (name === 'pull.progress') progress.push(payload as PullProgress)
  })
  const gateway = await createCircuitGateway({
    db,
    clock,
    secrets: createMemorySecretStore(),
    env: { url: proxy.url, email: 'demo@saleroom.test', password: 'demo' },
    log: silentLogger,
    demo: false,
    probeIntervalMs: 0
  })
  closers.push(() => gateway.close())
  const pull = createSalePull({
    db,
    registry: buildSyncRegistry(db),
    gateway,
    clock,
    events,
    log: silentLogger,
    pageSize: PAGE
  })
  return { pull, gateway, progress, client: gateway.client()! }
}

const count = (table: string, where = '') =>
  (db.raw.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get() as { n: number }).n

async function serverCount(
  client: Awaited<ReturnType<typeof puller>>['client'],
  key: 'items.list' | 'clients.list' | 'bidders.list' | 'phoneCards.list',
  filter: Record<string, string>
) {
  return (await client.fetchPage(key, { filter }, 0, 1)).count
}

describe('pulling a sale into the replica', () => {
  it('pulls the sale whole: sessions, reference lists, clients, paddles, lots, phone cards, orders, payments; with progress', async () => {
    const { pull, progress, client } = await puller()
    expect(await pull.open('1')).toEqual({ saleId: '1', started: true })
    expect(await pull.open('1')).toEqual({ saleId: '1', started: false }) // one pull per sale at a time
    await pull.wait('1')

    expect(count('items', "WHERE sale_id = '1'")).toBe(await serverCount(client, 'items.list', { sale: '1' }))
    expect(count('items', "WHERE sale_id = '1'")).toBeGreaterThanOrEqual(LOTS)
    expect(count('clients')).toBe(await serverCount(client, 'clients.list', {}))
    expect(count('sale_bidders', "WHERE sale_id = '1'")).toBe(await serverCount(client, 'bidders.list', { sale: '1' }))
    expect(count('phone_bidder_cards', "WHERE sale_id = '1'")).toBe(
      await serverCount(client, 'phoneCards.list', { sale_id: '1' })
    )
    expect(count('phone_card_lots')).toBeGreaterThan(0)
    expect(count('sale_sessions', "WHERE sale_id = '1'")).toBe(2)
    expect(count('staff')).toBeGreaterThan(0)
    // Sale 2's history has orders and payments: pulled with it, each once — the buyers' and the consignors'.
    await pull.open('2')
    await pull.wait('2')
    const orders = await client.listAll('orders.list', { filter: { sale: '2', type: { in: PULLED_ORDER_TYPES } } })
    expect(count('orders', "WHERE sale_id = '2'")).toBe(orders.length)
    expect(count('orders', "WHERE sale_id = '2' AND type = 'consignor'")).toBeGreaterThan(0)
    expect(orders.length).toBeGreaterThan(0)
    const payments = await client.listAll('transactions.list', { filter: { order: { in: orders.map((o) => o.id) } } })
    expect(count('transactions')).toBe(payments.length)
    expect(payments.length).toBeGreaterThan(0)
    expect(count('order_lines')).toBe(orders.reduce((n, o) => n + o.lines.length, 0))
    // The consignments and Circuit's consignment statements, for the consignors' statements offline.
    const consignments = await client.consignments.forSale('2')
    expect(count('consignments', "WHERE sale_id = '2'")).toBe(consignments.length)
    expect(count('consignment_statements', "WHERE sale_id = '2'")).toBe(
      (await client.consignmentStatements.forSale('2')).length
    )
    for (const v of ['payment_types', 'bank_accounts', 'additional_charges', 'bid_steps', 'tax_types', 'vat_amounts']) {
      expect(count('reference_terms', `WHERE vocabulary = '${v}'`), v).toBeGreaterThan(0)
    }
    // Money arrived as integer minor units, and raw JSON is kept.
    const item = db.raw.prepare("SELECT estimate_low, raw FROM items WHERE sale_id = '1' AND lot = '27'").get() as {
      estimate_low: number
      raw: string
    }
    expect(Number.isSafeInteger(item.estimate_low)).toBe(true)
    expect(JSON.parse(item.raw)).toHaveProperty('id')

    const phases = [...new Set(progress.filter((p) => p.saleId === '1').map((p) => p.phase))]
    expect(phases).toEqual([
      'sale',
      'sessions',
      'reference',
      'clients',
      'bidders',
      'items',
      'phone-cards',
      'orders',
      'transactions',
      'consignments',
      'statements',
      'done'
    ])
    const items = progress.filter((p) => p.saleId === '1' && p.phase === 'items' && p.fetched > 0)
    expect(items.at(-1)).toMatchObject({
      fetched: count('items', "WHERE sale_id = '1'"),
      total: count('items', "WHERE sale_id = '1'")
    })
    expect(readCursor(db, '1')).toMatchObject({ complete: true })
    expect(db.raw.prepare("SELECT pulled_at FROM sales WHERE id = '1'").get()).not.toEqual({ pulled_at: null })

    // Look-ups answer from the replica.
    expect(lookupLots(db, '27', '1', 10)[0]).toMatchObject({ lot: '27', saleId: '1' })
    const paddle = db.raw.prepare("SELECT paddle, client_id FROM sale_bidders WHERE sale_id = '1' LIMIT 1").get() as {
      paddle: string
      client_id: string
    }
    expect(lookupBuyers(db, paddle.paddle, '1', 5)[0].clientId).toBe(paddle.client_id)
  })

  it('a pull cut off mid-way leaves a consistent replica and resumes where it stopped', async () => {
    const { pull, progress } = await puller()
    let itemPages = 0
    proxy.rule = (path) => (path.includes('/datatable-items?') && ++itemPages === 4 ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(progress.at(-1)).toMatchObject({
      phase: 'failed',
      done: true,
      error: expect.stringContaining('Pulling sale 1')
    })
    const cursor = readCursor(db, '1')!
    expect(cursor).toMatchObject({ phase: 'items', complete: false })
    // Exactly the three pages that arrived are stored, with the cursor after them.
    expect(count('items')).toBe(3 * PAGE)
    expect(cursor.fetched).toBe(3 * PAGE)

    const before = proxy.log.length
    proxy.rule = () => 'pass'
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(db, '1')).toMatchObject({ complete: true })
    const resumed = proxy.log.slice(before)
    // It went on from the 4th items page: no earlier item page and no client page was fetched again.
    const itemRequests = resumed.filter((l) => l.includes('/datatable-items?'))
    expect(itemRequests[0]).toMatch(/page=3\b/)
    expect(resumed.some((l) => l.includes('/datatable-clients'))).toBe(false)
    expect(count('items', "WHERE sale_id = '1'")).toBeGreaterThanOrEqual(LOTS)
  })

  it('a page that does not decode stores nothing from that page and names the field', async () => {
    const { pull, progress } = await puller()
    let itemPages = 0
    proxy.rule = (path) => {
      if (!path.includes('/datatable-items?') || ++itemPages !== 2) return 'pass'
      return {
        body: JSON.stringify({
          data: [
            {
              id: '999999',
              lot: '1',
              label: 'x',
              description: 'x',
              sale: { id: '1', label: 's' },
              estimate_low: 'lots',
              status: 'available'
            }
          ],
          count: LOTS
        })
      }
    }
    await pull.open('1')
    await pull.wait('1')
    expect(progress.at(-1)?.error).toMatch(/estimate_low/)
    expect(count('items')).toBe(PAGE)
    expect(count('items', "WHERE id = '999999'")).toBe(0)
  })

  it('opening a pulled sale again fetches only what changed, and the server version wins', async () => {
    const { pull } = await puller()
    await pull.open('1')
    await pull.wait('1')
    const lot = db.raw.prepare("SELECT id FROM items WHERE sale_id = '1' AND lot = '42'").get() as { id: string }
    const paddle = (
      db.raw.prepare("SELECT paddle FROM sale_bidders WHERE sale_id = '1' LIMIT 1").get() as { paddle: string }
    ).paddle
    const edit = await fetch(`${sim.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'sell', item: lot.id, paddle, price: '450.00' })
    })
    expect(edit.status).toBe(200)
    db.raw.prepare("UPDATE items SET location = 'B3' WHERE id = ?").run(lot.id)

    const before = proxy.log.length
    await pull.open('1')
    await pull.wait('1')
    const delta = proxy.log.slice(before).filter((l) => l.includes('/datatable-items?'))
    expect(delta[0]).toContain('filter[updated][value][from]=')
    expect(
      db.raw.prepare('SELECT hammer, status, winner_paddle, location FROM items WHERE id = ?').get(lot.id)
    ).toEqual({
      hammer: 45000,
      status: 'sold',
      winner_paddle: paddle,
      location: 'B3' // the warehouse's shelf is ours: a pull keeps it
    })
  })

  it('never overwrites a row that has a change not yet acknowledged by Circuit', async () => {
    const { pull } = await puller()
    await pull.open('1')
    await pull.wait('1')
    const lot = db.raw.prepare("SELECT id FROM items WHERE sale_id = '1' AND lot = '43'").get() as { id: string }
    db.raw
      .prepare(
        `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_version, next_attempt_at, created_at)
         VALUES ('op-1', 'item', ?, 'hammer', '{}', 1, 0, 0)`
      )
      .run(lot.id)
    db.raw.prepare("UPDATE items SET hammer = 12300, status = 'sold', winner_paddle = 'LOCAL' WHERE id = ?").run(lot.id)
    await fetch(`${sim.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'withdraw', item: lot.id })
    })
    await pull.open('1')
    await pull.wait('1')
    expect(db.raw.prepare('SELECT hammer, winner_paddle FROM items WHERE id = ?').get(lot.id)).toEqual({
      hammer: 12300,
      winner_paddle: 'LOCAL'
    })
    // Once acknowledged, the next pull brings the server's version.
    db.raw.prepare("UPDATE outbox SET state = 'done' WHERE op_id = 'op-1'").run()
    await fetch(`${sim.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'unsell', item: lot.id })
    })
    await pull.open('1')
    await pull.wait('1')
    expect(db.raw.prepare('SELECT winner_paddle FROM items WHERE id = ?').get(lot.id)).toEqual({ winner_paddle: null })
  })

  it('with the server gone, the sale list comes from the replica and the gateway says offline', async () => {
    const { pull, gateway } = await puller()
    await pull.open('1')
    await pull.wait('1')
    proxy.rule = () => 'drop'
    const sales = await pull.list()
    expect(sales.map((s) => s.id)).toEqual(['1'])
    expect(sales[0]).toMatchObject({ complete: true })
    expect(gateway.state().connection).toBe('offline')
    expect(lookupLots(db, '27', undefined, 5)[0]).toMatchObject({ lot: '27' })
  })
})
