// What each document prints, read from the replica: Circuit's own figures and
// invoice fields where it sent them, the replica's where it did not (an order
// made offline prints from ours, marked provisional).
import { lotSortKey } from '../../src-shared/lots'
import { PAYMENT_METHOD_LABEL } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { readSettings } from '../core/settings'
import type { OrderPrintSource, PhoneCardPrintSource } from '../core/ports'
import type { Replica } from '../db/replica'
import { readLogo } from './logo'
import type {
  ChequeData,
  ClerkSheetData,
  Currency,
  House,
  InvoiceData,
  InvoicePayment,
  PhoneBidderCardsData,
  ReceiptData,
  SaleRef
} from './types'

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
  grand_total: number | null
  amount_due: number | null
  created: string | null
  invoice: string | null
  owner_name: string | null
}

interface TransactionRow {
  id: string
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

/** Circuit's currency settings (from /api/me at the last pull), or the station's symbol. */
export function houseCurrency(db: Replica): Currency {
  const row = db.sql<{ value: string }>(`SELECT value FROM sync_state WHERE key = 'circuit_currency'`)[0]
  if (row) return JSON.parse(row.value) as Currency
  const symbol = readSettings(db).currencySymbol
  return { code: '', symbol, template: '@symbol@amount', decimalSign: '.', thousandsSign: ',', decimals: 2 }
}

export function house(db: Replica): House {
  const s = readSettings(db)
  return {
    name: s.houseName,
    address: s.houseAddress,
    vatNumber: s.houseVatNumber,
    logoPng: s.houseLogoFile ? readLogo(s.houseLogoFile) : null,
    currency: houseCurrency(db)
  }
}

const isoDate = (v: string | null | undefined, fallback: number): string =>
  v && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : new Date(fallback).toISOString().slice(0, 10)

function saleRef(db: Replica, saleId: string | null, now: number): SaleRef {
  const s = saleId
    ? db.sql<{ label: string; sale_date: string | null }>('SELECT label, sale_date FROM sales WHERE id = ?', saleId)[0]
    : undefined
  return { name: s?.label ?? '', date: isoDate(s?.sale_date, now) }
}

function loadOrder(db: Replica, orderId: string): OrderRow {
  const o = db.sql<OrderRow>(
    `SELECT id, server_id, order_number, provisional_number, status, sale_id, client_id, customer_number, grand_total,
            amount_due, created, invoice, owner_name
     FROM orders WHERE id = ? OR server_id = ?`,
    orderId,
    orderId
  )[0]
  if (!o) throw new AppError('not_found', `There is no order ${orderId} on this station. Open its sale to pull it.`)
  return o
}

function payments(db: Replica, orders: OrderPrintSource, orderId: string, now: number): InvoicePayment[] {
  return db
    .sql<TransactionRow>('SELECT * FROM transactions WHERE order_id = ? ORDER BY coalesce(date, created), id', orderId)
    .map((t) => ({
      date: isoDate(t.date ?? t.created, now),
      methodLabel: PAYMENT_METHOD_LABEL[t.type] ?? 'Payment',
      amount: t.amount,
      reference: orders.paymentDetails(t) ?? t.info
    }))
}

function clientName(db: Replica, clientId: string | null): string | null {
  if (!clientId) return null
  return (
    db.sql<{ display_name: string }>('SELECT display_name FROM clients WHERE id = ?', clientId)[0]?.display_name ?? null
  )
}

export function invoiceData(db: Replica, orders: OrderPrintSource, orderId: string, now: number): InvoiceData {
  const o = loadOrder(db, orderId)
  const fields = o.invoice ? (JSON.parse(o.invoice) as InvoiceFields) : null
  const lines = orders.lines(o.id).map(({ itemId: _i, taxId: _t, ...l }) => l)
  const charges = orders.charges(o.id).map(({ id: _id, ...c }) => c)
  const paid = payments(db, orders, o.id, now)
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  const totals = {
    hammer: sum(lines.map((l) => l.hammer)),
    premium: sum(lines.map((l) => l.premium)),
    tax: sum(lines.map((l) => l.tax)) + sum(charges.map((c) => c.tax)),
    charges: sum(charges.map((c) => c.amount)),
    grandTotal: 0
  }
  // Circuit's grand total is the authority when it has sent one.
  totals.grandTotal = o.grand_total ?? totals.hammer + totals.premium + totals.tax + totals.charges
  const provisional = o.server_id === null || !(fields?.invoiceNumber ?? o.order_number)
  const paddle =
    fields?.bidderNumber ??
    db.sql<{ paddle: string }>(
      'SELECT paddle FROM sale_bidders WHERE sale_id = ? AND client_id = ? ORDER BY length(paddle), paddle LIMIT 1',
      o.sale_id,
      o.client_id
    )[0]?.paddle ??
    null
  return {
    house: house(db),
    numbering: provisional
      ? { provisional: true, provisionalNumber: o.provisional_number ?? o.id }
      : { provisional: false, invoiceNumber: (fields?.invoiceNumber ?? o.order_number)! },
    issueDate: isoDate(o.created, now),
    customerNumber: o.customer_number ?? fields?.customerNumber ?? '',
    paddle,
    buyer: {
      name: o.owner_name ?? clientName(db, o.client_id) ?? '',
      addressLines: fields?.buyerAddress ?? [],
      vatNumber: fields?.vatNumber ?? null
    },
    sale: saleRef(db, o.sale_id, now),
    lines,
    charges,
    totals,
    payments: paid,
    amountDue: o.amount_due ?? totals.grandTotal - sum(paid.map((p) => p.amount))
  }
}

function loadTransaction(db: Replica, transactionId: string): TransactionRow {
  const t = db.sql<TransactionRow>(
    'SELECT * FROM transactions WHERE id = ? OR server_id = ?',
    transactionId,
    transactionId
  )[0]
  if (!t) throw new AppError('not_found', `There is no payment ${transactionId} on this station.`)
  return t
}

export function receiptData(db: Replica, orders: OrderPrintSource, transactionId: string, now: number): ReceiptData {
  const t = loadTransaction(db, transactionId)
  const invoice = invoiceData(db, orders, t.order_id, now)
  const o = loadOrder(db, t.order_id)
  return {
    house: invoice.house,
    receiptNumber: `R-${t.id}`,
    date: isoDate(t.date ?? t.created, now),
    buyer: { name: invoice.buyer.name, customerNumber: invoice.customerNumber || null, paddle: invoice.paddle },
    orderNumber: o.order_number ?? o.provisional_number ?? o.id,
    invoiceNumber: invoice.numbering.provisional ? null : invoice.numbering.invoiceNumber,
    payment: {
      methodLabel: PAYMENT_METHOD_LABEL[t.type] ?? 'Payment',
      details: orders.paymentDetails(t),
      amount: t.amount,
      reference: t.info
    },
    balanceRemaining: invoice.amountDue
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
  const bank = db.sql<{ label: string }>(
    `SELECT label FROM reference_terms WHERE vocabulary = 'bank_accounts' AND id = ?`,
    o.bankAccountId
  )[0]
  const payee = o.payee ?? order.owner_name ?? clientName(db, order.client_id)
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

export function phoneCardsData(
  db: Replica,
  source: PhoneCardPrintSource,
  sessionId: string,
  now: number
): PhoneBidderCardsData {
  const session = source.session(sessionId)
  const cards = source.cards(sessionId)
  const sale = saleRef(db, session.sale_id, now)
  return {
    house: house(db),
    sale: { ...sale, name: `${sale.name} — session ${session.number}` },
    bidders: cards.map((c) => ({
      name: c.clientName,
      paddle: c.paddle ?? '',
      phone: c.phone ?? '',
      staffMember: c.staffName ?? '',
      lots: c.lots.map((l) => ({
        lotNumber: l.lot,
        title: l.title,
        estimateLow: l.estimateLow,
        estimateHigh: l.estimateHigh
      }))
    }))
  }
}

/** An item's status as the clerk sheet prints it: sold, PASS, WD, or blank while it is not clerked. */
function sheetResult(status: string): 'sold' | 'passed' | 'withdrawn' | null {
  if (status === 'sold') return 'sold'
  if (status === 'unsold' || status === 'passed') return 'passed'
  if (status === 'withdrawn') return 'withdrawn'
  return null
}

export function clerkSheetData(
  db: Replica,
  source: PhoneCardPrintSource,
  sessionId: string,
  now: number
): ClerkSheetData {
  const session = source.session(sessionId)
  const from = session.first_lot
  const to = session.last_lot
  const lo = from === null ? '' : lotSortKey(from)
  const hi = to === null ? '\uffff' : lotSortKey(to)
  // The phone bank's cards: how many bidders are on each lot.
  const phones = new Map<string, number>()
  for (const card of source.cards(sessionId)) {
    for (const l of card.lots) phones.set(l.itemId, (phones.get(l.itemId) ?? 0) + 1)
  }
  const lots = db
    .sql<{
      id: string
      lot: string
      title: string
      estimate_low: number | null
      estimate_high: number | null
      reserve: number | null
      status: string
      winner_paddle: string | null
      hammer: number | null
    }>(
      `SELECT id, lot, title, estimate_low, estimate_high, reserve, status, winner_paddle, hammer FROM items
       WHERE sale_id = ? ORDER BY lot_sort`,
      session.sale_id
    )
    // A lettered lot (269A) belongs with its number's session.
    .filter((l) => {
      const key = lotSortKey(l.lot)
      return key >= lo && (key <= hi || key.startsWith(hi))
    })
    .map((l) => {
      const result = sheetResult(l.status)
      return {
        lotNumber: l.lot,
        title: l.title,
        estimateLow: l.estimate_low,
        estimateHigh: l.estimate_high,
        reserve: l.reserve,
        phoneBidders: phones.get(l.id) ?? 0,
        result,
        paddle: result === 'sold' ? l.winner_paddle : null,
        price: result === 'sold' ? l.hammer : null
      }
    })
  return {
    house: house(db),
    sale: saleRef(db, session.sale_id, now),
    sessionLabel: `Session ${session.number}${from ? ` (lots ${from}–${to ?? ''})` : ''}`,
    lots
  }
}
