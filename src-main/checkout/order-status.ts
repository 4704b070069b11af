// An order's status (new → in process → finished), changed at the desk and
// sent through the outbox with the same rules as a lot's result: Circuit's
// order must still have the status this change was based on, or it is a
// conflict; a locked or cancelled order is read-only here as on Circuit.
import type { CheckoutOrder } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { CircuitApiClient } from '../circuit'
import type { CircuitOrder } from '../circuit/types'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { writeOrder } from '../sync/apply'
import type { Decision, OpHandler } from '../sync/op-handler'
import { orderRowById, orderView } from './invoice-view'
import type { CheckoutDeps } from './payments'
import type { OrderCommandPayload } from './order-commands'
import { sameCharges, specOfServer, type ChargesPayload } from './charges'

export type OrderStatus = 'new' | 'in_process' | 'finished'

interface StatusPayload {
  orderId: string
  number: string | null
  base: string
  target: OrderStatus
}

const LABEL: Record<string, string> = {
  new: 'new',
  in_process: 'in process',
  finished: 'finished',
  locked: 'locked',
  canceled: 'cancelled'
}

export function setStatus(deps: CheckoutDeps, orderId: string, status: OrderStatus): CheckoutOrder {
  const { db } = deps
  const o = orderRowById(db, orderId)
  if (o.status === 'locked' || o.status === 'canceled') {
    throw new AppError(
      'conflict',
      `Order ${o.order_number ?? o.id} is ${LABEL[o.status]}: its status is Circuit's to change.`
    )
  }
  if (o.server_id === null) throw new AppError('conflict', 'This order is not on Circuit yet.')
  if (o.status === status) return orderView(db, o)
  deps.actions.run((tx) => {
    db.exec('UPDATE orders SET status = ? WHERE id = ?', status, o.id)
    const payload: StatusPayload = { orderId: o.server_id!, number: o.order_number, base: o.status, target: status }
    tx.enqueue({
      entityType: 'order',
      entityId: o.id,
      op: 'order.setStatus',
      payload,
      label: `Order ${o.order_number ?? o.id} ${LABEL[o.status]} → ${LABEL[status]}`
    })
    tx.audit({
      action: 'checkout.setStatus',
      entityType: 'order',
      entityId: o.id,
      saleId: o.sale_id,
      before: { status: o.status },
      after: { status }
    })
    tx.changed('order', [o.id], o.sale_id ?? undefined)
  })
  return orderView(db, orderRowById(db, o.id))
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

export function orderOpHandler(db: Replica): OpHandler<ServerOrder> {
  return {
    entityType: 'order',

    async readBack(client: CircuitApiClient, ids: string[]) {
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
          return { kind: 'conflict', ours: LABEL[p.target], theirs: LABEL[o.status] ?? o.status }
        case 'order.split': {
          const on = share(new Set(o.lines.map((l) => l.itemId)), p.itemIds)
          if (on === 'none') return { kind: 'applied' } // the lots have left the order: split already
          if (on === 'all' && (o.status === 'new' || o.status === 'in_process')) return { kind: 'send' }
          return {
            kind: 'conflict',
            ours: `split off ${p.itemIds.length} lot(s)`,
            theirs: `order ${LABEL[o.status] ?? o.status}, ${o.lines.length} lot(s)`
          }
        }
        case 'order.creditNote': {
          const credited = share(new Set(server.creditedItems ?? []), p.itemIds)
          if (credited === 'all') return { kind: 'applied' }
          if (credited === 'none' && (o.status === 'finished' || o.status === 'locked')) return { kind: 'send' }
          return {
            kind: 'conflict',
            ours: `credit ${p.itemIds.length} lot(s)`,
            theirs: `order ${LABEL[o.status] ?? o.status}, some lots credited already`
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
          return { kind: 'conflict', ours: 'cancel and reissue', theirs: `order ${LABEL[o.status] ?? o.status}` }
        default:
          return { kind: 'refused', message: `This station does not know how to send "${entry.op}".` }
      }
    },

    async send(client, entry) {
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

    verify(entry, answer) {
      const p = payloadOf(entry)
      const o = answer.order
      switch (entry.op) {
        case 'order.setStatus':
          return o.status === p.target
            ? null
            : `Circuit holds order ${p.number ?? p.orderId} as ${LABEL[o.status] ?? o.status}, not ${LABEL[p.target]}`
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
