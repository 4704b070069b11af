// The fault soak: two stations (two cores, two data folders) clerk against one
// simulator that fails 10% of requests with 500, 5% with 429, drops 3% of
// connections after applying the change, and expires every token midway. In
// the end Circuit holds exactly what the stations recorded, each change once.
// SALEROOM_SOAK_OPS sets the size (default 2,000 operations).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, PodiumLot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { appliedChanges, seededRandom } from './soak-tools'
import { startStation, type Station } from './stations'

const OPS = Number(process.env.SALEROOM_SOAK_OPS ?? 2000)

let sim: RunningSimulator
const dirs: { cleanup(): void }[] = []
const stations: Station[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, lots: 300, clients: 80, quiet: true })
})
afterAll(async () => {
  for (const s of stations) await s.close()
  await sim.close()
  for (const d of dirs) d.cleanup()
})

const simPost = (path: string, body: unknown = {}) =>
  fetch(`${sim.url}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  }).then((r) => r.json())

/** One random podium action on one of this station's lots, valid for the lot's state. */
async function act(s: Station, lot: PodiumLot, board: ClerkBoard, random: () => number): Promise<string> {
  const r = random()
  if (r < 0.08) {
    const res = await s.send('clerking.undo')
    return res.ok ? 'undo' : 'undo-none'
  }
  const sell = () => {
    const bidder = board.bidders[Math.floor(random() * board.bidders.length)]
    return s.call('clerking.sell', {
      itemId: lot.id,
      paddle: bidder.paddle,
      amount: (1 + Math.floor(random() * 300)) * 5_00,
      confirm: true
    })
  }
  switch (lot.status) {
    case 'available':
      if (r < 0.7) await sell()
      else await s.call(r < 0.9 ? 'clerking.pass' : 'clerking.withdraw', { itemId: lot.id })
      return 'clerk'
    case 'sold':
      if (r < 0.4) {
        const res = await sell().catch(() => null) // the same buyer and price again changes nothing
        return res ? 're-sell' : 'same'
      }
      await s.call(r < 0.8 ? 'clerking.reopen' : 'clerking.pass', { itemId: lot.id })
      return 'change'
    default:
      await s.call(r < 0.7 ? 'clerking.reopen' : 'clerking.withdraw', { itemId: lot.id }).catch(() => null)
      return 'change'
  }
}

describe('fault soak', () => {
  it(`${OPS} clerking operations from two stations reach Circuit exactly once`, async () => {
    for (const name of ['A', 'B']) {
      const t = tempDir(`saleroom-soak-${name}-`)
      dirs.push(t)
      const s = await startStation(t.dir, sim.url, { name, tickMs: 20, random: seededRandom(name.charCodeAt(0)) })
      stations.push(s)
      await s.pull('1')
    }
    const [a, b] = stations
    const board = await a.call<ClerkBoard>('clerking.board', { saleId: '1' })
    // Each station has its own lots (two podiums, two rooms): no conflicts by design.
    const mine = (s: Station) => board.lots.filter((_, i) => i % 2 === (s === a ? 0 : 1)).slice(0, 80)
    await simPost('faults', { error500Rate: 0.1, rate429: 0.05, dropAfterApplyRate: 0.03, retryAfterSeconds: 0 })

    const random = seededRandom(2026)
    for (let i = 0; i < OPS; i++) {
      const s = i % 2 === 0 ? a : b
      const lots = mine(s)
      const pick = lots[Math.floor(random() * lots.length)]
      const [lot] = await s.call<PodiumLot[]>('clerking.lots', { ids: [pick.id] })
      await act(s, lot, board, random)
      if (i === Math.floor(OPS / 2)) await simPost('expire-tokens')
      // Let the senders run between bursts, as a podium gives them time between lots.
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5))
    }

    await simPost('faults', { error500Rate: 0, rate429: 0, dropAfterApplyRate: 0 })
    await Promise.all([a.settle(120_000), b.settle(120_000)])
    for (const s of stations) expect(s.openEntries()).toEqual([])

    const applied = await appliedChanges(sim)
    for (const s of stations) {
      const local = (await s.call<ClerkBoard>('clerking.board', { saleId: '1' })).lots
      const db = s.core.replica()!.raw
      const entries = db.prepare(`SELECT entity_id, payload FROM outbox ORDER BY seq`).all() as {
        entity_id: string
        payload: string
      }[]
      for (const lot of mine(s)) {
        const here = local.find((l) => l.id === lot.id)!
        const server = sim.store.items.get(lot.id)!
        // The simulator's lots equal the expected results…
        expect({ id: lot.id, status: server.status, hammer: server.hammer, winner: server.winnerId }).toEqual({
          id: lot.id,
          status: here.status,
          hammer: here.hammer,
          winner: here.status === 'sold' ? server.winnerId : null
        })
        if (here.status === 'sold') expect(here.paddle).toBeTruthy()
        // …each change applied once, none missing, in order…
        const ours = entries.filter((e) => e.entity_id === lot.id).map((e) => JSON.parse(e.payload).target.status)
        expect({ lot: lot.id, changes: applied.get(lot.id) ?? [] }).toEqual({ lot: lot.id, changes: ours })
      }
    }
    // …and both replicas equal the server, row for row, once each has pulled the other's results.
    for (const s of stations) {
      await s.pull('1')
      const rows = s.core.replica()!.raw.prepare(`SELECT id, status, hammer, winner_client_id FROM items`).all() as {
        id: string
        status: string
        hammer: number | null
        winner_client_id: string | null
      }[]
      for (const r of rows) {
        const server = sim.store.items.get(r.id)!
        expect(r).toEqual({ id: r.id, status: server.status, hammer: server.hammer, winner_client_id: server.winnerId })
      }
    }
    expect(a.core.pusher()!.totals.alreadyApplied + b.core.pusher()!.totals.alreadyApplied).toBeGreaterThan(0)
  }, 600_000)
})
