// The order's entity sync adapter (entity type "order"): Circuit's orders
// written into the replica as a pull brings them (replacing the provisional
// ones made here), and the desk's order changes taken to Circuit: status,
// charges, split, credit note, cancel and reissue. The commands are not
// idempotent on Circuit, so the read-back decides from their effects, read
// in the shapes the API docs show (owner, sale, type, items, created).
import type { CircuitApiClient } from '../circuit'
import type { CircuitOrder } from '../circuit/types'
import { recordAudit } from '../core/audit'
import { systemClock, type Clock } from '../core/clock'
import type { Decision, EntityAdapter, Mismatch } from '../core/sync-adapter'
import { readSettings } from '../core/settings'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES, type OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import { chargesMatch, describeCharges, specOfServer, type ChargesPayload } from './charges'
import { creditTarget } from './invoice-view'
import type { OrderCommandPayload } from './order-commands'
import { STATUS_LABEL, type StatusPayload } from './order-status'
import { resolveProvisional, WAIT_FOR_ORDER_MS } from './provisional'

function hasOpenEntries(db: Replica, entityType: string, entityId: string): boolean {
  const open = db.q
    .selectFrom('outbox')
    .select('seq')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('state', 'in', OPEN_OUTBOX_STATES)
    .limit(1)
  return db.first(open) !== undefined
}

/** What Circuit's grand total is made of: its lines and charges, with their tax. */
function basisOf(o: CircuitOrder): number {
  let total = 0n
  for (const l of o.lines) total += BigInt(l.hammer ?? 0) + BigInt(l.premium ?? 0) + BigInt(l.tax ?? 0)
  for (const c of o.charges) total += BigInt(c.amount) + BigInt(c.taxAmount)
  // Beyond exact minor units: no basis, so the view shows Circuit's figure as it is (and says so).
  return total > BigInt(Number.MAX_SAFE_INTEGER) || total < -BigInt(Number.MAX_SAFE_INTEGER) ? NaN : Number(total)
}

/**
 * The provisional orders Circuit's order replaces: made here for the same buyer, sale and kind,
 * every one of whose lots Circuit's order now holds. A provisional order with no lots is
 * replaced only when nothing hangs on it (no payment, no charge).
 */
function replacedBy(
  db: Replica,
  o: CircuitOrder
): { id: string; credit_for: string | null; credit_reason: string | null }[] {
  // From a venue hub: the hub's own provisional orders that this one took the place of, by id.
  const named = o.replaces?.length
    ? db.sql<{ id: string; credit_for: string | null; credit_reason: string | null }>(
        `SELECT id, credit_for, credit_reason FROM orders WHERE id IN (SELECT value FROM json_each(?)) AND id <> ?`,
        JSON.stringify(o.replaces),
        o.id
      )
    : []
  return [...named, ...replacedByLots(db, o).filter((p) => !named.some((n) => n.id === p.id))]
}

function replacedByLots(
  db: Replica,
  o: CircuitOrder
): { id: string; credit_for: string | null; credit_reason: string | null }[] {
  if (!o.saleId || !o.clientId || o.status === 'canceled') return []
  const found = db.sql<{ id: string; credit_for: string | null; credit_reason: string | null }>(
    `SELECT id, credit_for, credit_reason FROM orders p
     WHERE p.sale_id = ? AND p.client_id = ? AND p.type = ? AND p.server_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = p.id
                         AND l.item_id NOT IN (SELECT value FROM json_each(?)))
       AND (EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = p.id)
            OR (NOT EXISTS (SELECT 1 FROM transactions t WHERE t.order_id = p.id)
                AND NOT EXISTS (SELECT 1 FROM order_charges c WHERE c.order_id = p.id)))`,
    o.saleId,
    o.clientId,
    o.type,
    JSON.stringify(o.lines.map((l) => l.itemId))
  )
  if (o.type !== 'credit_note' || !found.length) return found
  // A credit note replaces ours only if it credits the same order: after a cancel and reissue,
  // the reissued order's lots are also on the cancelled order's note.
  const credits = creditTarget(db, {
    saleId: o.saleId,
    clientId: o.clientId,
    serverId: o.id,
    itemIds: o.lines.map((l) => l.itemId)
  })
  return found.filter((p) => p.credit_for === null || credits === null || p.credit_for === credits.id)
}

