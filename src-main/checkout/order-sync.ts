// The order's entity sync adapter (entity type "order"): Circuit's orders
// written into the replica as a pull brings them (replacing the provisional
// ones made here), and the desk's order changes taken to Circuit: status,
// charges, split, credit note, cancel and reissue. The commands are not
// idempotent on Circuit, so the read-back decides from their effects.
import type { CircuitApiClient } from '../circuit'
import type { CircuitOrder } from '../circuit/types'
import type { Decision, EntityAdapter, Mismatch } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import { sameCharges, specOfServer, type ChargesPayload } from './charges'
import type { OrderCommandPayload } from './order-commands'
import { STATUS_LABEL, type StatusPayload } from './order-status'

/** Circuit's order as it stands, whatever waits locally (the sender's acknowledgement). */
export function writeOrder(db: Replica, o: CircuitOrder): void {
  // Circuit's order replaces a provisional one made here (from the podium, a split, a credit
  // note, a reissue) for the same buyer and kind whose lots it now holds.
  if (o.saleId && o.clientId && o.status !== 'canceled') {
    db.exec(
      `DELETE FROM orders WHERE sale_id = ? AND client_id = ? AND type = ? AND server_id IS NULL
         AND id NOT IN (SELECT order_id FROM transactions)
         AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = orders.id
                           AND l.item_id NOT IN (SELECT value FROM json_each(?)))`,
      o.saleId,
      o.clientId,
      o.type,
      JSON.stringify(o.lines.map((l) => l.itemId))
    )
  }
  const owner = refLabelOf((o.raw as { owner?: unknown } | null)?.owner)
  db.exec(
    `INSERT INTO orders (id, server_id, order_number, type, status, sale_id, client_id, customer_number, grand_total,
       amount_due, payment_received, created, server_updated, raw, invoice, owner_name)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, order_number = excluded.order_number,
       type = excluded.type, status = excluded.status, sale_id = excluded.sale_id, client_id = excluded.client_id,
       customer_number = excluded.customer_number, grand_total = excluded.grand_total,
       amount_due = excluded.amount_due, payment_received = excluded.payment_received, created = excluded.created,
       server_updated = excluded.server_updated, raw = excluded.raw, invoice = excluded.invoice,
       owner_name = excluded.owner_name`,
    o.id,
    o.id,
    o.orderNumber,
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
    owner
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

function refLabelOf(v: unknown): string | null {
  if (typeof v === 'string') return null // a bare id
  if (v && typeof v === 'object' && typeof (v as { label?: unknown }).label === 'string')
    return (v as { label: string }).label
  return null
}

export interface ServerOrder {
  id: string
  updated: string | null
  order: CircuitOrder
  /** The buyer's credit notes on Circuit for this order (read only when a credit note waits). */
  creditedItems?: string[]
}

type AnyPayload = StatusPayload & OrderCommandPayload & ChargesPayload
const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as AnyPayload

/** Of `wanted`, how many `have` holds: none, some or all. */
function share(have: Set<string>, wanted: string[]): 'none' | 'some' | 'all' {
  const n = wanted.filter((i) => have.has(i)).length
  return n === 0 ? 'none' : n === wanted.length ? 'all' : 'some'
}

export function orderAdapter(db: Replica): EntityAdapter<CircuitOrder, ServerOrder> {
  return {
    entityType: 'order',
    pulls: { kind: 'order', entityId: (o) => o.id, apply: writeOrder },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const page = await client.fetchPage('orders.list', { filter: { id: { in: ids } } }, 0, 100)
        const out = new Map(page.rows.map((o) => [o.id, { id: o.id, updated: o.updated, order: o } as ServerOrder]))
        // A credit note is recognised by the buyer's notes that credit this order.
        const waiting = db.sql<{ entity_id: string }>(
          `SELECT DISTINCT entity_id FROM outbox WHERE entity_type = 'order' AND op = 'order.creditNote'
           AND state NOT IN ('done', 'discarded') AND entity_id IN (SELECT value FROM json_each(?))`,
          JSON.stringify(ids)
        )
        for (const { entity_id } of waiting) {
          const rec = out.get(entity_id)
          if (!rec) continue
          const notes = await client.listAll(
            'orders.list',
            { filter: { sale: rec.order.saleId ?? '', owner: rec.order.clientId ?? '', type: 'credit_note' } },
            { range: 100 }
          )
          rec.creditedItems = notes
            .filter((n) => (n.raw as { credit_note_for?: unknown }).credit_note_for === rec.order.id)
            .flatMap((n) => n.lines.map((l) => l.itemId))
        }
        return out
      },

      decide(entry, server): Decision {
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
            if (sameCharges(now, p.target)) return { kind: 'applied' }
            if (sameCharges(now, p.base) && o.status !== 'locked' && o.status !== 'canceled') return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: `${p.target.length} charge(s)`,
              theirs: `${now.length} charge(s) on Circuit`
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

      async send(c, entry) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        switch (entry.op) {
          case 'order.setStatus': {
            const answer =
              (await client.orders.patch(p.orderId, { status: p.target })) ?? (await client.orders.get(p.orderId))
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
              (await client.orders.patch(p.orderId, { additional_charges: additional })) ??
              (await client.orders.get(p.orderId))
            return { id: entry.entity_id, updated: answer.updated, order: answer }
          }
          case 'order.split':
            await client.orders.split(p.orderId, p.itemIds)
            break
          case 'order.creditNote':
            await client.orders.createCreditNote(p.orderId, p.itemIds)
            break
          case 'order.cancelReissue':
            await client.orders.cancelAndReissue(p.orderId)
            break
        }
        // The commands answer with ids only: the order as it stands now.
        const order = await client.orders.get(p.orderId)
        return {
          id: entry.entity_id,
          updated: order.updated,
          order,
          creditedItems: entry.op === 'order.creditNote' ? p.itemIds : undefined
        }
      },

      verify(entry, answer): Mismatch | null {
        const message = verifyMessage(entry, answer)
        if (message === null) return null
        return { message, scope: 'record', ours: entry.label, theirs: describeOrder(answer.order) }
      },

      applyServer(replica: Replica, rec) {
        writeOrder(replica, rec.order)
      },

      rebase: (entry, server) =>
        entry.op === 'order.setStatus'
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
function verifyMessage(entry: OutboxRow, answer: ServerOrder): string | null {
  const p = payloadOf(entry)
  const o = answer.order
  switch (entry.op) {
    case 'order.setStatus':
      return o.status === p.target
        ? null
        : `Circuit holds order ${p.number ?? p.orderId} as ${STATUS_LABEL[o.status] ?? o.status}, not ${STATUS_LABEL[p.target]}`
    case 'order.split':
      return share(new Set(o.lines.map((l) => l.itemId)), p.itemIds) === 'none'
        ? null
        : `Circuit's order ${p.number ?? p.orderId} still holds lots that were split off`
    case 'order.cancelReissue':
      return o.status === 'canceled' ? null : `Circuit did not cancel order ${p.number ?? p.orderId}`
    case 'order.setCharges':
      return sameCharges(o.charges.map(specOfServer), p.target)
        ? null
        : `Circuit holds other charges on order ${p.number ?? p.orderId} than those sent`
    default:
      return null
  }
}
