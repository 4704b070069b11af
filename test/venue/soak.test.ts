// The venue soak: three stations, each its own process with its own data
// folder (a hub, a podium and a checkout desk joined to it), against one
// simulator that fails every call for the whole sale. The podium and the desk
// run a sale through the hub — hammers, passes, undo, phone cards, payments,
// voids, charges — while the hub is SIGKILLed twice and each station once
// (started again on the same folder and ports, joined again; the desk while
// its hub is down). Then Circuit comes back, and the hub is killed once more
// while it drains. In the end Circuit holds what the model says, every change
// once (by the simulator's own log), and every replica equals Circuit row for
// row. SALEROOM_VENUE_OPS sets the size (default 150; 500+ for the full run),
// SALEROOM_VENUE_SEED the random choices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type {
  CheckoutInvoice,
  ClerkBoard,
  ClerkResult,
  PaymentResult,
  PhoneCard,
  StatusSnapshot
} from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { seededRandom } from '../sync/soak-tools'
import { freePort, pullSale, stationProcess, until, type StationProcess } from './processes'
import { circuitView, ordersByBuyer, replicaView } from './soak-views'

const OPS = Number(process.env.SALEROOM_VENUE_OPS ?? 150)
const SEED = Number(process.env.SALEROOM_VENUE_SEED ?? 7)
const SALE = '1'

let sim: RunningSimulator
const dirs: { cleanup(): void }[] = []
const stations: StationProcess[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 31, lots: Math.max(120, Math.ceil(OPS * 0.8)), clients: 60, quiet: true })
})
afterAll(async () => {
  for (const s of stations) await s.kill()
  await sim?.close()
  for (const d of dirs) d.cleanup()
})

