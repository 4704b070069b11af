// Handing over: the hub laptop dies (SIGKILL) while Circuit is away; the
// podium station hosts the venue from its own replica (venue.leave, then
// venue.host) and the desk re-joins it with its new pairing code. Each
// station's own unsent changes — made while no hub answered — survive the
// move and reach Circuit once when it is back. What is lost is what the dead
// hub had taken and not yet forwarded, and no station still holds: here a
// hammer and a payment taken through it while Circuit was away; when the new
// hub hears from Circuit, every station shows Circuit's version of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type {
  CheckoutInvoice,
  ClerkBoard,
  PaymentResult,
  PhoneCard,
  StatusSnapshot,
  VenueStatus
} from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { EMAIL, freePort, PASSWORD, pullSale, stationProcess, until, type StationProcess } from './processes'
import { circuitView, replicaView } from './soak-views'

const SALE = '1'
let sim: RunningSimulator
const dirs: { dir: string; cleanup(): void }[] = []
const stations: StationProcess[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 41, lots: 40, clients: 30, quiet: true })
})
afterAll(async () => {
  for (const s of stations) await s.kill()
  await sim?.close()
  for (const d of dirs) d.cleanup()
})

const faults = (f: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })

const drained = (s: StationProcess) =>
  until(`${s.name} has sent everything`, async () => (await s.call<StatusSnapshot>('app.status')).pending === 0)

