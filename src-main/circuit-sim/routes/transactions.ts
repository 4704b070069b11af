// transactions (list/POST/PATCH/DELETE), generate-cheque and the stub cheque files.

import {
  HttpError,
  idOf,
  ok,
  requireObject,
  single,
  unprocessable,
  command,
  type JsonObject
} from '../../circuit-server/http'
import { MAX_AMOUNT, withinBounds } from '../money'
import { listResponse, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { parseYmd, toIso, toYmd } from '../../circuit-server/time'
import type { Transaction } from '../types'

/**
 * Both vocabularies are accepted and stored as sent: the docs' "Payment | Cheque | Wire Transfer"
 * and Circuit's own UI values "cash | bank_transfer | cheque | credit_card | paypal".
 */
export const TRANSACTION_TYPES = [
  'Payment',
  'Cheque',
  'Wire Transfer',
  'cash',
  'bank_transfer',
  'cheque',
  'credit_card',
  'paypal'
] as const
const isCheque = (type: string): boolean => type.toLowerCase() === 'cheque'

export function serializeTransaction(store: SimStore, t: Transaction): JsonObject {
  const order = store.orders.get(t.orderId)
  const bank = t.bankId ? store.term('bank_accounts', t.bankId) : undefined
  return {
    id: t.id,
    order: t.orderId,
    client: order?.ownerId ?? null,
    transaction_type: t.type,
    amount: store.money(t.amount),
    transferred_currency: t.transferredCurrency,
    transferred_amount: store.money(t.transferredAmount),
    bank: bank ? { id: bank.id, name: String(bank.name ?? bank.label) } : null,
    bank_account_number: t.bankAccountNumber,
    bank_branch: t.bankBranch,
    credit_card_type: t.creditCardType,
    credit_card_last_4_digits: t.creditCardLast4,
    transaction_date: t.transactionDate,
    cheque_number: t.chequeNumber,
    cheque_date: t.chequeDate,
    info: t.info,
    cheque_url: t.chequeUrl,
    illustrated_cheque_url: null,
    created: toIso(t.created),
    changed: toIso(t.changed),
    updated: toIso(t.updated)
  }
}

function transactionsDef(store: SimStore): ListDef<Transaction> {
  return {
    resource: 'transactions',
    defaultSort: '-created,-id',
    decimals: store.decimals,
    filters: {
      id: { kind: 'id', get: (t) => t.id },
      order: { kind: 'id', get: (t) => t.orderId },
      client: { kind: 'id', get: (t) => store.orders.get(t.orderId)?.ownerId ?? null },
      transaction_type: { kind: 'exact', get: (t) => t.type },
      amount: { kind: 'money', get: (t) => t.amount },
      transaction_date: { kind: 'date', get: (t) => parseYmd(t.transactionDate) },
      created: { kind: 'date', get: (t) => t.created },
      updated: { kind: 'date', get: (t) => t.updated }
    },
    serialize: (t) => serializeTransaction(store, t)
  }
}

function mask(account: string): string {
  return account.length <= 4 ? account : `****${account.slice(-4)}`
}

/** Validates a POST (full) or PATCH (partial) body; returns the field changes. */
function parseTransaction(store: SimStore, body: JsonObject, partial: boolean): Partial<Transaction> {
  const errors: Record<string, string[]> = {}
  const out: Partial<Transaction> = {}
  const required = (key: string): boolean => {
    if (body[key] === undefined || body[key] === null || body[key] === '') {
      if (!partial) errors[key] = ['This field is required']
      return false
    }
    return true
  }
  if (!partial && required('order')) {
    const id = idOf(body.order)
    const order = id ? store.orders.get(id) : undefined
    if (!order) errors.order = [`Order ${String(body.order)} does not exist.`]
    else if (order.status === 'canceled') errors.order = ['Payments cannot be recorded on a canceled order.']
    else out.orderId = order.id
  }
  if (required('transaction_type')) {
    const v = body.transaction_type
    if (typeof v !== 'string' || !(TRANSACTION_TYPES as readonly string[]).includes(v))
      errors.transaction_type = [`Must be one of ${TRANSACTION_TYPES.join(', ')}.`]
    else out.type = v
  }
  if (required('amount')) {
    const cents = store.parseMoney(body.amount)
    if (cents === null)
      errors.amount = [
        `Must be a decimal amount with at most ${store.decimals} decimals, like "${store.money(50000)}".`
      ]
    else if (cents === 0) errors.amount = ['Amount cannot be zero.']
    else if (!withinBounds(cents)) errors.amount = [`Amount cannot exceed ${store.money(MAX_AMOUNT)}.`]
    else out.amount = cents
  }
  if (required('transaction_date')) {
    if (typeof body.transaction_date !== 'string' || parseYmd(body.transaction_date) === null)
      errors.transaction_date = ['Must be a date in YYYY-MM-DD format.']
    else out.transactionDate = body.transaction_date
  }
  if (body.cheque_date !== undefined && body.cheque_date !== null) {
    const v = body.cheque_date
    if (typeof v !== 'string' || parseYmd(v) === null) errors.cheque_date = ['Must be a date in YYYY-MM-DD format.']
    else if (v > toYmd(store.now())) errors.cheque_date = ['Cheque date cannot be in the future.']
    else out.chequeDate = v
  } else if (body.cheque_date === null) out.chequeDate = null
  const last4 = body.credit_card_last_4_digits ?? body.cc_last_4_digit
  if (last4 !== undefined && last4 !== null) {
    if (typeof last4 !== 'string' || !/^\d{4}$/.test(last4))
      errors.credit_card_last_4_digits = ['Must be exactly 4 digits.']
    else out.creditCardLast4 = last4
  }
  const ccType = body.credit_card_type ?? body.cc_type
  if (ccType !== undefined && ccType !== null) {
    if (typeof ccType !== 'string') errors.credit_card_type = ['Must be a string.']
    else out.creditCardType = ccType
  }
  if (body.bank !== undefined && body.bank !== null) {
    const id = idOf(body.bank)
    if (!id || !store.term('bank_accounts', id)) errors.bank = ['Unknown bank account (bank_accounts term id).']
    else out.bankId = id
  }
  for (const [wire, prop] of [
    ['bank_account_number', 'bankAccountNumber'],
    ['bank_branch', 'bankBranch'],
    ['cheque_number', 'chequeNumber'],
    ['info', 'info']
  ] as const) {
    const v = body[wire]
    if (v === undefined) continue
    if (v !== null && typeof v !== 'string') errors[wire] = ['Must be a string.']
    else out[prop] = v === null ? null : prop === 'bankAccountNumber' ? mask(v) : v
  }
  if (body.transferred_currency !== undefined) {
    if (typeof body.transferred_currency !== 'string' || !/^[A-Z]{3}$/.test(body.transferred_currency))
      errors.transferred_currency = ['Must be an ISO 4217 code like "GBP".']
    else out.transferredCurrency = body.transferred_currency
  }
  if (body.transferred_amount !== undefined) {
    const cents = store.parseMoney(body.transferred_amount)
    if (cents === null) errors.transferred_amount = ['Must be a decimal amount.']
    else if (!withinBounds(cents)) errors.transferred_amount = [`Cannot exceed ${store.money(MAX_AMOUNT)}.`]
    else out.transferredAmount = cents
  }
  if (Object.keys(errors).length) throw unprocessable(errors)
  return out
}

function touchPayment(store: SimStore, t: Transaction): void {
  const order = store.orders.get(t.orderId)
  if (order) store.touchOrder(order) // payment_received / amount_due changed
}

// A minimal valid one-page PDF, so a client can download "the cheque".
function chequePdf(id: string): Buffer {
  const text = `Cheque for transaction ${id} (Circuit simulator)`
  const stream = `BT /F1 14 Tf 50 750 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  let pdf = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(pdf.length)
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

export function registerTransactions(router: Router): void {
  router.get('transactions', (ctx) =>
    ok(listResponse(ctx, transactionsDef(ctx.store), ctx.store.transactions.values()))
  )
  router.get('transactions/:id', (ctx) =>
    single(serializeTransaction(ctx.store, ctx.store.getOr404(ctx.store.transactions, ctx.params.id, 'Transaction')))
  )
  router.post('transactions', (ctx) => {
    const store = ctx.store
    const f = parseTransaction(store, requireObject(ctx.body), false)
    const now = store.now()
    const t: Transaction = {
      id: store.nextId(),
      orderId: f.orderId!,
      type: f.type!,
      amount: f.amount!,
      transferredCurrency: f.transferredCurrency ?? store.currency.code,
      transferredAmount: f.transferredAmount ?? f.amount!,
      bankId: f.bankId ?? null,
      bankAccountNumber: f.bankAccountNumber ?? null,
      bankBranch: f.bankBranch ?? null,
      creditCardType: f.creditCardType ?? null,
      creditCardLast4: f.creditCardLast4 ?? null,
      transactionDate: f.transactionDate!,
      chequeNumber: f.chequeNumber ?? null,
      chequeDate: f.chequeDate ?? null,
      info: f.info ?? null,
      chequeUrl: null,
      created: now,
      changed: now,
      updated: now
    }
    store.addTransaction(t)
    touchPayment(store, t)
    return single(serializeTransaction(store, t), 201)
  })
  router.patch('transactions/:id', (ctx) => {
    const store = ctx.store
    const t = store.getOr404(store.transactions, ctx.params.id, 'Transaction')
    const f = parseTransaction(store, requireObject(ctx.body), true)
    if (f.amount !== undefined && f.transferredAmount === undefined && t.transferredAmount === t.amount)
      f.transferredAmount = f.amount
    Object.assign(t, f)
    store.stamp(t)
    touchPayment(store, t)
    return single(serializeTransaction(store, t))
  })
  router.delete('transactions/:id', (ctx) => {
    const store = ctx.store
    const t = store.getOr404(store.transactions, ctx.params.id, 'Transaction')
    store.removeTransaction(t.id)
    touchPayment(store, t)
    return { status: 204 }
  })
  router.post('generate-cheque', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    // current docs send {transaction_id}, the legacy README {id}
    const id = idOf(body.transaction_id ?? body.id)
    if (!id) throw unprocessable({ transaction_id: ['This field is required'] })
    const t = store.getOr404(store.transactions, id, 'Transaction')
    if (!isCheque(t.type)) {
      throw new HttpError(400, "Transaction must be of type 'Cheque'", `Transaction ${id} is of type '${t.type}'.`)
    }
    t.chequeUrl = `/files/cheque_${t.id}.pdf`
    store.stamp(t)
    return command({ transaction_id: t.id, cheque_url: t.chequeUrl })
  })
}

/** GET /files/cheque_<id>.pdf — served outside /api, no auth (like Drupal public files). */
export function chequeFile(store: SimStore, name: string): { contentType: string; data: Buffer } | null {
  const m = /^cheque_(\d+)\.pdf$/.exec(name)
  if (!m) return null
  const t = store.transactions.get(m[1])
  if (!t || !t.chequeUrl) return null
  return { contentType: 'application/pdf', data: chequePdf(t.id) }
}
