// datatable-consignments (the current page's fields plus the legacy README's)
// and the legacy datatable-consignment-statements. Consignor orders themselves
// are orders (routes/orders.ts); their maths is in store.ts.

import { ok, single, type JsonObject } from '../../circuit-server/http'
import { formatPercent } from '../money'
import { listResponse, pickFields, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { ConsignmentStatement, SimStore } from '../store'
import { toIso } from '../../circuit-server/time'
import type { Consignment } from '../types'

const STATUS_LABEL: Record<Consignment['status'], string> = { active: 'Active', closed: 'Closed' }

export function serializeConsignment(store: SimStore, c: Consignment, origin: string): JsonObject {
  const owner = store.clients.get(c.ownerId)
  const sale = store.sales.get(c.saleId)
  const items = (store.itemsByConsignment.get(c.id) ?? []).map((id) => store.items.get(id)!).filter(Boolean)
  let hammer = 0
  let estimated = 0
  let insured = 0
  for (const i of items) {
    estimated += i.estimateLow
    insured += i.estimateHigh
    if (i.status === 'sold' && i.hammer !== null) hammer += i.hammer
  }
  const order = store.consignorOrderFor(c.saleId, c.ownerId)
  const rate = formatPercent(c.commissionBp)
  return {
    id: c.id,
    // datatable-consignments.txt
    consignment_id: `${c.symbol}-${c.subSymbol}`,
    label: `Consignment ${c.symbol}-${c.subSymbol}${owner ? ` (${store.clientLabel(owner)})` : ''}`,
    published: true,
    promoted: false,
    status: { value: c.status, label: STATUS_LABEL[c.status] },
    owner: owner
      ? { id: owner.id, label: store.clientLabel(owner), self: `${origin}/api/v1.0/datatable-clients/${owner.id}` }
      : null,
    customer_number: owner?.customerNumber ?? null,
    sale: { id: c.saleId, label: sale?.label ?? '' },
    // "estimated integer (cents)", "insurance_value integer (cents)": the lots' low and high estimates (assumed).
    estimated,
    insurance_value: insured,
    insurance_type: 'full',
    house_consignment: false,
    no_post_sale: false,
    consignor_commission_step_type: 'percentage',
    consignor_commission_steps: [{ step_from: 0, consignor_commission: `${rate.replace(/\.00$/, '')}%` }],
    shipping_methods: [],
    additional_charges: [],
    finder_fees: [],
    payment_instructions: c.paymentInstructions,
    statements: order ? [{ id: order.id, label: `Order #${order.orderNumber}` }] : [],
    closed_statements: [],
    // legacy README list row
    symbol: c.symbol,
    sub_symbol: c.subSymbol,
    consignor_commission: rate,
    item_count: items.length,
    total_hammer_price: store.money(hammer),
    created: toIso(c.created),
    updated: toIso(c.updated)
  }
}

function consignmentsDef(store: SimStore, origin: string): ListDef<Consignment> {
  const ownerName = (c: Consignment): string | null => {
    const o = store.clients.get(c.ownerId)
    return o ? store.clientLabel(o) : null
  }
  return {
    resource: 'datatable-consignments',
    defaultSort: 'id',
    filters: {
      id: { kind: 'id', get: (c) => c.id },
      sale: { kind: 'id', get: (c) => c.saleId },
      owner: { kind: 'id', get: (c) => c.ownerId },
      owner_name: { kind: 'text', get: ownerName },
      status: { kind: 'exact', get: (c) => c.status },
      symbol: { kind: 'exact', get: (c) => c.symbol },
      customer_number: { kind: 'exact', get: (c) => store.clients.get(c.ownerId)?.customerNumber ?? null },
      created: { kind: 'date', get: (c) => c.created },
      updated: { kind: 'date', get: (c) => c.updated }
    },
    serialize: (c) => serializeConsignment(store, c, origin),
    search: (c) => `${c.symbol}-${c.subSymbol} ${ownerName(c) ?? ''}`
  }
}

/** The legacy row, plus `sale` and `owner` references (assumed: the example has neither). */
export function serializeStatement(store: SimStore, s: ConsignmentStatement): JsonObject {
  const c = s.consignment
  const owner = store.clients.get(c.ownerId)
  const sale = store.sales.get(c.saleId)
  return {
    consignment_id: c.id,
    customer_number: owner?.customerNumber ?? null,
    consignor_label: owner ? store.clientLabel(owner) : null,
    order_id: s.order?.orderNumber ?? null,
    status: s.order?.status ?? 'new',
    owner_email: owner?.email ?? null,
    total: store.money(s.total),
    actually_paid: store.money(s.paid),
    received_from_buyers: store.money(s.receivedFromBuyers),
    sale: { id: c.saleId, label: sale?.label ?? '' },
    owner: owner ? { id: owner.id, label: store.clientLabel(owner) } : null
  }
}

const statementsDef = (store: SimStore): ListDef<ConsignmentStatement> => ({
  resource: 'datatable-consignment-statements',
  defaultSort: 'consignment',
  decimals: store.decimals,
  filters: {
    consignment: { kind: 'id', get: (s) => s.consignment.id },
    sale: { kind: 'id', get: (s) => s.consignment.saleId },
    owner: { kind: 'id', get: (s) => s.consignment.ownerId },
    status: { kind: 'exact', get: (s) => s.order?.status ?? 'new' },
    customer_number: { kind: 'exact', get: (s) => store.clients.get(s.consignment.ownerId)?.customerNumber ?? null },
    total: { kind: 'money', get: (s) => s.total }
  },
  serialize: (s) => serializeStatement(store, s)
})

/** One statement per consignment whose consignor has a consignor order for the sale. */
function allStatements(store: SimStore): ConsignmentStatement[] {
  const out: ConsignmentStatement[] = []
  const seen = new Set<string>()
  for (const c of store.consignments.values()) {
    const key = `${c.saleId}|${c.ownerId}`
    if (seen.has(key) || !store.consignorOrderFor(c.saleId, c.ownerId)) continue
    seen.add(key)
    out.push(...store.consignorStatements(c.saleId, c.ownerId))
  }
  return out
}

export function registerConsignments(router: Router): void {
  router.get('datatable-consignments', (ctx) => {
    // the page's `?sale_id=` (sale context) is the same filter as filter[sale]
    if (typeof ctx.query.sale_id === 'string') {
      const filter = typeof ctx.query.filter === 'object' ? { ...ctx.query.filter } : {}
      filter.sale = ctx.query.sale_id
      ctx.query.filter = filter
    }
    return ok(listResponse(ctx, consignmentsDef(ctx.store, ctx.url.origin), ctx.store.consignments.values()))
  })
  router.get('datatable-consignments/:id', (ctx) => {
    const c = ctx.store.getOr404(ctx.store.consignments, ctx.params.id, 'Consignment')
    return single(pickFields(serializeConsignment(ctx.store, c, ctx.url.origin), ctx.query.fields))
  })
  router.get('datatable-consignment-statements', (ctx) => {
    const statements = allStatements(ctx.store)
    const body = listResponse(ctx, statementsDef(ctx.store), statements)
    // the legacy example's DataTables counters
    return ok({ ...body, recordsTotal: statements.length, recordsFiltered: body.count })
  })
}
