// Additional charges at the desk (shipping, storage, a handling fee), each
// with its own tax rate. Circuit replaces an order's whole list of charges on
// PATCH (FIELD-NOTES §2.2), so the outbox carries the list before and after:
// sent only if Circuit still holds the list this change was based on.
//
// What Circuit must keep of a charge is its type (term), its amount and its
// tax rate; Circuit may fill in or normalise the rest (a blank description
// becomes the type's label, a blank rate the type's default_vat, decimals
// are reformatted), so the comparison leaves those alone.
import type { CheckoutOrder } from '../../src-shared/contract'
import { applyRateBp, parseRate } from '../../src-shared/invoice'
import { formatPlain } from '../../src-shared/money'
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
  /** Circuit's order id; null for a provisional order (resolved once Circuit's replaces it). */
  orderId: string | null
  number: string | null
  base: ChargeSpec[]
  target: ChargeSpec[]
}

/**
 * Does Circuit's list hold exactly the charges wanted? Each wanted charge pairs with one of
 * Circuit's of the same type and amount, and the same rate where we gave one (a rate left
 * blank is the type's default, Circuit's to apply). Descriptions are Circuit's to fill in.
 */
export function chargesMatch(server: readonly ChargeSpec[], wanted: readonly ChargeSpec[]): boolean {
  if (server.length !== wanted.length) return false
  const free = [...server]
  // A given rate first: a blank one pairs with whatever rate is left.
  const order = [...wanted].sort((a, b) => Number(a.taxRateBp === null) - Number(b.taxRateBp === null))
  for (const w of order) {
    const i = free.findIndex(
      (s) =>
        (s.termId ?? '') === (w.termId ?? '') &&
        s.amount === w.amount &&
        (w.taxRateBp === null || s.taxRateBp === w.taxRateBp)
    )
    if (i < 0) return false
    free.splice(i, 1)
  }
  return true
}

/** A list of charges line by line, for the Sync screen's two sides: "Shipping 25.00 at 20 %". */
export function describeCharges(db: Replica, list: readonly ChargeSpec[]): string {
  if (!list.length) return 'no charges'
  const labels = new Map(
    db
      .all(db.q.selectFrom('reference_terms').select(['id', 'label']).where('vocabulary', '=', 'additional_charges'))
      .map((t) => [t.id, t.label])
  )
  return list
    .map((c) => {
      const what = (c.termId && labels.get(c.termId)) || c.description || 'Charge'
      const rate = c.taxRateBp === null ? "the type's default VAT" : `${formatPlain(c.taxRateBp)} %`
      return `${what} ${formatPlain(c.amount)} at ${rate}`
    })
    .join('\n')
}

/** The charge type's default VAT rate (Circuit's `default_vat`), as the replica holds it, in basis points. */
export function defaultVatBp(db: Replica, termId: string): number | null {
  const row = db.first(
    db.q
      .selectFrom('reference_terms')
      .select('attrs')
      .where('vocabulary', '=', 'additional_charges')
      .where('id', '=', termId)
  )
  if (!row) return null
  const v = (JSON.parse(row.attrs) as Record<string, unknown>).default_vat
  if (typeof v !== 'string' && typeof v !== 'number') return null
  const r = parseRate(v)
  return r.ok ? r.rateBp : null
}

export const specOfServer = (c: CircuitCharge): ChargeSpec => ({
  termId: c.termId,
  amount: c.amount,
  taxRateBp: c.taxRateBp,
  description: c.description
})

function localCharges(db: Replica, orderId: string): (ChargeSpec & { id: number })[] {
  return db.all(
    db.q
      .selectFrom('order_charges')
      .select(['id', 'term_id as termId', 'amount', 'tax_rate_bp as taxRateBp', 'description'])
      .where('order_id', '=', orderId)
      .orderBy('id')
  )
}

function editable(o: OrderRow): void {
  if (o.type === 'credit_note') throw new AppError('conflict', 'A credit note takes no charges.')
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
    // A provisional order's list waits for Circuit's order that replaces it (orderId null until then).
    const payload: ChargesPayload = {
      orderId: o.server_id,
      number: o.order_number ?? o.provisional_number,
      base,
      target
    }
    tx.enqueue({
      entityType: 'order',
      entityId: o.id,
      op: 'order.setCharges',
      payload,
      label: `Charges on order ${o.order_number ?? o.provisional_number ?? o.id}`
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
  const term = db.first(
    db.q
      .selectFrom('reference_terms')
      .select('label')
      .where('vocabulary', '=', 'additional_charges')
      .where('id', '=', input.termId)
  )
  if (!term) throw new AppError('not_found', `There is no charge ${input.termId} in Circuit's list of charges.`)
  const added: ChargeSpec = {
    termId: input.termId,
    amount: input.amount,
    // Left blank, the rate is Circuit's to apply (the type's default VAT); sent blank, shown at that rate.
    taxRateBp: input.taxRateBp ?? null,
    description: input.description ?? null
  }
  const shownRate = input.taxRateBp ?? defaultVatBp(db, input.termId)
  const target = [...localCharges(db, o.id).map(({ id: _id, ...c }) => c), added]
  record(
    deps,
    o,
    target,
    () =>
      db.run(
        db.q.insertInto('order_charges').values({
          order_id: o.id,
          term_id: input.termId,
          label: term.label,
          amount: input.amount,
          tax: shownRate ? applyRateBp(input.amount, shownRate) : 0,
          description: added.description,
          tax_rate_bp: added.taxRateBp
        })
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
  record(deps, o, target, () => db.run(db.q.deleteFrom('order_charges').where('id', '=', input.chargeId)), {
    removed: input.chargeId
  })
  return orderView(db, orderRowById(db, o.id))
}
