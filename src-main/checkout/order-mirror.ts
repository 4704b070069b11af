// One bidder order per sale and buyer, built from the lots as they are sold
// at the podium — offline too. Circuit makes the order itself when a lot is
// sold (FIELD-NOTES §2.4), so nothing is sent for it: this is a mirror, so
// the cashier sees the buyer's lots at once. A buyer with no order of
// Circuit's yet gets a provisional one, numbered from this station's own
// series ("P-PODIUM-0001"), which Circuit's order replaces when a pull
// brings it (sync/apply.ts).
import { lineTax, premiumFor } from '../../src-shared/invoice'
import type { Actions } from '../core/action'
import { readSettings } from '../core/settings'
import type { Replica } from '../db/replica'
import { premiumRuleOf, taxTypes } from './our-totals'

interface SoldLot {
  id: string
  sale_id: string
  lot: string
  /** The line's description (the podium has just read the lot). */
  title: string
}

interface Result {
  status: string
  hammer: number | null
  winnerClientId: string | null
}

/** The buyer's order follows every lot result recorded at the podium, in the podium's own transaction. */
export function followLotResults(actions: Actions, db: Replica): void {
  actions.hook('lot.result', (tx, p) => {
    const orders = mirrorLotInOrder(
      db,
      // Numbered in this station's own series, even for a lot recorded for another (a venue hub's):
      // two stations never show one provisional number for two orders.
      { now: tx.now, station: readSettings(db).stationName, newId: () => tx.newId() },
      p.item,
      p.before,
      p.target
    )
    if (orders.length) tx.changed('order', orders, p.item.sale_id)
  })
}

/**
 * The sale's premium text and the tax type Circuit puts on its lines — else on
 * any line of Circuit's orders (our own provisional lines only copy theirs) —
 * in one statement: this runs on every hammer. Each lookup walks Circuit's
 * orders (CROSS JOIN keeps that order: the provisional orders made here grow
 * with every hammer) and, for each, probes only the lines that carry a tax
 * type (the partial index order_lines_taxed, migration 14), stopping at the
 * first. `server_id > ''` rather than IS NOT NULL: SQLite walks the index only
 * for a range.
 */
export const SALE_LINE_FACTS = `
  SELECT s.buyers_premium AS premium, coalesce(
    (SELECT l.tax_id FROM orders o CROSS JOIN order_lines l ON l.order_id = o.id
     WHERE o.sale_id = s.id AND o.server_id IS NOT NULL AND l.tax_id IS NOT NULL LIMIT 1),
    (SELECT l.tax_id FROM orders o CROSS JOIN order_lines l ON l.order_id = o.id
     WHERE o.server_id > '' AND l.tax_id IS NOT NULL LIMIT 1)) AS tax_id
  FROM sales s WHERE s.id = ?`

export function lineFigures(
  db: Replica,
  saleId: string,
  hammer: number
): { premium: number; tax: number; taxId: string | null } {
  const facts = db.sql<{ premium: string | null; tax_id: string | null }>(SALE_LINE_FACTS, saleId)[0]
  const rule = facts?.premium ? premiumRuleOf(facts.premium) : null
  // An unreadable premium is shown on the order by the checkout view; the line keeps its hammer.
  const premium = rule?.ok ? premiumFor(hammer, rule.rule) : 0
  // No tax type seen yet: unknown, and the checkout view says so instead of guessing.
  const taxId = facts?.tax_id ?? null
  const type = taxId ? taxTypes(db, taxId).get(taxId) : undefined
  const tax =
    type && typeof type !== 'string'
      ? (({ hammerTax, premiumTax }) => hammerTax + premiumTax)(lineTax(hammer, premium, type.mode, type.rateBp))
      : 0
  return { premium, tax, taxId }
}

/** The station's tag in its own number series: "Podium 1" → "PODIUM1". */
export function stationTag(station: string): string {
  return (
    station
      .replace(/[^A-Za-z0-9]+/g, '')
      .toUpperCase()
      .slice(0, 8) || 'STATION'
  )
}

/** The next number of one of the station's own series (kept in sync_state, in the caller's transaction). */
export function nextInSeries(db: Replica, key: string, prefix: string, station: string, now: number): string {
  const n = (db.sql<{ value: string }>('SELECT value FROM sync_state WHERE key = ?', key)[0]?.value ?? '0') as string
  const next = Number(JSON.parse(n)) + 1
  db.exec(
    `INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    key,
    JSON.stringify(next),
    now
  )
  return `${prefix}-${stationTag(station)}-${String(next).padStart(4, '0')}`
}

function nextProvisionalNumber(db: Replica, station: string, now: number): string {
  return nextInSeries(db, 'provisional_order_seq', 'P', station, now)
}

/** Inside the clerking action: the buyer's order follows the lot's new result. Answers the orders touched. */
export function mirrorLotInOrder(
  db: Replica,
  o: { now: number; station: string; newId: () => string },
  item: SoldLot,
  before: Result,
  target: Result
): string[] {
  const touched: string[] = []
  if (before.status === 'sold' && before.winnerClientId) {
    const orders = db.sql<{ id: string; server_id: string | null }>(
      `SELECT o.id, o.server_id FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.sale_id = ? AND o.client_id = ? AND o.type = 'bidder' AND l.item_id = ?`,
      item.sale_id,
      before.winnerClientId,
      item.id
    )
    for (const order of orders) {
      touched.push(order.id)
      db.exec('DELETE FROM order_lines WHERE order_id = ? AND item_id = ?', order.id, item.id)
      // A provisional order with nothing left on it is no order — unless a payment or a charge was
      // taken on it: it stays, empty, so they can be voided or removed (nothing is lost).
      if (order.server_id === null && !db.sql('SELECT 1 FROM order_lines WHERE order_id = ? LIMIT 1', order.id)[0]) {
        db.exec(
          `DELETE FROM orders WHERE id = ? AND server_id IS NULL
             AND NOT EXISTS (SELECT 1 FROM transactions WHERE order_id = orders.id)
             AND NOT EXISTS (SELECT 1 FROM order_charges WHERE order_id = orders.id)`,
          order.id
        )
      }
    }
  }
  if (target.status !== 'sold' || !target.winnerClientId || target.hammer === null) return touched
  let order = db.sql<{ id: string }>(
    `SELECT id FROM orders WHERE sale_id = ? AND client_id = ? AND type = 'bidder' AND status IN ('new', 'in_process')
     ORDER BY server_id IS NULL, id LIMIT 1`,
    item.sale_id,
    target.winnerClientId
  )[0]
  if (!order) {
    order = { id: `local-${o.newId()}` }
    db.exec(
      `INSERT INTO orders (id, server_id, order_number, provisional_number, type, status, sale_id, client_id, created)
       VALUES (?, NULL, NULL, ?, 'bidder', 'new', ?, ?, ?)`,
      order.id,
      nextProvisionalNumber(db, o.station, o.now),
      item.sale_id,
      target.winnerClientId,
      new Date(o.now).toISOString()
    )
  }
  const f = lineFigures(db, item.sale_id, target.hammer)
  db.exec(
    `INSERT OR REPLACE INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    order.id,
    item.id,
    item.lot,
    item.title,
    target.hammer,
    f.premium,
    f.taxId,
    f.tax
  )
  touched.push(order.id)
  return touched
}
