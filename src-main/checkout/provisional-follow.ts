// A provisional order (made here, not yet Circuit's) mirrors the lots this
// replica holds as sold to its buyer. When a pull changes such a lot — Circuit
// has it passed, unsold or sold to someone else, or at another hammer — and
// no change of ours to it is on its way, the provisional order follows, in the
// pull's own transaction. The case that needs it: a lot sold through a venue
// hub that died before forwarding it. Circuit never heard of the sale, the
// lot comes back available, and the buyer must not be left owing for it.
// Circuit's own orders are not touched here: their pull brings their lines.
import type { SyncRegistry } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import { lineFigures } from './order-mirror'

interface StaleLine {
  order_id: string
  item_id: string
  client_id: string | null
  status: string
  winner_client_id: string | null
  hammer: number | null
  sale_id: string
}

const STALE_LINES = `
  SELECT l.order_id, l.item_id, o.client_id, i.status, i.winner_client_id, i.hammer, i.sale_id
  FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN items i ON i.id = l.item_id
  WHERE o.server_id IS NULL AND o.type = 'bidder' AND l.item_id IN (SELECT value FROM json_each(?))
    AND NOT (i.status = 'sold' AND i.winner_client_id IS o.client_id AND i.hammer IS l.hammer)`

function follow(db: Replica, itemIds: readonly string[]): void {
  for (const line of db.sql<StaleLine>(STALE_LINES, JSON.stringify(itemIds))) {
    if (line.status === 'sold' && line.winner_client_id === line.client_id && line.hammer !== null) {
      // The same buyer at another hammer: the line's figures follow.
      const f = lineFigures(db, line.sale_id, line.hammer)
      db.exec(
        'UPDATE order_lines SET hammer = ?, premium = ?, tax_id = ?, tax = ? WHERE order_id = ? AND item_id = ?',
        line.hammer,
        f.premium,
        f.taxId,
        f.tax,
        line.order_id,
        line.item_id
      )
      continue
    }
    db.exec('DELETE FROM order_lines WHERE order_id = ? AND item_id = ?', line.order_id, line.item_id)
    // Emptied, it is no order — unless a payment or a charge was taken on it: it stays, so they can be
    // voided or removed (nothing is lost).
    db.exec(
      `DELETE FROM orders WHERE id = ? AND server_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = orders.id)
         AND NOT EXISTS (SELECT 1 FROM transactions WHERE order_id = orders.id)
         AND NOT EXISTS (SELECT 1 FROM order_charges WHERE order_id = orders.id)`,
      line.order_id
    )
  }
}

/** Provisional orders follow the lots a pull writes. */
export function provisionalOrdersFollowPulledLots(registry: SyncRegistry): void {
  registry.onPulled('item', follow)
}