const simPost = (path: string, body: unknown = {}) =>
  fetch(`${sim.url}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  }).then((r) => r.json())

// ------------------------------------------------------------------ the model

interface LotResult {
  status: string
  hammer: number | null
  /** The winner's client id. */
  winner: string | null
}

interface Model {
  /** Each lot's result as the podium recorded it. */
  lots: Map<string, LotResult>
  /** Each lot's changes, in order, as the podium made them ("sold 120000", "unsold"…). */
  changes: Map<string, string[]>
  /** Per buyer (client id): the payments (desk's id → amount) and charges (term|amount) on their order. */
  payments: Map<string, Map<string, number>>
  charges: Map<string, string[]>
  /** Phone cards, `session/client` → lots (item ids, sorted). */
  cards: Map<string, string[]>
}

const change = (r: LotResult) => (r.status === 'sold' ? `sold ${r.hammer} to ${r.winner}` : r.status)
const norm = (status: string) => (status === 'passed' ? 'unsold' : status)

describe('the venue soak', () => {
  it(
    `${OPS} operations from a podium and a desk through a hub, Circuit failing all sale, kills, then exactly once`,
    async () => {
      const started = Date.now()
      const phases: string[] = []
      let phaseStart = started
      const phase = (name: string) => {
        phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`)
        phaseStart = Date.now()
      }
      const random = seededRandom(SEED)
      const [hubPort, hubWeb, podiumWeb, deskWeb] = [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort()
      ]
      const folder = (name: string) => {
        const t = tempDir(`saleroom-venue-${name}-`)
        dirs.push(t)
        return t.dir
      }

      // ---- the venue: a hub on loopback, a podium and a desk joined to it (Circuit answers for now)
      const hub = stationProcess('PODIUM-1', folder('hub'), hubWeb, { kind: 'hub', simUrl: sim.url, hubPort })
      stations.push(hub)
      await hub.start()
      expect(hub.hub!.url).toBe(`https://127.0.0.1:${hubPort}`)
      await hub.call('settings.update', { stationName: 'PODIUM-1' })
      await pullSale(hub, SALE)
      const podium = stationProcess('PODIUM-2', folder('podium'), podiumWeb, { kind: 'joined', hub: hub.hub! })
      const desk = stationProcess('DESK-1', folder('desk'), deskWeb, { kind: 'joined', hub: hub.hub! })
      stations.push(podium, desk)
      await Promise.all([podium.start(), desk.start()])
      await podium.call('settings.update', { stationName: 'PODIUM-2' })
      await desk.call('settings.update', { stationName: 'DESK-1' })
      await Promise.all([pullSale(podium, SALE), pullSale(desk, SALE)])

      const board = await podium.call<ClerkBoard>('clerking.board', { saleId: SALE })
      const buyers = board.bidders.filter((b) => b.type === 'floor').slice(0, 10)
      const phoneBidders = board.bidders.filter((b) => b.type === 'phone').slice(0, 8)
      const lots = board.lots.filter((l) => l.status === 'available')
      const terms = await desk.call<{ id: string; label: string }[]>('checkout.chargeTerms', {})
      const model: Model = {
        lots: new Map(lots.map((l) => [l.id, { status: 'available', hammer: null, winner: null }])),
        changes: new Map(),
        payments: new Map(),
        charges: new Map(),
        cards: new Map()
      }
      for (const c of sim.store.phoneCards.values()) {
        if (c.saleId === SALE) model.cards.set(`${c.sessionId}/${c.clientId}`, [...c.lots].sort())
      }

      phase('venue up')
      // ---- Circuit fails every call from here on, for the whole sale
      await simPost('faults', { error500Rate: 1 })

      // The podium works through the sale in lot order; a lot more than two behind the one it is on is
      // final (the clerk never goes back to it), and the desk takes money only on orders holding one.
      let cursor = 0
      let canUndo = false
      const lastClerked: string[] = []
      const finalLots = () =>
        lots.slice(0, Math.max(0, cursor - 2)).filter((l) => model.lots.get(l.id)!.status === 'sold')
      const counts: Record<string, number> = {}
      const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1)

      const clientOf = new Map(board.bidders.map((b) => [b.paddle, b.clientId]))
      const record = (r: ClerkResult) => {
        const sold = norm(r.lot.status) === 'sold'
        const res = {
          status: norm(r.lot.status),
          hammer: sold ? r.lot.hammer : null,
          winner: sold ? (clientOf.get(r.lot.paddle ?? '') ?? null) : null
        }
        model.lots.set(r.lot.id, res)
        model.changes.set(r.lot.id, [...(model.changes.get(r.lot.id) ?? []), change(res)])
      }

      async function podiumOp(): Promise<void> {
        const r = random()
        if (r < 0.1 && canUndo) {
          const res = await podium.call<ClerkResult>('clerking.undo')
          record(res)
          canUndo = false
          // The undone lot is the one to clerk again.
          const at = lots.findIndex((l) => l.id === res.lot.id)
          if (at >= 0 && at < cursor && lastClerked.at(-1) === res.lot.id) cursor = at
          lastClerked.pop()
          return void count('undo')
        }
        if (r < 0.22) return phoneCardOp()
        if (cursor >= lots.length) return phoneCardOp()
        const lot = lots[cursor]
        const current = model.lots.get(lot.id)!
        if (current.status !== 'available') {
          // Back on a lot after an undo that left it clerked: reopen it first.
          record(await podium.call<ClerkResult>('clerking.reopen', { itemId: lot.id }))
          canUndo = true
          lastClerked.push(lot.id)
          return void count('reopen')
        }
        if (random() < 0.75) {
          const buyer = buyers[Math.floor(random() * buyers.length)]
          const amount = (5 + Math.floor(random() * 60)) * 10_00
          record(
            await podium.call<ClerkResult>('clerking.sell', {
              itemId: lot.id,
              paddle: buyer.paddle,
              amount,
              confirm: true
            })
          )
          count('hammer')
        } else {
          record(await podium.call<ClerkResult>('clerking.pass', { itemId: lot.id }))
          count('pass')
        }
        canUndo = true
        lastClerked.push(lot.id)
        cursor++
      }

      async function phoneCardOp(): Promise<void> {
        const session = board.sessions[Math.floor(random() * board.sessions.length)]
        const bidder = phoneBidders[Math.floor(random() * phoneBidders.length)]
        const cards = await podium.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
        const card = cards.find((c) => c.clientId === bidder.clientId)
        const key = `${session.id}/${bidder.clientId}`
        if (card && random() < 0.4) {
          await podium.call('phoneCards.delete', { cardId: card.id })
          model.cards.delete(key)
          return void count('card delete')
        }
        const inSession = board.lots.filter((l) => l.sessionId === session.id)
        const picked = new Set<string>()
        const n = 1 + Math.floor(random() * 3)
        while (picked.size < n) picked.add(inSession[Math.floor(random() * inSession.length)].lot)
        const r = await podium.send('phoneCards.save', {
          card: {
            ...(card ? { id: card.id } : {}),
            sessionId: session.id,
            clientId: bidder.clientId,
            lots: [...picked]
          }
        })
        // The podium's own rules may refuse it (one caller, two bidders on one lot): nothing changed.
        if (!r.ok && r.error.code === 'conflict') return void count('card refused')
        if (!r.ok) throw new Error(`phoneCards.save: ${r.error.message}`)
        const saved = r.data as PhoneCard
        model.cards.set(key, saved.lots.map((l) => l.itemId).sort())
        count(card ? 'card edit' : 'card new')
      }

      /**
       * A buyer at the desk: one whose order there holds a final lot (a buyer whose lot the desk
       * cannot see yet — the hub is down, say — is not at the desk yet), or null.
       */
      async function deskOrder(): Promise<{ invoice: CheckoutInvoice; orderId: string; clientId: string } | null> {
        const final = finalLots()
        for (let tries = 0; tries < 3 && final.length; tries++) {
          const lot = final[Math.floor(random() * final.length)]
          const paddle = buyers.find((b) => b.clientId === model.lots.get(lot.id)!.winner)!.paddle
          const invoice = await desk.call<CheckoutInvoice>('checkout.invoice', { saleId: SALE, paddle })
          const order = invoice.orders.find((o) => o.type === 'bidder' && o.lines.some((l) => l.itemId === lot.id))
          if (order) return { invoice, orderId: order.id, clientId: invoice.client.id }
        }
        return null
      }

      async function deskOp(): Promise<boolean> {
        const found = await deskOrder()
        if (!found) return false
        const { invoice, orderId, clientId } = found
        const order = invoice.orders.find((o) => o.id === orderId)!
        const payments = model.payments.get(clientId) ?? new Map<string, number>()
        model.payments.set(clientId, payments)
        const charges = model.charges.get(clientId) ?? []
        model.charges.set(clientId, charges)
        const r = random()
        if (r < 0.55) {
          const amount = (1 + Math.floor(random() * 40)) * 1_00
          const card = random() < 0.4
          const paid = await desk.call<PaymentResult>('checkout.pay', {
            orderId,
            amount,
            confirm: true,
            ...(card ? { method: 'card', cardType: 'VISA', last4: '4242' } : { method: 'cash', tendered: amount })
          })
          payments.set(paid.payment.id, amount)
          count('payment')
          return true
        }
        if (r < 0.65) {
          const live = order.payments.filter((p) => !p.voided && payments.has(p.id))
          if (!live.length) return false
          const p = live[Math.floor(random() * live.length)]
          await desk.call('checkout.voidPayment', { paymentId: p.id, reason: 'Soak: paid twice by mistake' })
          payments.delete(p.id)
          count('void')
          return true
        }
        if (r < 0.85 || order.charges.length === 0) {
          const term = terms[Math.floor(random() * terms.length)]
          const amount = (1 + Math.floor(random() * 20)) * 5_00
          await desk.call('checkout.addCharge', { orderId, termId: term.id, amount, taxRateBp: 2000 })
          charges.push(`${term.id}|${amount}`)
          count('charge add')
          return true
        }
        const c = order.charges[Math.floor(random() * order.charges.length)]
        const removed = await desk.send('checkout.removeCharge', { orderId, chargeId: c.id })
        // The order was written again from the hub since the desk read it (its charges with it): the
        // desk was told so, and nothing changed.
        if (!removed.ok && removed.error.code === 'not_found') {
          count('charge remove refused (screen stale)')
          return true
        }
        if (!removed.ok) throw new Error(`checkout.removeCharge: ${removed.error.message}`)
        const termOf = terms.find((t) => t.label === c.label)
        const i = charges.findIndex((k) => k === `${termOf?.id}|${c.amount}`)
        expect(i, `the charge ${c.label} ${c.amount} removed is one the desk added`).toBeGreaterThanOrEqual(0)
        charges.splice(i, 1)
        count('charge remove')
        return true
      }

      // ---- the sale, with the kills at fixed points
      const at = (share: number) => Math.floor(OPS * share)
      let hubBack: Promise<void> | null = null
      const kills: string[] = []
      for (let i = 0; i < OPS; i++) {
        if (i === at(0.2) || i === at(0.6)) {
          await hub.kill()
          kills.push(`hub at op ${i}`)
        }
        // The hub comes back while the stations work on.
        if (i === at(0.3) || i === at(0.8)) {
          hubBack = hub.start()
          hubBack.catch(() => undefined) // awaited below; a failed start fails the test there
        }
        if (i === at(0.45)) {
          await podium.kill()
          kills.push(`podium at op ${i}`)
          await podium.start()
        }
        if (i === at(0.7)) {
          // The desk starts again while its hub is down: it must still open and work.
          await desk.kill()
          kills.push(`desk at op ${i} (hub down)`)
          await desk.start()
        }
        if (i === at(0.4) || i === at(0.9)) await hubBack
        if (!(random() < 0.45 && (await deskOp()))) await podiumOp()
      }
      await hubBack

      phase('sale')
      // Nothing has reached Circuit: it failed every call.
      expect(sim.store.clerkingLog.length).toBe(0)

      // ---- Circuit comes back; the hub drains (slowly), and is killed once more midway
      await fetch(`${sim.url}/_sim/stats`, { method: 'DELETE' })
      await simPost('faults', { error500Rate: 0, latencyMs: 20 })
      await until('the hub has sent something', () => sim.store.clerkingLog.length > 3, 60_000)
      await hub.kill()
      kills.push(`hub while draining (${sim.store.clerkingLog.length} changes on Circuit)`)
      await hub.start()
      await simPost('faults', { latencyMs: 0 })

      for (const s of [podium, desk, hub]) {
        await until(`${s.name} has sent everything`, async () => {
          const st = await s.call<StatusSnapshot>('app.status')
          const stuck = s.read((db) =>
            db
              .prepare(
                `SELECT seq, op, entity_id, state, label, last_error, payload FROM outbox WHERE entity_id IN
                   (SELECT entity_id FROM outbox WHERE state IN ('needs_attention', 'conflict')) ORDER BY seq`
              )
              .all()
          )
          if (stuck.length) {
            // What the hub did with the same records, to show beside them.
            const ids = JSON.stringify((stuck as { entity_id: string }[]).map((e) => e.entity_id))
            const atHub = hub.read((db) =>
              db
                .prepare(
                  `SELECT seq, op, state, label, last_error, created_at, acked_at FROM outbox
                   WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY seq`
                )
                .all(ids)
            )
            const audit = hub.read((db) =>
              db
                .prepare(
                  `SELECT at, station, action, before, after FROM audit_log
                   WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY id`
                )
                .all(ids)
            )
            expect({ station: s.name, stuck, atHub, audit }).toEqual({ station: s.name, stuck: [] })
          }
          return st.pending === 0
        })
      }
      phase('drain')
      // ---- Circuit equals the model
      const circuit = circuitView(sim, SALE)
      for (const [id, want] of model.lots) expect({ lot: id, ...circuit.lots[id] }).toEqual({ lot: id, ...want })
      const orderOf = ordersByBuyer(circuit)
      const buyersPaid = new Set([...model.payments.keys(), ...model.charges.keys()])
      for (const clientId of [...buyersPaid].sort()) {
        const order = orderOf.get(clientId)
        expect(order, `Circuit has an order for buyer ${clientId}`).toBeDefined()
        const got = circuit.orders[order!]
        const amounts = got.payments.map((p) => Number(p.split(':')[1])).sort((a, b) => a - b)
        expect({ buyer: clientId, payments: amounts, charges: got.charges }).toEqual({
          buyer: clientId,
          payments: [...(model.payments.get(clientId)?.values() ?? [])].sort((a, b) => a - b),
          charges: [...(model.charges.get(clientId) ?? [])].sort()
        })
      }
      expect(circuit.cards).toEqual(Object.fromEntries([...model.cards].sort(([a], [b]) => a.localeCompare(b))))

      // ---- every change once, by the simulator's own log
      const log = new Map<string, string[]>()
      for (const c of sim.store.clerkingLog) {
        if (c.via === 'station-edit') continue
        const sold = norm(c.status) === 'sold'
        const res = { status: norm(c.status), hammer: sold ? c.hammer : null, winner: sold ? c.winner : null }
        log.set(c.item, [...(log.get(c.item) ?? []), change(res)])
      }
      for (const [id, list] of model.changes)
        expect({ lot: id, applied: log.get(id) }).toEqual({ lot: id, applied: list })
      expect([...log.keys()].filter((id) => !model.changes.has(id))).toEqual([])
      const livePayments = [...model.payments.values()].reduce((n, m) => n + m.size, 0)
      const ours = [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:'))
      expect(ours.length).toBe(livePayments)

      // ---- every replica equals Circuit, row for row: once the hub has sent everything it pulls the
      // sale again by itself, and Circuit's orders take the place of the venue's provisional ones.
      const want = circuitView(sim, SALE)
      for (const s of [hub, podium, desk]) {
        await until(`${s.name}'s replica equals Circuit`, () => {
          const got = s.read((db) => replicaView(db, SALE))
          return JSON.stringify(got) === JSON.stringify(want)
        }).catch(() => {
          // Show the difference.
          expect({ station: s.name, ...s.read((db) => replicaView(db, SALE)) }).toEqual({ station: s.name, ...want })
        })
      }

      phase('replicas')
      console.info(
        `venue soak: ${OPS} operations (${Object.entries(counts)
          .map(([k, v]) => `${v} ${k}`)
          .join(
            ', '
          )}), kills: ${kills.join('; ')}; ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.join(', ')})`
      )
    },
    120_000 + OPS * 400
  )
})
