// The payment's entity sync adapter (entity type "transaction"): Circuit's
// payments written into the replica as a pull brings them, and a payment
// taken at the desk recorded on Circuit exactly once. POST transactions has
// no idempotency key, so each payment carries our own reference in its
// `info`; before any send (and after a lost answer) the order's transactions
// are read back and a payment with our reference is taken as already recorded.
import type { CircuitApiClient } from '../circuit'
import { paymentReference, TRANSACTION_TYPE_FOR } from '../circuit/payment-types'
import type { CircuitTransaction } from '../circuit/types'
import { moneyScale, type Decision, type EntityAdapter, type Mismatch } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import type { PaymentPayload } from './payments'

/** Circuit's payment as a pull brings it (the pull skips one with a change of ours waiting). */
export function writeTransaction(db: Replica, t: CircuitTransaction): void {
  // A payment of an order this station has not pulled waits for the order's own pull.
  if (!db.sql('SELECT 1 FROM orders WHERE id = ?', t.orderId)[0]) return
  // One of ours (its reference in `info`, or already matched): the same payment, never a second row.
  const mine = db.sql<{ id: string }>(
    `SELECT id FROM transactions WHERE id <> ? AND (server_id = ? OR (server_id IS NULL AND instr(?, '[saleroom:' || id || ']') > 0))`,
    t.id,
    t.id,
    t.info ?? ''
  )[0]
  if (mine) {
    db.exec(
      'UPDATE transactions SET server_id = ?, amount = ?, date = ?, server_updated = ?, raw = ? WHERE id = ?',
      t.id,
      t.amount,
      t.date,
      t.updated,
      rawJson(t.raw),
      mine.id
    )
    return
  }
  db.exec(
    `INSERT INTO transactions (id, server_id, order_id, type, amount, date, card_type, card_last4, cheque_number,
       cheque_date, bank_id, bank_name, bank_account, bank_branch, info, created, server_updated, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, order_id = excluded.order_id, type = excluded.type,
       amount = excluded.amount, date = excluded.date, card_type = excluded.card_type,
       card_last4 = excluded.card_last4, cheque_number = excluded.cheque_number, cheque_date = excluded.cheque_date,
       bank_id = excluded.bank_id, bank_name = excluded.bank_name, bank_account = excluded.bank_account,
       bank_branch = excluded.bank_branch, info = excluded.info, created = excluded.created,
       server_updated = excluded.server_updated, raw = excluded.raw`,
    t.id,
    t.id,
    t.orderId,
    t.type,
    t.amount,
    t.date,
    t.cardType,
    t.cardLast4,
    t.chequeNumber,
    t.chequeDate,
    t.bankId,
    t.bankName,
    t.bankAccountNumber,
    t.bankBranch,
    t.info,
    t.created,
    t.updated,
    rawJson(t.raw)
  )
}

export interface ServerPayment {
  /** Our local id. */
  id: string
  updated: string | null
  payment: CircuitTransaction | null
}

function payloadOf(entry: OutboxRow): PaymentPayload {
  return JSON.parse(entry.payload) as PaymentPayload
}

export function paymentAdapter(db: Replica): EntityAdapter<CircuitTransaction, ServerPayment> {
  /** Each local payment's order on Circuit, from the replica. */
  const orderOf = (localId: string): string | null =>
    db.sql<{ server_id: string | null }>(
      `SELECT o.server_id FROM transactions t JOIN orders o ON o.id = t.order_id WHERE t.id = ?`,
      localId
    )[0]?.server_id ?? null

  return {
    entityType: 'transaction',
    pulls: { kind: 'transaction', entityId: (t) => t.id, apply: writeTransaction },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
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

      async send(c, entry) {
        const client = c as CircuitApiClient
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

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const ours = `a payment of ${p.amount} minor units`
        if (!answer.payment) {
          const message = `Circuit did not answer with the payment on order ${p.orderId}`
          return { message, scope: 'record', ours, theirs: 'no payment' }
        }
        if (answer.payment.amount !== p.amount) {
          const theirs = `a payment of ${answer.payment.amount} minor units`
          return {
            message: `Circuit recorded ${theirs}, not ${ours}`,
            scope: moneyScale(answer.payment.amount, p.amount) ? 'all' : 'record',
            ours,
            theirs
          }
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
}
