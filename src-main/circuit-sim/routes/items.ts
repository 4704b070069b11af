// datatable-items (list/get/PATCH with Item History fields), items-lots,
// delete-winning-bid.

import { boolOf, command, idOf, ok, requireObject, single, unprocessable, type JsonObject } from '../http'
import { MAX_AMOUNT, parseCentsInteger, withinBounds } from '../money'
import { listResponse, pickFields, simpleFilterValue, type ListDef } from '../query'
import type { Router } from '../router'
import type { ItemHistoryPatch, SimStore } from '../store'
import { toIso } from '../time'
import type { Item } from '../types'

export const lotOf = (i: Item): string => `${i.lotNumber}${i.lotLetter}`

export function serializeItem(store: SimStore, i: Item): JsonObject {
  const sale = store.sales.get(i.saleId)
  const consignment = store.consignments.get(i.consignmentId)
  const consignor = consignment ? store.clients.get(consignment.ownerId) : undefined
  const category = store.term('categories', i.categoryId)
  const winner = i.winnerId ? store.clients.get(i.winnerId) : undefined
  const session = i.sessionId ? store.sessions.get(i.sessionId) : undefined
  const lot = lotOf(i)
  return {
    id: i.id,
    uuid: i.uuid,
    label: `Lot ${lot}`,
    lot,
    lot_number: i.lotNumber,
    lot_letter: i.lotLetter,
    position: i.position,
    title: i.title,
    description: i.description,
    sale: { id: i.saleId, label: sale?.label ?? '' },
    session: session ? { id: session.id, label: `Session ${session.number}` } : null,
    consignment: consignment
      ? { id: consignment.id, symbol: consignment.symbol, sub_symbol: consignment.subSymbol }
      : null,
    consignor_name: consignor ? store.clientLabel(consignor) : null,
    category: category ? { id: category.id, label: category.label } : null,
    estimate_low: store.money(i.estimateLow),
    estimate_high: store.money(i.estimateHigh),
    reserve_price: store.moneyOrNull(i.reserve),
    opening_price: store.money(i.opening),
    hammer_price: store.moneyOrNull(i.hammer),
    status: i.status,
    sold_status: i.status === 'sold' ? 'sold' : i.status === 'unsold' ? 'unsold' : null,
    withdrawn: i.status === 'withdrawn',
    winner: winner
      ? {
          id: winner.id,
          label: store.clientLabel(winner),
          bidder_number: store.paddlesOf(i.saleId, winner.id)[0] ?? i.bidderAlias
        }
      : null,
    bidder_alias: i.bidderAlias,
    current_order: i.orderId,
    images: [],
    dimensions: { ...i.dimensions },
    created: toIso(i.created),
    updated: toIso(i.updated)
  }
}

function itemsDef(store: SimStore): ListDef<Item> {
  const consignmentSymbol = (i: Item): string | null => store.consignments.get(i.consignmentId)?.symbol ?? null
  return {
    resource: 'datatable-items',
    defaultSort: 'position',
    decimals: store.decimals,
    filters: {
      id: { kind: 'id', get: (i) => i.id },
      uuid: { kind: 'id', get: (i) => i.uuid },
      sale: { kind: 'id', get: (i) => i.saleId },
      session: { kind: 'id', get: (i) => i.sessionId },
      // "passed" is the docs' synonym for unsold
      status: { kind: 'exact', get: (i) => (i.status === 'unsold' ? ['unsold', 'passed'] : i.status) },
      sold_status: { kind: 'exact', get: (i) => (i.status === 'sold' || i.status === 'unsold' ? i.status : null) },
      lot: { kind: 'exact', get: lotOf },
      lot_number: { kind: 'number', get: (i) => i.lotNumber },
      lot_letter: { kind: 'exact', get: (i) => i.lotLetter },
      title: { kind: 'text', get: (i) => i.title },
      description: { kind: 'text', get: (i) => i.description },
      category: { kind: 'id', get: (i) => i.categoryId },
      consignment: { kind: 'id', get: (i) => i.consignmentId },
      consignor_symbol: { kind: 'exact', get: consignmentSymbol },
      estimate_low: { kind: 'money', get: (i) => i.estimateLow },
      estimate_high: { kind: 'money', get: (i) => i.estimateHigh },
      reserve_price: { kind: 'money', get: (i) => i.reserve },
      opening_price: { kind: 'money', get: (i) => i.opening },
      hammer_price: { kind: 'money', get: (i) => i.hammer },
      winner: { kind: 'id', get: (i) => i.winnerId },
      current_order: { kind: 'id', get: (i) => i.orderId },
      position: { kind: 'number', get: (i) => i.position },
      created: { kind: 'date', get: (i) => i.created },
      updated: { kind: 'date', get: (i) => i.updated }
    },
    serialize: (i) => serializeItem(store, i),
    search: (i) => `${lotOf(i)} ${i.title} ${i.description}`
  }
}

