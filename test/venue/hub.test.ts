// The venue hub with real parts: a hub station hosting on loopback over TLS,
// a podium and a checkout desk joined to it with its pairing code (each its
// own SQLite file), and the Circuit simulator over HTTP. The podium sells,
// the desk sees the lot on the buyer's invoice and takes a payment; all of it
// with Circuit failing every call; then Circuit comes back and holds each
// change once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCircuitClient, createMemorySecretStore } from '../../src-main/circuit'
import { CircuitHttpError } from '../../src-main/circuit/errors'
import { fetchHubCertificate, pinnedFetch } from '../../src-main/circuit/pinning'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type {
  AuditEntry,
  CheckoutInvoice,
  ClerkBoard,
  OutboxEntry,
  PaymentResult,
  StatusSnapshot
} from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { EMAIL, joinHub, PASSWORD, startHub, type VenueStation } from './stations'

let sim: RunningSimulator
let hub: VenueStation
let podium: VenueStation
let desk: VenueStation
let hubInfo: { url: string; pairingCode: string; line: string }
const cleanups: (() => void)[] = []

const faults = (f: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, lots: 60, clients: 40, quiet: true })
  const dirs = [tempDir('saleroom-hub-'), tempDir('saleroom-podium-'), tempDir('saleroom-desk-')]
  for (const d of dirs) cleanups.push(d.cleanup)
  const h = await startHub(dirs[0].dir, sim.url)
  hub = h.station
  hubInfo = h.venue.hosting!
  await hub.pull('1')
  podium = await joinHub(dirs[1].dir, hubInfo, 'PODIUM-2')
  desk = await joinHub(dirs[2].dir, hubInfo, 'DESK-1')
  await podium.pull('1')
  await desk.pull('1')
}, 60_000)