/**
 * Circuit's order as it stands, whatever waits locally (the sender's acknowledgement, a pull).
 * It takes the place of the provisional orders it replaces, keeping what hangs on them: their
 * payments and charges move to it, and so do their queued changes (re-pointed, in order), so
 * they go out against Circuit's order. A provisional credit note made from this order that no
 * change of ours is still making is gone once Circuit's order is written: Circuit's own credit
 * note stands for it, or Circuit has none (the change was discarded) — said on the order and
 * in the audit.
 */
export function writeOrder(db: Replica, o: CircuitOrder, now: number = systemClock.now()): void {
  const replaced = replacedBy(db, o)
  // Charges made here on a provisional order and not yet on Circuit stay until they are.
  const keepCharges = replaced.some((p) => hasOpenEntries(db, 'order', p.id))
  const basis = basisOf(o)
  const owner = refLabelOf((o.raw as { owner?: unknown } | null)?.owner)
  db.exec(
    `INSERT INTO orders (id, server_id, order_number, type, status, sale_id, client_id, customer_number, grand_total,
       amount_due, payment_received, created, server_updated, raw, invoice, owner_name, server_basis, provisional_number)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, order_number = excluded.order_number,
       type = excluded.type, status = excluded.status, sale_id = excluded.sale_id, client_id = excluded.client_id,
       customer_number = excluded.customer_number, grand_total = excluded.grand_total,
       amount_due = excluded.amount_due, payment_received = excluded.payment_received, created = excluded.created,
       server_updated = excluded.server_updated, raw = excluded.raw, invoice = excluded.invoice,
       owner_name = excluded.owner_name, server_basis = excluded.server_basis,
       provisional_number = excluded.provisional_number`,
    o.id,
    o.id,
    // A venue hub's provisional order: sent to by its id, shown with the hub's provisional number.
    o.provisional ? null : o.orderNumber,
    o.type,
    o.status,
    o.saleId,
    o.clientId,
    o.customerNumber,
    o.grandTotal,
    o.amountDue,
    o.paymentReceived,
    o.created,
    o.updated,
    rawJson(o.raw),
    o.invoice ? JSON.stringify(o.invoice) : null,
    owner,
    Number.isNaN(basis) ? null : basis,
    o.provisional ? o.orderNumber : null
  )
  db.exec('DELETE FROM order_lines WHERE order_id = ?', o.id)
  for (const l of o.lines) {
    db.exec(
      `INSERT OR REPLACE INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax,
         consignment_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id,
      l.itemId,
      l.lot,
      l.description,
      l.hammer,
      l.premium,
      l.taxId,
      l.tax,
      l.consignmentNumber
    )
  }
  if (!keepCharges) {
    db.exec('DELETE FROM order_charges WHERE order_id = ?', o.id)
    for (const c of o.charges) {
      db.exec(
        `INSERT INTO order_charges (order_id, term_id, label, amount, tax, description, date, tax_rate_bp)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        o.id,
        c.termId,
        c.label,
        c.amount,
        c.taxAmount,
        c.description,
        c.date,
        c.taxRateBp
      )
    }
  }
  for (const p of replaced) {
    if (keepCharges) {
      if (hasOpenEntries(db, 'order', p.id)) {
        db.exec('DELETE FROM order_charges WHERE order_id = ?', o.id)
        db.exec('UPDATE order_charges SET order_id = ? WHERE order_id = ?', o.id, p.id)
      }
    }
    db.exec('UPDATE transactions SET order_id = ? WHERE order_id = ?', o.id, p.id)
    db.exec(
      `UPDATE outbox SET entity_id = ? WHERE entity_type = 'order' AND entity_id = ? AND state NOT IN ('done', 'discarded')`,
      o.id,
      p.id
    )
    db.exec('UPDATE orders SET credit_for = ? WHERE credit_for = ?', o.id, p.id)
    db.exec('UPDATE orders SET made_from = ? WHERE made_from = ?', o.id, p.id)
    // A credit note made here keeps what it credits and why, on Circuit's note that replaces it.
    if (o.type === 'credit_note')
      db.exec(
        'UPDATE orders SET credit_for = coalesce(credit_for, ?), credit_reason = coalesce(credit_reason, ?) WHERE id = ?',
        p.credit_for,
        p.credit_reason,
        o.id
      )
    // A screen that still shows the provisional order finds Circuit's by the old id.
    db.exec(
      `INSERT OR IGNORE INTO id_map (entity_type, local_id, server_id, mapped_at) VALUES ('order', ?, ?, ?)`,
      p.id,
      o.id,
      now
    )
    db.exec('DELETE FROM order_lines WHERE order_id = ?', p.id)
    db.exec('DELETE FROM order_charges WHERE order_id = ?', p.id)
    db.exec('DELETE FROM orders WHERE id = ?', p.id)
  }
  if (o.type === 'bidder') removeStaleCreditNotes(db, o, now)
}