describe('handing the venue over', () => {
  it('a station hosts from its own replica, the others re-join; their own unsent changes reach Circuit once', async () => {
    const folder = (n: string) => {
      const t = tempDir(`saleroom-handover-${n}-`)
      dirs.push(t)
      return t.dir
    }
    const [hubPort, newHubPort, hubWeb, podiumWeb, deskWeb] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort()
    ]
    const hub = stationProcess('PODIUM-1', folder('hub'), hubWeb, { kind: 'hub', simUrl: sim.url, hubPort })
    stations.push(hub)
    await hub.start()
    await pullSale(hub, SALE)
    // The podium knows Circuit's address (it can host); the desk only the hub.
    const podium = stationProcess(
      'PODIUM-2',
      folder('podium'),
      podiumWeb,
      { kind: 'joined', hub: hub.hub! },
      {
        CIRCUIT_URL: sim.url
      }
    )
    const desk = stationProcess('DESK-1', folder('desk'), deskWeb, { kind: 'joined', hub: hub.hub! })
    stations.push(podium, desk)
    await Promise.all([podium.start(), desk.start()])
    await podium.call('settings.update', { stationName: 'PODIUM-2' })
    await desk.call('settings.update', { stationName: 'DESK-1' })
    await Promise.all([pullSale(podium, SALE), pullSale(desk, SALE)])
    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: SALE })
    const [first, second] = board.bidders.filter((b) => b.type === 'floor')
    const lots = board.lots.filter((l) => l.status === 'available')
    const sell = (s: StationProcess, lot: number, paddle: string, amount: number) =>
      s.call('clerking.sell', { itemId: lots[lot].id, paddle, amount, confirm: true })
    const invoice = (paddle: string) => desk.call<CheckoutInvoice>('checkout.invoice', { saleId: SALE, paddle })

    // While Circuit answers: a lot sold through the hub is on Circuit, and the buyer's order is Circuit's.
    await sell(podium, 0, first.paddle, 120_00)
    await until('Circuit has the first hammer', () => sim.store.items.get(lots[0].id)!.status === 'sold')
    const circuitOrder = () => sim.store.orders.get(sim.store.items.get(lots[0].id)!.orderId!)!
    await until("the desk shows Circuit's order", async () =>
      (await invoice(first.paddle)).orders.some((o) => o.id === circuitOrder().id)
    )

    // Circuit goes away. Through the hub: a hammer and a payment it takes and cannot forward.
    await faults({ error500Rate: 1 })
    await sell(podium, 1, second.paddle, 80_00)
    await desk.call<PaymentResult>('checkout.pay', {
      orderId: circuitOrder().id,
      method: 'cash',
      amount: 10_00,
      tendered: 10_00
    })
    await drained(podium)
    await drained(desk)
    // The hub dies.
    await hub.kill()

    // No hub: each station works on and keeps its changes.
    await sell(podium, 2, first.paddle, 60_00)
    const sessionId = board.sessions[0].id
    const phone = board.bidders.find((b) => b.type === 'phone')!
    const card = await podium.call<PhoneCard>('phoneCards.save', {
      card: { sessionId, clientId: phone.clientId, lots: [lots[3].lot] }
    })
    const paid = await desk.call<PaymentResult>('checkout.pay', {
      orderId: circuitOrder().id,
      method: 'card',
      cardType: 'VISA',
      last4: '4242',
      amount: 25_00
    })
    const terms = await desk.call<{ id: string }[]>('checkout.chargeTerms', {})
    await desk.call('checkout.addCharge', {
      orderId: circuitOrder().id,
      termId: terms[0].id,
      amount: 15_00,
      taxRateBp: 2000
    })
    expect((await podium.call<StatusSnapshot>('app.status')).pending).toBe(2)
    expect((await desk.call<StatusSnapshot>('app.status')).pending).toBe(2)

    // The podium hosts from its own replica; the desk re-joins it with the new pairing code.
    await podium.call('venue.leave')
    const hosted = await podium.call<VenueStatus>('venue.host', { port: newHubPort, host: '127.0.0.1' })
    expect(hosted.hosting!.line).toMatch(/^Venue hub at https:\/\/127\.0\.0\.1:\d+ — pairing code /)
    const joined = await desk.call<VenueStatus>('venue.join', {
      url: hosted.hosting!.url,
      code: hosted.hosting!.pairingCode,
      email: EMAIL,
      password: PASSWORD
    })
    expect(joined.role).toBe('joined')
    await drained(desk)
    // The new hub holds the desk's payment and charge, waiting for Circuit with its own.
    expect((await podium.call<StatusSnapshot>('app.status')).pending).toBeGreaterThanOrEqual(4)

    // Circuit comes back: each station's own changes are on it, once.
    await faults({ error500Rate: 0 })
    await drained(podium)
    const applied = (i: number) => sim.store.clerkingLog.filter((c) => c.item === lots[i].id).map((c) => c.status)
    expect(applied(2)).toEqual(['sold'])
    expect(sim.store.items.get(lots[2].id)).toMatchObject({ status: 'sold', hammer: 60_00, winnerId: first.clientId })
    const ours = [...sim.store.transactions.values()].filter((t) => t.orderId === circuitOrder().id)
    expect(ours.map((t) => t.amount)).toEqual([25_00])
    expect(circuitOrder().charges.map((c) => ({ term: c.termId, amount: c.amount }))).toEqual([
      { term: terms[0].id, amount: 15_00 }
    ])
    expect(
      circuitOrder()
        .lines.map((l) => l.itemId)
        .sort()
    ).toEqual([lots[0].id, lots[2].id].sort())
    const cardOnCircuit = [...sim.store.phoneCards.values()].find(
      (c) => c.sessionId === sessionId && c.clientId === phone.clientId
    )
    expect(cardOnCircuit?.lots).toEqual(card.lots.map((l) => l.itemId))

    // What is lost: what the dead hub took and had not forwarded (no station still held it).
    expect(sim.store.items.get(lots[1].id)!.status).toBe('available')
    expect([...sim.store.transactions.values()].some((t) => t.amount === 10_00)).toBe(false)
    // Every station shows Circuit's version: nothing counted that Circuit does not have.
    const want = circuitView(sim, SALE)
    for (const s of [podium, desk]) {
      await until(
        `${s.name} equals Circuit`,
        () => JSON.stringify(s.read((db) => replicaView(db, SALE))) === JSON.stringify(want)
      ).catch(() =>
        expect({ station: s.name, ...s.read((db) => replicaView(db, SALE)) }).toEqual({ station: s.name, ...want })
      )
    }
    const receipts = (await invoice(first.paddle)).orders.flatMap((o) => o.payments.filter((p) => !p.voided))
    expect(receipts.map((p) => p.amount)).toEqual([25_00])
    expect(paid.payment.amount).toBe(25_00)
  }, 180_000)
})
