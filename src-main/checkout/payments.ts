// Taking a payment, and how it reaches Circuit exactly once. POST
// transactions has no idempotency key, so each payment carries our own
// reference in its `info`; before any send (and after a lost answer) the
// order's transactions are read back and a payment with our reference is
// taken as already recorded.
import type { PayInput, PaymentResult } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { paymentReference, type PaymentMethod } from '../circuit/payment-types'
import type { Actions } from '../core/action'
import type { IdSource } from '../core/ids'
import type { Replica } from '../db/replica'
import { orderRowById, orderView } from './invoice-view'

export interface PaymentPayload {
  /** Circuit's order id. */
  orderId: string
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

export interface CheckoutDeps {
  db: Replica
  actions: Actions
  ids: IdSource
}

export function pay(deps: CheckoutDeps, input: PayInput, today: string): PaymentResult {
  const { db } = deps
  const order = orderRowById(db, input.orderId)
  if (order.status === 'locked')
    throw new AppError('conflict', `Order ${order.order_number} is locked: it takes no payment.`)
  if (order.status === 'canceled') throw new AppError('conflict', `Order ${order.order_number} is cancelled.`)
  if (order.server_id === null) {
    throw new AppError('conflict', 'This order is not on Circuit yet; take the payment once it has its number.')
  }
  const due = orderView(db, order).totals.amountDue
  const tendered = input.method === 'cash' ? (input.tendered ?? input.amount) : input.amount
  // Cash over the amount due is handed back as change; other methods record what was paid (over-payments too).
  const changeDue = input.method === 'cash' ? Math.max(0, tendered - Math.max(due, 0)) : 0
  const amount = input.method === 'cash' ? tendered - changeDue : input.amount
  if (amount <= 0) throw new AppError('invalid_input', 'Nothing is due on this order: no cash to take.')
  const localId = `local-${deps.ids.next()}`
  const payload: PaymentPayload = {
    orderId: order.server_id,
    localId,
    method: input.method,
    amount,
    date: today,
    ...(input.method === 'card' ? { cardType: input.cardType, last4: input.last4 } : {}),
    ...(input.method === 'cheque'
      ? {
          bankId: input.bankId,
          bankName: input.bankName,
          chequeNumber: input.chequeNumber,
          chequeDate: input.chequeDate
        }
      : {}),
    ...(input.method === 'wire'
      ? { bankId: input.bankId, bankName: input.bankName, account: input.account, branch: input.branch }
      : {})
  }
  deps.actions.run((tx) => {
    db.exec(
      `INSERT INTO transactions (id, server_id, order_id, type, amount, date, card_type, card_last4, cheque_number,
         cheque_date, bank_id, bank_name, bank_account, bank_branch, info, created, raw)
       VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      localId,
      order.id,
      input.method,
      amount,
      today,
      payload.cardType ?? null,
      payload.last4 ?? null,
      payload.chequeNumber ?? null,
      payload.chequeDate ?? null,
      payload.bankId ?? null,
      payload.bankName ?? null,
      payload.account ?? null,
      payload.branch ?? null,
      paymentReference(localId),
      new Date(tx.now).toISOString()
    )
    tx.enqueue({
      entityType: 'transaction',
      entityId: localId,
      op: 'payment.record',
      payload,
      label: `${input.method} payment of ${(amount / 100).toFixed(2)} on order ${order.order_number ?? order.id}`
    })
    tx.audit({
      action: 'checkout.pay',
      entityType: 'transaction',
      entityId: localId,
      saleId: order.sale_id,
      after: { order: order.order_number, method: input.method, amount, tendered, changeDue }
    })
    tx.changed('transaction', [localId], order.sale_id ?? undefined)
    tx.changed('order', [order.id], order.sale_id ?? undefined)
  })
  const view = orderView(db, orderRowById(db, order.id))
  return { payment: view.payments.find((p) => p.id === localId)!, changeDue, order: view }
}