/** Provisional credit notes made from this order that no change of ours is still making. */
function removeStaleCreditNotes(db: Replica, o: CircuitOrder, now: number): void {
  if (hasOpenEntries(db, 'order', o.id)) return
  const stale = db.sql<{ id: string; provisional_number: string | null }>(
    `SELECT id, provisional_number FROM orders WHERE type = 'credit_note' AND server_id IS NULL
       AND (credit_for = ? OR made_from = ?)
       AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.order_id = orders.id)`,
    o.id,
    o.id
  )
  if (!stale.length) return
  const number = o.orderNumber ?? o.id
  // Circuit's own credit notes that credit this order's lots, as the docs show them (owner, sale, lots).
  const theirs = db.sql<{ order_number: string | null; id: string }>(
    `SELECT n.id, n.order_number FROM orders n WHERE n.type = 'credit_note' AND n.server_id IS NOT NULL
       AND n.sale_id = ? AND n.client_id = ? AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = n.id
         AND l.item_id IN (SELECT value FROM json_each(?)))`,
    o.saleId,
    o.clientId,
    JSON.stringify(o.lines.map((l) => l.itemId))
  )
  const settings = readSettings(db)
  for (const n of stale) {
    const name = n.provisional_number ?? n.id
    const reason = theirs.length
      ? `Provisional credit note ${name} removed: Circuit's credit note ${theirs.map((t) => t.order_number ?? t.id).join(', ')} for order ${number} stands in its place.`
      : `Provisional credit note ${name} removed: Circuit has no credit note for it (the change never reached Circuit).`
    db.exec('DELETE FROM order_lines WHERE order_id = ?', n.id)
    db.exec('DELETE FROM orders WHERE id = ?', n.id)
    db.exec('UPDATE orders SET notice = ? WHERE id = ?', reason, o.id)
    recordAudit(db, { actor: 'Circuit sync', station: settings.stationName }, now, {
      action: 'checkout.provisionalRemoved',
      entityType: 'order',
      entityId: n.id,
      saleId: o.saleId,
      after: { order: number, reason }
    })
  }
}

function refLabelOf(v: unknown): string | null {
  if (typeof v === 'string') return null // a bare id
  if (v && typeof v === 'object' && typeof (v as { label?: unknown }).label === 'string')
    return (v as { label: string }).label
  return null
}

/** An id made by a station or a venue hub (never Circuit's). */
const isMadeHere = (id: string) => id.startsWith('local-')

function provisionalNumberOf(db: Replica, id: string): string | null {
  return (
    db.first(db.q.selectFrom('orders').select('provisional_number').where('id', '=', id))?.provisional_number ?? null
  )
}

