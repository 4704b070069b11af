// An order's status changed at the desk reaches Circuit once; a change
// Circuit made meanwhile is a conflict, not overwritten; locked orders are
// read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutOrder } from '../../src-shared/contract'
import { snapshotTables, tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 6, lots: 200, clients: 80, quiet: true })
  const data = tempDir('saleroom-status-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, sim.url, { name: 'Cashier' })
  await station.pull('2')
})
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

const orders = (status: string) =>
  [...sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status === status)

describe('order status', () => {
  it('new → in process → finished, each sent once and read back', async () => {
    const order = orders('new')[0]
    const a = await station.call<CheckoutOrder>('checkout.setStatus', { orderId: order.id, status: 'in_process' })
    expect(a.status).toBe('in_process')
    await station.call('checkout.setStatus', { orderId: order.id, status: 'finished' })
    await station.settle()
    expect(sim.store.orders.get(order.id)!.status).toBe('finished')
    expect(station.openEntries()).toEqual([])
  })

  it('Circuit changed it meanwhile: a conflict, settled by taking theirs', async () => {
    const order = orders('new')[0]
    // The back office finished it after this station's last pull.
    sim.store.setOrderStatus(sim.store.orders.get(order.id)!, 'finished')
    sim.store.touchOrder(sim.store.orders.get(order.id)!)
    await station.call('checkout.setStatus', { orderId: order.id, status: 'in_process' })
    await station.settle()
    const conflict = station.core
      .replica()!
      .raw.prepare(`SELECT seq FROM outbox WHERE entity_type = 'order' AND state = 'conflict'`)
      .get() as { seq: number }
    expect(conflict).toBeTruthy()
    expect(sim.store.orders.get(order.id)!.status).toBe('finished')
    await station.call('outbox.takeTheirs', { seq: conflict.seq })
    const row = station.core.replica()!.raw.prepare('SELECT status FROM orders WHERE id = ?').get(order.id) as {
      status: string
    }
    expect(row.status).toBe('finished')
  })

  it('a locked order is read-only, and the refusal changes nothing', async () => {
    const order = orders('locked')[0]
    const before = snapshotTables(station.core.replica()!.raw)
    const r = await station.send('checkout.setStatus', { orderId: order.id, status: 'new' })
    expect(!r.ok && r.error.message).toContain('locked')
    expect(snapshotTables(station.core.replica()!.raw)).toEqual(before)
  })
})
