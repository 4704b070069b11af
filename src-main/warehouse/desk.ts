// What the collection desk reads, all from this station's copy (it works with
// the network gone): what a scan or a typed text finds, a buyer's lots with
// paid or not (the checkout's balance, through the BalanceSource port),
// released or not and to whom, where each lot is kept, and the shipments and
// boxes of the buyer's orders with how far they are on their way to Circuit.
import type {
  Collection,
  DeskBox,
  DeskBuyer,
  DeskMatch,
  DeskShipment,
  SendState,
  ShippingArea
} from '../../src-shared/contract'
import { formatMoney } from '../../src-shared/money'
import { AppError } from '../../src-shared/rpc'
import { iso } from '../core/clock'
import { houseCurrency } from '../core/currency'
import type { BalanceSource, BuyerBalance, OrderBalance } from '../core/ports'
import type { Kysely } from 'kysely'
import { jsonValues } from '../db/json-values'
import type { Database } from '../db/schema'
import type { Replica } from '../db/replica'

export interface WarehouseDeps {
  db: Replica
  balances: BalanceSource
}

export interface LotRow {
  id: string
  sale_id: string
  lot: string
  title: string
  status: string
  hammer: number | null
  winner_client_id: string | null
  winner_paddle: string | null
  location: string | null
}

const lotSelect = (q: Kysely<Database>) =>
  q
    .selectFrom('items')
    .select(['id', 'sale_id', 'lot', 'title', 'status', 'hammer', 'winner_client_id', 'winner_paddle', 'location'])

// Reads made on every scan or key at the desk, or for every lot, shipment and box of a buyer:
// compiled once, run as prepared statements.
const SALE = (q: Kysely<Database>, a: { saleId: string }) =>
  q.selectFrom('sales').select(['id', 'label']).where('id', '=', a.saleId)

const CLIENT_NAME = (q: Kysely<Database>, a: { clientId: string }) =>
  q.selectFrom('clients').select('display_name').where('id', '=', a.clientId)

/** A lot of the sale by its number as scanned or typed, in any case. */
const LOT_BY_NUMBER = (q: Kysely<Database>, a: { saleId: string; lot: string }) =>
  lotSelect(q)
    .where('sale_id', '=', a.saleId)
    .where((eb) => eb(eb.fn('upper', ['lot']), '=', eb.fn('upper', [eb.val(a.lot)])))
    .limit(1)

/** A paddle of the sale as typed, in any case. */
const BIDDER_BY_PADDLE = (q: Kysely<Database>, a: { saleId: string; paddle: string }) =>
  q
    .selectFrom('sale_bidders')
    .select(['client_id', 'paddle'])
    .where('sale_id', '=', a.saleId)
    .where((eb) => eb(eb.fn('upper', ['paddle']), '=', eb.fn('upper', [eb.val(a.paddle)])))
    .limit(1)

/** The buyer's paddles in the sale: the shortest number first (then in text order). */
const PADDLES = (q: Kysely<Database>, a: { saleId: string; clientId: string }) =>
  q
    .selectFrom('sale_bidders')
    .select('paddle')
    .where('sale_id', '=', a.saleId)
    .where('client_id', '=', a.clientId)
    .orderBy((eb) => eb.fn('length', ['paddle']))
    .orderBy('paddle')

const FIRST_PADDLE = (q: Kysely<Database>, a: { saleId: string; clientId: string }) => PADDLES(q, a).limit(1)

/** The latest change of a record that is not discarded: one still on its way before any that is done. */
const LATEST_CHANGE = (q: Kysely<Database>, a: { entityType: string; entityId: string }) =>
  q
    .selectFrom('outbox')
    .select(['state', 'last_error'])
    .where('entity_type', '=', a.entityType)
    .where('entity_id', '=', a.entityId)
    .where('state', '<>', 'discarded')
    .orderBy((eb) => eb('state', '=', 'done'))
    .orderBy('seq', 'desc')
    .limit(1)

const SHIPMENT = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('shipments')
    .select(['id', 'server_id', 'order_id', 'method', 'tracking_number', 'cost', 'weight_grams'])
    .where('id', '=', a.id)

const SHIPMENT_ITEMS = (q: Kysely<Database>, a: { shipmentId: string }) =>
  q.selectFrom('shipment_items').select('item_id').where('shipment_id', '=', a.shipmentId)

const BOX = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('shipping_boxes')
    .select(['id', 'order_id', 'box_number', 'weight_grams', 'length_mm', 'width_mm', 'height_mm', 'items'])
    .where('id', '=', a.id)

