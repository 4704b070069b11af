// Shipments and shipping boxes: recorded here at once (offline too), then
// taken to Circuit by the outbox (shipment-sync.ts, box-sync.ts). A lot
// ships once and goes in one box of its order; a lot handed out at the desk
// does not ship.
import type { Kysely } from 'kysely'
import { gramsOf, mmOf, type BoxResult, type ShipmentResult } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import { iso } from '../core/clock'
import type { OrderBalance } from '../core/ports'
import { jsonValues } from '../db/json-values'
import type { Database } from '../db/schema'
import { collectionsOf, deskBox, deskShipment, lotsByIds, type LotRow, type WarehouseDeps } from './desk'

export interface ShippingDeps extends WarehouseDeps {
  actions: Actions
}

export interface DimensionsMm {
  length: number
  width: number
  height: number
}

/** The outbox payload of `shipment.create`: what Circuit should hold once it is sent. */
export interface ShipmentPayload {
  localId: string
  /** The order on this station (a provisional one waits for Circuit's). */
  orderId: string
  itemIds: string[]
  method: string
  trackingNumber: string | null
  cost: number | null
  weightGrams: number | null
  dimensionsMm: DimensionsMm | null
  /** Set by "keep mine": Circuit's shipment that holds some of these lots, which ours goes beside. */
  sendOver?: string | null
}

export interface BoxContents {
  itemIds: string[]
  weightGrams: number | null
  dimensionsMm: DimensionsMm | null
}

/** The outbox payload of `box.save`: the box as it should be (target), and as this station last knew it (base). */
export interface BoxPayload extends BoxContents {
  localId: string
  orderId: string
  boxNumber: number
  base: BoxContents | null
}

/** A lot of a shipment (run for each of its lots). */
export const ADD_SHIPMENT_ITEM = (q: Kysely<Database>, a: { shipmentId: string; itemId: string }) =>
  q.insertInto('shipment_items').values({ shipment_id: a.shipmentId, item_id: a.itemId })

type Dims = { length: number | string; width: number | string; height: number | string }

function dimensionsOf(d: Dims | undefined): DimensionsMm | null {
  if (!d) return null
  const [length, width, height] = [mmOf(d.length), mmOf(d.width), mmOf(d.height)]
  if (length === null || width === null || height === null) {
    throw new AppError('invalid_input', 'Give the dimensions in centimetres, e.g. 30 × 20 × 15.', {
      dimensionsCm: ['Not a length.']
    })
  }
  return { length, width, height }
}

function weightOf(kg: number | string | undefined): number | null {
  if (kg === undefined) return null
  const g = gramsOf(kg)
  if (g === null)
    throw new AppError('invalid_input', 'Give the weight in kilograms, e.g. 2.5.', { weightKg: ['Not a weight.'] })
  return g
}

/** A buyer's invoice that can ship, and the lots asked for, which must be on it and not handed out. */
function orderAndLots(deps: WarehouseDeps, orderId: string, itemIds: string[]): [OrderBalance, LotRow[]] {
  const { db, balances } = deps
  const order = balances.order(orderId)
  if (!order) throw new AppError('not_found', `There is no order ${orderId} on this station.`)
  if (order.type !== 'bidder' || order.status === 'canceled') {
    const what = order.type === 'bidder' ? 'cancelled' : order.type.replace('_', ' ')
    throw new AppError('conflict', `Order ${order.number} is a ${what} order: only a buyer's invoice ships.`)
  }
  const ids = [...new Set(itemIds)]
  const lots = lotsByIds(db, ids)
  const foreign = ids.filter((id) => !order.itemIds.includes(id) || !lots.some((l) => l.id === id))
  if (foreign.length) {
    const named = foreign.map((id) => `lot ${lots.find((l) => l.id === id)?.lot ?? id}`).join(', ')
    throw new AppError('invalid_input', `Not on invoice ${order.number}: ${named}.`, {
      itemIds: [`Not on invoice ${order.number}.`]
    })
  }
  const out = [...collectionsOf(db, ids).values()]
  if (out.length) {
    throw new AppError(
      'conflict',
      out.map((c) => `Lot ${c.lot} was handed out to ${c.collected_by} at the desk.`).join(' ') + ' It does not ship.'
    )
  }
  return [order, lots]
}

const lotList = (lots: LotRow[]) =>
  lots.length === 1 ? `lot ${lots[0].lot}` : `lots ${lots.map((l) => l.lot).join(', ')}`

