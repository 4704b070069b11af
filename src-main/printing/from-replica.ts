// What each document prints, read from the replica. An order's figures are
// the checkout's own (OrderPrintSource.view): the same totals, payments and
// amount due the cashier sees, so paper never disagrees with the screen.
// Circuit's invoice fields (address, numbers) print where it sent them; an
// order made offline prints from ours, marked provisional.
import { PAYMENT_METHOD_LABEL, type CheckoutPayment } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { houseCurrency } from '../core/currency'
import { readSettings } from '../core/settings'
import type { OrderPrintSource } from '../core/ports'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { readLogo } from './logo'
import { taxSchemes } from './tax-schemes'
import type { ChequeData, House, InvoiceData, InvoicePayment, ReceiptData, SaleRef } from './types'

export { houseCurrency }

interface InvoiceFields {
  buyerAddress: string[]
  shippingAddress: string[]
  invoiceNumber: string | null
  customerNumber: string | null
  bidderNumber: string | null
  vatNumber: string | null
}

interface OrderRow {
  id: string
  server_id: string | null
  order_number: string | null
  provisional_number: string | null
  status: string
  sale_id: string | null
  client_id: string | null
  customer_number: string | null
  created: string | null
  invoice: string | null
  owner_name: string | null
}

interface TransactionRow {
  id: string
  server_id: string | null
  order_id: string
  type: string
  amount: number
  date: string | null
  card_type: string | null
  card_last4: string | null
  cheque_number: string | null
  cheque_date: string | null
  bank_id: string | null
  bank_name: string | null
  bank_account: string | null
  info: string | null
  created: string | null
}

export function house(db: Replica): House {
  const s = readSettings(db)
  return {
    name: s.houseName,
    address: s.houseAddress,
    vatNumber: s.houseVatNumber,
    logoPng: s.houseLogoFile ? readLogo(s.houseLogoFile) : null,
    currency: houseCurrency(db),
    texts: {
      terms: s.termsText,
      collectionNotes: s.collectionNotes,
      bankDetails: s.bankDetails,
      footer: s.documentFooter
    }
  }
}

export const isoDate = (v: string | null | undefined, fallback: number): string =>
  v && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : new Date(fallback).toISOString().slice(0, 10)

export function saleRef(db: Replica, saleId: string | null, now: number): SaleRef {
  const s = saleId
    ? db.first(db.q.selectFrom('sales').select(['label', 'sale_date']).where('id', '=', saleId))
    : undefined
  return { name: s?.label ?? '', date: isoDate(s?.sale_date, now) }
}

const orderSelect = (q: Kysely<Database>) =>
  q
    .selectFrom('orders')
    .select([
      'id',
      'server_id',
      'order_number',
      'provisional_number',
      'status',
      'sale_id',
      'client_id',
      'customer_number',
      'created',
      'invoice',
      'owner_name'
    ])
const ORDER_BY_ID = (q: Kysely<Database>, a: { id: string }) =>
  orderSelect(q).where((eb) => eb.or([eb('id', '=', a.id), eb('server_id', '=', a.id)]))
const ORDER_REPLACING = (q: Kysely<Database>, a: { localId: string }) =>
  orderSelect(q).where('id', '=', (eb) =>
    eb.selectFrom('id_map').select('server_id').where('entity_type', '=', 'order').where('local_id', '=', a.localId)
  )

/**
 * An order by its id, Circuit's id, or the id it had while provisional: a screen still showing a
 * provisional order (a credit note just made) prints Circuit's once it has replaced it.
 */
export function loadOrderOrNull(db: Replica, orderId: string): OrderRow | null {
  return (
    db.prepared(ORDER_BY_ID).first({ id: orderId }) ?? db.prepared(ORDER_REPLACING).first({ localId: orderId }) ?? null
  )
}

function loadOrder(db: Replica, orderId: string): OrderRow {
  const o = loadOrderOrNull(db, orderId)
  if (!o) throw new AppError('not_found', `There is no order ${orderId} on this station. Open its sale to pull it.`)
  return o
}

