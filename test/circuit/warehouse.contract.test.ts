// The warehouse and consignor endpoints (issue 15) through the typed client,
// against the simulator: shipments and boxes (read back by order), shipping
// areas, consignments with their commission, legacy statements, consignor
// orders and a Cheque paid on one. Money in minor units throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim/index'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { CircuitConfigError, CircuitHttpError } from '../../src-main/circuit/errors'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'
import { caught } from './helpers'

const NOW = Date.UTC(2026, 10, 26, 9, 0)
let sim: RunningSimulator
let client: CircuitApiClient

beforeAll(async () => {
  sim = await startSimulator({ lots: 120, clients: 60, now: () => NOW, quiet: true })
  client = createCircuitClient({
    baseUrl: sim.url,
    now: () => NOW,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    timeoutMs: 5000
  })
})
afterAll(() => sim.close())

/** A sale 2 buyer's order holding at least `n` lots. */
const buyerOrder = async (n: number) =>
  (await client.orders.findAll({ type: 'bidder', sale: '2' })).find(
    (o) => o.lines.length >= n && o.status !== 'canceled'
  )!

describe('shipping', () => {
  it('creates a shipment and reads it back by its order', async () => {
    const order = await buyerOrder(2)
    const made = await client.shipments.create({
      order: order.id,
      items: [order.lines[0].itemId],
      method: 'FedEx Ground',
      trackingNumber: '1Z999AA10123456784',
      cost: 2550,
      weightGrams: 2500,
      dimensionsCm: { length: 30, width: 20, height: 15 }
    })
    expect(made).toMatchObject({
      orderId: order.id,
      itemIds: [order.lines[0].itemId],
      method: 'FedEx Ground',
      trackingNumber: '1Z999AA10123456784',
      cost: 2550,
      weightGrams: 2500,
      dimensions: { length: 30, width: 20, height: 15, unit: 'cm' },
      status: 'pending',
      created: new Date(NOW).toISOString()
    })
    const back = await client.shipments.forOrder(order.id)
    expect(back.map((s) => s.id)).toEqual([made!.id])
    expect(back[0]).toEqual(made)
    expect((await client.shipments.list({ filter: { order: order.id, status: 'shipped' } })).rows).toEqual([])
  })

  it('refuses what Circuit refuses: a lot not on the order (422), bad input before sending', async () => {
    const order = await buyerOrder(1)
    const e = await caught(client.shipments.create({ order: order.id, items: ['1'], method: 'UPS' }))
    expect(e).toBeInstanceOf(CircuitHttpError)
    expect(e).toMatchObject({ status: 422, outcome: 'rejected' })
    expect(e.fieldErrors.items).toBeDefined()
    expect(() =>
      client.shipments.create({ order: order.id, items: [order.lines[0].itemId], method: 'UPS', weightGrams: 1.5 })
    ).toThrow(CircuitConfigError)
    expect(() =>
      client.shipments.create({
        order: order.id,
        items: [order.lines[0].itemId],
        method: 'UPS',
        dimensionsCm: { length: 0, width: 1, height: 1 }
      })
    ).toThrow(CircuitConfigError)
  })

  it('boxes: one order in two boxes, a box updated by its number, read back by order', async () => {
    const order = await buyerOrder(3)
    const [a, b, c] = order.lines.map((l) => l.itemId)
    const one = await client.shippingBoxes.upsert({
      order: order.id,
      items: [a],
      boxNumber: 1,
      weightGrams: 1200,
      dimensionsCm: { length: 30, width: 20, height: 15 }
    })
    expect(one).toMatchObject({
      orderId: order.id,
      itemIds: [a],
      boxNumber: '1',
      weightGrams: 1200,
      dimensions: '30x20x15cm'
    })
    const two = await client.shippingBoxes.upsert({ order: order.id, items: [b], boxNumber: '2', weightGrams: 800 })
    expect(two).toMatchObject({ boxNumber: '2', itemIds: [b], weightGrams: 800, dimensions: null })
    const again = await client.shippingBoxes.upsert({ order: order.id, items: [a, c], boxNumber: 1 })
    expect(again!.id).toBe(one!.id)
    const boxes = await client.shippingBoxes.forOrder(order.id)
    expect(boxes.map((x) => [x.boxNumber, x.itemIds])).toEqual([
      ['1', [a, c]],
      ['2', [b]]
    ])
  })

  it('shipping areas', async () => {
    expect(await client.shippingAreas.all()).toEqual([
      expect.objectContaining({ id: '81', label: 'Local', description: 'Within 50 miles', baseRate: 1000 }),
      expect.objectContaining({ id: '82', label: 'National', baseRate: 2500 }),
      expect.objectContaining({ id: '83', label: 'International', baseRate: 5000 })
    ])
  })
})

