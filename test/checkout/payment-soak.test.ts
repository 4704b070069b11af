// The fault soak, for checkout: payments, voids, status changes, splits and credit notes from two
// desks, and a third at the podium selling lots while Circuit is away and taking payments on the
// provisional orders, against a simulator that fails 10% of requests with 500, 5% with 429,
// drops 3% of connections after applying the change and expires every token midway. Some
// payments are submitted twice at once under one idempotency key (a double Enter). In the end
// every payment taken and not voided is on Circuit exactly once — none doubled, none missing —
// with its amount; every voided one is not, and each that had reached Circuit was deleted
// exactly once; every split moved its lots once and every credit note was made once.
// SALEROOM_SOAK_PAYMENTS sets the size (default 200).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, CheckoutInvoice, PaymentResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import { seededRandom } from '../sync/soak-tools'
import { startStation, type Station } from '../sync/stations'

const PAYMENTS = Number(process.env.SALEROOM_SOAK_PAYMENTS ?? 200)

let sim: RunningSimulator
let proxy: TestProxy
const dirs: { cleanup(): void }[] = []
const desks: Station[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 12, lots: 300, clients: 80, quiet: true })
  proxy = await startProxy(sim.url)
})
afterAll(async () => {
  for (const s of desks) await s.close()
  await proxy.close()
  await sim.close()
  for (const d of dirs) d.cleanup()
})

/** What the simulator applied, per transaction: created (for our reference) and deleted. */
function watchTransactions(s: RunningSimulator) {
  const created = new Map<string, string>()
  const deleted = new Map<string, number>()
  const store = s.store
  const add = store.addTransaction.bind(store)
  const remove = store.removeTransaction.bind(store)
  store.addTransaction = (t) => {
    const ref = /\[saleroom:([^\]]+)\]/.exec(t.info ?? '')?.[1]
    if (ref) created.set(ref, t.id)
    add(t)
  }
  store.removeTransaction = (id) => {
    if (store.transactions.has(id)) deleted.set(id, (deleted.get(id) ?? 0) + 1)
    remove(id)
  }
  return { created, deleted }
}

