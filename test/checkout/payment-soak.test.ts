// The fault soak, for checkout: payments, status changes, splits and credit notes from two desks
// against a simulator that fails 10% of requests with 500, 5% with 429,
// drops 3% of connections after applying the change and expires every token
// midway. In the end every payment taken is on Circuit exactly once — none
// doubled, none missing — with its amount, every split moved its lots once
// and every credit note was made once. SALEROOM_SOAK_PAYMENTS sets the size
// (default 300).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { seededRandom } from '../sync/soak-tools'
import { startStation, type Station } from '../sync/stations'

const PAYMENTS = Number(process.env.SALEROOM_SOAK_PAYMENTS ?? 300)

let sim: RunningSimulator
const dirs: { cleanup(): void }[] = []
const desks: Station[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 12, lots: 300, clients: 80, quiet: true })
})
afterAll(async () => {
  for (const s of desks) await s.close()
  await sim.close()
  for (const d of dirs) d.cleanup()
})

const simPost = (path: string, body: unknown = {}) =>
  fetch(`${sim.url}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  }).then((r) => r.json())

describe('checkout fault soak', () => {
  it(`${PAYMENTS} payments, with splits and credit notes, from two desks reach Circuit exactly once`, async () => {
    for (const name of ['Desk1', 'Desk2']) {
      const t = tempDir(`saleroom-paysoak-${name}-`)
      dirs.push(t)
      const s = await startStation(t.dir, sim.url, { name, tickMs: 20, random: seededRandom(name.length) })
      desks.push(s)
      await s.pull('2')
    }
    const orders = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.status !== 'locked' && o.status !== 'canceled'
    )
    expect(orders.length).toBeGreaterThan(4)
    await simPost('faults', { error500Rate: 0.1, rate429: 0.05, dropAfterApplyRate: 0.03, retryAfterSeconds: 0 })

    // Finished orders to credit lots of, and open ones with lots to split off, served by the same desks.
    const finished = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.status === 'finished' && o.lines.length >= 2
    )
    const splittable = orders.filter((o) => (o.status === 'new' || o.status === 'in_process') && o.lines.length >= 3)
    const credited: { orderId: string; itemId: string }[] = []
    const splits: { orderId: string; ownerId: string; itemId: string }[] = []
    const random = seededRandom(7)
    const methods = ['cash', 'card', 'cheque', 'wire'] as const
    for (let i = 0; i < PAYMENTS; i++) {
      const desk = desks[i % 2]
      // Each desk serves its own buyers, as two cashiers do.
      const mine = orders.filter((_, k) => k % 2 === i % 2)
      const order = mine[Math.floor(random() * mine.length)]
      const method = methods[Math.floor(random() * methods.length)]
      const amount = (1 + Math.floor(random() * 200)) * 100
      const details =
        method === 'card'
          ? { cardType: 'VISA', last4: String(1000 + i).slice(-4) }
          : method === 'cheque'
            ? { chequeNumber: String(100000 + i), chequeDate: '2026-11-30' }
            : method === 'wire'
              ? { account: `ACC${i}` }
              : { tendered: amount }
      // Cash takes no more than is due; the others take partial and over-payments alike.
      await desk.send('checkout.pay', { orderId: order.id, method, amount, ...details })
      const r = random()
      if (r < 0.05) await desk.send('checkout.setStatus', { orderId: order.id, status: 'in_process' })
      else if (r < 0.08 && finished.length) {
        // A credit note for a lot not yet credited.
        const f = finished[Math.floor(random() * finished.length)]
        const line = f.lines.find((l) => !credited.some((c) => c.orderId === f.id && c.itemId === l.itemId))
        if (line) {
          const res = await desks[finished.indexOf(f) % 2].send('checkout.creditNote', {
            orderId: f.id,
            itemIds: [line.itemId]
          })
          if (res.ok) credited.push({ orderId: f.id, itemId: line.itemId })
        }
      } else if (r < 0.1 && splittable.length) {
        // Split a lot off an open order, while it keeps at least one.
        const o = splittable[Math.floor(random() * splittable.length)]
        const desk2 = desks[orders.indexOf(o) % 2]
        const inv = await desk2.send('checkout.invoice', {
          saleId: '2',
          paddle: sim.store.paddlesOf('2', o.ownerId)[0]
        })
        const view = inv.ok
          ? (inv.data as { orders: { id: string; lines: { itemId: string }[] }[] }).orders.find((x) => x.id === o.id)
          : null
        if (view && view.lines.length >= 2) {
          const itemId = view.lines[0].itemId
          const res = await desk2.send('checkout.split', { orderId: o.id, itemIds: [itemId] })
          if (res.ok) splits.push({ orderId: o.id, ownerId: o.ownerId, itemId })
        }
      }
      if (i === Math.floor(PAYMENTS / 2)) await simPost('expire-tokens')
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5))
    }

    // The desks send through the faults until everything is through (payments are quick to take:
    // most are still waiting when the last one is taken).
    await Promise.all(desks.map((d) => d.settle(120_000)))
    await simPost('faults', { error500Rate: 0, rate429: 0, dropAfterApplyRate: 0 })
    let taken = 0
    for (const desk of desks) {
      expect(desk.openEntries()).toEqual([])
      const local = desk.core
        .replica()!
        .raw.prepare(`SELECT id, amount, server_id FROM transactions WHERE id LIKE 'local-%'`)
        .all() as { id: string; amount: number; server_id: string | null }[]
      taken += local.length
      for (const p of local) {
        const onCircuit = [...sim.store.transactions.values()].filter((t) =>
          (t.info ?? '').includes(`[saleroom:${p.id}]`)
        )
        expect({ payment: p.id, times: onCircuit.length, amount: onCircuit[0]?.amount }).toEqual({
          payment: p.id,
          times: 1,
          amount: p.amount
        })
        expect(p.server_id).toBe(onCircuit[0].id)
      }
    }
    // Each credit note made once, for exactly its lot…
    expect(credited.length).toBeGreaterThan(0)
    for (const c of credited) {
      const notes = [...sim.store.orders.values()].filter(
        (o) => o.type === 'credit_note' && o.creditFor === c.orderId && o.lines.some((l) => l.itemId === c.itemId)
      )
      expect({ ...c, notes: notes.length }).toEqual({ ...c, notes: 1 })
    }
    // …each split lot off its order and on exactly one other order of the buyer.
    expect(splits.length).toBeGreaterThan(0)
    for (const sp of splits) {
      expect(sim.store.orders.get(sp.orderId)!.lines.map((l) => l.itemId)).not.toContain(sp.itemId)
      const holding = [...sim.store.orders.values()].filter(
        (o) => o.type === 'bidder' && o.ownerId === sp.ownerId && o.lines.some((l) => l.itemId === sp.itemId)
      )
      expect({ ...sp, orders: holding.length }).toEqual({ ...sp, orders: 1 })
    }
    // Nothing on Circuit claims to be ours that no desk took.
    const ours = [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:'))
    expect(ours).toHaveLength(taken)
    expect(taken).toBeGreaterThan(PAYMENTS * 0.8)
    // The faults did their work: sends failed and were retried, answers were lost and read back.
    const totals = desks.map((d) => d.core.pusher()!.totals)
    expect(totals.reduce((n, t) => n + t.alreadyApplied, 0)).toBeGreaterThan(0)
  }, 600_000)
})
