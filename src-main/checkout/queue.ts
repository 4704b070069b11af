// The cashier's queue: the sale's buyers who bought and still owe, newest
// hammer first, so Enter at an empty desk takes whoever has just finished
// buying. One statement for the whole sale (it is read again on every
// change while the desk waits), with each order's amount due worked out in
// SQL exactly as orderView works it out without our own totals — the figure
// checkout.find shows: Circuit's grand total moved by what changed here since
// (lines and charges against its server_basis), else the lines and charges
// held here; less every payment not voided.
import type { CheckoutQueueEntry } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Replica } from '../db/replica'

/**
 * Per order: what its lines and charges add up to here and what was paid; per buyer: the net
 * over their invoices and credit notes, the lots on their invoices, and the latest hammer.
 * A lot's hammer time is the kernel's audit entry for its sale at this station (the index on
 * entity_type, entity_id finds it), else the time Circuit made the order. Two hammers in the
 * same millisecond are told apart by the audit's own order.
 */
const QUEUE = `
  WITH buyer_orders AS (
    SELECT o.id, o.client_id, o.type, o.grand_total, o.server_basis,
           CAST((julianday(o.created) - 2440587.5) * 86400000 AS INTEGER) AS created_ms,
           (SELECT coalesce(sum(coalesce(l.hammer, 0) + coalesce(l.premium, 0) + coalesce(l.tax, 0)), 0)
              FROM order_lines l WHERE l.order_id = o.id)
           + (SELECT coalesce(sum(c.amount + coalesce(c.tax, 0)), 0)
              FROM order_charges c WHERE c.order_id = o.id) AS basis,
           (SELECT coalesce(sum(t.amount), 0) FROM transactions t
              WHERE t.order_id = o.id AND t.voided_at IS NULL) AS paid,
           CASE WHEN o.type = 'bidder' THEN
             (SELECT max((SELECT max(a.id) FROM audit_log a
                          WHERE a.entity_type = 'item' AND a.entity_id = l.item_id AND a.action = 'clerking.sell'))
                FROM order_lines l WHERE l.order_id = o.id)
           END AS hammer_audit_id
    FROM orders o
    WHERE o.sale_id = ? AND o.type IN ('bidder', 'credit_note') AND o.client_id IS NOT NULL
  ),
  buyers AS (
    SELECT client_id,
           sum(CASE WHEN grand_total IS NULL THEN basis
                    WHEN server_basis IS NULL THEN grand_total
                    ELSE grand_total - server_basis + basis END - paid) AS outstanding,
           max(hammer_audit_id) AS hammer_audit_id,
           max(CASE WHEN type = 'bidder' THEN created_ms END) AS created_ms
    FROM buyer_orders GROUP BY client_id
  )
  SELECT b.client_id, b.outstanding,
         coalesce((SELECT at FROM audit_log WHERE id = b.hammer_audit_id), b.created_ms) AS last_hammer_at,
         coalesce(c.display_name, 'Client ' || b.client_id) AS name,
         (SELECT count(DISTINCT l.item_id) FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.sale_id = ? AND o.client_id = b.client_id AND o.type = 'bidder') AS lots,
         (SELECT paddle FROM sale_bidders p WHERE p.sale_id = ? AND p.client_id = b.client_id
            ORDER BY length(paddle), paddle LIMIT 1) AS paddle
  FROM buyers b LEFT JOIN clients c ON c.id = b.client_id
  WHERE b.outstanding > 0
  ORDER BY last_hammer_at IS NULL, last_hammer_at DESC, b.hammer_audit_id DESC, length(paddle), paddle`

interface QueueRow {
  client_id: string
  outstanding: number
  last_hammer_at: number | null
  name: string
  lots: number
  paddle: string | null
}

export function checkoutQueue(db: Replica, saleId: string): CheckoutQueueEntry[] {
  const out: CheckoutQueueEntry[] = []
  for (const r of db.sql<QueueRow>(QUEUE, saleId, saleId, saleId)) {
    // A buyer with no paddle for the sale cannot be opened at the desk by paddle; checkout.find leaves them out too.
    if (r.paddle === null) continue
    if (!Number.isSafeInteger(r.outstanding)) {
      throw new AppError(
        'conflict',
        `The orders of paddle ${r.paddle}: their amounts add up to more than this station can count exactly. Correct the amount on Circuit (or void the payment), then pull the sale again.`
      )
    }
    out.push({
      paddle: r.paddle,
      clientId: r.client_id,
      name: r.name,
      lots: r.lots,
      outstanding: r.outstanding,
      lastHammerAt: r.last_hammer_at
    })
  }
  return out
}
