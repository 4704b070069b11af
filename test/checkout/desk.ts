// A cashier's desk for checkout tests: the simulator over HTTP and one real
// station (its own SQLite file) that has pulled the sales given, started
// before the file's tests and closed after them. `gate: true` puts a proxy
// between them that can hold requests (gate.ts).
import { afterAll, beforeAll } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'
import { startGate, type Gate } from './gate'

export interface Desk {
  sim: RunningSimulator
  station: Station
  gate: Gate | null
}

export function useDesk(o: {
  seed: number
  lots?: number
  clients?: number
  sales?: string[]
  name?: string
  gate?: boolean
}): Desk {
  const desk = { gate: null } as Desk
  let cleanup = () => {}
  beforeAll(async () => {
    desk.sim = await startSimulator({ seed: o.seed, lots: o.lots ?? 200, clients: o.clients ?? 60, quiet: true })
    if (o.gate) desk.gate = await startGate(desk.sim.url)
    const data = tempDir('saleroom-desk-')
    cleanup = data.cleanup
    desk.station = await startStation(data.dir, desk.gate?.url ?? desk.sim.url, { name: o.name ?? 'Cashier' })
    for (const sale of o.sales ?? ['2']) await desk.station.pull(sale)
  })
  afterAll(async () => {
    desk.gate?.release()
    await desk.station?.close()
    await desk.gate?.close()
    await desk.sim?.close()
    cleanup()
  })
  return desk
}

/** POST /_sim/faults on the desk's simulator. */
export async function simFaults(desk: Desk, f: Record<string, number>): Promise<void> {
  const r = await fetch(`${desk.sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })
  if (!r.ok) throw new Error(`faults: ${r.status}`)
}

/** Counts the deletions the simulator applies, per transaction id. */
export function countDeletes(sim: RunningSimulator): Map<string, number> {
  const counts = new Map<string, number>()
  const store = sim.store
  const remove = store.removeTransaction.bind(store)
  store.removeTransaction = (id: string) => {
    if (store.transactions.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1)
    remove(id)
  }
  return counts
}