/** Natural lot order: 269 < 269A < 270. */
function withLotSort(def: ListDef<Item>): ListDef<Item> {
  return {
    ...def,
    sorts: {
      ...def.filters,
      lot: { kind: 'number', get: (i) => i.lotNumber * 100 + (i.lotLetter ? i.lotLetter.charCodeAt(0) - 64 : 0) }
    }
  }
}

const HISTORY_STATUSES = ['sold', 'unsold'] as const
const MONEY_FIELDS = { estimate_low: 'estimateLow', estimate_high: 'estimateHigh', opening_price: 'opening' } as const

/**
 * PATCH body -> Item History patch + plain field edits.
 * `field_sold_for_amount` is integer CENTS (JSON number 45000 or digit string "45000");
 * decimal strings like "450.00" are rejected with 422 so a units mix-up cannot slip through.
 */
function parseItemPatch(
  store: SimStore,
  item: Item,
  body: JsonObject
): { history: ItemHistoryPatch; plain: Partial<Item> } {
  const errors: Record<string, string[]> = {}
  const history: ItemHistoryPatch = {}
  const plain: Partial<Item> = {}
  if ('field_sold_for_amount' in body) {
    const v = body.field_sold_for_amount
    const cents = v === null ? null : parseCentsInteger(v)
    if (v !== null && (cents === null || cents < 0))
      errors.field_sold_for_amount = [
        `Must be a non-negative integer amount in cents, e.g. 45000 for ${store.money(45000)}.`
      ]
    else if (cents !== null && !withinBounds(cents))
      errors.field_sold_for_amount = [`Must not exceed ${MAX_AMOUNT} (${store.money(MAX_AMOUNT)}).`]
    else history.hammer = cents
  }
  if ('field_winner_bidder' in body) {
    const v = body.field_winner_bidder
    const id = v === null ? null : idOf(v)
    if (v !== null && id === null) errors.field_winner_bidder = ['Must be a client id.']
    else if (id !== null && !store.clients.has(id)) errors.field_winner_bidder = [`Client ${id} does not exist.`]
    else history.winnerId = id
  }
  if ('field_sold_to_bidder_id' in body && !('field_winner_bidder' in body)) {
    // paddle number in this sale -> its client
    const num = idOf(body.field_sold_to_bidder_id)
    const bidder = num ? store.bidderByNumber(item.saleId, num) : undefined
    if (!bidder)
      errors.field_sold_to_bidder_id = [
        `No bidder number ${String(body.field_sold_to_bidder_id)} in sale ${item.saleId}.`
      ]
    else {
      history.winnerId = bidder.clientId
      if (!('field_bidder_alias' in body)) history.alias = bidder.number
    }
  }
  if ('field_bidder_alias' in body) {
    const v = body.field_bidder_alias
    if (v !== null && typeof v !== 'string' && typeof v !== 'number') errors.field_bidder_alias = ['Must be a string.']
    else history.alias = v === null ? null : String(v)
  }
  if ('field_sold_status' in body) {
    const v = typeof body.field_sold_status === 'string' ? body.field_sold_status.toLowerCase() : ''
    // null: a new history record without a status (the lot is available again); "passed" is the docs' synonym of unsold.
    if (body.field_sold_status === null) history.soldStatus = 'clear'
    else if (v === 'passed') history.soldStatus = 'unsold'
    else if (!(HISTORY_STATUSES as readonly string[]).includes(v))
      errors.field_sold_status = ['Must be "sold", "unsold" (or "passed"), or null.']
    else history.soldStatus = v as 'sold' | 'unsold'
  }
  if ('field_withdrawn' in body) {
    const v = boolOf(body.field_withdrawn)
    if (v === null) errors.field_withdrawn = ['Must be 1/0 or true/false.']
    else history.withdrawn = v
  }
  for (const key of ['title', 'description'] as const) {
    if (key in body) {
      if (typeof body[key] !== 'string') errors[key] = ['Must be a string.']
      else plain[key] = body[key] as string
    }
  }
  for (const [wire, prop] of Object.entries(MONEY_FIELDS)) {
    if (wire in body) {
      const cents = store.parseMoney(body[wire])
      if (cents === null || cents < 0) errors[wire] = [`Must be a decimal amount like "${store.money(25000)}".`]
      else if (!withinBounds(cents)) errors[wire] = [`Must not exceed ${store.money(MAX_AMOUNT)}.`]
      else plain[prop] = cents
    }
  }
  if ('reserve_price' in body) {
    const cents = body.reserve_price === null ? null : store.parseMoney(body.reserve_price)
    if (body.reserve_price !== null && (cents === null || cents < 0 || !withinBounds(cents)))
      errors.reserve_price = [
        `Must be a decimal amount like "${store.money(25000)}" (at most ${store.money(MAX_AMOUNT)}) or null.`
      ]
    else plain.reserve = cents
  }
  if (Object.keys(errors).length) throw unprocessable(errors)
  return { history, plain }
}

