// Podium → desk through the venue hub: from a hammer at the podium station to
// the lot on the buyer's invoice at the checkout desk station (the desk's
// replica, read by `checkout.invoice`), with Circuit failing every call (the
// venue's own case). Three real station processes (`npm run serve`), each its
// own data folder: a hub, a podium and a desk joined to it over TLS. The desk
// is watched through its web host's event stream, as its screen is, and
// asked for the invoice on each event (and every 100 ms besides). The goal is
// p95 ≤ 1 s; the line gives p50 and p95 and p95 as a share of the goal, next
// to a plain call to the desk measured in the same run.
import { size, type BenchOptions } from './harness'
import { startSimulator } from '../src-main/circuit-sim'
import type { CheckoutInvoice, ClerkBoard } from '../src-shared/contract'
import { tempDir } from '../test/helpers'
import { freePort, pullSale, stationProcess, type StationProcess } from '../test/venue/processes'

const GOAL_MS = 1_000

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]

export async function venueBench(lines: string[], o: BenchOptions): Promise<void> {
  const hammers = size(o, 80, 8)
  const sim = await startSimulator({ seed: 3, lots: hammers + 40, clients: 40, quiet: true })
  const dirs = ['hub', 'podium', 'desk'].map((n) => tempDir(`saleroom-bench-venue-${n}-`))
  const stations: StationProcess[] = []
  let stopFollowing: (() => void) | null = null
  try {
    const [hubPort, hubWeb, podiumWeb, deskWeb] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort()
    ]
    const hub = stationProcess('PODIUM-1', dirs[0].dir, hubWeb, { kind: 'hub', simUrl: sim.url, hubPort })
    stations.push(hub)
    await hub.start()
    await pullSale(hub, '1')
    const podium = stationProcess('PODIUM-2', dirs[1].dir, podiumWeb, { kind: 'joined', hub: hub.hub! })
    const desk = stationProcess('DESK-1', dirs[2].dir, deskWeb, { kind: 'joined', hub: hub.hub! })
    stations.push(podium, desk)
    await Promise.all([podium.start(), desk.start()])
    await Promise.all([pullSale(podium, '1'), pullSale(desk, '1')])
    await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error500Rate: 1 })
    })

    const board = await podium.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const buyers = board.bidders.filter((b) => b.type === 'floor').slice(0, 8)
    const lots = board.lots.filter((l) => l.status === 'available')
    let wake: (() => void) | null = null
    stopFollowing = await desk.follow((event) => {
      if (event === 'data.changed') wake?.()
    })

    /** Resolves when the desk's invoice for the paddle holds the lot. */
    const onInvoice = async (paddle: string, itemId: string) => {
      for (;;) {
        const changed = new Promise<void>((ok) => {
          wake = ok
          setTimeout(ok, 100)
        })
        const invoice = await desk.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle })
        if (invoice.orders.some((o) => o.lines.some((l) => l.itemId === itemId))) return
        await changed
      }
    }

    const took: number[] = []
    for (let i = 0; i < hammers; i++) {
      const buyer = buyers[i % buyers.length]
      const lot = lots[i]
      const start = performance.now()
      await podium.call('clerking.sell', { itemId: lot.id, paddle: buyer.paddle, amount: 100_00, confirm: true })
      await onInvoice(buyer.paddle, lot.id)
      took.push(performance.now() - start)
    }
    const plain: number[] = []
    for (let i = 0; i < 40; i++) {
      const start = performance.now()
      await desk.call('app.status')
      plain.push(performance.now() - start)
    }
    took.sort((a, b) => a - b)
    plain.sort((a, b) => a - b)
    const [p50, p95] = [percentile(took, 50), percentile(took, 95)]
    const call = percentile(plain, 50)
    lines.push(
      `podium → desk through the venue hub, Circuit failing (${hammers} hammers, three station processes): ` +
        `p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms → p95 is ${(p95 / GOAL_MS).toFixed(2)}× the 1 s goal ` +
        `(${(p50 / call).toFixed(1)}× a plain call to the desk, ${call.toFixed(1)} ms, at p50)`
    )
  } finally {
    stopFollowing?.()
    for (const s of stations) await s.kill()
    await sim.close()
    for (const d of dirs) d.cleanup()
  }
}
