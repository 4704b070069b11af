// Shipments and shipping boxes through the outbox, against the simulator
// over HTTP and a real SQLite station. Circuit has no idempotency key for
// POST shipments or POST shipping-box, so every send is read back first:
// with every answer lost (the simulator applies the POST, then drops the
// connection), each shipment and each box is made on Circuit exactly once,
// with what was typed at the desk.
import { describe, expect, it } from 'vitest'
import type { BoxResult, DeskBuyer, ShipmentResult, ShippingArea } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { simFaults, useDesk } from '../checkout/desk'

const desk = useDesk({ seed: 43, lots: 200, clients: 80, sales: ['2'], name: 'Dispatch' })

const store = () => desk.sim.store
const raw = () => desk.station.core.replica()!.raw
let turn = 0
/** A buyer's invoice of sale 2 with at least four lots, a different one each time. */
const order = () => {
  const all = [...store().orders.values()].filter(
    (o) => o.saleId === '2' && o.type === 'bidder' && o.status !== 'canceled' && store().orderLines(o).length >= 4
  )
  if (!all.length) throw new Error('no order with four lots in the seed')
  return all[turn++ % all.length]
}
const lotsOf = (orderId: string) =>
  store()
    .orderLines(store().orders.get(orderId)!)
    .map((l) => l.itemId)
const stats = async (): Promise<Record<string, number>> =>
  ((await (await fetch(`${desk.sim.url}/_sim/stats`)).json()) as { data: { requests: Record<string, number> } }).data
    .requests
const posts = async (path: string) => (await stats())[`POST /api/v1.0/${path}`] ?? 0
const outbox = (type: string, id: string) =>
  raw().prepare(`SELECT op, state FROM outbox WHERE entity_type = ? AND entity_id = ? ORDER BY seq`).all(type, id) as {
    op: string
    state: string
  }[]
const until = async (what: () => boolean) => {
  for (let i = 0; i < 1000 && !what(); i++) await new Promise((ok) => setTimeout(ok, 5))
  expect(what()).toBe(true)
}

describe('shipping areas', () => {
  it('are pulled with the sale, base rates in minor units', async () => {
    const areas = await desk.station.call<ShippingArea[]>('warehouse.shippingAreas', {})
    expect(areas.map((a) => [a.label, a.baseRate])).toEqual([
      ['Local', 1000],
      ['National', 2500],
      ['International', 5000]
    ])
  })
})