const simPost = (path: string, body: unknown = {}) =>
  fetch(`${sim.url}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  }).then((r) => r.json())

describe('checkout fault soak', () => {
  it(`${PAYMENTS} payments, with voids, double submits, splits, credit notes and offline payments on provisional orders, reach Circuit exactly once`, async () => {
    const watch = watchTransactions(sim)
    for (const name of ['Desk1', 'Desk2']) {
      const t = tempDir(`saleroom-paysoak-${name}-`)
      dirs.push(t)
      const s = await startStation(t.dir, sim.url, { name, tickMs: 20, random: seededRandom(name.length) })
      desks.push(s)
      await s.pull('2')
    }
    // The podium, through a line that can be cut: it sells lots of sale 1 while Circuit is away,
    // and its cashier takes payments (and voids one now and then) on the provisional orders.
    const t3 = tempDir('saleroom-paysoak-Podium-')
    dirs.push(t3)
    const podium = await startStation(t3.dir, proxy.url, { name: 'Podium', tickMs: 20, random: seededRandom(9) })
    desks.push(podium)
    await podium.pull('1')
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const buyers = board.bidders
      .filter((b) => ![...sim.store.orders.values()].some((o) => o.saleId === '1' && o.ownerId === b.clientId))
      .slice(0, 4)
    proxy.rule = () => 'drop'
    const offlineLots = board.lots.filter((l) => l.status === 'available').slice(0, 12)
    for (const [i, lot] of offlineLots.entries()) {
      await podium.call('clerking.sell', {
        itemId: lot.id,
        paddle: buyers[i % buyers.length].paddle,
        amount: (5 + i) * 1_000,
        confirm: true
      })
    }
    const podiumRandom = seededRandom(5)
    for (const [i, b] of buyers.entries()) {
      const inv = await podium.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: b.paddle })
      expect(inv.orders.every((o) => o.provisional)).toBe(true)
      for (let k = 0; k < 3; k++) {
        const r = await podium.call<PaymentResult>('checkout.pay', {
          orderId: inv.orders[0].id,
          method: 'card',
          amount: (1 + Math.floor(podiumRandom() * 50)) * 100,
          cardType: 'VISA',
          last4: String(1000 + i * 10 + k),
          confirm: true
        })
        if (k === 1) await podium.call('checkout.voidPayment', { paymentId: r.payment.id, reason: 'Soak: wrong card' })
      }
    }
    const orders = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.status !== 'locked' && o.status !== 'canceled'
    )
    expect(orders.length).toBeGreaterThan(4)
    await simPost('faults', { error500Rate: 0.1, rate429: 0.05, dropAfterApplyRate: 0.03, retryAfterSeconds: 0 })
    // Circuit is back for the podium, through the same faults.
    proxy.rule = () => 'pass'
    const doubled: { desk: Station; ids: string[] }[] = []

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
      // Partial and over-payments alike (over the amount due, confirmed as the cashier would).
      const input = { orderId: order.id, method, amount, ...details, confirm: true }
      if (i % 25 === 7) {
        // A double Enter: the same key twice, at once. Recorded once, both answered the same.
        const key = `soak-double-${i}`
        const both = await Promise.all([
          desk.core.dispatch('checkout.pay', input, { idempotencyKey: key }),
          desk.core.dispatch('checkout.pay', input, { idempotencyKey: key })
        ])
        doubled.push({
          desk,
          ids: both.map((b) => (b.ok ? (b.data as PaymentResult).payment.id : `failed: ${JSON.stringify(b)}`))
        })
      } else {
        const paid = await desk.send('checkout.pay', input)
        // Now and then the cashier voids a payment just taken (sent, or still waiting).
        if (paid.ok && random() < 0.08) {
          await desk.send('checkout.voidPayment', {
            paymentId: (paid.data as PaymentResult).payment.id,
            reason: 'Soak: keyed on the wrong order'
          })
        }
      }
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
    let voided = 0
    for (const desk of desks) {
      expect(desk.openEntries()).toEqual([])
      const local = desk.core
        .replica()!
        .raw.prepare(`SELECT id, amount, server_id, voided_at FROM transactions WHERE id LIKE 'local-%'`)
        .all() as { id: string; amount: number; server_id: string | null; voided_at: number | null }[]
      taken += local.length
      for (const p of local) {
        const onCircuit = [...sim.store.transactions.values()].filter((t) =>
          (t.info ?? '').includes(`[saleroom:${p.id}]`)
        )
        if (p.voided_at !== null) {
          voided++
          // Voided: not on Circuit; if it ever got there, deleted exactly once.
          const made = watch.created.get(p.id)
          expect({ payment: p.id, times: onCircuit.length, deleted: made ? watch.deleted.get(made) : 0 }).toEqual({
            payment: p.id,
            times: 0,
            deleted: made ? 1 : 0
          })
          continue
        }
        expect({ payment: p.id, times: onCircuit.length, amount: onCircuit[0]?.amount }).toEqual({
          payment: p.id,
          times: 1,
          amount: p.amount
        })
        expect(p.server_id).toBe(onCircuit[0].id)
      }
    }
    // Nothing was deleted twice.
    expect([...watch.deleted.values()].filter((n) => n !== 1)).toEqual([])
    // A double Enter took one payment: both answers name it, and it is the only one.
    expect(doubled.length).toBeGreaterThan(0)
    for (const d of doubled) {
      expect(d.ids[0]).toMatch(/^local-/)
      expect(d.ids[1]).toBe(d.ids[0])
    }
    // The podium's payments landed on the orders Circuit made for its lots, none left provisional.
    expect(voided).toBeGreaterThan(buyers.length - 1)
    for (const b of buyers) {
      const inv = await podium.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: b.paddle })
      expect(inv.orders.filter((o) => o.provisional)).toEqual([])
      const theirs = [...sim.store.orders.values()].filter((o) => o.saleId === '1' && o.ownerId === b.clientId)
      const paid = [...sim.store.transactions.values()].filter((t) => theirs.some((o) => o.id === t.orderId))
      expect(paid).toHaveLength(2)
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
    expect(ours).toHaveLength(taken - voided)
    expect(taken).toBeGreaterThan(PAYMENTS * 0.8)
    // The faults did their work: sends failed and were retried, answers were lost and read back.
    const totals = desks.map((d) => d.core.pusher()!.totals)
    expect(totals.reduce((n, t) => n + t.alreadyApplied, 0)).toBeGreaterThan(0)
  }, 600_000)
})
