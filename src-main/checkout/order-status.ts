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
}

function payloadOf(entry: OutboxRow): StatusPayload {
  return JSON.parse(entry.payload) as StatusPayload
}

export function orderOpHandler(): OpHandler<ServerOrder> {
  return {
    entityType: 'order',

    async readBack(client: CircuitApiClient, ids: string[]) {
      const page = await client.fetchPage('orders.list', { filter: { id: { in: ids } } }, 0, 100)
      return new Map(page.rows.map((o) => [o.id, { id: o.id, updated: o.updated, order: o }]))
    },

    decide(entry, server): Decision {
      const p = payloadOf(entry)
      if (server.order.status === p.target) return { kind: 'applied' }
      if (server.order.status === p.base) return { kind: 'send' }
      return { kind: 'conflict', ours: LABEL[p.target], theirs: LABEL[server.order.status] ?? server.order.status }
    },

    async send(client, entry) {
      const p = payloadOf(entry)
      const answer =
        (await client.orders.patch(p.orderId, { status: p.target })) ?? (await client.orders.get(p.orderId))
      return { id: entry.entity_id, updated: answer.updated, order: answer }
    },

    verify(entry, answer) {
      const p = payloadOf(entry)
      return answer.order.status === p.target
        ? null
        : `Circuit holds order ${p.number ?? p.orderId} as ${LABEL[answer.order.status] ?? answer.order.status}, not ${LABEL[p.target]}`
    },

    applyServer(db: Replica, rec) {
      writeOrder(db, rec.order)
    },

    rebase: (entry, server) => ({ ...payloadOf(entry), base: server.order.status }) satisfies StatusPayload,
    rebaseAfterDiscard: (next, discarded) =>
      ({ ...payloadOf(next), base: payloadOf(discarded).base }) satisfies StatusPayload
  }
}
