// An order's status (new → in process → finished), changed at the desk and
// sent through the outbox with the same rules as a lot's result: Circuit's
// order must still have the status this change was based on, or it is a
// conflict; a locked or cancelled order is read-only here as on Circuit.
import type { CheckoutOrder } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { orderRowById, orderView } from './invoice-view'
import type { CheckoutDeps } from './payments'

export type OrderStatus = 'new' | 'in_process' | 'finished'

export interface StatusPayload {
  orderId: string
  number: string | null
  base: string
  target: OrderStatus
}

export const STATUS_LABEL: Record<string, string> = {
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
      `Order ${o.order_number ?? o.id} is ${STATUS_LABEL[o.status]}: its status is Circuit's to change.`
    )
  }
  if (o.server_id === null) throw new AppError('conflict', 'This order is not on Circuit yet.')
  if (o.status === status) return orderView(db, o)
  deps.actions.run((tx) => {
    db.run(db.q.updateTable('orders').set({ status }).where('id', '=', o.id))
    const payload: StatusPayload = { orderId: o.server_id!, number: o.order_number, base: o.status, target: status }
    tx.enqueue({
      entityType: 'order',
      entityId: o.id,
      op: 'order.setStatus',
      payload,
      label: `Order ${o.order_number ?? o.id} ${STATUS_LABEL[o.status]} → ${STATUS_LABEL[status]}`
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