describe('consignors', () => {
  it('consignments carry the commission rate, hammer total, payment instructions and owner', async () => {
    const rows = await client.consignments.forSale('2')
    expect(rows.length).toBe([...sim.store.consignments.values()].filter((c) => c.saleId === '2').length)
    for (const r of rows) {
      const c = sim.store.consignments.get(r.id)!
      const owner = sim.store.clients.get(c.ownerId)!
      const sold = [...sim.store.items.values()].filter((i) => i.consignmentId === c.id && i.status === 'sold')
      expect(r).toMatchObject({
        saleId: '2',
        ownerId: c.ownerId,
        ownerName: sim.store.clientLabel(owner),
        customerNumber: owner.customerNumber,
        commissionBp: c.commissionBp,
        paymentInstructions: c.paymentInstructions,
        totalHammer: sold.reduce((s, i) => s + i.hammer!, 0),
        consignmentNumber: `${c.symbol}-${c.subSymbol}`
      })
      expect(r.commissionSteps).toEqual([{ from: 0, commission: expect.stringMatching(/%$/), rateBp: c.commissionBp }])
    }
  })

  it('statements agree with the consignor orders: hammer − commission − charges, less what was paid', async () => {
    const statements = await client.consignmentStatements.forSale('2')
    const orders = await client.orders.findAll({ type: 'consignor', sale: '2' })
    expect(new Set(orders.map((o) => o.clientId))).toEqual(new Set(statements.map((s) => s.ownerId)))
    for (const o of orders) {
      const mine = statements.filter((s) => s.ownerId === o.clientId)
      expect(mine.every((s) => s.orderNumber === o.orderNumber && s.status === o.status)).toBe(true)
      const hammer = o.lines.reduce((s, l) => s + (l.hammer ?? 0), 0)
      const commission = o.lines.reduce((s, l) => s + (l.premium ?? 0), 0)
      const charges = o.charges.reduce((s, c) => s + c.amount + c.taxAmount, 0)
      expect(o.grandTotal).toBe(hammer - commission - charges)
      expect(mine.reduce((s, x) => s + x.total!, 0)).toBe(o.grandTotal)
      expect(mine.reduce((s, x) => s + x.actuallyPaid!, 0)).toBe(o.paymentReceived)
      expect(o.amountDue).toBe(o.grandTotal! - o.paymentReceived!)
    }
  })

  it('a Cheque paid on a consignor order', async () => {
    const order = (await client.orders.findAll({ type: 'consignor', sale: '2', status: 'in_process' })).find(
      (o) => (o.amountDue ?? 0) > 0
    )!
    const cheque = await client.transactions.create({
      order: order.id,
      transaction_type: 'Cheque',
      amount: order.amountDue!,
      bank: '6',
      cheque_number: '300500',
      cheque_date: '2026-11-26',
      transaction_date: '2026-11-26',
      info: 'Consignor settlement'
    })
    expect(cheque).toMatchObject({ type: 'cheque', amount: order.amountDue, chequeNumber: '300500', bankId: '6' })
    expect((await client.orders.get(order.id)).amountDue).toBe(0)
    const st = (await client.consignmentStatements.list({ filter: { owner: order.clientId!, sale: '2' } })).rows
    expect(st.reduce((s, x) => s + x.actuallyPaid!, 0)).toBe(order.paymentReceived! + order.amountDue!)
  })
})