export function shownPayment(p: CheckoutPayment, now: number): InvoicePayment {
  return {
    date: isoDate(p.date, now),
    methodLabel: PAYMENT_METHOD_LABEL[p.method] ?? 'Payment',
    amount: p.amount,
    reference: p.details,
    voided: p.voided,
    voidReason: p.voidReason
  }
}

interface ClientRow {
  display_name: string
  customer_number: string | null
  address: string | null
}

export function client(db: Replica, clientId: string | null): ClientRow | null {
  if (!clientId) return null
  return (
    db.first(
      db.q.selectFrom('clients').select(['display_name', 'customer_number', 'address']).where('id', '=', clientId)
    ) ?? null
  )
}

/** A client's postal address (Circuit's client record) as lines, for an order Circuit has not laid out. */
export function addressLines(json: string | null): string[] {
  if (!json) return []
  try {
    const a = JSON.parse(json) as Record<string, string | null>
    const town = [a.postalCode, a.city].filter(Boolean).join(' ')
    return [a.street, town, a.state, a.country].filter((l): l is string => !!l && l.trim() !== '')
  } catch {
    return []
  }
}

export const invoiceFields = (o: OrderRow | null): InvoiceFields | null =>
  o?.invoice ? (JSON.parse(o.invoice) as InvoiceFields) : null

/** The invoice (or credit note) of an order, with the checkout's own figures. */
export function invoiceData(db: Replica, orders: OrderPrintSource, orderId: string, now: number): InvoiceData {
  const o = loadOrder(db, orderId)
  const view = orders.view(o.id)
  const fields = invoiceFields(o)
  // A credit note made here has no invoice layout of Circuit's yet: the buyer's details are the credited invoice's.
  const credited = view.creditFor ? invoiceFields(loadOrderOrNull(db, view.creditFor.orderId)) : null
  const buyer = client(db, o.client_id)
  const schemes = taxSchemes(db)
  const lines = orders
    .lines(o.id)
    .map(({ itemId: _i, taxId, ...l }) => ({ ...l, taxScheme: taxId === null ? null : (schemes.get(taxId) ?? null) }))
  const charges = orders.charges(o.id).map(({ id: _id, ...c }) => c)
  const number = fields?.invoiceNumber ?? o.order_number
  const provisional = view.provisional || !number
  const paddle =
    fields?.bidderNumber ??
    (o.sale_id !== null && o.client_id !== null
      ? db.first(
          db.q
            .selectFrom('sale_bidders')
            .select('paddle')
            .where('sale_id', '=', o.sale_id)
            .where('client_id', '=', o.client_id)
            .orderBy((eb) => eb.fn('length', ['paddle']))
            .orderBy('paddle')
            .limit(1)
        )?.paddle
      : undefined) ??
    null
  const t = view.totals
  const address = [fields?.buyerAddress, credited?.buyerAddress, addressLines(buyer?.address ?? null)].find(
    (lines) => lines && lines.length > 0
  )
  const settings = readSettings(db)
  return {
    house: house(db),
    printConsignmentNumbers: settings.printConsignmentNumbers,
    numbering: provisional
      ? { provisional: true, provisionalNumber: view.number }
      : { provisional: false, invoiceNumber: number! },
    issueDate: isoDate(o.created, now),
    customerNumber:
      o.customer_number ?? fields?.customerNumber ?? credited?.customerNumber ?? buyer?.customer_number ?? '',
    paddle,
    buyer: {
      name: o.owner_name ?? buyer?.display_name ?? '',
      addressLines: address ?? [],
      vatNumber: fields?.vatNumber ?? credited?.vatNumber ?? null
    },
    sale: saleRef(db, o.sale_id, now),
    lines,
    charges,
    totals: {
      hammer: t.hammer,
      premium: t.premium,
      tax: t.tax,
      charges: t.charges,
      grandTotal: t.grandTotal,
      paid: t.paid,
      balanceDue: t.amountDue
    },
    payments: view.payments.map((p) => shownPayment(p, now)),
    creditNote:
      view.type === 'credit_note' ? { forInvoice: view.creditFor?.number ?? null, reason: view.creditReason } : null
  }
}