export interface CollectionRow {
  item_id: string
  sale_id: string
  release_id: string
  client_id: string | null
  paddle: string | null
  lot: string
  collected_by: string
  note: string | null
  confirmed_reason: string | null
  released_by: string
  station: string
  at: number
}

/** Money as the screens and the paper show it: Circuit's currency (from the last pull), else the house's. */
export function money(db: Replica, minor: number): string {
  return formatMoney(minor, houseCurrency(db))
}

export function requireSale(db: Replica, saleId: string): { id: string; label: string } {
  const sale = db.prepared(SALE).first({ saleId })
  if (!sale) throw new AppError('not_found', `Sale ${saleId} is not on this station: open it on the Podium (F1) first.`)
  return sale
}

export function lotsByIds(db: Replica, ids: string[]): LotRow[] {
  return db.all(lotSelect(db.q).where('id', 'in', jsonValues(ids)).orderBy('lot_sort'))
}

export function clientName(db: Replica, clientId: string | null): string {
  if (!clientId) return ''
  return db.prepared(CLIENT_NAME).first({ clientId })?.display_name ?? `Client ${clientId}`
}

/** The buyer's first paddle in the sale (the shortest number, then in text order); null when none. */
export function firstPaddle(db: Replica, saleId: string, clientId: string): string | null {
  return db.prepared(FIRST_PADDLE).first({ saleId, clientId })?.paddle ?? null
}

/** The lots of a shipment. */
export function shipmentItemIds(db: Replica, shipmentId: string): string[] {
  return db
    .prepared(SHIPMENT_ITEMS)
    .all({ shipmentId })
    .map((r) => r.item_id)
}

/**
 * Each lot's collection: the first, where two stations cut off from each other both released it
 * (both records are kept; the lot went out with the first).
 */
export function collectionsOf(db: Replica, itemIds: string[]): Map<string, CollectionRow> {
  const out = new Map<string, CollectionRow>()
  const rows = db.all(
    db.q
      .selectFrom('collections')
      .selectAll()
      .where('item_id', 'in', jsonValues(itemIds))
      .orderBy('at')
      .orderBy('release_id')
  )
  for (const c of rows) if (!out.has(c.item_id)) out.set(c.item_id, c)
  return out
}

export const STATUS_WORDS: Record<string, string> = {
  available: 'not sold yet',
  unsold: 'passed (not sold)',
  passed: 'passed (not sold)',
  withdrawn: 'withdrawn'
}

/** The lot's order among the buyer's, and paid or not by the checkout's figures. */
export function lotPayment(
  balance: BuyerBalance,
  itemId: string
): { order: OrderBalance | null; paid: boolean; due: number | null } {
  const holding = balance.orders.filter((o) => o.type === 'bidder' && o.itemIds.includes(itemId))
  const order = holding.find((o) => o.status !== 'canceled') ?? holding[0] ?? null
  if (!order) return { order: null, paid: false, due: null }
  // Paid when its invoice has nothing due, or when the buyer owes nothing over all their orders
  // (a credit note or an overpayment elsewhere covers it): the checkout's own `outstanding`.
  return { order, paid: order.amountDue <= 0 || balance.outstanding <= 0, due: order.amountDue }
}

/** How far the latest change of a shipment or a box is on its way to Circuit. */
export function sendState(
  db: Replica,
  entityType: string,
  entityId: string
): { state: SendState; problem: string | null } {
  const e = db.prepared(LATEST_CHANGE).first({ entityType, entityId })
  if (!e || e.state === 'done') return { state: 'on_circuit', problem: null }
  if (e.state === 'conflict' || e.state === 'needs_attention') {
    return { state: 'needs_attention', problem: e.last_error ?? 'It needs attention on the Sync screen (F4).' }
  }
  return { state: 'waiting', problem: null }
}

const lotNumbers = (db: Replica, itemIds: string[]) => lotsByIds(db, itemIds).map((l) => l.lot)

export function deskShipment(db: Replica, id: string): DeskShipment {
  const s = db.prepared(SHIPMENT).first({ id })
  if (!s) throw new AppError('not_found', `There is no shipment ${id} on this station.`)
  return {
    id: s.id,
    serverId: s.server_id,
    orderId: s.order_id,
    method: s.method,
    trackingNumber: s.tracking_number,
    cost: s.cost,
    weightGrams: s.weight_grams,
    lots: lotNumbers(db, shipmentItemIds(db, id)),
    ...sendState(db, 'shipment', s.id)
  }
}

const cm = (mm: number | null) => (mm === null ? null : mm / 10)

