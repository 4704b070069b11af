// The podium's actions read and write by index: no statement on their path
// walks a whole table that grows as the house works (lots, orders and their
// lines, the outbox, the audit log, the undo stack). A scan costs nothing on
// a test's few rows and grows with every hammer of a real sale: the buyer's
// order mirror once looked for a tax type through every order line, those it
// had itself written without one included. Each statement the actions run is
// caught as it runs and asked for its query plan.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { Replica, type Prepared } from '../../src-main/db/replica'
import type { ClerkBoard } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const data = tempDir('saleroom-hammer-plan-')

beforeAll(async () => {
  sim = await startSimulator({ seed: 9, lots: 60, clients: 30, quiet: true })
  station = await startStation(data.dir, sim.url, { name: 'Podium' })
  await station.pull('2') // a sale with Circuit's orders (their lines carry a tax type)
  await station.pull('1')
  await station.core.pusher()!.close() // the podium alone: nothing sending meanwhile
})
afterAll(async () => {
  await station.close()
  await sim.close()
  data.cleanup()
})

/** Every SQL text the replica runs while `run` runs (Kysely's compiled, compiled once, and plain). */
async function statementsOf(run: () => Promise<void>): Promise<Set<string>> {
  const seen = new Set<string>()
  const proto = Replica.prototype as unknown as Record<string, (...args: unknown[]) => unknown>
  const originals = new Map<string, (...args: unknown[]) => unknown>()
  for (const method of ['sql', 'exec', 'all', 'first', 'run']) {
    const original = proto[method]
    originals.set(method, original)
    proto[method] = function (this: Replica, query: unknown, ...rest: unknown[]) {
      seen.add(typeof query === 'string' ? query : (query as { compile(): { sql: string } }).compile().sql)
      return original.call(this, query, ...rest)
    }
  }
  // A query compiled once is seen when it runs, not when it is first compiled (it may be kept from before).
  const prepared = proto.prepared
  originals.set('prepared', prepared)
  proto.prepared = function (this: Replica, build: unknown) {
    const p = prepared.call(this, build) as Prepared<object, unknown>
    const seenRun =
      <F extends (a: object) => unknown>(f: F) =>
      (a: object) => {
        seen.add(p.sql)
        return f(a)
      }
    return { ...p, all: seenRun(p.all), first: seenRun(p.first), run: seenRun(p.run) }
  }
  try {
    await run()
  } finally {
    for (const [method, original] of originals) proto[method] = original
  }
  return seen
}

const GROWING = ['items', 'orders', 'order_lines', 'outbox', 'audit_log', 'clerk_actions', 'sale_bidders', 'clients']

it('no clerking action walks a whole table that grows with use', async () => {
  const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
  const [buyer, other] = board.bidders.filter((b) => b.type === 'floor')
  const [l1, l2, l3] = board.lots.filter((l) => l.status === 'available')
  const seen = await statementsOf(async () => {
    await station.call('clerking.sell', { itemId: l1.id, paddle: buyer.paddle, amount: 120_000, confirm: true })
    await station.call('clerking.sell', { itemId: l2.id, paddle: buyer.paddle, amount: 50_000, confirm: true })
    // Sold again to another buyer: the line leaves the first buyer's order.
    await station.call('clerking.sell', { itemId: l2.id, paddle: other.paddle, amount: 55_000, confirm: true })
    await station.call('clerking.pass', { itemId: l3.id })
    await station.call('clerking.undo', {})
    await station.call('clerking.withdraw', { itemId: l3.id })
    await station.call('clerking.reopen', { itemId: l3.id })
  })
  expect(seen.size).toBeGreaterThan(5)
  const raw = station.core.replica()!.raw
  const scans: string[] = []
  for (const sql of seen) {
    if (/^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(sql)) continue
    const params = (sql.match(/\?/g) ?? []).map(() => null)
    const plan = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]
    for (const { detail } of plan) {
      const m = /^SCAN (\w+)/.exec(detail)
      if (!m) continue
      // The alias a statement gives a table, back to the table's name ("order_lines l", never the
      // "SELECT l" of "SELECT l.tax_id": an alias followed by a dot is a use, not the naming).
      // Kysely quotes every name ("items" as "i"): the quotes go before the alias is looked for.
      const alias = new RegExp(`\\b(\\w+)\\s+(?:AS\\s+)?${m[1]}\\b(?!\\.)`, 'i').exec(sql.replace(/"/g, ''))
      const table = GROWING.includes(m[1]) ? m[1] : alias && GROWING.includes(alias[1]) ? alias[1] : null
      if (table) scans.push(`${detail} (${table}) in: ${sql.replace(/\s+/g, ' ').trim()}`)
    }
  }
  expect(scans).toEqual([])
})
