// A buyer's combined statement for a sale: every invoice and credit note of
// theirs, as checkout.invoice answers them (the same totals, payments and
// net the cashier sees), with the buyer's details as their invoices print them.
import type { OrderPrintSource } from '../core/ports'
import type { Replica } from '../db/replica'
import {
  addressLines,
  client,
  house,
  invoiceFields,
  isoDate,
  loadOrderOrNull,
  saleRef,
  shownPayment
} from './from-replica'
import type { StatementData } from './types'

export function statementData(
  db: Replica,
  orders: OrderPrintSource,
  saleId: string,
  paddle: string,
  now: number
): StatementData {
  const invoice = orders.buyer(saleId, paddle)
  const fields = invoice.orders.map((o) => invoiceFields(loadOrderOrNull(db, o.id)))
  const record = client(db, invoice.client.id)
  const circuitAddress = fields.find((f) => f && f.buyerAddress.length > 0)?.buyerAddress
  return {
    house: house(db),
    date: isoDate(null, now),
    customerNumber: invoice.client.customerNumber ?? '',
    paddle: invoice.paddle,
    buyer: {
      name: invoice.client.name,
      addressLines: circuitAddress ?? addressLines(record?.address ?? null),
      vatNumber: fields.find((f) => f?.vatNumber)?.vatNumber ?? null
    },
    sale: saleRef(db, saleId, now),
    orders: invoice.orders.map((o) => ({
      kind: o.type === 'credit_note' ? 'credit_note' : 'invoice',
      number: o.number,
      provisional: o.provisional,
      total: o.totals.grandTotal,
      paid: o.totals.paid,
      balance: o.totals.amountDue,
      payments: o.payments.map((p) => shownPayment(p, now))
    })),
    net: invoice.outstanding
  }
}