export function ship(
  deps: ShippingDeps,
  input: {
    orderId: string
    itemIds: string[]
    method: string
    tracking?: string
    costMinor?: number
    weightKg?: number | string
    dimensionsCm?: Dims
  }
): ShipmentResult {
  const { db, actions } = deps
  const [order, lots] = orderAndLots(deps, input.orderId, input.itemIds)
  const shipped = db.all(
    db.q
      .selectFrom('shipment_items as si')
      .innerJoin('items as i', 'i.id', 'si.item_id')
      .select(['si.item_id', 'i.lot'])
      .where('si.item_id', 'in', jsonValues(lots.map((l) => l.id)))
  )
  if (shipped.length) {
    throw new AppError(
      'conflict',
      `${shipped.map((s) => `Lot ${s.lot}`).join(', ')} ${shipped.length === 1 ? 'is' : 'are'} on a shipment already; a lot ships once.`
    )
  }
  const weightGrams = weightOf(input.weightKg)
  const dimensionsMm = dimensionsOf(input.dimensionsCm)
  const id = actions.run((tx) => {
    const localId = `local-${tx.newId()}`
    const payload: ShipmentPayload = {
      localId,
      orderId: order.orderId,
      itemIds: lots.map((l) => l.id),
      method: input.method,
      trackingNumber: input.tracking ?? null,
      cost: input.costMinor ?? null,
      weightGrams,
      dimensionsMm
    }
    db.run(
      db.q.insertInto('shipments').values({
        id: localId,
        sale_id: order.saleId,
        order_id: order.orderId,
        method: payload.method,
        tracking_number: payload.trackingNumber,
        cost: payload.cost,
        weight_grams: weightGrams,
        length_mm: dimensionsMm?.length ?? null,
        width_mm: dimensionsMm?.width ?? null,
        height_mm: dimensionsMm?.height ?? null,
        status: 'pending',
        created_at: tx.now
      })
    )
    for (const l of lots) db.prepared(ADD_SHIPMENT_ITEM).run({ shipmentId: localId, itemId: l.id })
    tx.enqueue({
      entityType: 'shipment',
      entityId: localId,
      op: 'shipment.create',
      payload,
      label: `Ship ${lotList(lots)} of invoice ${order.number} by ${input.method}${input.tracking ? ` (${input.tracking})` : ''}`
    })
    tx.audit({
      action: 'warehouse.ship',
      entityType: 'shipment',
      entityId: localId,
      saleId: order.saleId,
      after: { ...payload, lots: lots.map((l) => l.lot), orderNumber: order.number, at: iso(tx.now) }
    })
    tx.changed('shipment', [localId], order.saleId ?? undefined)
    return localId
  })
  return { shipment: deskShipment(db, id) }
}

const sameContents = (a: BoxContents, b: BoxContents) =>
  [...a.itemIds].sort().join() === [...b.itemIds].sort().join() &&
  a.weightGrams === b.weightGrams &&
  JSON.stringify(a.dimensionsMm) === JSON.stringify(b.dimensionsMm)

interface BoxRow {
  id: string
  box_number: number
  items: string
  weight_grams: number | null
  length_mm: number | null
  width_mm: number | null
  height_mm: number | null
}

export function contentsOf(b: BoxRow): BoxContents {
  return {
    itemIds: JSON.parse(b.items) as string[],
    weightGrams: b.weight_grams,
    dimensionsMm:
      b.length_mm !== null && b.width_mm !== null && b.height_mm !== null
        ? { length: b.length_mm, width: b.width_mm, height: b.height_mm }
        : null
  }
}

export function box(
  deps: ShippingDeps,
  input: {
    orderId: string
    itemIds: string[]
    boxNumber: number | string
    weightKg: number | string
    dimensionsCm: Dims
  }
): BoxResult {
  const { db, actions } = deps
  const [order, lots] = orderAndLots(deps, input.orderId, input.itemIds)
  const boxNumber = Number(input.boxNumber)
  const boxes = db.all(
    db.q
      .selectFrom('shipping_boxes')
      .select(['id', 'box_number', 'items', 'weight_grams', 'length_mm', 'width_mm', 'height_mm'])
      .where('order_id', '=', order.orderId)
      .orderBy('box_number')
  )
  const existing = boxes.find((b) => b.box_number === boxNumber) ?? null
  const elsewhere = boxes
    .filter((b) => b !== existing)
    .flatMap((b) =>
      lots
        .filter((l) => (JSON.parse(b.items) as string[]).includes(l.id))
        .map((l) => `lot ${l.lot} is in box ${b.box_number}`)
    )
  if (elsewhere.length) {
    throw new AppError('conflict', `A lot goes in one box: ${elsewhere.join(', ')}.`)
  }
  const target: BoxContents = {
    itemIds: lots.map((l) => l.id),
    weightGrams: weightOf(input.weightKg),
    dimensionsMm: dimensionsOf(input.dimensionsCm)
  }
  const base = existing ? contentsOf(existing) : null
  if (base && sameContents(base, target)) {
    throw new AppError(
      'conflict',
      `Box ${boxNumber} of invoice ${order.number} holds exactly that already; nothing changed.`
    )
  }
  const id = actions.run((tx) => {
    const localId = existing?.id ?? `box-${tx.newId()}`
    const d = target.dimensionsMm!
    if (existing) {
      db.run(
        db.q
          .updateTable('shipping_boxes')
          .set({
            items: JSON.stringify(target.itemIds),
            weight_grams: target.weightGrams,
            length_mm: d.length,
            width_mm: d.width,
            height_mm: d.height
          })
          .where('id', '=', localId)
      )
    } else {
      db.run(
        db.q.insertInto('shipping_boxes').values({
          id: localId,
          sale_id: order.saleId,
          order_id: order.orderId,
          box_number: boxNumber,
          weight_grams: target.weightGrams,
          length_mm: d.length,
          width_mm: d.width,
          height_mm: d.height,
          items: JSON.stringify(target.itemIds),
          created_at: tx.now
        })
      )
    }
    const payload: BoxPayload = { localId, orderId: order.orderId, boxNumber, ...target, base }
    tx.enqueue({
      entityType: 'shipping_box',
      entityId: localId,
      op: 'box.save',
      payload,
      label: `Box ${boxNumber} of invoice ${order.number}: ${lotList(lots)}`
    })
    tx.audit({
      action: 'warehouse.box',
      entityType: 'shipping_box',
      entityId: localId,
      saleId: order.saleId,
      before: base,
      after: { ...target, boxNumber, lots: lots.map((l) => l.lot), orderNumber: order.number }
    })
    tx.changed('shipping_box', [localId], order.saleId ?? undefined)
    return localId
  })
  return { box: deskBox(db, id) }
}
