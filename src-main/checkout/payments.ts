// Taking a payment, and how it reaches Circuit exactly once. POST
// transactions has no idempotency key, so each payment carries our own
// reference in its `info`; before any send (and after a lost answer) the
// order's transactions are read back and a payment with our reference is
// taken as already recorded.
import type { PayInput, PaymentResult } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { CircuitApiClient } from '../circuit'
import { paymentReference, TRANSACTION_TYPE_FOR, type PaymentMethod } from '../circuit/payment-types'
import type { CircuitTransaction } from '../circuit/types'
import type { Actions } from '../core/action'
import type { IdSource } from '../core/ids'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import type { Decision, OpHandler } from '../sync/op-handler'
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

// ------------------------------------------------------------ the outbox handler

export interface ServerPayment {
  /** Our local id. */
  id: string
  updated: string | null
  payment: CircuitTransaction | null
}

function payloadOf(entry: OutboxRow): PaymentPayload {
  return JSON.parse(entry.payload) as PaymentPayload
}

export function paymentOpHandler(db: Replica): OpHandler<ServerPayment> {
  /** Each local payment's order on Circuit, from the replica. */
  const orderOf = (localId: string): string | null =>
    db.sql<{ server_id: string | null }>(
      `SELECT o.server_id FROM transactions t JOIN orders o ON o.id = t.order_id WHERE t.id = ?`,
      localId
    )[0]?.server_id ?? null

  return {
    entityType: 'transaction',

    async readBack(client: CircuitApiClient, ids: string[]) {
      const byOrder = new Map<string, string[]>()
      for (const id of ids) {
        const order = orderOf(id)
        if (order) byOrder.set(order, [...(byOrder.get(order) ?? []), id])
      }
      const out = new Map<string, ServerPayment>()
      for (const id of ids) out.set(id, { id, updated: null, payment: null })
      for (const [order, locals] of byOrder) {
        const onCircuit = await client.listAll('transactions.list', { filter: { order } }, { range: 100 })
        for (const local of locals) {
          const found = onCircuit.find((t) => (t.info ?? '').includes(paymentReference(local))) ?? null
          out.set(local, { id: local, updated: found?.updated ?? null, payment: found })
        }
      }
      return out
    },

    decide(_entry, server): Decision {
      // Ours is on Circuit already (an earlier send did reach it): never a second time.
      return server.payment ? { kind: 'applied' } : { kind: 'send' }
    },

    async send(client, entry) {
      const p = payloadOf(entry)
      const t = await client.transactions.create({
        order: p.orderId,
        transaction_type: TRANSACTION_TYPE_FOR[p.method],
        amount: p.amount,
        transaction_date: p.date,
        credit_card_type: p.cardType,
        credit_card_last_4_digits: p.last4,
        bank: p.bankId,
        bank_account_number: p.account,
        bank_branch: p.branch,
        cheque_number: p.chequeNumber,
        cheque_date: p.chequeDate,
        info: paymentReference(p.localId)
      })
      return { id: entry.entity_id, updated: t.updated, payment: t }
    },

    verify(entry, answer) {
      const p = payloadOf(entry)
      if (!answer.payment) return `Circuit did not answer with the payment on order ${p.orderId}`
      if (answer.payment.amount !== p.amount) {
        return `Circuit recorded a payment of ${answer.payment.amount} minor units, not ${p.amount}`
      }
      return null
    },

    applyServer(replica, rec) {
      if (!rec.payment) {
        // Never reached Circuit (a discarded payment): it is no payment.
        replica.exec('DELETE FROM transactions WHERE id = ? AND server_id IS NULL', rec.id)
        return
      }
      const t = rec.payment
      // The server's payment may already be in the replica from a pull, under its own id.
      replica.exec('DELETE FROM transactions WHERE id = ? AND id <> ?', t.id, rec.id)
      replica.exec(
        `UPDATE transactions SET server_id = ?, type = ?, amount = ?, date = ?, server_updated = ?, raw = ? WHERE id = ?`,
        t.id,
        t.type,
        t.amount,
        t.date,
        t.updated,
        JSON.stringify(t.raw),
        rec.id
      )
    },

    rebase: (entry) => payloadOf(entry),
    rebaseAfterDiscard: (next) => payloadOf(next)
  }
}