export function registerItems(router: Router): void {
  router.get('datatable-items', (ctx) => {
    const store = ctx.store
    const saleId = simpleFilterValue(ctx.query, 'sale')
    const candidates = saleId !== undefined ? store.saleItems(saleId) : undefined
    return ok(listResponse(ctx, withLotSort(itemsDef(store)), store.items.values(), { candidates }))
  })
  router.get('datatable-items/:id', (ctx) => {
    const item = ctx.store.getOr404(ctx.store.items, ctx.params.id, 'Item')
    return single(pickFields(serializeItem(ctx.store, item), ctx.query.fields))
  })
  router.patch('datatable-items/:id', (ctx) => {
    const store = ctx.store
    const item = store.getOr404(store.items, ctx.params.id, 'Item')
    const { history, plain } = parseItemPatch(store, item, requireObject(ctx.body))
    if (Object.keys(history).length) store.applyItemHistory(item.id, history)
    if (Object.keys(plain).length) {
      Object.assign(item, plain)
      store.stamp(item)
    }
    return single(serializeItem(store, item))
  })
  router.delete('delete-winning-bid/:id', (ctx) => {
    const { previousWinner, previousHammer } = ctx.store.deleteWinningBid(ctx.params.id)
    return command({
      success: true,
      item_id: ctx.params.id,
      previous_winner: previousWinner,
      previous_hammer_price: ctx.store.moneyOrNull(previousHammer)
    })
  })
  // README.txt's bulk form: {operation:"update_status", items[], values{status}}. The ids and the
  // status are checked before anything changes, so a bad id changes nothing.
  router.post('items-bulk', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    if (body.operation !== 'update_status')
      throw unprocessable({ operation: ['Only "update_status" is supported by the simulator.'] })
    const ids = Array.isArray(body.items) ? body.items.map((v) => idOf(v)) : null
    if (!ids || ids.length === 0 || ids.some((id) => id === null || !store.items.has(id)))
      throw unprocessable({ items: ['Must be a non-empty list of existing item ids.'] })
    const values = body.values
    const status = values && typeof values === 'object' && !Array.isArray(values) ? values.status : undefined
    const patch: ItemHistoryPatch | null =
      status === 'withdrawn'
        ? { withdrawn: true }
        : status === 'unsold' || status === 'passed'
          ? { soldStatus: 'unsold' }
          : status === 'available'
            ? { withdrawn: false, soldStatus: 'clear' }
            : null
    if (!patch) throw unprocessable({ 'values.status': ['Must be "withdrawn", "unsold" or "available".'] })
    for (const id of ids as string[]) store.applyItemHistory(id, patch)
    return command({ operation: 'update_status', updated: ids.length, items: ids as string[] })
  })
  router.get('items-lots', (ctx) => {
    const saleId = typeof ctx.query.sale === 'string' ? ctx.query.sale : undefined
    if (saleId === undefined) throw unprocessable({ sale: ['Query parameter "sale" is required.'] })
    const rows = ctx.store.saleItems(saleId).map((i) => ({ id: i.id, lot: lotOf(i), position: i.position }))
    return ok({ data: rows, count: rows.length })
  })
}
