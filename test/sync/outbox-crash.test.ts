// Kill the real web host (SIGKILL) again and again while its outbox drains to
// the simulator; every restart must carry on where the last one died, and in
// the end Circuit holds each result exactly once. SALEROOM_CRASH_KILLS sets the
// number of kills (default 20).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { replicaPath } from '../../src-main/app/boot'
import type { ClerkBoard, StatusSnapshot } from '../../src-shared/contract'
import { startHost, type RunningHost } from '../e2e/harness'
import { tempDir } from '../helpers'
import { appliedChanges, seededRandom } from './soak-tools'

const KILLS = Number(process.env.SALEROOM_CRASH_KILLS ?? 20)
const ACTIONS = 120

let sim: RunningSimulator
let dataDir: string
let cleanup: () => void
let host: RunningHost | null = null

beforeAll(async () => {
  sim = await startSimulator({ seed: 9, lots: 200, clients: 60, quiet: true })
  const t = tempDir('saleroom-outbox-crash-')
  dataDir = t.dir
  cleanup = t.cleanup
})
afterAll(async () => {
  if (host) {
    host.proc.kill('SIGKILL')
    await host.stop()
  }
  await sim.close()
  cleanup()
})

const env = () => ({ CIRCUIT_URL: sim.url, CIRCUIT_EMAIL: 'demo@saleroom.test', CIRCUIT_PASSWORD: 'demo' })

async function call<T>(h: RunningHost, name: string, input: unknown = {}): Promise<T> {
  const url = new URL(h.url)
  const res = await fetch(`${url.origin}/rpc/${name}`, {
    method: 'POST',
    headers: { 'x-saleroom-token': url.searchParams.get('token')!, 'content-type': 'application/json' },
    body: JSON.stringify(input)
  })
  const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } }
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`)
  return body.data
}

const faults = (config: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config)
  })

describe('SIGKILL while the outbox drains', () => {
  it(
    `converges after ${KILLS} kills with nothing lost or doubled`,
    async () => {
      host = await startHost(dataDir, env())
      await call(host, 'sale.open', { saleId: '1' })
      await expect
        .poll(
          async () =>
            (await call<{ id: string; complete: boolean }[]>(host!, 'sales.list')).find((s) => s.id === '1')?.complete,
          {
            timeout: 30_000,
            interval: 50
          }
        )
        .toBe(true)

      // Slow answers keep the outbox draining for a while; one answer in 20 is lost after applying.
      await faults({ latencyMs: 150, dropAfterApplyRate: 0.05 })
      const board = await call<ClerkBoard>(host, 'clerking.board', { saleId: '1' })
      const random = seededRandom(42)
      const lots = board.lots.slice(0, 60)
      for (let i = 0; i < ACTIONS; i++) {
        const lot = lots[Math.floor(random() * lots.length)]
        const current = (await call<ClerkBoard['lots']>(host, 'clerking.lots', { ids: [lot.id] }))[0]
        const r = random()
        if (current.status === 'available' && r < 0.6) {
          const bidder = board.bidders[Math.floor(random() * board.bidders.length)]
          await call(host, 'clerking.sell', {
            itemId: lot.id,
            paddle: bidder.paddle,
            amount: (1 + Math.floor(random() * 40)) * 10_00,
            confirm: true
          })
        } else if (current.status === 'available') {
          await call(host, r < 0.85 ? 'clerking.pass' : 'clerking.withdraw', { itemId: lot.id })
        } else {
          await call(host, 'clerking.reopen', { itemId: lot.id })
        }
      }

      for (let k = 0; k < KILLS; k++) {
        if (!host) host = await startHost(dataDir, env())
        await new Promise((r) => setTimeout(r, 50 + Math.floor(random() * 400)))
        host.proc.kill('SIGKILL')
        await host.stop()
        host = null
      }

      // The kills landed while there was still work: the last restart has entries to finish.
      const left = new BetterSqlite3(replicaPath(dataDir), { readonly: true })
      const unfinished = (
        left.prepare(`SELECT count(*) AS n FROM outbox WHERE state NOT IN ('done', 'discarded')`).get() as { n: number }
      ).n
      const done = (left.prepare(`SELECT count(*) AS n FROM outbox WHERE state = 'done'`).get() as { n: number }).n
      left.close()
      expect(unfinished).toBeGreaterThan(0)
      expect(done).toBeGreaterThan(0)

      await faults({ latencyMs: 0, dropAfterApplyRate: 0 })
      host = await startHost(dataDir, env())
      await expect
        .poll(async () => (await call<StatusSnapshot>(host!, 'app.status')).pending, { timeout: 60_000, interval: 100 })
        .toBe(0)
      const status = await call<StatusSnapshot>(host, 'app.status')
      expect(status).toMatchObject({ needsAttention: 0, conflicts: 0 })

      // Circuit holds what the podium shows, lot by lot.
      const final = await call<ClerkBoard>(host, 'clerking.board', { saleId: '1' })
      for (const lot of final.lots) {
        const s = sim.store.items.get(lot.id)!
        expect({ id: lot.id, status: s.status, hammer: s.hammer }).toEqual({
          id: lot.id,
          status: lot.status,
          hammer: lot.hammer
        })
      }
      // Exactly once: each outbox entry is one applied change on Circuit, in order.
      const db = new BetterSqlite3(replicaPath(dataDir), { readonly: true })
      const entries = db.prepare(`SELECT entity_id, payload FROM outbox WHERE state = 'done' ORDER BY seq`).all() as {
        entity_id: string
        payload: string
      }[]
      db.close()
      expect(entries.length).toBe(ACTIONS)
      const applied = await appliedChanges(sim)
      for (const lot of lots) {
        const ours = entries.filter((e) => e.entity_id === lot.id).map((e) => JSON.parse(e.payload).target.status)
        expect({ lot: lot.id, changes: applied.get(lot.id) ?? [] }).toEqual({ lot: lot.id, changes: ours })
      }
      // Its own budget, from its size: each kill is a host started from source (about a second) and
      // a random wait; the 30 s default of unit tests is no measure of this one under a full run.
    },
    60_000 + KILLS * 2_500
  )
})
