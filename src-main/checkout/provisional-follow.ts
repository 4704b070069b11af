// A provisional order (made here, not yet Circuit's) mirrors the lots this
// replica holds as sold to its buyer. When a pull changes such a lot — Circuit
// has it passed, unsold or sold to someone else, or at another hammer — and
// no change of ours to it is on its way, the provisional order follows, in the
// pull's own transaction. The case that needs it: a lot sold through a venue
// hub that died before forwarding it. Circuit never heard of the sale, the
// lot comes back available, and the buyer must not be left owing for it.
// Circuit's own orders are not touched here: their pull brings their lines.
import type { Kysely } from 'kysely'
import type { SyncRegistry } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { jsonValues } from '../db/json-values'
import { lineFigures } from './order-mirror'

/** Lines of provisional invoices whose lot is no longer sold to the order's buyer at the line's hammer. */
const staleLines = (db: Replica, itemIds: readonly string[]) =>
  db.q
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .select(['l.order_id', 'l.item_id', 'o.client_id', 'i.status', 'i.winner_client_id', 'i.hammer', 'i.sale_id'])
    .where('o.server_id', 'is', null)
    .where('o.type', '=', 'bidder')
    .where('l.item_id', 'in', jsonValues(itemIds))
    .where((eb) =>
      eb.not(
        eb.and([
          eb('i.status', '=', 'sold'),
          eb('i.winner_client_id', 'is', eb.ref('o.client_id')),
          eb('i.hammer', 'is', eb.ref('l.hammer'))
        ])
      )
    )

// Run per stale line: compiled once.
const SET_LINE_FIGURES = (
  q: Kysely<Database>,
  a: { orderId: string; itemId: string; hammer: number; premium: number; taxId: string | null; tax: number }
) =>
  q
    .updateTable('order_lines')
    .set({ hammer: a.hammer, premium: a.premium, tax_id: a.taxId, tax: a.tax })
    .where('order_id', '=', a.orderId)
    .where('item_id', '=', a.itemId)

const DELETE_LINE = (q: Kysely<Database>, a: { orderId: string; itemId: string }) =>
  q.deleteFrom('order_lines').where('order_id', '=', a.orderId).where('item_id', '=', a.itemId)

const DELETE_EMPTIED_ORDER = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .deleteFrom('orders')
    .where('id', '=', a.orderId)
    .where('server_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('order_lines').select('order_id').whereRef('order_lines.order_id', '=', 'orders.id')))
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('transactions').select('order_id').whereRef('transactions.order_id', '=', 'orders.id')))
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('order_charges').select('order_id').whereRef('order_charges.order_id', '=', 'orders.id')))
    )

function follow(db: Replica, itemIds: readonly string[]): void {
  for (const line of db.all(staleLines(db, itemIds))) {
    if (line.status === 'sold' && line.winner_client_id === line.client_id && line.hammer !== null) {
      // The same buyer at another hammer: the line's figures follow.
      const f = lineFigures(db, line.sale_id, line.hammer)
      db.prepared(SET_LINE_FIGURES).run({
        orderId: line.order_id,
        itemId: line.item_id,
        hammer: line.hammer,
        premium: f.premium,
        taxId: f.taxId,
        tax: f.tax
      })
      continue
    }
    db.prepared(DELETE_LINE).run({ orderId: line.order_id, itemId: line.item_id })
    // Emptied, it is no order — unless a payment or a charge was taken on it: it stays, so they can be
    // voided or removed (nothing is lost).
    db.prepared(DELETE_EMPTIED_ORDER).run({ orderId: line.order_id })
  }
}

/** Provisional orders follow the lots a pull writes. */
export function provisionalOrdersFollowPulledLots(registry: SyncRegistry): void {
  registry.onPulled('item', follow)
}
