// Every call in the contract, fed inputs built from its own schema — valid
// ones (with ids that exist in a pulled sale, so the handlers really run),
// near-valid ones that break one rule, and arbitrary junk: the answer is
// always a typed envelope, never `internal`, and a call that fails changes
// no row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { z } from 'zod'
import { calls, CALL_NAMES, type CallName } from '../../src-shared/contract'
import type { Core } from '../../src-main/app/boot'
import { startSimulator } from '../../src-main/circuit-sim'
import { snapshotTables, tempDir, testCore } from '../helpers'
import { startStation } from '../sync/stations'
import { nearValid, valid, type Pools } from './schema-arbitrary'

const ERROR_CODES = new Set([
  'invalid_input',
  'unknown_call',
  'not_found',
  'conflict',
  'offline',
  'auth_required',
  'circuit_error',
  'busy',
  'replica_damaged',
  'forbidden',
  'needs_confirmation',
  'internal'
])

let core: Core
let cleanup: () => void
let pools: Pools = {}
beforeAll(async () => {
  const t = tempDir()
  const copies = tempDir('saleroom-fuzz-copies-')
  cleanup = () => {
    t.cleanup()
    copies.cleanup()
  }
  // A pulled sale in the replica, then a core with no server: nothing runs in
  // the background (no pull, no sender), so a failed call's "nothing changed"
  // is exact.
  const sim = await startSimulator({ seed: 3, lots: 40, clients: 30, quiet: true })
  const seeding = await startStation(t.dir, sim.url)
  await seeding.pull('1')
  await seeding.pull('2')
  await seeding.close()
  await sim.close()
  core = await testCore(t.dir)
  const raw = core.replica()!.raw
  const ids = (sql: string) => (raw.prepare(sql).all() as { v: string | number }[]).map((r) => r.v)
  const itemIds = ids('SELECT id AS v FROM items LIMIT 20')
  pools = {
    itemId: itemIds,
    ids: itemIds,
    saleId: ids('SELECT id AS v FROM sales'),
    clientId: ids('SELECT id AS v FROM clients LIMIT 20'),
    paddle: ids('SELECT paddle AS v FROM sale_bidders LIMIT 20'),
    q: ['1', '2', '20', 'silver', 'marchetti', '204', ''],
    sessionId: ids('SELECT id AS v FROM sale_sessions'),
    staffId: ids('SELECT id AS v FROM staff'),
    lots: ids('SELECT lot AS v FROM items LIMIT 20'),
    lot: ids('SELECT lot AS v FROM items LIMIT 20'),
    phone: ['+44 20 7946 0001', '020 7946 0002'],
    cardId: ids('SELECT id AS v FROM phone_bidder_cards LIMIT 10'),
    fromCardId: ids('SELECT id AS v FROM phone_bidder_cards LIMIT 10'),
    toCardId: ids('SELECT id AS v FROM phone_bidder_cards LIMIT 10'),
    // A real folder outside the data folder: configure may accept it and copies land there.
    folder: [copies.dir],
    orderId: ids('SELECT id AS v FROM orders LIMIT 10'),
    transactionId: ids('SELECT id AS v FROM transactions LIMIT 10'),
    last4: ['4242', '0005'],
    chequeDate: ['2026-11-30'],
    seq: [1, 2, 3]
  }
})
afterAll(async () => {
  await core.close()
  cleanup()
})

function expectEnvelope(result: unknown) {
  expect(result).toBeTypeOf('object')
  const r = result as { ok: boolean; data?: unknown; error?: { code: string; message: string } }
  if (r.ok) return
  expect(r.ok).toBe(false)
  expect(ERROR_CODES.has(r.error!.code)).toBe(true)
  expect(r.error!.message.length).toBeGreaterThan(0)
  // "internal" means a bug: random input must never reach one.
  expect(r.error!.code).not.toBe('internal')
}

/** Log-in calls would reach for a server (or drop the test's): junk and near-valid input only. */
// Calls whose valid inputs reach the network or open a server (log-ins, hosting or joining the venue).
const NO_VALID_RUNS = new Set<CallName>([
  'circuit.connect',
  'circuit.disconnect',
  'app.restoreLatestBackup',
  'venue.host',
  'venue.join'
])

describe('contract fuzz', () => {
  for (const name of CALL_NAMES) {
    it(`${name}: schema-built, near-valid and random input give a typed answer; a failure changes nothing`, async () => {
      const schema = z.toJSONSchema(calls[name].input, { io: 'input' }) as Parameters<typeof valid>[0]
      const inputs = NO_VALID_RUNS.has(name)
        ? fc.oneof(nearValid(schema, pools), fc.anything())
        : fc.oneof(
            { arbitrary: valid(schema, pools), weight: 3 },
            { arbitrary: nearValid(schema, pools), weight: 2 },
            { arbitrary: fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true }), weight: 1 }
          )
      let reachedHandler = 0
      await fc.assert(
        fc.asyncProperty(inputs, async (input) => {
          const raw = core.replica()!.raw
          const before = snapshotTables(raw)
          const result = await core.dispatch(name, input)
          expectEnvelope(result)
          const accepted = calls[name].input.safeParse(input ?? {}).success
          if (accepted) reachedHandler++
          else {
            expect(result.ok).toBe(false)
            if (!result.ok) expect(result.error.code).toBe('invalid_input')
          }
          if (!result.ok) expect(snapshotTables(raw)).toEqual(before)
        }),
        { numRuns: 60, seed: 20261124 }
      )
      // The generator did its job: the handler ran, not just the validator.
      expect(reachedHandler).toBeGreaterThan(NO_VALID_RUNS.has(name) ? -1 : 10)
    })
  }

  it('unknown call names get unknown_call and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.anything(), async (name, input) => {
        fc.pre(!(CALL_NAMES as string[]).includes(name))
        const raw = core.replica()!.raw
        const before = snapshotTables(raw)
        const result = await core.dispatch(name, input)
        expect(result).toMatchObject({ ok: false, error: { code: 'unknown_call' } })
        expect(snapshotTables(raw)).toEqual(before)
      }),
      { numRuns: 100, seed: 7 }
    )
  })

  it('well-formed settings changes are applied and audited with before and after', async () => {
    const r = await core.dispatch('settings.update', { stationName: 'Podium laptop', userName: 'Ann' })
    expect(r).toMatchObject({ ok: true, data: { stationName: 'Podium laptop', userName: 'Ann' } })
    const audit = await core.dispatch('audit.list', { limit: 1 })
    expect(audit.ok && audit.data).toMatchObject([
      { action: 'settings.update', actor: 'Ann', station: 'Podium laptop', after: { stationName: 'Podium laptop' } }
    ])
  })
})

describe('the merged contract', () => {
  it('refuses a call name declared by two capabilities', async () => {
    const { mergeCalls, call } = await import('../../src-shared/contract/define')
    const a = { 'x.y': call<number>()(z.object({}), { mutates: false, summary: 'a' }) }
    const b = { 'x.y': call<number>()(z.object({}), { mutates: false, summary: 'b' }) }
    expect(() => mergeCalls(a, b)).toThrow(/declared twice/)
  })
})
