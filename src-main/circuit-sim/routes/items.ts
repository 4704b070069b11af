// datatable-items (list/get/PATCH with Item History fields, POST create), items-lots,
// delete-winning-bid, item-dimensions.

import { randomUUID } from 'node:crypto'
import {
  boolOf,
  command,
  idOf,
  notFound,
  ok,
  requireObject,
  single,
  strOrNull,
  unprocessable,
  type JsonObject
} from '../../circuit-server/http'
import { MAX_AMOUNT, parseCentsInteger, withinBounds, type Cents } from '../money'
import { listResponse, pickFields, simpleFilterValue, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { ItemHistoryPatch, SimStore } from '../store'
import { toIso } from '../../circuit-server/time'
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
  registerItemCreation(router)
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

// ---------------------------------------------------------------------------
// Item creation (connectors): POST datatable-items?sale_id= and item-dimensions. FIELD-NOTES §2.4: "POST
// /datatable-items?sale_id= | create (consignment required)"; the body is
// assumed to take the fields the list shows. Money follows items/create.html
// ("All monetary values are in cents": a JSON integer or a digit string) and
// data-types.html (a decimal string with a point, major units); a fractional
// JSON number is refused (it is neither). A lot number already in the sale is
// refused (assumed: Circuit's own UI refuses duplicate lot numbers).

const CREATE_MONEY = {
  estimate_low: 'estimateLow',
  estimate_high: 'estimateHigh',
  opening_price: 'opening',
  reserve_price: 'reserve'
} as const

function createMoney(store: SimStore, value: unknown): Cents | null | undefined {
  if (value === null) return null
  const cents = typeof value === 'string' && value.includes('.') ? store.parseMoney(value) : parseCentsInteger(value)
  return cents === null || !withinBounds(cents) ? undefined : cents
}

/** Weight and unit of each item's dimensions record (the item keeps height, width, depth). */
const dimensionExtras = new WeakMap<SimStore, Map<string, { id: string; weight: string; unit: string }>>()

function dimensionsRecord(store: SimStore, item: Item): { id: string; weight: string; unit: string } {
  let byItem = dimensionExtras.get(store)
  if (!byItem) dimensionExtras.set(store, (byItem = new Map()))
  let rec = byItem.get(item.id)
  if (!rec) byItem.set(item.id, (rec = { id: store.nextId(), weight: '', unit: '' }))
  return rec
}

function serializeDimensions(store: SimStore, item: Item): JsonObject {
  const rec = dimensionsRecord(store, item)
  return { id: rec.id, item: item.id, ...item.dimensions, weight: rec.weight, unit: rec.unit }
}

function parseCreate(store: SimStore, saleId: string, body: JsonObject): Item {
  const errors: Record<string, string[]> = {}
  const consignmentId = idOf(body.consignment)
  const consignment = consignmentId ? store.consignments.get(consignmentId) : undefined
  if (!consignmentId) errors.consignment = ['A consignment is required.']
  else if (!consignment || consignment.saleId !== saleId)
    errors.consignment = [`Consignment ${consignmentId} is not a consignment of sale ${saleId}.`]
  let lotNumber: number | null = null
  let lotLetter = ''
  if (typeof body.lot === 'string' && body.lot_number === undefined) {
    const m = /^\s*(\d+)([A-Za-z]?)\s*$/.exec(body.lot)
    if (m) {
      lotNumber = Number(m[1])
      lotLetter = m[2].toUpperCase()
    }
  } else {
    lotNumber = typeof body.lot_number === 'number' ? body.lot_number : Number(strOrNull(body.lot_number) ?? NaN)
    const letter = strOrNull(body.lot_letter) ?? ''
    if (!/^[A-Za-z]?$/.test(letter)) errors.lot_letter = ['Must be one letter or empty.']
    lotLetter = letter.toUpperCase()
  }
  if (lotNumber === null || !Number.isSafeInteger(lotNumber) || lotNumber < 1)
    errors.lot_number = ['A positive whole lot number is required (or "lot" like "269A").']
  else if (store.saleItems(saleId).some((i) => i.lotNumber === lotNumber && i.lotLetter === lotLetter))
    errors.lot_number = [`Lot ${lotNumber}${lotLetter} already exists in sale ${saleId}.`]
  const title = typeof body.title === 'string' ? body.title.trim() : ''
  if (!title) errors.title = ['A title is required.']
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string')
    errors.description = ['Must be a string.']
  const categoryId = body.category === undefined || body.category === null ? '' : (idOf(body.category) ?? '')
  if (categoryId && !store.term('categories', categoryId)) errors.category = [`Category ${categoryId} does not exist.`]
  const money: Record<string, Cents | null> = {}
  for (const [wire, prop] of Object.entries(CREATE_MONEY)) {
    if (body[wire] === undefined) {
      money[prop] = prop === 'reserve' ? null : 0
      continue
    }
    const v = createMoney(store, body[wire])
    if (v === undefined || (v !== null && v < 0))
      errors[wire] = [
        `Must be cents (45000) or a decimal amount with a point ("${store.money(45000)}"), at most ${MAX_AMOUNT}.`
      ]
    else money[prop] = v === null && prop !== 'reserve' ? 0 : v
  }
  if (Object.keys(errors).length) throw unprocessable(errors)
  const items = store.saleItems(saleId)
  const sessions = [...store.sessions.values()].filter((s) => s.saleId === saleId).sort((a, b) => a.number - b.number)
  const session =
    sessions.find((s) => {
      const from = parseInt(s.rangeStart, 10)
      const to = parseInt(s.rangeEnd, 10)
      return lotNumber! >= from && lotNumber! <= to
    }) ?? sessions[sessions.length - 1]
  const now = store.now()
  return {
    id: store.nextId(),
    uuid: randomUUID(),
    saleId,
    sessionId: session?.id ?? null,
    position: items.reduce((m, i) => Math.max(m, i.position), 0) + 1,
    lotNumber: lotNumber!,
    lotLetter,
    title,
    description: typeof body.description === 'string' ? body.description : '',
    categoryId,
    consignmentId: consignmentId!,
    estimateLow: money.estimateLow ?? 0,
    estimateHigh: money.estimateHigh ?? 0,
    reserve: money.reserve ?? null,
    opening: money.opening ?? 0,
    hammer: null,
    status: 'available',
    winnerId: null,
    bidderAlias: null,
    orderId: null,
    dimensions: { height: '', width: '', depth: '' },
    created: now,
    updated: now
  }
}

const DIMENSION_FIELDS = ['height', 'width', 'depth', 'weight'] as const

function registerItemCreation(router: Router): void {
  router.post('datatable-items', (ctx) => {
    const store = ctx.store
    const saleId = typeof ctx.query.sale_id === 'string' ? ctx.query.sale_id : undefined
    if (!saleId) throw unprocessable({ sale_id: ['Query parameter "sale_id" is required to create an item.'] })
    store.getOr404(store.sales, saleId, 'Sale')
    const item = parseCreate(store, saleId, requireObject(ctx.body))
    store.addItem(item)
    return single(serializeItem(store, item), 201)
  })
  router.get('item-dimensions', (ctx) => {
    const store = ctx.store
    const itemId = simpleFilterValue(ctx.query, 'item')
    if (itemId === undefined) throw unprocessable({ 'filter[item]': ['filter[item] (an item id) is required.'] })
    const item = store.items.get(itemId)
    const rows = item ? [serializeDimensions(store, item)] : []
    return ok({ data: rows, count: rows.length })
  })
  router.patch('item-dimensions/:id', (ctx) => {
    const store = ctx.store
    const byItem = dimensionExtras.get(store)
    const entry = byItem ? [...byItem.entries()].find(([, r]) => r.id === ctx.params.id) : undefined
    const item = entry ? store.items.get(entry[0]) : undefined
    if (!entry || !item) throw notFound(`No item dimensions ${ctx.params.id}.`)
    const body = requireObject(ctx.body)
    const errors: Record<string, string[]> = {}
    const unit = body.unit === undefined ? entry[1].unit : strOrNull(body.unit)
    if (unit === null || !/^[a-z]{0,4}$/i.test(unit)) errors.unit = ['Must be a unit such as "cm" or "in".']
    const values: Record<string, string> = {}
    for (const f of DIMENSION_FIELDS) {
      if (body[f] === undefined) continue
      const v = strOrNull(body[f])
      if (v === null || !/^(\d+(\.\d+)?)?$/.test(v.trim())) errors[f] = ['Must be a number such as "30" or "2.5".']
      else values[f] = v.trim()
    }
    if (Object.keys(errors).length) throw unprocessable(errors)
    for (const f of ['height', 'width', 'depth'] as const)
      if (values[f] !== undefined) item.dimensions[f] = values[f] === '' ? '' : `${values[f]}${unit}`
    if (values.weight !== undefined) entry[1].weight = values.weight
    entry[1].unit = unit!
    store.stamp(item)
    return single(serializeDimensions(store, item))
  })
}