export interface ServerOrder {
  id: string
  updated: string | null
  /** Null while the order is provisional and Circuit has not made it yet (`waiting` says why). */
  order: CircuitOrder | null
  waiting?: string
  /** The lots that credit notes made since our first send hold (read only when a credit note waits). */
  creditedItems?: string[]
  /** The buyer's other orders for the sale (read when a command waits): what the command made. */
  related?: CircuitOrder[]
}

type AnyPayload = StatusPayload & OrderCommandPayload & ChargesPayload
const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as AnyPayload

/** Of `wanted`, how many `have` holds: none, some or all. */
function share(have: Set<string>, wanted: string[]): 'none' | 'some' | 'all' {
  const n = wanted.filter((i) => have.has(i)).length
  return n === 0 ? 'none' : n === wanted.length ? 'all' : 'some'
}

const COMMANDS = new Set(['order.split', 'order.creditNote', 'order.cancelReissue'])

/** Circuit's order as the replica should hold it after an acknowledgement, unless a change of ours waits for it. */
function writeUnlessWaiting(db: Replica, o: CircuitOrder, now: number): void {
  if (!hasOpenEntries(db, 'order', o.id)) writeOrder(db, o, now)
}

export function orderAdapter(db: Replica, clock: Clock = systemClock): EntityAdapter<CircuitOrder, ServerOrder> {
  /** The open head entry of each record (the one a round sends), for what the read-back needs of it. */
  const heads = (ids: string[]) =>
    new Map(
      db
        .sql<{ entity_id: string; op: string; sent_at: number | null }>(
          `SELECT o.entity_id, o.op, o.sent_at FROM outbox o
           WHERE o.entity_type = 'order' AND o.state NOT IN ('done', 'discarded')
             AND o.entity_id IN (SELECT value FROM json_each(?))
             AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_type = 'order' AND p.entity_id = o.entity_id
                               AND p.seq < o.seq AND p.state NOT IN ('done', 'discarded'))`,
          JSON.stringify(ids)
        )
        .map((r) => [r.entity_id, r])
    )

  return {
    entityType: 'order',
    pulls: { kind: 'order', entityId: (o) => o.id, apply: (replica, o) => writeOrder(replica, o, clock.now()) },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const out = new Map<string, ServerOrder>()
        // A provisional order's changes wait for Circuit's order that replaces it (and one replaced
        // since they were claimed — by a payment's read-back, say — goes to Circuit's).
        const resolved = await resolveProvisional(client, db, ids, (o) => db.tx(() => writeOrder(db, o, clock.now())))
        const onCircuit = new Map<string, string>()
        for (const id of ids) {
          const r = resolved.get(id)
          if (r && 'waiting' in r) out.set(id, { id, updated: null, order: null, waiting: r.waiting })
          else onCircuit.set(id, r?.serverId ?? id)
        }
        if (onCircuit.size === 0) return out
        const page = await client.fetchPage(
          'orders.list',
          { filter: { id: { in: [...new Set(onCircuit.values())] } } },
          0,
          100
        )
        const byServer = new Map(page.rows.map((o) => [o.id, o]))
        for (const [id, serverId] of onCircuit) {
          // Through a venue hub, a provisional order of the hub's may have been replaced by Circuit's since.
          const o = byServer.get(serverId) ?? page.rows.find((r) => r.replaces?.includes(serverId))
          if (o) out.set(id, { id, updated: o.updated, order: o })
          else {
            // A hub's provisional order the hub no longer serves has been taken over by Circuit's, which
            // the hub has not served yet: the change waits for it (re-pointed when it comes), rather
            // than being given up as a record Circuit no longer has.
            if (isMadeHere(serverId)) {
              const number = provisionalNumberOf(db, serverId)
              out.set(id, {
                id,
                updated: null,
                order: null,
                waiting: `Waits for Circuit's order that takes the place of ${number ?? 'the provisional order'}.`
              })
            }
          }
        }
        // A command's effects are read from the buyer's orders for the sale (what the docs show:
        // owner, sale, type, items, created): the credit notes that hold the lots, the orders it made.
        const head = heads(ids)
        for (const [id, rec] of out) {
          const h = head.get(id)
          if (!rec.order || !h || !COMMANDS.has(h.op)) continue
          const theirs = await client.listAll(
            'orders.list',
            { filter: { sale: rec.order.saleId ?? '', owner: rec.order.clientId ?? '' } },
            { range: 100 }
          )
          rec.related = theirs.filter((o) => o.id !== rec.order!.id)
          if (h.op === 'order.creditNote') {
            // Only notes made at or after our first send count (Circuit's `created` is to the second):
            // an older note holding the same lots credited another order (before a cancel and reissue).
            const since = h.sent_at === null ? null : Math.floor(h.sent_at / 1000) * 1000
            rec.creditedItems =
              since === null
                ? []
                : rec.related
                    .filter((n) => n.type === 'credit_note' && n.created !== null && Date.parse(n.created) >= since)
                    .flatMap((n) => n.lines.map((l) => l.itemId))
          }
        }
        return out
      },

      decide(entry, server): Decision {
        if (!server.order) {
          return { kind: 'wait', reason: server.waiting ?? "Waits for Circuit's order.", retryInMs: WAIT_FOR_ORDER_MS }
        }
        const p = payloadOf(entry)
        const o = server.order
        switch (entry.op) {
          case 'order.setStatus':
            if (o.status === p.target) return { kind: 'applied' }
            if (o.status === p.base) return { kind: 'send' }
            return { kind: 'conflict', ours: STATUS_LABEL[p.target], theirs: STATUS_LABEL[o.status] ?? o.status }
          case 'order.split': {
            const on = share(new Set(o.lines.map((l) => l.itemId)), p.itemIds)
            if (on === 'none') return { kind: 'applied' } // the lots have left the order: split already
            if (on === 'all' && (o.status === 'new' || o.status === 'in_process')) return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: `split off ${p.itemIds.length} lot(s)`,
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}, ${o.lines.length} lot(s)`
            }
          }
          case 'order.creditNote': {
            const credited = share(new Set(server.creditedItems ?? []), p.itemIds)
            if (credited === 'all') return { kind: 'applied' }
            if (credited === 'none' && (o.status === 'finished' || o.status === 'locked')) return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: `credit ${p.itemIds.length} lot(s)`,
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}, some lots credited already`
            }
          }
          case 'order.setCharges': {
            const now = o.charges.map(specOfServer)
            if (chargesMatch(now, p.target)) return { kind: 'applied' }
            if (chargesMatch(now, p.base) && o.status !== 'locked' && o.status !== 'canceled') return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: describeCharges(db, p.target),
              theirs: `${describeCharges(db, now)}${o.status === 'locked' || o.status === 'canceled' ? `\n(order ${STATUS_LABEL[o.status]})` : ''}`
            }
          }
          case 'order.cancelReissue':
            if (o.status === 'canceled') return { kind: 'applied' }
            if (o.status === 'locked') return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: 'cancel and reissue',
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}`
            }
          default:
            return { kind: 'refused', message: `This station does not know how to send "${entry.op}".` }
        }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        // A provisional order's change goes to Circuit's order that replaced it.
        const orderId = server.order?.id ?? p.orderId!
        switch (entry.op) {
          case 'order.setStatus': {
            const answer =
              (await client.orders.patch(orderId, { status: p.target })) ?? (await client.orders.get(orderId))
            return { id: entry.entity_id, updated: answer.updated, order: answer }
          }
          case 'order.setCharges': {
            const additional = p.target.map((c) => ({
              term: c.termId ?? '',
              amount: c.amount,
              taxRateBp: c.taxRateBp,
              ...(c.description ? { description: c.description } : {})
            }))
            const answer =
              (await client.orders.patch(orderId, { additional_charges: additional })) ??
              (await client.orders.get(orderId))
            return { id: entry.entity_id, updated: answer.updated, order: answer }
          }
          case 'order.split':
            await client.orders.split(orderId, p.itemIds)
            break
          case 'order.creditNote':
            await client.orders.createCreditNote(orderId, p.itemIds)
            break
          case 'order.cancelReissue':
            await client.orders.cancelAndReissue(orderId)
            break
        }
        // The commands answer with ids only: the order as it stands now, and what it made.
        const order = await client.orders.get(orderId)
        const related = (
          await client.listAll(
            'orders.list',
            { filter: { sale: order.saleId ?? '', owner: order.clientId ?? '' } },
            { range: 100 }
          )
        ).filter((o) => o.id !== order.id)
        return {
          id: entry.entity_id,
          updated: order.updated,
          order,
          related,
          creditedItems: entry.op === 'order.creditNote' ? p.itemIds : undefined
        }
      },

      verify(entry, answer): Mismatch | null {
        const found = verifyMessage(db, entry, answer)
        if (found === null) return null
        return {
          message: found.message,
          scope: 'record',
          ours: found.ours ?? entry.label,
          theirs: found.theirs ?? (answer.order ? describeOrder(answer.order) : 'no order')
        }
      },

      applyServer(replica: Replica, rec) {
        if (!rec.order) return
        const now = clock.now()
        // What a command made first (a credit note, the reissued order, the split's other order),
        // so they replace the provisional ones made here; then the order itself.
        for (const o of rec.related ?? []) writeUnlessWaiting(replica, o, now)
        writeOrder(replica, rec.order, now)
      },

      rebase: (entry, server) =>
        !server.order
          ? payloadOf(entry)
          : entry.op === 'order.setStatus'
            ? { ...payloadOf(entry), base: server.order.status }
            : entry.op === 'order.setCharges'
              ? { ...payloadOf(entry), base: server.order.charges.map(specOfServer) }
              : payloadOf(entry),
      // The next change of the same kind now builds on what the discarded one was based on.
      rebaseAfterDiscard: (next, discarded) =>
        next.op === discarded.op && (next.op === 'order.setStatus' || next.op === 'order.setCharges')
          ? { ...payloadOf(next), base: payloadOf(discarded).base }
          : payloadOf(next)
    }
  }
}

/** Circuit's order in words, for the Sync screen. */
function describeOrder(o: CircuitOrder): string {
  const lots = o.lines.length === 1 ? '1 lot' : `${o.lines.length} lots`
  const charges = o.charges.length === 1 ? '1 charge' : `${o.charges.length} charges`
  return `order ${o.orderNumber ?? o.id}, ${STATUS_LABEL[o.status] ?? o.status}, ${lots}, ${charges}`
}

/** What Circuit recorded differently from an order change, or null. */
function verifyMessage(
  db: Replica,
  entry: OutboxRow,
  answer: ServerOrder
): { message: string; ours?: string; theirs?: string } | null {
  const p = payloadOf(entry)
  const o = answer.order
  const name = p.number ?? p.orderId ?? entry.entity_id
  if (!o) return { message: `Circuit did not answer with order ${name}` }
  switch (entry.op) {
    case 'order.setStatus':
      return o.status === p.target
        ? null
        : {
            message: `Circuit holds order ${name} as ${STATUS_LABEL[o.status] ?? o.status}, not ${STATUS_LABEL[p.target]}`
          }
    case 'order.split':
      return share(new Set(o.lines.map((l) => l.itemId)), p.itemIds) === 'none'
        ? null
        : { message: `Circuit's order ${name} still holds lots that were split off` }
    case 'order.cancelReissue':
      return o.status === 'canceled' ? null : { message: `Circuit did not cancel order ${name}` }
    case 'order.setCharges': {
      const theirs = o.charges.map(specOfServer)
      return chargesMatch(theirs, p.target)
        ? null
        : {
            message: `Circuit holds other charges on order ${name} than those sent`,
            ours: describeCharges(db, p.target),
            theirs: describeCharges(db, theirs)
          }
    }
    default:
      return null
  }
}
