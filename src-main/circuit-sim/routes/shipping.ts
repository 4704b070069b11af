// shipments (GET/POST, README.txt "Shipping") and shipping-box (POST, create or
// update by box number; the GET list is assumed). Shipping areas are a
// taxonomy (routes/reference.ts).

import {
  idOf,
  isObject,
  ok,
  requireObject,
  single,
  unprocessable,
  type Json,
  type JsonObject
} from '../../circuit-server/http'
import { MAX_AMOUNT, withinBounds } from '../money'
import { formatPlain, parseDecimalMinor } from '../../../src-shared/money'
import { listResponse, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { toIso } from '../../circuit-server/time'
import type { Order, Shipment, ShipmentStatus, ShippingBox } from '../types'

const SHIPMENT_STATUSES: ShipmentStatus[] = ['pending', 'shipped', 'delivered']
const UNITS = ['cm', 'mm', 'in', 'm']
const MAX_GRAMS = 100_000_000 // 100 tonnes
const DECIMAL = /^\d+(\.\d+)?$/

/** Grams as the docs write kilograms: 2500 -> "2.5". */
const kg = (grams: number | null): string | null =>
  grams === null ? null : formatPlain(grams, 3).replace(/\.?0+$/, '')

export function serializeShipment(store: SimStore, s: Shipment): JsonObject {
  return {
    id: s.id,
    order: s.orderId,
    items: [...s.items],
    shipping_method: s.method,
    tracking_number: s.trackingNumber,
    shipping_cost: store.moneyOrNull(s.cost),
    weight: kg(s.weightGrams),
    dimensions: s.dimensions ? { ...s.dimensions } : null,
    status: s.status,
    created: toIso(s.created),
    updated: toIso(s.updated)
  }
}

export function serializeBox(b: ShippingBox): JsonObject {
  return {
    id: b.id,
    order: b.orderId,
    items: [...b.items],
    box_number: b.boxNumber,
    weight: kg(b.weightGrams),
    dimensions: b.dimensions,
    created: toIso(b.created),
    updated: toIso(b.updated)
  }
}

const shipmentsDef = (store: SimStore): ListDef<Shipment> => ({
  resource: 'shipments',
  defaultSort: 'id',
  filters: {
    id: { kind: 'id', get: (s) => s.id },
    order: { kind: 'id', get: (s) => s.orderId },
    status: { kind: 'exact', get: (s) => s.status },
    tracking_number: { kind: 'exact', get: (s) => s.trackingNumber },
    created: { kind: 'date', get: (s) => s.created },
    updated: { kind: 'date', get: (s) => s.updated }
  },
  serialize: (s) => serializeShipment(store, s)
})

const boxesDef: ListDef<ShippingBox> = {
  resource: 'shipping-box',
  defaultSort: 'id',
  filters: {
    id: { kind: 'id', get: (b) => b.id },
    order: { kind: 'id', get: (b) => b.orderId },
    box_number: { kind: 'exact', get: (b) => b.boxNumber },
    updated: { kind: 'date', get: (b) => b.updated }
  },
  serialize: serializeBox
}

/** `order` and `items` of a shipment or a box: an order that can ship, and lots that are on it. */
function orderAndItems(store: SimStore, body: JsonObject, errors: Record<string, string[]>): [Order | null, string[]] {
  const orderId = idOf(body.order)
  const order = orderId ? store.orders.get(orderId) : undefined
  if (!order) {
    errors.order = [orderId ? `Order ${orderId} does not exist.` : 'This field is required']
    return [null, []]
  }
  if (order.type !== 'bidder' || order.status === 'canceled') {
    errors.order = [`Order ${order.id} is a ${order.status} ${order.type} order; only a buyer's order ships.`]
    return [null, []]
  }
  const ids = Array.isArray(body.items) ? body.items.map(idOf) : null
  if (!ids || ids.length === 0 || ids.some((x) => x === null)) {
    errors.items = ['Must be a non-empty array of item ids.']
    return [order, []]
  }
  const onOrder = new Set(store.orderLines(order).map((l) => l.itemId))
  const foreign = (ids as string[]).filter((id) => !onOrder.has(id))
  if (foreign.length) errors.items = [`Items not on order ${order.id}: ${foreign.join(', ')}`]
  return [order, [...new Set(ids as string[])]]
}

/** "2.5" / 2.5 kg -> 2500 g; undefined when absent. */
function grams(value: Json | undefined, errors: Record<string, string[]>, field: string): number | null | undefined {
  if (value === undefined || value === null || value === '') return value === undefined ? undefined : null
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  const g = DECIMAL.test(text) ? parseDecimalMinor(text, { decimals: 3 }) : null
  if (g === null || g > MAX_GRAMS) {
    errors[field] = ['Must be a weight in kg like "2.5" (at most 100000).']
    return undefined
  }
  return g
}

function parseShipment(store: SimStore, body: JsonObject): Omit<Shipment, 'id' | 'created' | 'updated'> {
  const errors: Record<string, string[]> = {}
  const [order, items] = orderAndItems(store, body, errors)
  const method = isObject(body.shipping_method)
    ? (body.shipping_method.label ?? body.shipping_method.name)
    : body.shipping_method
  if (typeof method !== 'string' || method.trim() === '') errors.shipping_method = ['This field is required']
  if (body.tracking_number !== undefined && body.tracking_number !== null && typeof body.tracking_number !== 'string')
    errors.tracking_number = ['Must be a string.']
  let cost: number | null = null
  if (body.shipping_cost !== undefined && body.shipping_cost !== null) {
    const c = store.parseMoney(body.shipping_cost)
    if (c === null || c < 0) errors.shipping_cost = [`Must be an amount like "${store.money(2500)}".`]
    else if (!withinBounds(c)) errors.shipping_cost = [`Must not exceed ${store.money(MAX_AMOUNT)}.`]
    else cost = c
  }
  const weight = grams(body.weight, errors, 'weight')
  let dimensions: Shipment['dimensions'] = null
  if (body.dimensions !== undefined && body.dimensions !== null) {
    const d = body.dimensions
    const side = (v: Json | undefined): string | null => {
      const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
      return DECIMAL.test(t) && Number(t) > 0 ? t : null
    }
    const unit = isObject(d) && d.unit !== undefined ? d.unit : 'cm'
    const sides = isObject(d) ? [side(d.length), side(d.width), side(d.height)] : [null]
    if (!isObject(d) || sides.some((x) => x === null) || typeof unit !== 'string' || !UNITS.includes(unit))
      errors.dimensions = ['Must be {length, width, height, unit} with positive lengths and unit cm, mm, in or m.']
    else dimensions = { length: sides[0]!, width: sides[1]!, height: sides[2]!, unit }
  }
  const status = body.status === undefined || body.status === null ? 'pending' : body.status
  if (typeof status !== 'string' || !SHIPMENT_STATUSES.includes(status as ShipmentStatus))
    errors.status = [`Must be one of ${SHIPMENT_STATUSES.join(', ')}.`]
  if (Object.keys(errors).length) throw unprocessable(errors)
  return {
    orderId: order!.id,
    items,
    method: (method as string).trim(),
    trackingNumber: typeof body.tracking_number === 'string' ? body.tracking_number : null,
    cost,
    weightGrams: weight ?? null,
    dimensions,
    status: status as ShipmentStatus
  }
}

export function registerShipping(router: Router): void {
  router.get('shipments', (ctx) => ok(listResponse(ctx, shipmentsDef(ctx.store), ctx.store.shipments.values())))
  router.get('shipments/:id', (ctx) =>
    single(serializeShipment(ctx.store, ctx.store.getOr404(ctx.store.shipments, ctx.params.id, 'Shipment')))
  )
  router.post('shipments', (ctx) => {
    const store = ctx.store
    const fields = parseShipment(store, requireObject(ctx.body))
    const t = store.now()
    const shipment: Shipment = { id: store.nextId(), ...fields, created: t, updated: t }
    store.addShipment(shipment)
    return single(serializeShipment(store, shipment), 201)
  })

  router.get('shipping-box', (ctx) => ok(listResponse(ctx, boxesDef, ctx.store.shippingBoxes.values())))
  // "Create or update shipping box information": the same order + box_number updates the box.
  router.post('shipping-box', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    const errors: Record<string, string[]> = {}
    const [order, items] = orderAndItems(store, body, errors)
    const boxNumber = idOf(body.box_number)
    if (!boxNumber) errors.box_number = ['This field is required']
    const weight = grams(body.weight, errors, 'weight')
    const dims = body.dimensions
    if (
      dims !== undefined &&
      dims !== null &&
      (typeof dims !== 'string' || !/^\d+(\.\d+)?x\d+(\.\d+)?x\d+(\.\d+)?\s*(cm|mm|in|m)$/.test(dims.trim()))
    )
      errors.dimensions = ['Must be like "30x20x15cm".']
    const existing = order && boxNumber ? store.boxOf(order.id, boxNumber) : undefined
    if (order && !errors.items) {
      // A lot goes in one box.
      for (const other of store.shippingBoxes.values()) {
        if (other.orderId !== order.id || other === existing) continue
        const clash = items.filter((id) => other.items.includes(id))
        if (clash.length) errors.items = [`Already in box ${other.boxNumber}: ${clash.join(', ')}`]
      }
    }
    if (Object.keys(errors).length) throw unprocessable(errors)
    const t = store.now()
    const dimensions = typeof dims === 'string' ? dims.trim() : null
    if (existing) {
      existing.items = items
      if (weight !== undefined) existing.weightGrams = weight
      if (dims !== undefined) existing.dimensions = dimensions
      store.stamp(existing)
      return single(serializeBox(existing), 200)
    }
    const box: ShippingBox = {
      id: store.nextId(),
      orderId: order!.id,
      items,
      boxNumber: boxNumber!,
      weightGrams: weight ?? null,
      dimensions,
      created: t,
      updated: t
    }
    store.shippingBoxes.set(box.id, box)
    return single(serializeBox(box), 201)
  })
}