afterAll(async () => {
  for (const s of [desk, podium, hub]) await s?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

describe('the venue hub', () => {
  it('prints one line with its address and pairing code', () => {
    expect(hubInfo.line).toMatch(/^Venue hub at https:\/\/127\.0\.0\.1:\d+ — pairing code [0-9A-Z]{4}-[0-9A-Z]{4}$/)
  })

  it('joined stations say where they are connected', async () => {
    const s = await desk.call<StatusSnapshot>('app.status')
    expect(s.connection).toBe('online')
  })

  it('with Circuit failing every call: the podium sells, the desk sees it at once and takes cash; Circuit back, each once', async () => {
    await faults({ error500Rate: 1 })
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const lot = board.lots.find((l) => l.status === 'available')!
    const bidder = board.bidders.find((b) => b.type === 'floor')!
    await podium.call('clerking.sell', { itemId: lot.id, paddle: bidder.paddle, amount: 240_00, confirm: true })
    // The desk sees the lot on the buyer's invoice, with nothing pulled by hand.
    let invoice: CheckoutInvoice | null = null
    await expect
      .poll(async () => {
        invoice = await desk.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: bidder.paddle })
        return invoice.orders.flatMap((o) => o.lines.map((l) => l.itemId))
      })
      .toContain(lot.id)
    const order = invoice!.orders.find((o) => o.lines.some((l) => l.itemId === lot.id))!
    const due = order.totals.amountDue
    const paid = await desk.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: due,
      tendered: due + 20_00
    })
    expect(paid.changeDue).toBe(20_00)
    await desk.settle()
    // The hub has the payment, signed by the desk in its audit.
    const audit = await hub.call<AuditEntry[]>('audit.list', { limit: 20 })
    expect(audit.find((a) => a.action === 'checkout.pay')).toMatchObject({ station: 'DESK-1' })
    expect(audit.find((a) => a.action === 'clerking.sell')).toMatchObject({ station: 'PODIUM-2' })
    // Nothing reached Circuit yet.
    expect(sim.store.items.get(lot.id)!.status).toBe('available')

    await faults({ error500Rate: 0 })
    await hub.settle(30_000)
    await expect.poll(() => sim.store.items.get(lot.id)!.status, { timeout: 20_000 }).toBe('sold')
    await expect
      .poll(() => [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:')).length, {
        timeout: 20_000
      })
      .toBe(1)
    expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
  })

  it('two stations sell one lot while the hub is away: the first to reach it wins, the other shows both versions', async () => {
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const lot = board.lots.filter((l) => l.status === 'available')[5]
    const [first, second] = board.bidders.filter((b) => b.type === 'floor')
    const port = Number(new URL(hubInfo.url).port)
    await hub.call('venue.stopHosting')
    // Neither station can reach the hub: each records its own hammer for the same lot.
    await podium.call('clerking.sell', { itemId: lot.id, paddle: first.paddle, amount: 300_00, confirm: true })
    await desk.call('clerking.sell', { itemId: lot.id, paddle: second.paddle, amount: 310_00, confirm: true })
    await hub.call('venue.host', { port, host: '127.0.0.1' })
    // Both send when the hub is back; whichever reaches it first wins (either may, by the pace of their senders).
    await Promise.all([podium.settle(30_000), desk.settle(30_000)])
    const atHub = () =>
      hub.core.replica()!.raw.prepare('SELECT status, hammer, winner_paddle FROM items WHERE id = ?').get(lot.id) as {
        status: string
        hammer: number
        winner_paddle: string
      }
    const won = atHub()
    const sides = [
      { station: podium, paddle: first.paddle, hammer: 300_00 },
      { station: desk, paddle: second.paddle, hammer: 310_00 }
    ]
    const winner = sides.find((x) => x.paddle === won.winner_paddle)!
    const loser = sides.find((x) => x !== winner)!
    expect(won).toEqual({ status: 'sold', hammer: winner.hammer, winner_paddle: winner.paddle })
    // The other's hammer is not sent over it: a conflict on its Sync screen, with both versions.
    const entry = (await loser.station.call<OutboxEntry[]>('outbox.list', {})).find((e) => e.entityId === lot.id)!
    expect(entry.state).toBe('conflict')
    expect(entry.conflict!.ours).toContain(loser.paddle)
    expect(entry.conflict!.theirs).toContain(winner.paddle)
    expect((await winner.station.call<OutboxEntry[]>('outbox.list', {})).some((e) => e.entityId === lot.id)).toBe(false)
    expect(atHub()).toEqual(won)
    // Circuit gets the winner's, once.
    await hub.settle(30_000)
    await expect.poll(() => sim.store.items.get(lot.id)!.status, { timeout: 20_000 }).toBe('sold')
    expect(sim.store.items.get(lot.id)!.hammer).toBe(winner.hammer)
    expect(sim.store.clerkingLog.filter((c) => c.item === lot.id)).toHaveLength(1)
  })

  it("refuses a lot's result sent against a version it no longer has (412), applies nothing, and takes the same from the new version", async () => {
    const pin = await fetchHubCertificate(hubInfo.url, hubInfo.pairingCode)
    const client = createCircuitClient({
      baseUrl: hubInfo.url,
      now: Date.now,
      secrets: createMemorySecretStore(),
      credentials: () => ({ email: EMAIL, password: PASSWORD }),
      fetch: pinnedFetch(pin, () => ({ 'x-saleroom-station': 'DESK-1' })),
      conditionalWrites: true
    })
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const lot = board.lots.filter((l) => l.status === 'available')[7]
    const read = await client.items.get(lot.id)
    await podium.call('clerking.pass', { itemId: lot.id })
    await podium.settle()
    // The hub has forwarded it and written Circuit's answer (which the hub's version then is).
    await hub.settle()
    const passed = await client.items.get(lot.id)
    expect(passed.status).toBe('unsold')
    // Withdrawn, against the version read before the pass: refused, and nothing changed at the hub.
    const refused = await client.items.patch(lot.id, { field_withdrawn: true }, read.updated).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(CircuitHttpError)
    expect((refused as CircuitHttpError).status).toBe(412)
    expect((await client.items.get(lot.id)).status).toBe('unsold')
    // Against the version it has now, it applies.
    const withdrawn = await client.items.patch(lot.id, { field_withdrawn: true }, passed.updated)
    expect(withdrawn?.status ?? (await client.items.get(lot.id)).status).toBe('withdrawn')
  })
})