export function deskBox(db: Replica, id: string): DeskBox {
  const b = db.prepared(BOX).first({ id })
  if (!b) throw new AppError('not_found', `There is no shipping box ${id} on this station.`)
  const [length, width, height] = [cm(b.length_mm), cm(b.width_mm), cm(b.height_mm)]
  return {
    id: b.id,
    orderId: b.order_id,
    boxNumber: b.box_number,
    weightGrams: b.weight_grams,
    dimensionsCm: length !== null && width !== null && height !== null ? { length, width, height } : null,
    lots: lotNumbers(db, JSON.parse(b.items) as string[]),
    ...sendState(db, 'shipping_box', b.id)
  }
}

/** The sale's shipments and boxes that hold any of these lots, by the lot. */
export function shippingOf(
  db: Replica,
  saleId: string,
  itemIds: string[]
): { shipmentByItem: Map<string, string>; boxByItem: Map<string, { id: string; boxNumber: number }> } {
  const shipmentByItem = new Map(
    db
      .all(
        db.q
          .selectFrom('shipment_items as si')
          .innerJoin('shipments as s', 's.id', 'si.shipment_id')
          .select(['si.item_id', 'si.shipment_id'])
          .where('si.item_id', 'in', jsonValues(itemIds))
          .orderBy('s.created_at')
      )
      .map((r) => [r.item_id, r.shipment_id])
  )
  const wanted = new Set(itemIds)
  const boxByItem = new Map<string, { id: string; boxNumber: number }>()
  for (const b of db.all(
    db.q
      .selectFrom('shipping_boxes')
      .select(['id', 'box_number', 'items'])
      .where('sale_id', '=', saleId)
      .orderBy('box_number')
  )) {
    for (const item of JSON.parse(b.items) as string[]) {
      if (wanted.has(item)) boxByItem.set(item, { id: b.id, boxNumber: b.box_number })
    }
  }
  return { shipmentByItem, boxByItem }
}

/** What a scan (a lot number) or a typed lot number, paddle or invoice number finds in the sale. */
export function findAtDesk(deps: WarehouseDeps, saleId: string, q: string, scanned: boolean): DeskMatch[] {
  const { db, balances } = deps
  requireSale(db, saleId)
  const text = q.trim()
  if (text === '') return []
  const matches: DeskMatch[] = []
  const lot = db.prepared(LOT_BY_NUMBER).first({ saleId, lot: text })
  if (lot) {
    const sold = lot.status === 'sold' && lot.winner_client_id !== null
    matches.push({
      kind: 'lot',
      label: sold
        ? `Lot ${lot.lot} — paddle ${lot.winner_paddle ?? '?'}, ${clientName(db, lot.winner_client_id)}`
        : `Lot ${lot.lot} — ${lot.title}`,
      clientId: sold ? lot.winner_client_id : null,
      itemId: lot.id,
      message: sold
        ? null
        : `Lot ${lot.lot} is ${STATUS_WORDS[lot.status] ?? lot.status}: there is nothing to hand out.`
    })
  }
  if (scanned) return matches
  const bidder = db.prepared(BIDDER_BY_PADDLE).first({ saleId, paddle: text })
  if (bidder) {
    matches.push({
      kind: 'paddle',
      label: `Paddle ${bidder.paddle} — ${clientName(db, bidder.client_id)}`,
      clientId: bidder.client_id,
      itemId: null,
      message: null
    })
  }
  const order = balances.order(text, saleId)
  if (order && order.saleId === saleId && order.clientId && (order.number === text || order.orderId === text)) {
    matches.push({
      kind: 'invoice',
      label: `Invoice ${order.number} — ${clientName(db, order.clientId)}`,
      clientId: order.clientId,
      itemId: null,
      message: null
    })
  }
  return matches
}

