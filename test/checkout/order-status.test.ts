// An order's status changed at the desk reaches Circuit once; a change
// Circuit made meanwhile is a conflict, not overwritten; locked orders are
// read-only.
import { describe, expect, it } from 'vitest'
import type { CheckoutOrder } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from './desk'

const desk = useDesk({ seed: 6, lots: 200, clients: 60 })

const orders = (status: string) =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status === status)

describe('order status', () => {
  it('new → in process → finished, each sent once and read back', async () => {
    const order = orders('new')[0]
    const a = await desk.station.call<CheckoutOrder>('checkout.setStatus', { orderId: order.id, status: 'in_process' })
    expect(a.status).toBe('in_process')
    await desk.station.call('checkout.setStatus', { orderId: order.id, status: 'finished' })
    await desk.station.settle()
    expect(desk.sim.store.orders.get(order.id)!.status).toBe('finished')
    expect(desk.station.openEntries()).toEqual([])
  })

  it('Circuit changed it meanwhile: a conflict, settled by taking theirs', async () => {
    const order = orders('new')[0]
    // The back office finished it after this station's last pull.
    desk.sim.store.setOrderStatus(desk.sim.store.orders.get(order.id)!, 'finished')
    desk.sim.store.touchOrder(desk.sim.store.orders.get(order.id)!)
    await desk.station.call('checkout.setStatus', { orderId: order.id, status: 'in_process' })
    await desk.station.settle()
    const conflict = desk.station.core
      .replica()!
      .raw.prepare(`SELECT seq FROM outbox WHERE entity_type = 'order' AND state = 'conflict'`)
      .get() as { seq: number }
    expect(conflict).toBeTruthy()
    expect(desk.sim.store.orders.get(order.id)!.status).toBe('finished')
    await desk.station.call('outbox.takeTheirs', { seq: conflict.seq })
    const row = desk.station.core.replica()!.raw.prepare('SELECT status FROM orders WHERE id = ?').get(order.id) as {
      status: string
    }
    expect(row.status).toBe('finished')
  })

  it('a locked order is read-only, and the refusal changes nothing', async () => {
    const order = orders('locked')[0]
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const r = await desk.station.send('checkout.setStatus', { orderId: order.id, status: 'new' })
    expect(!r.ok && r.error.message).toContain('locked')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)
  })
})
