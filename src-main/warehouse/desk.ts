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
  const sale = db.sql<{ id: string; label: string }>('SELECT id, label FROM sales WHERE id = ?', saleId)[0]
  if (!sale) throw new AppError('not_found', `Sale ${saleId} is not on this station: open it on the Podium (F1) first.`)
  return sale
}

export function lotsByIds(db: Replica, ids: string[]): LotRow[] {
  return db.all(lotSelect(db.q).where('id', 'in', jsonValues(ids)).orderBy('lot_sort'))
}

export function clientName(db: Replica, clientId: string | null): string {
  if (!clientId) return ''
  return (
    db.sql<{ display_name: string }>('SELECT display_name FROM clients WHERE id = ?', clientId)[0]?.display_name ??
    `Client ${clientId}`
  )
}

/**
 * Each lot's collection: the first, where two stations cut off from each other both released it
 * (both records are kept; the lot went out with the first).
 */
export function collectionsOf(db: Replica, itemIds: string[]): Map<string, CollectionRow> {
  const out = new Map<string, CollectionRow>()
  const rows = db.sql<CollectionRow>(
    'SELECT * FROM collections WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY at, release_id',
    JSON.stringify(itemIds)
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
  const e = db.sql<{ state: string; last_error: string | null }>(
    `SELECT state, last_error FROM outbox WHERE entity_type = ? AND entity_id = ? AND state <> 'discarded'
     ORDER BY (state = 'done'), seq DESC LIMIT 1`,
    entityType,
    entityId
  )[0]
  if (!e || e.state === 'done') return { state: 'on_circuit', problem: null }
  if (e.state === 'conflict' || e.state === 'needs_attention') {
    return { state: 'needs_attention', problem: e.last_error ?? 'It needs attention on the Sync screen (F4).' }
  }
  return { state: 'waiting', problem: null }
}

interface ShipmentRow {
  id: string
  server_id: string | null
  order_id: string
  method: string
  tracking_number: string | null
  cost: number | null
  weight_grams: number | null
}

interface BoxRow {
  id: string
  order_id: string
  box_number: number
  weight_grams: number | null
  length_mm: number | null
  width_mm: number | null
  height_mm: number | null
  items: string
}

const lotNumbers = (db: Replica, itemIds: string[]) => lotsByIds(db, itemIds).map((l) => l.lot)

export function deskShipment(db: Replica, id: string): DeskShipment {
  const s = db.sql<ShipmentRow>(
    'SELECT id, server_id, order_id, method, tracking_number, cost, weight_grams FROM shipments WHERE id = ?',
    id
  )[0]
  if (!s) throw new AppError('not_found', `There is no shipment ${id} on this station.`)
  const items = db.sql<{ item_id: string }>('SELECT item_id FROM shipment_items WHERE shipment_id = ?', id)
  return {
    id: s.id,
    serverId: s.server_id,
    orderId: s.order_id,
    method: s.method,
    trackingNumber: s.tracking_number,
    cost: s.cost,
    weightGrams: s.weight_grams,
    lots: lotNumbers(
      db,
      items.map((i) => i.item_id)
    ),
    ...sendState(db, 'shipment', s.id)
  }
}

const cm = (mm: number | null) => (mm === null ? null : mm / 10)

export function deskBox(db: Replica, id: string): DeskBox {
  const b = db.sql<BoxRow>(
    'SELECT id, order_id, box_number, weight_grams, length_mm, width_mm, height_mm, items FROM shipping_boxes WHERE id = ?',
    id
  )[0]
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
      .sql<{ item_id: string; shipment_id: string }>(
        `SELECT si.item_id, si.shipment_id FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id
         WHERE si.item_id IN (SELECT value FROM json_each(?)) ORDER BY s.created_at`,
        JSON.stringify(itemIds)
      )
      .map((r) => [r.item_id, r.shipment_id])
  )
  const wanted = new Set(itemIds)
  const boxByItem = new Map<string, { id: string; boxNumber: number }>()
  for (const b of db.sql<{ id: string; box_number: number; items: string }>(
    'SELECT id, box_number, items FROM shipping_boxes WHERE sale_id = ? ORDER BY box_number',
    saleId
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
  const lot = db.first(
    lotSelect(db.q)
      .where('sale_id', '=', saleId)
      .where((eb) => eb(eb.fn('upper', ['lot']), '=', eb.fn('upper', [eb.val(text)])))
      .limit(1)
  )
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
  const bidder = db.sql<{ client_id: string; paddle: string }>(
    'SELECT client_id, paddle FROM sale_bidders WHERE sale_id = ? AND upper(paddle) = upper(?) LIMIT 1',
    saleId,
    text
  )[0]
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
  const client = db.sql<{ display_name: string; customer_number: string | null }>(
    'SELECT display_name, customer_number FROM clients WHERE id = ?',
    clientId
  )[0]
  if (!client) throw new AppError('not_found', `There is no client ${clientId} on this station.`)
  const balance = balances.buyer(saleId, clientId)
  const won = db
    .sql<{ id: string }>(
      `SELECT id FROM items WHERE sale_id = ? AND winner_client_id = ? AND status = 'sold'`,
      saleId,
      clientId
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
    .sql<{ id: string }>(
      `SELECT DISTINCT s.id FROM shipments s WHERE s.id IN (SELECT value FROM json_each(?))
         OR s.order_id IN (SELECT value FROM json_each(?)) ORDER BY s.created_at, s.id`,
      JSON.stringify([...shipmentIds]),
      JSON.stringify([...orderIds])
    )
    .map((s) => deskShipment(db, s.id))
  const boxIds = new Set([...boxByItem.values()].map((b) => b.id))
  const boxes = db
    .sql<{ id: string }>(
      `SELECT id FROM shipping_boxes WHERE id IN (SELECT value FROM json_each(?))
         OR order_id IN (SELECT value FROM json_each(?)) ORDER BY box_number`,
      JSON.stringify([...boxIds]),
      JSON.stringify([...orderIds])
    )
    .map((b) => deskBox(db, b.id))
  const ofOrder = (o: OrderBalance) => (x: { orderId: string }) => x.orderId === o.orderId || x.orderId === o.serverId
  return {
    saleId,
    clientId,
    name: client.display_name,
    customerNumber: client.customer_number,
    paddles: db
      .sql<{ paddle: string }>(
        'SELECT paddle FROM sale_bidders WHERE sale_id = ? AND client_id = ? ORDER BY length(paddle), paddle',
        saleId,
        clientId
      )
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
    .sql<CollectionRow>(
      `SELECT c.* FROM collections c LEFT JOIN items i ON i.id = c.item_id
       WHERE c.sale_id = ? AND NOT EXISTS (SELECT 1 FROM collections e WHERE e.item_id = c.item_id
         AND (e.at < c.at OR (e.at = c.at AND e.release_id < c.release_id)))
       ORDER BY c.at, coalesce(i.lot_sort, c.lot)`,
      saleId
    )
    .map((c) => ({ itemId: c.item_id, lot: c.lot, paddle: c.paddle, collectedBy: c.collected_by, at: iso(c.at) }))
}

export function shippingAreas(db: Replica): ShippingArea[] {
  return db
    .sql<{
      id: string
      label: string
      description: string | null
      base_rate: number | null
    }>('SELECT id, label, description, base_rate FROM shipping_areas ORDER BY base_rate, label')
    .map((a) => ({ id: a.id, label: a.label, description: a.description, baseRate: a.base_rate }))
}
