// An order's lines and charges as the replica holds them, in catalogue
// order: read the same way by the checkout view and the printed invoice.
import type { CheckoutInvoice, CheckoutOrder } from '../../src-shared/contract'
import { lotSortKey } from '../../src-shared/lots'
import type { OrderChargeSource, OrderLineSource, OrderPrintSource, PaymentParticulars } from '../core/ports'
import type { Replica } from '../db/replica'

export type OrderLineRow = OrderLineSource
export type OrderChargeRow = OrderChargeSource

/** What the printed documents read of an order: the same rows and figures as the desk. */
export function orderPrintSource(
  db: Replica,
  view: (orderId: string) => CheckoutOrder,
  buyer: (saleId: string, paddle: string) => CheckoutInvoice
): OrderPrintSource {
  return {
    view,
    buyer,
    lines: (orderId) => orderLineRows(db, orderId),
    charges: (orderId) => orderChargeRows(db, orderId),
    paymentDetails
  }
}

/** A payment's particulars as the cashier and the receipt show them: "VISA •••• 4242", "Northern, cheque no. 000123". */
export function paymentDetails(t: PaymentParticulars): string | null {
  const joined = (parts: (string | null)[], sep: string) => parts.filter(Boolean).join(sep) || null
  switch (t.type) {
    case 'card':
      return joined([t.card_type, t.card_last4 ? `•••• ${t.card_last4}` : null], ' ')
    case 'cheque':
      return joined([t.bank_name, t.cheque_number ? `cheque no. ${t.cheque_number}` : null], ', ')
    case 'wire':
      return joined([t.bank_name, t.bank_account], ', ')
    default:
      return null
  }
}

export function orderLineRows(db: Replica, orderId: string): OrderLineRow[] {
  const rows = db
    .sql<{
      item_id: string
      lot: string | null
      description: string | null
      hammer: number | null
      premium: number | null
      tax: number | null
      tax_id: string | null
      consignment_number: string | null
      i_lot: string | null
      i_title: string | null
      lot_key: string | null
    }>(ORDER_LINES, orderId)
    .map((l) => {
      const lot = l.lot ?? l.i_lot ?? ''
      return {
        key: l.lot_key ?? lotSortKey(lot),
        line: {
          itemId: l.item_id,
          lot,
          description: l.description ?? l.i_title ?? '',
          hammer: l.hammer ?? 0,
          premium: l.premium ?? 0,
          tax: l.tax ?? 0,
          taxId: l.tax_id,
          consignmentNumber: l.consignment_number
        }
      }
    })
  // Catalogue order (compareLots). The rows mostly arrive in it already, so the sort has
  // little left to do; each key is made once, not at every comparison.
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return rows.map((r) => r.line)
}

/**
 * An order's lines with what their lots say. The lot's own sort key (items.lot_sort,
 * lotSortKey of its lot) stands for the line's whenever the line shows that lot.
 */
const ORDER_LINES = `
  SELECT l.item_id, l.lot, l.description, l.hammer, l.premium, l.tax, l.tax_id, l.consignment_number,
         i.lot AS i_lot, i.title AS i_title,
         CASE WHEN l.lot IS NULL OR l.lot = i.lot THEN i.lot_sort END AS lot_key
  FROM order_lines l LEFT JOIN items i ON i.id = l.item_id WHERE l.order_id = ?
  ORDER BY lot_key`

export function orderChargeRows(db: Replica, orderId: string): OrderChargeRow[] {
  return db
    .sql<{
      id: number
      label: string | null
      description: string | null
      amount: number
      tax: number | null
      date: string | null
    }>('SELECT id, label, description, amount, tax, date FROM order_charges WHERE order_id = ? ORDER BY id', orderId)
    .map((c) => ({
      id: c.id,
      label: c.label ?? c.description ?? 'Charge',
      amount: c.amount,
      tax: c.tax ?? 0,
      date: c.date
    }))
}
