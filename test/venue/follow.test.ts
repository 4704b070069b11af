// Stations following a hub's records as they change: a payment taken at the
// venue carries the hub's id until Circuit has it, then Circuit's on every
// station (its receipt number is Circuit's transaction id); a payment voided
// at the venue leaves the other stations' invoices, and a phone card deleted
// there their lists; the house's shipping areas reach them; and a station's change
// to one of the hub's provisional orders, read back after Circuit's order
// took its place, finds Circuit's order rather than "no longer there"; and
// once the hub has sent everything, Circuit's orders take the place of the
// hub's provisional ones on every station without anyone pulling by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCircuitClient, createMemorySecretStore } from '../../src-main/circuit'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { pinnedFetch } from '../../src-main/circuit/pinning'
import { orderAdapter } from '../../src-main/checkout/order-sync'
import { readJoinedHub } from '../../src-main/core/venue'
import { openReplica } from '../../src-main/db/replica'
import { replicaPath } from '../../src-main/app/boot'
import type { CheckoutInvoice, ClerkBoard, PaymentResult, PhoneCard } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { EMAIL, joinHub, PASSWORD, startHub, type VenueStation } from './stations'

let sim: RunningSimulator
let hub: VenueStation
let desk: VenueStation
let podium: VenueStation
let board: ClerkBoard
const dirs: { dir: string; cleanup(): void }[] = []
let nextLot = 0

const faults = (f: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })

beforeAll(async () => {
  sim = await startSimulator({ seed: 23, lots: 40, clients: 30, quiet: true })
  for (const n of ['hub', 'desk', 'podium']) dirs.push(tempDir(`saleroom-follow-${n}-`))
  const h = await startHub(dirs[0].dir, sim.url)
  hub = h.station
  await hub.pull('1')
  desk = await joinHub(dirs[1].dir, h.venue.hosting!, 'DESK-1')
  podium = await joinHub(dirs[2].dir, h.venue.hosting!, 'PODIUM-2')
  await desk.pull('1')
  await podium.pull('1')
  board = await hub.call<ClerkBoard>('clerking.board', { saleId: '1' })
}, 60_000)

afterAll(async () => {
  for (const s of [podium, desk, hub]) await s?.close().catch(() => undefined)
  await sim?.close()
  for (const d of dirs) d.cleanup()
})

/** The hub sells the next lot to the nth floor bidder (Circuit failing: on the hub's provisional order). */
async function sellAtHub(n: number): Promise<{ itemId: string; paddle: string }> {
  const lot = board.lots.filter((l) => l.status === 'available')[nextLot++]
  const paddle = board.bidders.filter((b) => b.type === 'floor')[n].paddle
  await hub.call('clerking.sell', { itemId: lot.id, paddle, amount: 200_00, confirm: true })
  return { itemId: lot.id, paddle }
}

/** A station's invoice for the paddle once its order holds the lot. */
async function invoiceWith(s: VenueStation, paddle: string, itemId: string): Promise<CheckoutInvoice> {
  let invoice: CheckoutInvoice | null = null
  await expect
    .poll(async () => {
      invoice = await s.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })
      return invoice.orders.some((o) => o.lines.some((l) => l.itemId === itemId))
    })
    .toBe(true)
  return invoice!
}