function loadTransaction(db: Replica, transactionId: string): TransactionRow {
  const t = db.first(
    db.q
      .selectFrom('transactions')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', transactionId), eb('server_id', '=', transactionId)]))
  )
  if (!t) throw new AppError('not_found', `There is no payment ${transactionId} on this station.`)
  return t
}

/**
 * A receipt for one payment: the order's total, what had been paid once it
 * was taken (the payments recorded up to it, voided ones counting for
 * nothing), and the balance then left.
 */
export function receiptData(db: Replica, orders: OrderPrintSource, transactionId: string, now: number): ReceiptData {
  const t = loadTransaction(db, transactionId)
  const invoice = invoiceData(db, orders, t.order_id, now)
  const view = orders.view(t.order_id)
  const payment = view.payments.find((p) => p.id === t.id)
  if (!payment) throw new AppError('not_found', `There is no payment ${transactionId} on this station.`)
  // In the order they were taken: our own stamp for ours, Circuit's for its own.
  const taken = new Map(
    db
      .all(
        db.q
          .selectFrom('transactions')
          .select((eb) => ['id', eb.fn.coalesce('created', 'date').as('at')])
          .where('order_id', '=', t.order_id)
      )
      .map((r) => [r.id, r.at ?? ''])
  )
  const mine = taken.get(t.id) ?? ''
  const upToThis = view.payments.filter((p) => p.id === t.id || (taken.get(p.id) ?? '') <= mine)
  const paidToDate = upToThis.filter((p) => !p.voided).reduce((sum, p) => sum + p.amount, 0)
  return {
    house: invoice.house,
    receiptNumber: payment.receiptNumber,
    date: isoDate(t.date ?? t.created, now),
    buyer: { name: invoice.buyer.name, customerNumber: invoice.customerNumber || null, paddle: invoice.paddle },
    orderNumber: view.number,
    invoiceNumber: invoice.numbering.provisional ? null : invoice.numbering.invoiceNumber,
    payment: {
      methodLabel: PAYMENT_METHOD_LABEL[payment.method] ?? 'Payment',
      details: payment.details,
      amount: payment.amount,
      voided: payment.voided,
      voidReason: payment.voidReason
    },
    orderTotal: view.totals.grandTotal,
    paidToDate,
    balanceAfter: view.totals.grandTotal - paidToDate
  }
}

/** A cheque for a payment: the payee is the order's client unless told otherwise. */
export function chequeData(
  db: Replica,
  transactionId: string,
  o: { payee?: string; memo?: string; bankAccountId: string; chequeNumber: number },
  now: number
): ChequeData {
  const t = loadTransaction(db, transactionId)
  const order = loadOrder(db, t.order_id)
  const bank = db.first(
    db.q
      .selectFrom('reference_terms')
      .select('label')
      .where('vocabulary', '=', 'bank_accounts')
      .where('id', '=', o.bankAccountId)
  )
  const payee = o.payee ?? order.owner_name ?? client(db, order.client_id)?.display_name
  if (!payee) throw new AppError('invalid_input', 'Who is the cheque to? Give the payee.')
  return {
    payee,
    amountMinor: Math.abs(t.amount),
    currency: houseCurrency(db),
    date: isoDate(t.cheque_date ?? t.date, now),
    memo: o.memo ?? `Order ${order.order_number ?? order.id}`,
    chequeNumber: String(o.chequeNumber).padStart(6, '0'),
    bankName: t.bank_name ?? bank?.label ?? '',
    accountLabel: bank?.label ?? t.bank_account ?? ''
  }
}

export function chequeTransaction(db: Replica, transactionId: string): { id: string; bankId: string | null } {
  const t = loadTransaction(db, transactionId)
  return { id: t.id, bankId: t.bank_id }
}
