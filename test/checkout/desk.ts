// A cashier's desk for checkout tests: the simulator over HTTP and one real
// station (its own SQLite file) that has pulled the sales given, started
// before the file's tests and closed after them.
import { afterAll, beforeAll } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

export interface Desk {
  sim: RunningSimulator
  station: Station
}

export function useDesk(o: { seed: number; lots?: number; clients?: number; sales?: string[] }): Desk {
  const desk = {} as Desk
  let cleanup = () => {}
  beforeAll(async () => {
    desk.sim = await startSimulator({ seed: o.seed, lots: o.lots ?? 200, clients: o.clients ?? 60, quiet: true })
    const data = tempDir('saleroom-desk-')
    cleanup = data.cleanup
    desk.station = await startStation(data.dir, desk.sim.url, { name: 'Cashier' })
    for (const sale of o.sales ?? ['2']) await desk.station.pull(sale)
  })
  afterAll(async () => {
    await desk.station?.close()
    await desk.sim?.close()
    cleanup()
  })
  return desk
}
