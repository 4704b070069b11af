// Taking a payment, voiding one, and how each reaches Circuit exactly once.
// POST transactions has no idempotency key, so each payment carries our own
// reference in its `info`; before any send (and after a lost answer) the
// order's transactions are read back and a payment with our reference is
// taken as already recorded. A void is read back the same way: a payment no
// longer on Circuit counts as deleted.
import type { CheckoutOrder, PayInput, PaymentResult } from '../../src-shared/contract'
import { formatMoney as formatIn } from '../../src-shared/money'
import { AppError } from '../../src-shared/rpc'
import { paymentReference, type PaymentMethod } from '../circuit/payment-types'
import type { Actions } from '../core/action'
import { houseCurrency } from '../core/currency'
import type { IdSource } from '../core/ids'
import { readSettings } from '../core/settings'
import type { Replica } from '../db/replica'
import { orderRowById, orderView, type OrderRow } from './invoice-view'
import { nextInSeries } from './order-mirror'

export interface PaymentPayload {
  /** Circuit's order id; null for a provisional order (the payment waits for Circuit's order that replaces it). */
  orderId: string | null
  /** The order on this station when the payment was taken. */
  localOrderId?: string
  localId: string
  method: PaymentMethod
  amount: number
  date: string
  cardType?: string
  last4?: string
  bankId?: string
  bankName?: string
  chequeNumber?: string
  chequeDate?: string
  account?: string
  branch?: string
}

export interface VoidPayload {
  /** The payment's id on this station (ours: local-…; one pulled from Circuit: Circuit's id). */
  localId: string
  /** Circuit's transaction id when it was known at the void; the read-back finds it either way. */
  serverId: string | null
  amount: number
  reason: string
}

export interface CheckoutDeps {
  db: Replica
  actions: Actions
  ids: IdSource
}

function refuseClosed(order: OrderRow): void {
  const name = order.order_number ?? order.provisional_number ?? order.id
  if (order.status === 'locked') throw new AppError('conflict', `Order ${name} is locked: it takes no payment.`)
  if (order.status === 'canceled') throw new AppError('conflict', `Order ${name} is cancelled.`)
  if (order.type === 'credit_note')
    throw new AppError('conflict', `${name} is a credit note: take the payment on the buyer's invoice.`)
}

/** A bank of Circuit's bank_accounts list, as the replica holds it: its name. */
function bankOf(db: Replica, bankId: string): string {
  const bank = db.first(
    db.q
      .selectFrom('reference_terms')
      .select(['label', 'attrs'])
      .where('vocabulary', '=', 'bank_accounts')
      .where('id', '=', bankId)
  )
  if (!bank) {
    throw new AppError(
      'invalid_input',
      `Bank ${bankId} is not in Circuit's list of bank accounts; pick one from the list.`,
      {
        bankId: ["Not one of Circuit's bank accounts."]
      }
    )
  }
  const attrs = JSON.parse(bank.attrs) as Record<string, unknown>
  return typeof attrs.bank_name === 'string' && attrs.bank_name ? attrs.bank_name : bank.label
}

export function pay(deps: CheckoutDeps, input: PayInput, today: string): PaymentResult {
  const { db } = deps
  const formatMoney = (minor: number) => formatIn(minor, houseCurrency(db))
  const order = orderRowById(db, input.orderId)
  refuseClosed(order)
  const name = order.order_number ?? order.provisional_number ?? order.id
  // Everything that can refuse is checked before anything is written: a refusal records nothing.
  const due = orderView(db, order).totals.amountDue
  const amount = input.amount
  const tendered = input.method === 'cash' ? (input.tendered ?? amount) : amount
  if (tendered < amount) {
    throw new AppError(
      'invalid_input',
      `${formatMoney(tendered)} tendered is less than the ${formatMoney(amount)} to pay: take the amount handed over, or more cash.`,
      { tendered: ['Less than the amount.'] }
    )
  }
  const changeDue = tendered - amount
  let bankName = input.method === 'cheque' || input.method === 'wire' ? input.bankName : undefined
  if ((input.method === 'cheque' || input.method === 'wire') && input.bankId) bankName ??= bankOf(db, input.bankId)
  if (input.method === 'cheque' && input.chequeDate > today) {
    throw new AppError(
      'invalid_input',
      `A cheque dated ${input.chequeDate} is post-dated: Circuit takes cheques dated today or earlier.`,
      {
        chequeDate: ['After today.']
      }
    )
  }
  if (amount > Math.max(due, 0) && input.confirm !== true) {
    const reasons = [
      due > 0
        ? `${formatMoney(amount)} is more than the ${formatMoney(due)} due on order ${name}.`
        : `Nothing is due on order ${name}; ${formatMoney(amount)} would be paid over.`
    ]
    throw new AppError('needs_confirmation', reasons.join(' '), { reasons })
  }
  const localId = `local-${deps.ids.next()}`
  const payload: PaymentPayload = {
    orderId: order.server_id,
    localOrderId: order.id,
    localId,
    method: input.method,
    amount,
    date: today,
    ...(input.method === 'card' ? { cardType: input.cardType, last4: input.last4 } : {}),
    ...(input.method === 'cheque'
      ? { bankId: input.bankId, bankName, chequeNumber: input.chequeNumber, chequeDate: input.chequeDate }
      : {}),
    ...(input.method === 'wire' ? { bankId: input.bankId, bankName, account: input.account, branch: input.branch } : {})
  }
  deps.actions.run((tx) => {
    // This station's own series, even for a payment recorded for another (a venue hub's).
    const receipt = nextInSeries(db, 'receipt_seq', 'R', readSettings(db).stationName, tx.now)
    db.run(
      db.q.insertInto('transactions').values({
        id: localId,
        server_id: null,
        order_id: order.id,
        type: input.method,
        amount,
        date: today,
        card_type: payload.cardType ?? null,
        card_last4: payload.last4 ?? null,
        cheque_number: payload.chequeNumber ?? null,
        cheque_date: payload.chequeDate ?? null,
        bank_id: payload.bankId ?? null,
        bank_name: payload.bankName ?? null,
        bank_account: payload.account ?? null,
        bank_branch: payload.branch ?? null,
        info: input.reference ? `${paymentReference(localId)} ${input.reference}` : paymentReference(localId),
        created: new Date(tx.now).toISOString(),
        raw: null,
        receipt_number: receipt
      })
    )
    tx.enqueue({
      entityType: 'transaction',
      entityId: localId,
      op: 'payment.record',
      payload,
      label: `${input.method} payment of ${formatMoney(amount)} on order ${name}${order.server_id === null ? " (provisional: waits for Circuit's order)" : ''}`
    })
    tx.audit({
      action: 'checkout.pay',
      entityType: 'transaction',
      entityId: localId,
      saleId: order.sale_id,
      after: {
        order: name,
        method: input.method,
        amount,
        tendered,
        changeDue,
        receipt,
        overDue: amount > Math.max(due, 0)
      }
    })
    tx.changed('transaction', [localId], order.sale_id ?? undefined)
    tx.changed('order', [order.id], order.sale_id ?? undefined)
  })
  const view = orderView(db, orderRowById(db, order.id))
  return { payment: view.payments.find((p) => p.id === localId)!, changeDue, order: view }
}

