// The payment's entity sync adapter (entity type "transaction"): Circuit's
// payments written into the replica as a pull brings them, and a payment
// taken at the desk recorded on Circuit exactly once, and deleted there at
// most once when it is voided. POST transactions has no idempotency key, so
// each payment carries our own reference in its `info`; before any send (and
// after a lost answer) the order's transactions are read back: a payment with
// our reference is already recorded, one that is gone is already deleted.
// A payment on a provisional order waits for Circuit's order that replaces it
// (provisional.ts), then goes out under the same rules.
import type { CircuitApiClient } from '../circuit'
import { CircuitHttpError } from '../circuit/errors'
import { paymentReference, TRANSACTION_TYPE_FOR } from '../circuit/payment-types'
import type { CircuitTransaction } from '../circuit/types'
import { systemClock, type Clock } from '../core/clock'
import { moneyScale, type Decision, type EntityAdapter, type Mismatch } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import { writeOrder } from './order-sync'
import type { PaymentPayload, VoidPayload } from './payments'
import { resolveProvisional, WAIT_FOR_ORDER_MS } from './provisional'

/** Circuit's payment as a pull brings it (the pull skips one with a change of ours waiting). */
export function writeTransaction(db: Replica, t: CircuitTransaction): void {
  // A payment of an order this station has not pulled waits for the order's own pull.
  if (!db.sql('SELECT 1 FROM orders WHERE id = ?', t.orderId)[0]) return
  // One of ours (its reference in `info`, or already matched): the same payment, never a second row.
  // Through a venue hub, the hub's id for it is replaced by Circuit's once Circuit has it (`replaces`);
  // a hub's payment held here under the hub's own id is found by the hub's reference Circuit carries.
  const mine = db.sql<{ id: string }>(
    `SELECT id FROM transactions WHERE id <> ? AND (server_id = ?
       OR ((server_id IS NULL OR server_id = id) AND instr(?, '[saleroom:' || id || ']') > 0)
       OR server_id IN (SELECT value FROM json_each(?))) ORDER BY server_id = ? DESC LIMIT 1`,
    t.id,
    t.id,
    t.info ?? '',
    JSON.stringify(t.replaces ?? []),
    t.id
  )[0]
  if (mine) {
    db.exec(
      'UPDATE transactions SET server_id = ?, order_id = ?, amount = ?, date = ?, server_updated = ?, raw = ? WHERE id = ?',
      t.id,
      t.orderId,
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
  /** Our local id (the outbox entry's entity id). */
  id: string
  updated: string | null
  /** Circuit's transaction, found by our reference or its id; null when Circuit has none. */
  payment: CircuitTransaction | null
  /** Circuit's order the payment belongs on, once known. */
  orderId?: string | null
  /** Why it cannot go out yet (its order is provisional and Circuit has not made it). */
  waiting?: string
  /** Voided at the desk: never recorded on Circuit from here on. */
  voided?: boolean
}

function payloadOf<T = PaymentPayload>(entry: OutboxRow): T {
  return JSON.parse(entry.payload) as T
}

export function paymentAdapter(
  db: Replica,
  clock: Clock = systemClock
): EntityAdapter<CircuitTransaction, ServerPayment> {
  return {
    entityType: 'transaction',
    pulls: { kind: 'transaction', entityId: (t) => t.id, apply: writeTransaction },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const rows = new Map(
          db
            .sql<{ id: string; order_id: string; server_id: string | null; voided_at: number | null }>(
              `SELECT id, order_id, server_id, voided_at FROM transactions WHERE id IN (SELECT value FROM json_each(?))`,
              JSON.stringify(ids)
            )
            .map((r) => [r.id, r])
        )
        // Each payment's order on Circuit: its own, or Circuit's that replaced a provisional one.
        const orders = await resolveProvisional(
          client,
          db,
          [...rows.values()].map((r) => r.order_id),
          (o) => db.tx(() => writeOrder(db, o, clock.now()))
        )
        const out = new Map<string, ServerPayment>()
        const byOrder = new Map<string, string[]>()
        for (const id of ids) {
          const row = rows.get(id)
          if (!row) {
            out.set(id, { id, updated: null, payment: null, waiting: `Payment ${id} is no longer on this station.` })
            continue
          }
          const o = orders.get(row.order_id)
          if (!o || 'waiting' in o) {
            out.set(id, { id, updated: null, payment: null, waiting: o?.waiting ?? "Waits for Circuit's order." })
            continue
          }
          out.set(id, { id, updated: null, payment: null, orderId: o.serverId, voided: row.voided_at !== null })
          byOrder.set(o.serverId, [...(byOrder.get(o.serverId) ?? []), id])
        }
        for (const [order, locals] of byOrder) {
          const onCircuit = await client.listAll('transactions.list', { filter: { order } }, { range: 100 })
          for (const local of locals) {
            const serverId = rows.get(local)?.server_id ?? null
            const found =
              onCircuit.find((t) => (t.info ?? '').includes(paymentReference(local))) ??
              (serverId ? onCircuit.find((t) => t.id === serverId) : undefined) ??
              null
            out.set(local, { ...out.get(local)!, updated: found?.updated ?? null, payment: found })
          }
        }
        return out
      },

      decide(entry, server): Decision {
        if (server.waiting !== undefined) return { kind: 'wait', reason: server.waiting, retryInMs: WAIT_FOR_ORDER_MS }
        if (entry.op === 'payment.void') {
          // Already gone (an earlier delete did reach Circuit, or it never got there): done.
          return server.payment ? { kind: 'send' } : { kind: 'applied' }
        }
        // Ours is on Circuit already (an earlier send did reach it): never a second time.
        if (server.payment) return { kind: 'applied' }
        // Voided before Circuit had it: never sent now.
        if (server.voided) return { kind: 'applied' }
        return { kind: 'send' }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        if (entry.op === 'payment.void') {
          try {
            await client.transactions.delete(server.payment!.id)
          } catch (err) {
            // Gone already (another station, the back office): what the void wants.
            if (!(err instanceof CircuitHttpError && err.status === 404)) throw err
          }
          return { id: entry.entity_id, updated: null, payment: null, orderId: server.orderId, voided: true }
        }
        const p = payloadOf(entry)
        const t = await client.transactions.create({
          order: server.orderId ?? p.orderId ?? '',
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
        return { id: entry.entity_id, updated: t.updated, payment: t, orderId: server.orderId }
      },

      verify(entry, answer): Mismatch | null {
        if (entry.op === 'payment.void') {
          if (!answer.payment) return null
          const message = `Circuit still holds payment ${answer.payment.id} after it was deleted`
          return { message, scope: 'record', ours: 'payment voided (deleted)', theirs: `payment ${answer.payment.id}` }
        }
        const p = payloadOf(entry)
        const ours = `a payment of ${p.amount} minor units`
        if (!answer.payment) {
          const message = `Circuit did not answer with the payment on order ${answer.orderId ?? p.orderId}`
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
        if (rec.waiting !== undefined) return
        if (!rec.payment) {
          // A voided payment stays listed, voided; one that never reached Circuit (discarded) is no payment.
          replica.exec('DELETE FROM transactions WHERE id = ? AND server_id IS NULL AND voided_at IS NULL', rec.id)
          return
        }
        const t = rec.payment
        // The server's payment may already be in the replica from a pull, under its own id.
        replica.exec('DELETE FROM transactions WHERE id = ? AND id <> ?', t.id, rec.id)
        // On Circuit, so it counts as paid (a void that was dropped on the Sync screen un-voids it).
        replica.exec(
          `UPDATE transactions SET server_id = ?, order_id = coalesce((SELECT id FROM orders WHERE id = ?), order_id),
             type = ?, amount = ?, date = ?, server_updated = ?, raw = ?, voided_at = NULL, void_reason = NULL WHERE id = ?`,
          t.id,
          t.orderId,
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

export type { VoidPayload }