describe('shipments', () => {
  it('a shipment whose answer is lost is read back, found, and made exactly once', async () => {
    const o = order()
    const [a, b] = lotsOf(o.id)
    const before = await posts('shipments')
    const applied = desk.station.core.pusher()!.totals.alreadyApplied
    await simFaults(desk, { dropAfterApplyRate: 1 })
    const r = await desk.station.call<ShipmentResult>('warehouse.ship', {
      orderId: o.id,
      itemIds: [a, b],
      method: 'FedEx Ground',
      tracking: '123456789012',
      costMinor: 2500,
      weightKg: 2.5,
      dimensionsCm: { length: 30, width: 20.5, height: 15 }
    })
    expect(r.shipment).toMatchObject({ state: 'waiting', method: 'FedEx Ground', weightGrams: 2500 })
    const onCircuit = () => [...store().shipments.values()].filter((s) => s.orderId === o.id)
    await until(() => onCircuit().length > 0)
    await simFaults(desk, { dropAfterApplyRate: 0 })
    await desk.station.settle()

    expect(onCircuit()).toHaveLength(1)
    expect(onCircuit()[0]).toMatchObject({
      items: [a, b],
      method: 'FedEx Ground',
      trackingNumber: '123456789012',
      cost: 2500,
      weightGrams: 2500,
      dimensions: { length: '30', width: '20.5', height: '15', unit: 'cm' }
    })
    // One POST: the lost answer was settled by reading back, not by sending again.
    expect((await posts('shipments')) - before).toBe(1)
    expect(desk.station.core.pusher()!.totals.alreadyApplied).toBeGreaterThan(applied)
    expect(outbox('shipment', r.shipment.id)).toEqual([{ op: 'shipment.create', state: 'done' }])
    const kept = raw().prepare('SELECT server_id FROM shipments WHERE id = ?').get(r.shipment.id) as {
      server_id: string
    }
    expect(kept.server_id).toBe(onCircuit()[0].id)
    const view = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: o.ownerId })
    const shown = view.orders.find((x) => x.orderId === o.id)!.shipments
    expect(shown).toEqual([
      expect.objectContaining({ id: r.shipment.id, serverId: onCircuit()[0].id, state: 'on_circuit' })
    ])
    expect(view.lots.find((l) => l.itemId === a)?.shipmentId).toBe(r.shipment.id)
  })

  it('a lot ships once; lots not on the invoice, or handed out, do not ship; nothing is written', async () => {
    const o = order()
    const [a, b, c] = lotsOf(o.id)
    await desk.station.call<ShipmentResult>('warehouse.ship', { orderId: o.id, itemIds: [a], method: 'Royal Mail' })
    await desk.station.call('warehouse.release', { itemIds: [c], collectedBy: 'Buyer', confirm: true })
    const other = order()
    const snap = snapshotTables(raw())
    const twice = await desk.station.send('warehouse.ship', { orderId: o.id, itemIds: [a, b], method: 'DHL' })
    expect(!twice.ok && twice.error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('a lot ships once')
    })
    const foreign = await desk.station.send('warehouse.ship', {
      orderId: o.id,
      itemIds: [lotsOf(other.id)[0]],
      method: 'DHL'
    })
    expect(!foreign.ok && foreign.error.code).toBe('invalid_input')
    const out = await desk.station.send('warehouse.ship', { orderId: o.id, itemIds: [c], method: 'DHL' })
    expect(!out.ok && out.error.message).toContain('handed out')
    const weight = await desk.station.send('warehouse.ship', {
      orderId: o.id,
      itemIds: [b],
      method: 'DHL',
      weightKg: '2.5005'
    })
    expect(!weight.ok && weight.error.code).toBe('invalid_input')
    expect(snapshotTables(raw())).toEqual(snap)
    await desk.station.settle()
  })

  it('lots Circuit already ships in another shipment stop ours as a conflict, with both sides, unsent', async () => {
    const o = order()
    const [a, b] = lotsOf(o.id)
    // The back office shipped lot a meanwhile.
    const t = store().now()
    store().addShipment({
      id: store().nextId(),
      orderId: o.id,
      items: [a],
      method: 'UPS',
      trackingNumber: null,
      cost: null,
      weightGrams: null,
      dimensions: null,
      status: 'pending',
      created: t,
      updated: t
    })
    const before = await posts('shipments')
    const r = await desk.station.call<ShipmentResult>('warehouse.ship', {
      orderId: o.id,
      itemIds: [a, b],
      method: 'DHL'
    })
    await desk.station.settle()
    expect(await posts('shipments')).toBe(before)
    expect(outbox('shipment', r.shipment.id)).toEqual([{ op: 'shipment.create', state: 'conflict' }])
    const conflict = JSON.parse(
      (raw().prepare(`SELECT conflict FROM outbox WHERE entity_id = ?`).get(r.shipment.id) as { conflict: string })
        .conflict
    ) as { ours: string; theirs: string }
    expect(conflict.ours).toContain('by DHL')
    expect(conflict.theirs).toContain('by UPS')
  })
})

