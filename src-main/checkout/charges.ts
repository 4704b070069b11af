// Additional charges at the desk (shipping, storage, a handling fee), each
// with its own tax rate. Circuit replaces an order's whole list of charges on
// PATCH (FIELD-NOTES §2.2), so the outbox carries the list before and after:
// sent only if Circuit still holds the list this change was based on.
import type { CheckoutOrder } from '../../src-shared/contract'
import { applyRateBp } from '../../src-shared/invoice'
import { AppError } from '../../src-shared/rpc'
import type { CircuitCharge } from '../circuit/types'
import type { Replica } from '../db/replica'
import { orderRowById, orderView, type OrderRow } from './invoice-view'
import type { CheckoutDeps } from './payments'

export interface ChargeSpec {
  termId: string | null
  amount: number
  taxRateBp: number | null
  description: string | null
}

export interface ChargesPayload {
  orderId: string
  number: string | null
  base: ChargeSpec[]
  target: ChargeSpec[]
}

const key = (c: ChargeSpec) => `${c.termId ?? ''}|${c.amount}|${c.taxRateBp ?? ''}|${c.description ?? ''}`
export const sameCharges = (a: ChargeSpec[], b: ChargeSpec[]) =>
  a.map(key).sort().join('\n') === b.map(key).sort().join('\n')

export const specOfServer = (c: CircuitCharge): ChargeSpec => ({
  termId: c.termId,
  amount: c.amount,
  taxRateBp: c.taxRateBp,
  description: c.description
})

function localCharges(db: Replica, orderId: string): (ChargeSpec & { id: number })[] {
  return db.sql<ChargeSpec & { id: number }>(
    `SELECT id, term_id AS termId, amount, tax_rate_bp AS taxRateBp, description FROM order_charges
     WHERE order_id = ? ORDER BY id`,
    orderId
  )
}

function editable(o: OrderRow): void {
  if (o.server_id === null) throw new AppError('conflict', 'This order is not on Circuit yet; wait for its number.')
  if (o.status === 'locked' || o.status === 'canceled') {
    throw new AppError(
      'conflict',
      `Order ${o.order_number ?? o.id} is ${o.status === 'locked' ? 'locked' : 'cancelled'}: its charges are read-only.`
    )
  }
}

function record(
  deps: CheckoutDeps,
  o: OrderRow,
  target: ChargeSpec[],
  write: () => void,
  audit: Record<string, unknown>
) {
  const base = localCharges(deps.db, o.id).map(({ id: _id, ...c }) => c)
  deps.actions.run((tx) => {
    write()
    const payload: ChargesPayload = { orderId: o.server_id!, number: o.order_number, base, target }
    tx.enqueue({
      entityType: 'order',
      entityId: o.id,
      op: 'order.setCharges',
      payload,
      label: `Charges on order ${o.order_number}`
    })
    tx.audit({
      action: 'checkout.charges',
      entityType: 'order',
      entityId: o.id,
      saleId: o.sale_id,
      before: base,
      after: audit
    })
    tx.changed('order', [o.id], o.sale_id ?? undefined)
  })
}

export function addCharge(
  deps: CheckoutDeps,
  input: { orderId: string; termId: string; amount: number; taxRateBp?: number; description?: string }
): CheckoutOrder {
  const { db } = deps
  const o = orderRowById(db, input.orderId)
  editable(o)
  const term = db.sql<{ label: string }>(
    `SELECT label FROM reference_terms WHERE vocabulary = 'additional_charges' AND id = ?`,
    input.termId
  )[0]
  if (!term) throw new AppError('not_found', `There is no charge ${input.termId} in Circuit's list of charges.`)
  const added: ChargeSpec = {
    termId: input.termId,
    amount: input.amount,
    taxRateBp: input.taxRateBp ?? null,
    description: input.description ?? null
  }
  const target = [...localCharges(db, o.id).map(({ id: _id, ...c }) => c), added]
  record(
    deps,
    o,
    target,
    () =>
      db.exec(
        `INSERT INTO order_charges (order_id, term_id, label, amount, tax, description, tax_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        o.id,
        input.termId,
        term.label,
        input.amount,
        input.taxRateBp ? applyRateBp(input.amount, input.taxRateBp) : 0,
        added.description,
        added.taxRateBp
      ),
    { added }
  )
  return orderView(db, orderRowById(db, o.id))
}

export function removeCharge(deps: CheckoutDeps, input: { orderId: string; chargeId: number }): CheckoutOrder {
  const { db } = deps
  const o = orderRowById(db, input.orderId)
  editable(o)
  const all = localCharges(db, o.id)
  if (!all.some((c) => c.id === input.chargeId)) throw new AppError('not_found', 'That charge is not on this order.')
  const target = all.filter((c) => c.id !== input.chargeId).map(({ id: _id, ...c }) => c)
  record(deps, o, target, () => db.exec('DELETE FROM order_charges WHERE id = ?', input.chargeId), {
    removed: input.chargeId
  })
  return orderView(db, orderRowById(db, o.id))
}