interface PaymentRow {
  id: string
  server_id: string | null
  order_id: string
  type: string
  amount: number
  voided_at: number | null
  receipt_number: string | null
}

/**
 * Void a payment. One not yet sent is cancelled here: its entry is discarded in this
 * transaction and it never goes out. One that was sent, or may have been (its answer lost),
 * is deleted on Circuit through the outbox, read back first (a payment already gone counts
 * as done). Either way the payment stays listed, voided, and the amount due comes back.
 */
export function voidPayment(deps: CheckoutDeps, input: { paymentId: string; reason: string }): CheckoutOrder {
  const { db } = deps
  const formatMoney = (minor: number) => formatIn(minor, houseCurrency(db))
  const t: PaymentRow | undefined = db.first(
    db.q
      .selectFrom('transactions')
      .select(['id', 'server_id', 'order_id', 'type', 'amount', 'voided_at', 'receipt_number'])
      .where((eb) => eb.or([eb('id', '=', input.paymentId), eb('server_id', '=', input.paymentId)]))
  )
  if (!t) throw new AppError('not_found', `There is no payment ${input.paymentId} on this station.`)
  const order = orderRowById(db, t.order_id)
  const name = order.order_number ?? order.provisional_number ?? order.id
  const receipt = t.server_id ?? t.receipt_number ?? t.id
  if (t.voided_at !== null) throw new AppError('conflict', `Payment ${receipt} is already voided.`)
  if (order.status === 'locked' || order.status === 'canceled') {
    throw new AppError(
      'conflict',
      `Order ${name} is ${order.status === 'locked' ? 'locked' : 'cancelled'}: its payments are Circuit's to change.`
    )
  }
  deps.actions.run((tx) => {
    // Read inside the transaction: the sender claims entries in its own, so this is what it sees.
    const record = db.first(
      db.q
        .selectFrom('outbox')
        .select(['seq', 'state', 'sent_at'])
        .where('entity_type', '=', 'transaction')
        .where('entity_id', '=', t.id)
        .where('op', '=', 'payment.record')
        .where('state', 'not in', ['done', 'discarded'])
        .orderBy('seq', 'desc')
        .limit(1)
    )
    // Never sent and not being sent now: cancelled here, it never reaches Circuit.
    const cancelHere =
      t.server_id === null &&
      record !== undefined &&
      record.sent_at === null &&
      (record.state === 'pending' || record.state === 'needs_attention' || record.state === 'conflict')
    db.run(
      db.q.updateTable('transactions').set({ voided_at: tx.now, void_reason: input.reason }).where('id', '=', t.id)
    )
    if (cancelHere) {
      db.run(
        db.q
          .updateTable('outbox')
          .set({
            state: 'discarded',
            lease_until: null,
            last_error: `Voided at the desk before it was sent (${input.reason}); never sent.`
          })
          .where('seq', '=', record.seq)
          .where('state', '=', record.state)
      )
    } else {
      const payload: VoidPayload = { localId: t.id, serverId: t.server_id, amount: t.amount, reason: input.reason }
      tx.enqueue({
        entityType: 'transaction',
        entityId: t.id,
        op: 'payment.void',
        payload,
        label: `Void ${t.type} payment ${receipt} of ${formatMoney(t.amount)} on order ${name}`
      })
    }
    tx.audit({
      action: 'checkout.voidPayment',
      entityType: 'transaction',
      entityId: t.id,
      saleId: order.sale_id,
      before: { order: name, method: t.type, amount: t.amount, receipt },
      after: { voided: true, reason: input.reason, sent: !cancelHere }
    })
    tx.changed('transaction', [t.id], order.sale_id ?? undefined)
    tx.changed('order', [order.id], order.sale_id ?? undefined)
  })
  return orderView(db, orderRowById(db, order.id))
}
