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
import type { Kysely } from 'kysely'
import { jsonTextValues, jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import type { Database, OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import { writeOrder } from './order-sync'
import type { PaymentPayload, VoidPayload } from './payments'
import { resolveProvisional, WAIT_FOR_ORDER_MS } from './provisional'

// Run for every payment a pull brings: compiled once.
const ORDER_EXISTS = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('orders')
    .select((eb) => eb.lit(1).as('one'))
    .where('id', '=', a.id)

/** Ours for Circuit's payment `a.id`: by its id, our reference in `a.info`, or a hub's id it `replaces` (JSON). */
const OUR_PAYMENT = (q: Kysely<Database>, a: { id: string; info: string; replaces: string }) =>
  q
    .selectFrom('transactions')
    .select('id')
    .where('id', '<>', a.id)
    .where((eb) =>
      eb.or([
        eb('server_id', '=', a.id),
        eb.and([
          eb.or([eb('server_id', 'is', null), eb('server_id', '=', eb.ref('id'))]),
          eb(
            eb.fn<number>('instr', [
              eb.val(a.info),
              eb(eb(eb.val('[saleroom:'), '||', eb.ref('id')), '||', eb.val(']'))
            ]),
            '>',
            0
          )
        ]),
        eb('server_id', 'in', jsonTextValues(a.replaces))
      ])
    )
    .orderBy((eb) => eb('server_id', '=', a.id), 'desc')
    .limit(1)

const UPDATE_OUR_PAYMENT = (
  q: Kysely<Database>,
  a: {
    id: string
    serverId: string
    orderId: string
    amount: number
    date: string | null
    updated: string | null
    raw: string
  }
) =>
  q
    .updateTable('transactions')
    .set({
      server_id: a.serverId,
      order_id: a.orderId,
      amount: a.amount,
      date: a.date,
      server_updated: a.updated,
      raw: a.raw
    })
    .where('id', '=', a.id)

const UPSERT_PAYMENT = (q: Kysely<Database>, a: Omit<CircuitTransaction, 'raw' | 'replaces'> & { rawJson: string }) =>
  q
    .insertInto('transactions')
    .values({
      id: a.id,
      server_id: a.id,
      order_id: a.orderId,
      type: a.type,
      amount: a.amount,
      date: a.date,
      card_type: a.cardType,
      card_last4: a.cardLast4,
      cheque_number: a.chequeNumber,
      cheque_date: a.chequeDate,
      bank_id: a.bankId,
      bank_name: a.bankName,
      bank_account: a.bankAccountNumber,
      bank_branch: a.bankBranch,
      info: a.info,
      created: a.created,
      server_updated: a.updated,
      raw: a.rawJson
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        server_id: eb.ref('excluded.server_id'),
        order_id: eb.ref('excluded.order_id'),
        type: eb.ref('excluded.type'),
        amount: eb.ref('excluded.amount'),
        date: eb.ref('excluded.date'),
        card_type: eb.ref('excluded.card_type'),
        card_last4: eb.ref('excluded.card_last4'),
        cheque_number: eb.ref('excluded.cheque_number'),
        cheque_date: eb.ref('excluded.cheque_date'),
        bank_id: eb.ref('excluded.bank_id'),
        bank_name: eb.ref('excluded.bank_name'),
        bank_account: eb.ref('excluded.bank_account'),
        bank_branch: eb.ref('excluded.bank_branch'),
        info: eb.ref('excluded.info'),
        created: eb.ref('excluded.created'),
        server_updated: eb.ref('excluded.server_updated'),
        raw: eb.ref('excluded.raw')
      }))
    )

/** Circuit's payment as a pull brings it (the pull skips one with a change of ours waiting). */
export function writeTransaction(db: Replica, t: CircuitTransaction): void {
  // A payment of an order this station has not pulled waits for the order's own pull.
  if (!db.prepared(ORDER_EXISTS).first({ id: t.orderId })) return
  // One of ours (its reference in `info`, or already matched): the same payment, never a second row.
  // Through a venue hub, the hub's id for it is replaced by Circuit's once Circuit has it (`replaces`);
  // a hub's payment held here under the hub's own id is found by the hub's reference Circuit carries.
  const mine = db
    .prepared(OUR_PAYMENT)
    .first({ id: t.id, info: t.info ?? '', replaces: JSON.stringify(t.replaces ?? []) })
  if (mine) {
    db.prepared(UPDATE_OUR_PAYMENT).run({
      id: mine.id,
      serverId: t.id,
      orderId: t.orderId,
      amount: t.amount,
      date: t.date ?? null,
      updated: t.updated ?? null,
      raw: rawJson(t.raw)
    })
    return
  }
  // A value missing from Circuit's payment is bound as NULL (as better-sqlite3 binds undefined).
  db.prepared(UPSERT_PAYMENT).run({
    id: t.id,
    orderId: t.orderId,
    type: t.type,
    amount: t.amount,
    date: t.date ?? null,
    cardType: t.cardType ?? null,
    cardLast4: t.cardLast4 ?? null,
    chequeNumber: t.chequeNumber ?? null,
    chequeDate: t.chequeDate ?? null,
    bankId: t.bankId ?? null,
    bankName: t.bankName ?? null,
    bankAccountNumber: t.bankAccountNumber ?? null,
    bankBranch: t.bankBranch ?? null,
    info: t.info ?? null,
    created: t.created ?? null,
    updated: t.updated ?? null,
    rawJson: rawJson(t.raw)
  })
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
            .all(
              db.q
                .selectFrom('transactions')
                .select(['id', 'order_id', 'server_id', 'voided_at'])
                .where('id', 'in', jsonValues(ids))
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
          replica.run(
            replica.q
              .deleteFrom('transactions')
              .where('id', '=', rec.id)
              .where('server_id', 'is', null)
              .where('voided_at', 'is', null)
          )
          return
        }
        const t = rec.payment
        // The server's payment may already be in the replica from a pull, under its own id.
        replica.run(replica.q.deleteFrom('transactions').where('id', '=', t.id).where('id', '<>', rec.id))
        // On Circuit, so it counts as paid (a void that was dropped on the Sync screen un-voids it).
        replica.run(
          replica.q
            .updateTable('transactions')
            .set((eb) => ({
              // Through a venue hub the answer may name the hub's own id (local-…) for a payment that a
              // follow-up has since written under Circuit's id, the hub's record replacing its own: Circuit's
              // id is never given back for the hub's.
              server_id: t.id.startsWith('local-')
                ? eb
                    .case()
                    .when(eb.and([eb('server_id', 'is not', null), eb('server_id', 'not like', 'local-%')]))
                    .then(eb.ref('server_id'))
                    .else(t.id)
                    .end()
                : t.id,
              order_id: eb.fn.coalesce(
                eb.selectFrom('orders').select('id').where('id', '=', t.orderId),
                eb.ref('order_id')
              ),
              type: t.type,
              amount: t.amount,
              date: t.date ?? null,
              server_updated: t.updated ?? null,
              raw: JSON.stringify(t.raw),
              voided_at: null,
              void_reason: null
            }))
            .where('id', '=', rec.id)
        )
      },

      rebase: (entry) => payloadOf(entry),
      rebaseAfterDiscard: (next) => payloadOf(next)
    }
  }
}

export type { VoidPayload }