describe('following the hub', () => {
  it("a payment taken at the venue carries Circuit's id on every station once Circuit has it", async () => {
    await faults({ error500Rate: 1 })
    const { itemId, paddle } = await sellAtHub(0)
    const order = (await invoiceWith(desk, paddle, itemId)).orders[0]
    const paid = await desk.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: 50_00,
      tendered: 50_00
    })
    await desk.settle()
    // The podium sees it too, under the hub's id for now.
    await expect
      .poll(async () =>
        (await invoiceWith(podium, paddle, itemId)).orders.flatMap((o) => o.payments.map((p) => p.amount))
      )
      .toEqual([50_00])

    await faults({ error500Rate: 0 })
    await hub.settle(30_000)
    const onCircuit = await expect
      .poll(() => [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:')), {
        timeout: 20_000
      })
      .toHaveLength(1)
      .then(() => [...sim.store.transactions.values()].find((t) => (t.info ?? '').includes('[saleroom:'))!)
    const receipts = async (s: VenueStation) =>
      (await s.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })).orders.flatMap((o) =>
        o.payments.map((p) => ({ amount: p.amount, receipt: p.receiptNumber }))
      )
    await expect.poll(() => receipts(desk)).toEqual([{ amount: 50_00, receipt: onCircuit.id }])
    await expect.poll(() => receipts(podium)).toEqual([{ amount: 50_00, receipt: onCircuit.id }])
    expect(paid.payment.id).not.toBe(onCircuit.id)
  })

  it('numbers what it records for other stations in its own series (never a number a station also gives)', async () => {
    await faults({ error500Rate: 1 })
    const lot = board.lots.filter((l) => l.status === 'available')[nextLot++]
    const paddle = board.bidders.filter((b) => b.type === 'floor')[4].paddle
    await podium.call('clerking.sell', { itemId: lot.id, paddle, amount: 150_00, confirm: true })
    const order = (await invoiceWith(desk, paddle, lot.id)).orders[0]
    await desk.call('checkout.pay', { orderId: order.id, method: 'cash', amount: 20_00, tendered: 20_00 })
    await podium.settle()
    await desk.settle()
    const atHub = await hub.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })
    expect(atHub.orders[0].number).toMatch(/^P-PODIUM1-\d{4}$/)
    expect(atHub.orders[0].payments.map((p) => p.receiptNumber)).toEqual([expect.stringMatching(/^R-PODIUM1-\d{4}$/)])
    await faults({ error500Rate: 0 })
  })

  it("a payment voided at the venue leaves the other stations' invoices", async () => {
    await faults({ error500Rate: 1 })
    const { itemId, paddle } = await sellAtHub(1)
    const order = (await invoiceWith(desk, paddle, itemId)).orders[0]
    const paid = await desk.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      cardType: 'VISA',
      last4: '4242',
      amount: 30_00
    })
    await desk.settle()
    const standing = async (s: VenueStation) =>
      (await s.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })).orders.flatMap((o) =>
        o.payments.filter((p) => !p.voided).map((p) => p.amount)
      )
    await expect.poll(() => standing(podium)).toEqual([30_00])
    await desk.call('checkout.voidPayment', { paymentId: paid.payment.id, reason: 'Wrong card' })
    await desk.settle()
    await expect.poll(() => standing(podium)).toEqual([])
    // The desk keeps it listed, voided.
    const atDesk = await desk.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })
    expect(atDesk.orders.flatMap((o) => o.payments.map((p) => ({ amount: p.amount, voided: p.voided })))).toEqual([
      { amount: 30_00, voided: true }
    ])
    await faults({ error500Rate: 0 })
  })

  it("a station following the hub has the house's shipping areas, with their rates", async () => {
    const want = await hub.call<{ id: string; label: string; baseRate: number | null }[]>('warehouse.shippingAreas')
    expect(want.map((a) => [a.label, a.baseRate])).toEqual([
      ['Local', 10_00],
      ['National', 25_00],
      ['International', 50_00]
    ])
    for (const s of [desk, podium]) expect(await s.call('warehouse.shippingAreas')).toEqual(want)
  })

  it("a phone card deleted at the venue leaves the other stations' lists", async () => {
    const session = board.sessions[0]
    const listed = async (s: VenueStation) =>
      (await s.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })).map((c) => c.id)
    const [card] = await listed(desk)
    expect(card).toBeDefined()
    await expect.poll(() => listed(podium)).toContain(card)
    await desk.call('phoneCards.delete', { cardId: card })
    await desk.settle()
    await expect.poll(() => listed(podium)).not.toContain(card)
    expect(await listed(hub)).not.toContain(card)
  })

  it("once the hub has sent everything, Circuit's order takes the place of the hub's on every station", async () => {
    await faults({ error500Rate: 1 })
    // A buyer with a lot sold and nothing else: no payment or charge of the venue asks for the order.
    const { itemId, paddle } = await sellAtHub(3)
    const before = (await invoiceWith(desk, paddle, itemId)).orders[0]
    expect(before.number).toMatch(/^P-/)
    await faults({ error500Rate: 0 })
    await hub.settle(30_000)
    await expect.poll(() => sim.store.items.get(itemId)!.orderId, { timeout: 20_000 }).not.toBeNull()
    const circuitOrder = sim.store.orders.get(sim.store.items.get(itemId)!.orderId!)!
    const shown = async (s: VenueStation) =>
      (await s.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })).orders.map((o) => ({
        id: o.id,
        number: o.number,
        lots: o.lines.map((l) => l.itemId)
      }))
    const want = [{ id: circuitOrder.id, number: circuitOrder.orderNumber, lots: [itemId] }]
    await expect.poll(() => shown(hub), { timeout: 20_000 }).toEqual(want)
    await expect.poll(() => shown(desk), { timeout: 20_000 }).toEqual(want)
    await expect.poll(() => shown(podium), { timeout: 20_000 }).toEqual(want)
  })

  it("with Circuit answering at once, Circuit's order still takes the place of the hub's on every station", async () => {
    // The hub sends the hammer before its status ever shows it waiting: the catch-up follows what was
    // queued, not the status bar's counts.
    const lot = board.lots.filter((l) => l.status === 'available')[nextLot++]
    const paddle = board.bidders.filter((b) => b.type === 'floor')[5].paddle
    await podium.call('clerking.sell', { itemId: lot.id, paddle, amount: 90_00, confirm: true })
    await expect.poll(() => sim.store.items.get(lot.id)!.orderId, { timeout: 20_000 }).not.toBeNull()
    const circuitOrder = sim.store.orders.get(sim.store.items.get(lot.id)!.orderId!)!
    const shown = async (s: VenueStation) =>
      (await s.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })).orders.map((o) => o.number)
    await expect.poll(() => shown(desk), { timeout: 20_000 }).toEqual([circuitOrder.orderNumber])
    await expect.poll(() => shown(podium), { timeout: 20_000 }).toEqual([circuitOrder.orderNumber])
  })

  it("a change to the hub's provisional order, read back after Circuit's order replaced it, finds Circuit's", async () => {
    await faults({ error500Rate: 1 })
    const { itemId, paddle } = await sellAtHub(2)
    const provisional = (await invoiceWith(desk, paddle, itemId)).orders[0]
    expect(provisional.provisional).toBe(false) // the hub's order: the desk sends to it by its id
    // The desk stops (its change would be queued); Circuit comes back and the hub's order is replaced.
    await desk.close()
    await faults({ error500Rate: 0 })
    await hub.settle(30_000)
    await hub.pull('1')
    const circuitOrder = [...sim.store.orders.values()].find((o) => o.lines.some((l) => l.itemId === itemId))!
    expect(circuitOrder.id).not.toBe(provisional.id)

    // The desk's read-back, against the hub, of the order it knows by the hub's id.
    const replica = await openReplica(replicaPath(dirs[1].dir), { now: Date.now })
    try {
      const pin = readJoinedHub(replica)!
      const client = createCircuitClient({
        baseUrl: pin.url,
        fetch: pinnedFetch(pin),
        now: Date.now,
        secrets: createMemorySecretStore(),
        credentials: () => ({ email: EMAIL, password: PASSWORD })
      })
      const read = await orderAdapter(replica).push!.readBack(client, [provisional.id])
      expect(read.get(provisional.id)?.order?.id).toBe(circuitOrder.id)
    } finally {
      replica.close()
    }
  })
})