describe('shipping boxes', () => {
  it('one order ships in two boxes; each box is made once although every answer is lost', async () => {
    const o = order()
    const [a, b, c] = lotsOf(o.id)
    const before = await posts('shipping-box')
    await simFaults(desk, { dropAfterApplyRate: 1 })
    const one = await desk.station.call<BoxResult>('warehouse.box', {
      orderId: o.id,
      itemIds: [a, b],
      boxNumber: 1,
      weightKg: '3.25',
      dimensionsCm: { length: 40, width: 30, height: 20 }
    })
    const two = await desk.station.call<BoxResult>('warehouse.box', {
      orderId: o.id,
      itemIds: [c],
      boxNumber: '2',
      weightKg: 1,
      dimensionsCm: { length: 25, width: 20, height: 10 }
    })
    const boxes = () => [...store().shippingBoxes.values()].filter((x) => x.orderId === o.id)
    await until(() => boxes().length === 2)
    await simFaults(desk, { dropAfterApplyRate: 0 })
    await desk.station.settle()

    expect(
      boxes()
        .map((x) => [x.boxNumber, x.items, x.weightGrams, x.dimensions])
        .sort()
    ).toEqual([
      ['1', [a, b], 3250, '40x30x20cm'],
      ['2', [c], 1000, '25x20x10cm']
    ])
    expect((await posts('shipping-box')) - before).toBe(2)
    expect(outbox('shipping_box', one.box.id)).toEqual([{ op: 'box.save', state: 'done' }])
    expect(outbox('shipping_box', two.box.id)).toEqual([{ op: 'box.save', state: 'done' }])
    const view = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: o.ownerId })
    expect(view.orders.find((x) => x.orderId === o.id)!.boxes.map((x) => [x.boxNumber, x.state])).toEqual([
      [1, 'on_circuit'],
      [2, 'on_circuit']
    ])
  })

  it('the same box number again changes that box (once, answer lost); a lot goes in one box', async () => {
    const o = order()
    const [a, b, c] = lotsOf(o.id)
    const box = (itemIds: string[], n: number, kg = 2) =>
      desk.station.send('warehouse.box', {
        orderId: o.id,
        itemIds,
        boxNumber: n,
        weightKg: kg,
        dimensionsCm: { length: 30, width: 20, height: 15 }
      })
    expect((await box([a], 1)).ok).toBe(true)
    await desk.station.settle()
    const snap = snapshotTables(raw())
    const clash = await box([a, b], 2)
    expect(!clash.ok && clash.error.message).toContain('A lot goes in one box')
    const same = await box([a], 1)
    expect(!same.ok && same.error.code).toBe('conflict')
    expect(snapshotTables(raw())).toEqual(snap)

    const before = await posts('shipping-box')
    await simFaults(desk, { dropAfterApplyRate: 1 })
    expect((await box([a, c], 1, 4.5)).ok).toBe(true)
    const onCircuit = () => [...store().shippingBoxes.values()].filter((x) => x.orderId === o.id)
    await until(() => onCircuit()[0]?.items.length === 2)
    await simFaults(desk, { dropAfterApplyRate: 0 })
    await desk.station.settle()
    expect(onCircuit().map((x) => [x.boxNumber, x.items, x.weightGrams])).toEqual([['1', [a, c], 4500]])
    expect((await posts('shipping-box')) - before).toBe(1)
  })

  it('a box another station packed differently is a conflict, not overwritten', async () => {
    const o = order()
    const [a, b] = lotsOf(o.id)
    const t = store().now()
    const id = store().nextId()
    store().shippingBoxes.set(id, {
      id,
      orderId: o.id,
      items: [b],
      boxNumber: '5',
      weightGrams: 900,
      dimensions: '10x10x10cm',
      created: t,
      updated: t
    })
    const before = await posts('shipping-box')
    const r = await desk.station.call<BoxResult>('warehouse.box', {
      orderId: o.id,
      itemIds: [a],
      boxNumber: 5,
      weightKg: 1.2,
      dimensionsCm: { length: 20, width: 20, height: 20 }
    })
    await desk.station.settle()
    expect(await posts('shipping-box')).toBe(before)
    expect(outbox('shipping_box', r.box.id)).toEqual([{ op: 'box.save', state: 'conflict' }])
  })
})
