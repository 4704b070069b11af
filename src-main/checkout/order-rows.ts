// An order's lines and charges as the replica holds them, in catalogue
// order: read the same way by the checkout view and the printed invoice.
import type { CheckoutInvoice, CheckoutOrder } from '../../src-shared/contract'
import { lotSortKey } from '../../src-shared/lots'
import type { OrderChargeSource, OrderLineSource, OrderPrintSource, PaymentParticulars } from '../core/ports'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

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
    .prepared(ORDER_LINES)
    .all({ orderId })
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
const ORDER_LINES = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('order_lines as l')
    .leftJoin('items as i', 'i.id', 'l.item_id')
    .select((eb) => [
      'l.item_id',
      'l.lot',
      'l.description',
      'l.hammer',
      'l.premium',
      'l.tax',
      'l.tax_id',
      'l.consignment_number',
      'i.lot as i_lot',
      'i.title as i_title',
      eb
        .case()
        .when(eb.or([eb('l.lot', 'is', null), eb('l.lot', '=', eb.ref('i.lot'))]))
        .then(eb.ref('i.lot_sort'))
        .end()
        .as('lot_key')
    ])
    .where('l.order_id', '=', a.orderId)
    .orderBy('lot_key')

// Read for every order on the cashier's screen: compiled once.
const ORDER_CHARGES = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('order_charges')
    .select(['id', 'label', 'description', 'amount', 'tax', 'date'])
    .where('order_id', '=', a.orderId)
    .orderBy('id')

export function orderChargeRows(db: Replica, orderId: string): OrderChargeRow[] {
  return db
    .prepared(ORDER_CHARGES)
    .all({ orderId })
    .map((c) => ({
      id: c.id,
      label: c.label ?? c.description ?? 'Charge',
      amount: c.amount,
      tax: c.tax ?? 0,
      date: c.date
    }))
}