/** Every lot the buyer bought in the sale, with paid, released, location, shipping. */
export function deskBuyer(deps: WarehouseDeps, saleId: string, clientId: string): DeskBuyer {
  const { db, balances } = deps
  requireSale(db, saleId)
  const client = db.first(
    db.q.selectFrom('clients').select(['display_name', 'customer_number']).where('id', '=', clientId)
  )
  if (!client) throw new AppError('not_found', `There is no client ${clientId} on this station.`)
  const balance = balances.buyer(saleId, clientId)
  const won = db
    .all(
      db.q
        .selectFrom('items')
        .select('id')
        .where('sale_id', '=', saleId)
        .where('winner_client_id', '=', clientId)
        .where('status', '=', 'sold')
    )
    .map((r) => r.id)
  const invoiced = balance.orders.filter((o) => o.type === 'bidder').flatMap((o) => o.itemIds)
  const lots = lotsByIds(db, [...new Set([...won, ...invoiced])]).filter((l) => l.sale_id === saleId)
  const ids = lots.map((l) => l.id)
  const collected = collectionsOf(db, ids)
  const { shipmentByItem, boxByItem } = shippingOf(db, saleId, ids)
  const orders = balance.orders.filter((o) => o.type === 'bidder')
  const orderIds = new Set(orders.flatMap((o) => [o.orderId, ...(o.serverId ? [o.serverId] : [])]))
  const shipmentIds = new Set(shipmentByItem.values())
  const shipments = db
    .all(
      db.q
        .selectFrom('shipments as s')
        .select('s.id')
        .distinct()
        .where((eb) =>
          eb.or([eb('s.id', 'in', jsonValues([...shipmentIds])), eb('s.order_id', 'in', jsonValues([...orderIds]))])
        )
        .orderBy('s.created_at')
        .orderBy('s.id')
    )
    .map((s) => deskShipment(db, s.id))
  const boxIds = new Set([...boxByItem.values()].map((b) => b.id))
  const boxes = db
    .all(
      db.q
        .selectFrom('shipping_boxes')
        .select('id')
        .where((eb) =>
          eb.or([eb('id', 'in', jsonValues([...boxIds])), eb('order_id', 'in', jsonValues([...orderIds]))])
        )
        .orderBy('box_number')
    )
    .map((b) => deskBox(db, b.id))
  const ofOrder = (o: OrderBalance) => (x: { orderId: string }) => x.orderId === o.orderId || x.orderId === o.serverId
  return {
    saleId,
    clientId,
    name: client.display_name,
    customerNumber: client.customer_number,
    paddles: db
      .prepared(PADDLES)
      .all({ saleId, clientId })
      .map((b) => b.paddle),
    outstanding: balance.outstanding,
    lots: lots.map((l) => {
      const pay = lotPayment(balance, l.id)
      const c = collected.get(l.id)
      return {
        itemId: l.id,
        lot: l.lot,
        title: l.title,
        hammer: l.hammer,
        location: l.location,
        orderId: pay.order?.orderId ?? null,
        orderNumber: pay.order?.number ?? null,
        paid: pay.paid,
        due: pay.due,
        collected: c
          ? {
              collectedBy: c.collected_by,
              at: iso(c.at),
              releasedBy: c.released_by,
              station: c.station,
              releaseId: c.release_id,
              note: c.note,
              confirmedReason: c.confirmed_reason
            }
          : null,
        shipmentId: shipmentByItem.get(l.id) ?? null,
        boxNumber: boxByItem.get(l.id)?.boxNumber ?? null
      }
    }),
    orders: orders.map((o) => ({
      orderId: o.orderId,
      number: o.number,
      provisional: o.serverId === null,
      status: o.status,
      amountDue: o.amountDue,
      shipments: shipments.filter(ofOrder(o)),
      boxes: boxes.filter(ofOrder(o))
    }))
  }
}

/**
 * What has gone out of the door in the sale, in the order it went: each lot once, with its first
 * release (a lot two stations released while cut off from each other keeps both records; the second
 * is in the audit).
 */
export function collectionsOfSale(db: Replica, saleId: string): Collection[] {
  requireSale(db, saleId)
  return db
    .all(
      db.q
        .selectFrom('collections as c')
        .leftJoin('items as i', 'i.id', 'c.item_id')
        .selectAll('c')
        .where('c.sale_id', '=', saleId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('collections as e')
                .select(eb.lit(1).as('one'))
                .whereRef('e.item_id', '=', 'c.item_id')
                .where((e) =>
                  e.or([
                    e('e.at', '<', e.ref('c.at')),
                    e.and([e('e.at', '=', e.ref('c.at')), e('e.release_id', '<', e.ref('c.release_id'))])
                  ])
                )
            )
          )
        )
        .orderBy('c.at')
        .orderBy((eb) => eb.fn.coalesce('i.lot_sort', 'c.lot'))
    )
    .map((c) => ({ itemId: c.item_id, lot: c.lot, paddle: c.paddle, collectedBy: c.collected_by, at: iso(c.at) }))
}

export function shippingAreas(db: Replica): ShippingArea[] {
  return db
    .all(
      db.q
        .selectFrom('shipping_areas')
        .select(['id', 'label', 'description', 'base_rate'])
        .orderBy('base_rate')
        .orderBy('label')
    )
    .map((a) => ({ id: a.id, label: a.label, description: a.description, baseRate: a.base_rate }))
}
