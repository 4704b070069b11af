// datatable-sales and sale-sessions.

import { boolOf, isObject, requireObject, single, unprocessable, type JsonObject } from '../../circuit-server/http'
import { formatPremium, readPremium } from '../invoice'
import { listResponse, pickFields, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { toIso, parseDateBound } from '../../circuit-server/time'
import type { Sale, SaleSession, SaleStatus } from '../types'

const SALE_STATUSES: SaleStatus[] = ['draft', 'published', 'closed']

export function serializeSale(store: SimStore, s: Sale): JsonObject {
  let estimates = 0
  let hammer = 0
  let itemCount = 0
  const consignments = new Set<string>()
  for (const item of store.saleItems(s.id)) {
    itemCount++
    estimates += item.estimateLow
    if (item.status === 'sold' && item.hammer !== null) hammer += item.hammer
    consignments.add(item.consignmentId)
  }
  return {
    id: s.id,
    uuid: s.uuid,
    label: s.label,
    sale_number: s.saleNumber,
    sale_date: toIso(s.saleDate),
    status: s.status,
    sale_type: 'live',
    catalog: { ...s.catalog },
    item_count: itemCount,
    consignment_count: consignments.size,
    total_estimates: store.money(estimates),
    total_hammer_price: store.money(hammer),
    lots_locked: s.lotsLocked,
    venue: s.venue,
    // rule: see invoice.ts (marginal bands, per lot)
    buyers_premium: formatPremium(s.premium),
    bid_steps: 'Standard',
    currency: store.currency.code,
    sessions: [...store.sessions.values()].filter((x) => x.saleId === s.id).map((x) => x.id),
    created: toIso(s.created),
    updated: toIso(s.updated)
  }
}

export function serializeSession(s: SaleSession): JsonObject {
  // legacy README shape ("sale" is a plain id there) plus `updated`
  return {
    id: s.id,
    sale: s.saleId,
    session_date: toIso(s.date),
    session_number: s.number,
    item_range_start: s.rangeStart,
    item_range_end: s.rangeEnd,
    auctioneer: { ...s.auctioneer },
    updated: toIso(s.updated)
  }
}

function salesDef(store: SimStore): ListDef<Sale> {
  return {
    resource: 'datatable-sales',
    defaultSort: '-sale_date',
    filters: {
      id: { kind: 'id', get: (s) => s.id },
      uuid: { kind: 'id', get: (s) => s.uuid },
      status: { kind: 'exact', get: (s) => s.status },
      sale_date: { kind: 'date', get: (s) => s.saleDate },
      sale_number: { kind: 'exact', get: (s) => s.saleNumber },
      catalog: { kind: 'id', get: (s) => s.catalog.id },
      label: { kind: 'text', get: (s) => s.label },
      lots_locked: { kind: 'bool', get: (s) => s.lotsLocked },
      updated: { kind: 'date', get: (s) => s.updated },
      created: { kind: 'date', get: (s) => s.created }
    },
    serialize: (s) => serializeSale(store, s),
    search: (s) => `${s.label} ${s.saleNumber}`
  }
}

const sessionsDef: ListDef<SaleSession> = {
  resource: 'sale-sessions',
  defaultSort: 'session_date,session_number',
  filters: {
    id: { kind: 'id', get: (s) => s.id },
    sale: { kind: 'id', get: (s) => s.saleId },
    session_number: { kind: 'number', get: (s) => s.number },
    session_date: { kind: 'date', get: (s) => s.date },
    updated: { kind: 'date', get: (s) => s.updated }
  },
  serialize: serializeSession
}

export function registerSales(router: Router): void {
  router.get('datatable-sales', (ctx) => ({
    status: 200,
    body: listResponse(ctx, salesDef(ctx.store), ctx.store.sales.values())
  }))
  router.get('datatable-sales/:id', (ctx) => {
    const sale = ctx.store.getOr404(ctx.store.sales, ctx.params.id, 'Sale')
    return single(pickFields(serializeSale(ctx.store, sale), ctx.query.fields))
  })
  router.patch('datatable-sales/:id', (ctx) => {
    const store = ctx.store
    const sale = store.getOr404(store.sales, ctx.params.id, 'Sale')
    const body = requireObject(ctx.body)
    const errors: Record<string, string[]> = {}
    const next = { ...sale }
    if ('lots_locked' in body) {
      const v = boolOf(body.lots_locked)
      if (v === null) errors.lots_locked = ['Must be a boolean (true/false, 1/0).']
      else next.lotsLocked = v
    }
    if ('status' in body) {
      const v = typeof body.status === 'string' ? body.status : isObject(body.status) ? body.status.id : null
      if (typeof v !== 'string' || !SALE_STATUSES.includes(v as SaleStatus))
        errors.status = [`Must be one of ${SALE_STATUSES.join(', ')}.`]
      else next.status = v as SaleStatus
    }
    if ('label' in body) {
      if (typeof body.label !== 'string' || body.label.trim() === '') errors.label = ['Must be a non-empty string.']
      else next.label = body.label
    }
    if ('venue' in body) {
      if (typeof body.venue !== 'string') errors.venue = ['Must be a string.']
      else next.venue = body.venue
    }
    if ('buyers_premium' in body) {
      const parsed =
        typeof body.buyers_premium === 'string'
          ? readPremium(body.buyers_premium)
          : { ok: false as const, error: 'Expected a string, e.g. "20%" or "25% up to 5000, 20% thereafter".' }
      if (!parsed.ok) errors.buyers_premium = [parsed.error]
      else next.premium = parsed.rule.tiers
    }
    if ('sale_date' in body) {
      const ms = typeof body.sale_date === 'string' ? parseDateBound(body.sale_date, 'eq') : null
      if (ms === null) errors.sale_date = ['Must be an ISO 8601 date.']
      else next.saleDate = ms
    }
    if (Object.keys(errors).length) throw unprocessable(errors)
    Object.assign(sale, next)
    store.stamp(sale)
    return single(serializeSale(store, sale))
  })
  router.get('sale-sessions', (ctx) => ({
    status: 200,
    body: listResponse(ctx, sessionsDef, ctx.store.sessions.values())
  }))
  router.get('sale-sessions/:id', (ctx) =>
    single(serializeSession(ctx.store.getOr404(ctx.store.sessions, ctx.params.id, 'Sale session')))
  )
}
