// zod decoders: one per record shape, validating a single row and normalising
// it into the types.ts / records.ts shapes. Each field says which wire form it
// expects (money in MAJOR units = decimal strings or floats, vs CENTS), because
// Circuit's documentation contradicts itself per page (FIELD-NOTES §1–2).
//
// Money in major units becomes minor units with the decimals of Circuit's
// currency (`DecodeContext.decimals`: 2 for GBP, 0 for JPY, 3 for KWD). Rates
// ("21.00" = 21 %) always have two decimals. Schemas are built once per
// number of decimals.
//
// A decoder never returns a partial record: it returns ok+value or the first
// problem with its field path.

import { z } from 'zod'
import { applyRateBp } from '../../src-shared/invoice'
import {
  DEFAULT_DECIMALS,
  isCurrencyDecimals,
  type Parsed,
  parseBool,
  parseDateOnly,
  parseDateTime,
  parseEnumValue,
  parseId,
  parseInteger,
  parseKgToGrams,
  parseMoneyCents,
  parseMoneyMajor,
  parseRateBp,
  parseRefId,
  parseText,
  refLabel,
  show,
  splitLot
} from './decode-primitives'
import type {
  BidderType,
  CircuitAddress,
  CircuitCurrency,
  CircuitBidder,
  CircuitCharge,
  CircuitClient,
  CircuitItem,
  CircuitMe,
  CircuitOrder,
  CircuitOrderLine,
  CircuitInvoiceData,
  CircuitPhoneCard,
  CircuitStaff,
  CircuitSale,
  CircuitSession,
  CircuitTerm,
  CircuitTransaction,
  ItemStatus
} from './types'
import type {
  Ack,
  CancelAndReissueResult,
  ChequeResult,
  CircuitClientAddress,
  CircuitConsignment,
  CircuitConsignmentStatement,
  CircuitItemDimensions,
  CircuitItemLot,
  CircuitShipment,
  CircuitShippingArea,
  CircuitShippingBox,
  CreditNoteResult,
  SaleroomRelease,
  DeleteWinningBidResult,
  ItemsBulkResult,
  OrderSplitResult
} from './records'

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; path: string; message: string }

/** What a decoder needs to know about the server it reads. */
export interface DecodeContext {
  /** Decimals of Circuit's currency (`config.currency.decimal_amount` of /me). */
  decimals: number
}

export const DEFAULT_DECODE_CONTEXT: DecodeContext = { decimals: DEFAULT_DECIMALS }

export interface RowDecoder<T> {
  /** What the row is, for messages ("item", "order"…). */
  readonly what: string
  /** Decode one row; money in major units is read with `ctx.decimals` (default 2). */
  decode(input: unknown, ctx?: DecodeContext): DecodeResult<T>
}

/** A decoder of this file: also decodes through zod alone, for the tests that compare the two paths. */
export interface CheckedRowDecoder<T> extends RowDecoder<T> {
  /** The row through zod alone, the fast path skipped. */
  decodeByZod(input: unknown, ctx?: DecodeContext): DecodeResult<T>
  /** Whether the row has a fast path (a hot record), or goes through zod only. */
  hasFastPath(ctx?: DecodeContext): boolean
}

// ------------------------------------------------------------ field builders

type Ctx = z.RefinementCtx

function fromParsed<T>(r: Parsed<T>, ctx: Ctx): T {
  if (r.ok) return r.value
  ctx.addIssue({ code: 'custom', message: r.message })
  return z.NEVER
}

const isAbsent = (v: unknown): v is null | undefined => v === null || v === undefined

// ------------------------------------------------------------ fast path
//
// Every field is read by one plain function (v → Parsed), which the zod schema
// calls in its transform. A hot record (a lot, a client, a paddle…) is an
// `object` of such fields: its decoder first runs those same functions
// directly — no zod machinery per field — and, the moment any of them or the
// record's own check finds a problem, decodes the row again through zod for
// the exact message and path. So a row decodes the same either way
// (test/circuit/decoders-fast.test.ts compares the two on random rows).

const fieldReaders = new WeakMap<z.ZodType, (v: unknown) => Parsed<unknown>>()
const fastObjects = new WeakMap<z.ZodType, (input: unknown) => unknown>()
/** What a fast decode answers when the row must go through zod. */
const SLOW = Symbol('decode through zod')

/** A field read by `read`: the same function for zod's transform and for the fast path. */
function field<T>(read: (v: unknown) => Parsed<T>) {
  const schema = z
    .unknown()
    .optional()
    .transform((v, ctx): T => fromParsed(read(v), ctx))
  fieldReaders.set(schema, read as (v: unknown) => Parsed<unknown>)
  return schema
}

/** Required: absent → "required field is missing". */
function req<T>(parse: (v: unknown) => Parsed<T>) {
  return field<T>((v) =>
    isAbsent(v) ? { ok: false, message: v === null ? 'required field is null' : 'required field is missing' } : parse(v)
  )
}

/** Absent, read: one shared answer (its readers never change it). */
const NOTHING: Parsed<null> = Object.freeze({ ok: true, value: null })

/** Optional: absent or "" → null. */
function opt<T>(parse: (v: unknown) => Parsed<T>) {
  return field<T | null>((v) => (isAbsent(v) || v === '' ? NOTHING : parse(v)))
}

/** How the fast path reads a field zod declares some other way: through zod, for that field only. */
function readerOf(schema: z.ZodType): (v: unknown) => Parsed<unknown> {
  const own = fieldReaders.get(schema)
  if (own) return own
  return (v) => {
    const r = schema.safeParse(v)
    return r.success ? { ok: true, value: r.data } : { ok: false, message: 'see zod' }
  }
}

/** A stand-in for zod's refinement context: the fast path only needs to know that an issue was raised. */
class IssueSeen {
  seen = false
  addIssue(): void {
    this.seen = true
  }
}

/**
 * `z.object(shape)`, with the record's own check (`refine`, as superRefine) —
 * and its fast decoder: each field's function in turn, then the check.
 */
function object<S extends z.ZodRawShape>(shape: S, refine?: (o: z.output<z.ZodObject<S>>, ctx: Ctx) => void) {
  const base = z.object(shape)
  const schema = refine ? base.superRefine(refine) : base
  const keys = Object.keys(shape)
  const readers = keys.map((key) => readerOf(shape[key] as z.ZodType))
  fastObjects.set(schema, (input) => {
    // zod's own test for an object: not null, not a list.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return SLOW
    const row = input as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (let i = 0; i < keys.length; i++) {
      const r = readers[i](row[keys[i]])
      if (!r.ok) return SLOW
      out[keys[i]] = r.value
    }
    if (refine) {
      const ctx = new IssueSeen()
      refine(out as z.output<z.ZodObject<S>>, ctx as unknown as Ctx)
      if (ctx.seen) return SLOW
    }
    return out
  })
  return schema
}

/** `schema.nullish()` whose fast path reads the object by its own fast decoder. */
function nullish<S extends z.ZodType>(schema: S) {
  const wrapped = schema.nullish()
  const fast = fastObjects.get(schema)
  if (fast) {
    fieldReaders.set(wrapped, (v) => {
      if (v === null || v === undefined) return { ok: true, value: v }
      const out = fast(v)
      return out === SLOW ? { ok: false, message: 'see zod' } : { ok: true, value: out }
    })
  }
  return wrapped
}

const id = req(parseId)
const optId = opt(parseId)
const optRefId = opt(parseRefId)
const text = req(parseText)
const optText = opt(parseText)
/** A percentage ("21.00", "15%") in basis points; not money, so always two decimals. */
const optRateBp = opt(parseRateBp)
const optGrams = opt(parseKgToGrams)
const dateTime = opt(parseDateTime)
const dateOnly = opt(parseDateOnly)
const optInt = opt(parseInteger)
const optBool = opt(parseBool)
const optEnum = opt(parseEnumValue)
/** Anything; used where only the label is wanted (refLabel). */
const any = z.unknown().optional()
fieldReaders.set(any, (v) => ({ ok: true, value: v }))

/** Money field builders for one currency's number of decimals. */
function moneyFields(decimals: number) {
  const parseMajor = (v: unknown) => parseMoneyMajor(v, decimals)
  return {
    decimals,
    parseMajor,
    /** An amount in MAJOR units ("1250.50", 1250.5); absent → null. */
    major: opt(parseMajor),
    /** A required amount in MAJOR units. */
    requiredMajor: req(parseMajor),
    /** An amount documented in CENTS (minor units): 50000 or "50000". */
    cents: opt((v) => parseMoneyCents(v, decimals)),
    requiredCents: req((v) => parseMoneyCents(v, decimals))
  }
}
type Money = ReturnType<typeof moneyFields>

const moneyByDecimals = new Map<number, Money>()
function money(decimals: number): Money {
  let m = moneyByDecimals.get(decimals)
  if (!m) moneyByDecimals.set(decimals, (m = moneyFields(decimals)))
  return m
}

function idList(v: unknown): Parsed<string[]> {
  if (!Array.isArray(v)) return { ok: false, message: `expected a list of ids, got ${show(v)}` }
  const out: string[] = []
  for (const x of v) {
    const r = parseRefId(x)
    if (!r.ok) return { ok: false, message: `expected a list of ids, got ${show(v)}` }
    out.push(r.value)
  }
  return { ok: true, value: out }
}
const optIdList = opt(idList)

function textList(v: unknown): Parsed<string[]> {
  if (!Array.isArray(v)) return { ok: false, message: `expected a list, got ${show(v)}` }
  const out: string[] = []
  for (const x of v) {
    const r = typeof x === 'string' ? ({ ok: true, value: x } as const) : parseEnumValue(x)
    if (!r.ok) return { ok: false, message: `expected a list of names, got ${show(v)}` }
    out.push(r.value)
  }
  return { ok: true, value: out }
}

/** Object-level alias check: one of several keys must be present. */
function need(ctx: Ctx, value: unknown, path: string, what = 'required field is missing'): void {
  if (isAbsent(value)) ctx.addIssue({ code: 'custom', path: [path], message: what })
}

// ------------------------------------------------------------ issue → message

function formatPath(path: PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else out += out === '' ? String(seg) : `.${String(seg)}`
  }
  return out
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[seg]
  }
  return cur
}

function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type') {
    const expected =
      issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`
    return `expected ${expected}, got ${show(valueAt(input, issue.path))}`
  }
  return issue.message
}

/** A decoder whose schema is built (once per number of decimals) from the money builders. */
function rowDecoder<S extends z.ZodType, T>(
  what: string,
  build: (m: Money) => S,
  map: (v: z.output<S>, raw: unknown, m: Money) => T
): CheckedRowDecoder<T> {
  const schemas = new Map<number, S>()
  const schemaFor = (decimals: number): S => {
    let schema = schemas.get(decimals)
    if (!schema) schemas.set(decimals, (schema = build(money(decimals))))
    return schema
  }
  const byZod = (schema: S, input: unknown, m: Money): DecodeResult<T> => {
    const r = schema.safeParse(input)
    if (!r.success) {
      const issue = r.error.issues[0]
      return { ok: false, path: formatPath(issue.path), message: issueMessage(issue, input) }
    }
    return { ok: true, value: map(r.data, input, m) }
  }
  return {
    what,
    decode(input, ctx = DEFAULT_DECODE_CONTEXT) {
      const m = money(ctx.decimals)
      const schema = schemaFor(ctx.decimals)
      const fast = fastObjects.get(schema)
      const read = fast ? fast(input) : SLOW
      return read === SLOW ? byZod(schema, input, m) : { ok: true, value: map(read as z.output<S>, input, m) }
    },
    decodeByZod(input, ctx = DEFAULT_DECODE_CONTEXT) {
      return byZod(schemaFor(ctx.decimals), input, money(ctx.decimals))
    },
    hasFastPath(ctx = DEFAULT_DECODE_CONTEXT) {
      return fastObjects.has(schemaFor(ctx.decimals))
    }
  }
}

/** For commands whose answer we do not need (DELETE → `{data:[],status:204}` or empty). */
export const ackDecoder: RowDecoder<Ack> = { what: 'ack', decode: (raw) => ({ ok: true, value: { ok: true, raw } }) }

// ------------------------------------------------------------ sales / sessions

const saleSchema = object(
  {
    id,
    label: optText,
    title: optText,
    sale_number: optText,
    sale_date: dateTime,
    live_sale_date_from: dateTime,
    status: optEnum,
    item_count: optInt,
    venue: optText,
    lots_locked: optBool,
    buyers_premium: optText,
    updated: dateTime,
    changed: dateTime
  },
  (o, ctx) => need(ctx, o.label ?? o.title, 'label')
)

export const saleDecoder = rowDecoder(
  'sale',
  () => saleSchema,
  (o, raw): CircuitSale => ({
    id: o.id,
    label: o.label ?? o.title ?? '',
    saleNumber: o.sale_number,
    saleDate: o.sale_date ?? o.live_sale_date_from,
    status: o.status ?? '',
    itemCount: o.item_count,
    venue: o.venue,
    lotsLocked: o.lots_locked ?? false,
    buyersPremium: o.buyers_premium,
    updated: o.updated ?? o.changed,
    raw
  })
)

// Legacy README shape: {id,sale,session_date,session_number,item_range_start,item_range_end,auctioneer{id,name}}.
// Also tolerated: {sale_id,date,number,first_lot,last_lot}.
const sessionSchema = object(
  {
    id,
    sale: optRefId,
    sale_id: optId,
    session_date: dateTime,
    date: dateTime,
    session_number: optInt,
    number: optInt,
    item_range_start: optText,
    item_range_end: optText,
    first_lot: optText,
    last_lot: optText,
    auctioneer: any,
    updated: dateTime,
    changed: dateTime
  },
  (o, ctx) => {
    need(ctx, o.sale ?? o.sale_id, 'sale')
    need(ctx, o.session_number ?? o.number, 'session_number')
  }
)

export const sessionDecoder = rowDecoder(
  'session',
  () => sessionSchema,
  (o, raw): CircuitSession => ({
    id: o.id,
    saleId: (o.sale ?? o.sale_id)!,
    number: (o.session_number ?? o.number)!,
    date: o.session_date ?? o.date,
    firstLot: o.item_range_start ?? o.first_lot,
    lastLot: o.item_range_end ?? o.last_lot,
    auctioneer: refLabel(o.auctioneer),
    updated: o.updated ?? o.changed,
    raw
  })
)

// ------------------------------------------------------------ items

// Status vocabularies seen: API filter values, item responses (new|active|sold),
// the import (SOLD|UNSOLD) and the bid server (Pending|Active|Going|Gone…).
const ITEM_STATUS: Record<string, ItemStatus> = {
  available: 'available',
  new: 'available',
  active: 'available',
  pending: 'available',
  paused: 'available',
  going: 'available',
  published: 'available',
  sold: 'sold',
  unsold: 'unsold',
  not_sold: 'unsold',
  passed: 'passed',
  pass: 'passed',
  withdrawn: 'withdrawn'
}

/** A parser for an enum Circuit spells several ways: the wire word (any case) → our value. */
function mappedEnum<T extends string>(map: Record<string, T>, what: string): (v: unknown) => Parsed<T> {
  const expected = `expected ${what} (${[...new Set(Object.values(map))].join('|')}), got `
  return (v) => {
    const r = parseEnumValue(v)
    if (!r.ok) return r
    const value = map[r.value.trim().toLowerCase()]
    return value ? { ok: true, value } : { ok: false, message: expected + show(v) }
  }
}

const parseItemStatus = mappedEnum(ITEM_STATUS, 'an item status')

// Item money: the items list example uses decimal strings ("250.00"), so all
// item amounts are read as MAJOR units (strings or floats). items/create.html
// says cents for writes; writes go through field_sold_for_amount (cents).
const itemSchema = (m: Money) =>
  object(
    {
      id,
      sale: optRefId,
      sale_id: optId,
      lot: optText,
      lot_number: optInt,
      lot_letter: optText,
      title: optText,
      label: optText,
      description: optText,
      estimate_low: m.major,
      estimate_high: m.major,
      reserve_price: m.major,
      reserve: m.major,
      opening_price: m.major,
      hammer_price: m.major,
      sold_for: m.major,
      status: opt(parseItemStatus),
      sold_status: opt(parseItemStatus),
      withdrawn: optBool,
      winner: any,
      winner_bidder: optRefId,
      bidder_number: optText,
      bidder_alias: optText,
      consignment: optRefId,
      consignor_name: optText,
      category: optRefId,
      updated: dateTime,
      changed: dateTime
    },
    (o, ctx) => {
      need(ctx, o.sale ?? o.sale_id, 'sale')
      need(ctx, o.lot ?? o.lot_number, 'lot')
      if (o.winner !== undefined && o.winner !== null && o.winner !== '') {
        const r = parseRefId(o.winner)
        if (!r.ok) ctx.addIssue({ code: 'custom', path: ['winner'], message: r.message })
      }
    }
  )

export const itemDecoder = rowDecoder('item', itemSchema, (o, raw): CircuitItem => {
  const lot = o.lot ?? `${o.lot_number ?? ''}${o.lot_letter ?? ''}`
  const split = splitLot(lot)
  const winner = o.winner !== null && typeof o.winner === 'object' ? (o.winner as Record<string, unknown>) : null
  const winnerId =
    o.winner_bidder ??
    (isAbsent(o.winner) || o.winner === '' ? null : (parseRefId(o.winner) as { value: string }).value)
  const winnerPaddle =
    winner && !isAbsent(winner.bidder_number) ? String(winner.bidder_number) : (o.bidder_number ?? o.bidder_alias)
  let status: ItemStatus = o.status ?? o.sold_status ?? 'available'
  // `sold_status` (item history) is more specific than the node status "active".
  if (o.sold_status && status === 'available') status = o.sold_status
  if (o.withdrawn) status = 'withdrawn'
  const rawObj = raw as Record<string, unknown>
  const consignorName =
    o.consignor_name ??
    (rawObj.consignment && typeof rawObj.consignment === 'object' ? refLabel(rawObj.consignment) : null)
  return {
    id: o.id,
    saleId: (o.sale ?? o.sale_id)!,
    lot,
    lotNumber: o.lot_number ?? split.lotNumber,
    lotLetter: o.lot_letter ?? split.lotLetter,
    title: o.title ?? o.label ?? '',
    description: o.description ?? '',
    estimateLow: o.estimate_low,
    estimateHigh: o.estimate_high,
    reserve: o.reserve_price ?? o.reserve,
    openingPrice: o.opening_price,
    hammer: o.hammer_price ?? o.sold_for,
    status,
    winnerClientId: winnerId,
    winnerPaddle: winnerPaddle ?? null,
    consignmentId: o.consignment,
    consignorName,
    category: o.category,
    updated: o.updated ?? o.changed,
    raw
  }
})

export const itemLotDecoder = rowDecoder(
  'item lot',
  () => z.object({ id, lot: text, position: optInt }),
  (o, raw): CircuitItemLot => ({ id: o.id, lot: o.lot, position: o.position, raw })
)

export const deleteWinningBidDecoder = rowDecoder(
  'delete-winning-bid result',
  (m) => z.object({ success: optBool, item_id: optId, previous_winner: optText, previous_hammer_price: m.major }),
  (o): DeleteWinningBidResult => ({
    success: o.success ?? true,
    itemId: o.item_id,
    previousWinner: o.previous_winner,
    previousHammer: o.previous_hammer_price
  })
)

export const itemsBulkDecoder = rowDecoder(
  'items-bulk result',
  () => z.object({ operation: optText, updated: optInt, items: optIdList }),
  (o): ItemsBulkResult => ({ operation: o.operation, updated: o.updated, items: o.items ?? [] })
)

// ------------------------------------------------------------ clients / addresses

// Two address vocabularies: the client list example ({street,city,state,postal_code,country})
// and Drupal addressfield ({thoroughfare,locality,administrative_area,postal_code,country}).
const addressSchema = object({
  street: optText,
  thoroughfare: optText,
  premise: optText,
  city: optText,
  locality: optText,
  state: optText,
  administrative_area: optText,
  postal_code: optText,
  country: optText,
  name_line: optText
})
type AddressOut = z.output<typeof addressSchema>
const toAddress = (a: AddressOut): CircuitAddress => ({
  street: a.street ?? a.thoroughfare,
  city: a.city ?? a.locality,
  state: a.state ?? a.administrative_area,
  postalCode: a.postal_code,
  country: a.country
})

const clientSchema = (m: Money) =>
  object({
    id,
    uuid: optText,
    first_name: optText,
    last_name: optText,
    company: optText,
    company_name: optText,
    email: optText,
    mail: optText,
    phone: optText,
    mobile: optText,
    philaworksplace_id: optText,
    customer_number: optText,
    status: optEnum,
    address: nullish(addressSchema),
    // `balance{value,formatted}`: value is a float in MAJOR units (1250.50).
    balance: field<number | null>((b) => {
      if (b === null || b === undefined || b === '') return { ok: true, value: null }
      const v = typeof b === 'object' && !Array.isArray(b) ? (b as { value?: unknown }).value : b
      if (v === null || v === undefined || v === '') return { ok: true, value: null }
      return m.parseMajor(v)
    }),
    updated: dateTime,
    changed: dateTime
  })

export const clientDecoder = rowDecoder('client', clientSchema, (o, raw): CircuitClient => ({
  id: o.id,
  uuid: o.uuid,
  firstName: o.first_name ?? '',
  lastName: o.last_name ?? '',
  company: o.company ?? o.company_name,
  email: o.email ?? o.mail,
  phone: o.phone ?? o.mobile,
  customerNumber: o.philaworksplace_id ?? o.customer_number,
  status: o.status ?? '',
  address: o.address ? toAddress(o.address) : null,
  balance: o.balance,
  updated: o.updated ?? o.changed,
  raw
}))

const clientAddressSchema = z.object({
  id,
  client: optRefId,
  client_id: optId,
  label: optText,
  address: addressSchema,
  address_types: opt(textList),
  default_address: optBool,
  rendered: optText,
  updated: dateTime,
  changed: dateTime,
  created: dateTime
})

export const clientAddressDecoder = rowDecoder(
  'client address',
  () => clientAddressSchema,
  (o, raw): CircuitClientAddress => ({
    id: o.id,
    clientId: o.client ?? o.client_id,
    label: o.label,
    address: { ...toAddress(o.address), nameLine: o.address.name_line, premise: o.address.premise },
    types: o.address_types ?? [],
    isDefault: o.default_address ?? false,
    rendered: o.rendered,
    updated: o.updated ?? o.changed ?? o.created,
    raw
  })
)

// ------------------------------------------------------------ bidders / phone cards

const BIDDER_TYPES: Record<string, BidderType> = {
  floor: 'floor',
  phone: 'phone',
  absentee: 'absentee',
  mail: 'absentee',
  book: 'absentee',
  online: 'online',
  website: 'online',
  internet: 'online',
  agent: 'agent',
  floorbyagent: 'agent',
  floor_by_agent: 'agent',
  onlineagent: 'agent'
}

const parseBidderType = mappedEnum(BIDDER_TYPES, 'a bidder type')

// ASSUMED shape (undocumented endpoint): {id, sale{id,label}, client{id,label},
// bidder_number:"204", bidder_type, live_credit:"0.00", updated}.
const bidderSchema = (m: Money) =>
  object(
    {
      id,
      sale: optRefId,
      sale_id: optId,
      client: optRefId,
      client_id: optId,
      bidder_number: optText,
      number: optText,
      bidder_type: req(parseBidderType),
      live_credit: m.major,
      updated: dateTime,
      changed: dateTime
    },
    (o, ctx) => {
      need(ctx, o.sale ?? o.sale_id, 'sale')
      need(ctx, o.client ?? o.client_id, 'client')
      need(ctx, o.bidder_number ?? o.number, 'bidder_number')
    }
  )

export const bidderDecoder = rowDecoder('bidder', bidderSchema, (o, raw): CircuitBidder => ({
  id: o.id,
  saleId: (o.sale ?? o.sale_id)!,
  clientId: (o.client ?? o.client_id)!,
  paddle: (o.bidder_number ?? o.number)!,
  type: o.bidder_type,
  liveCredit: o.live_credit,
  updated: o.updated ?? o.changed,
  raw
}))

// Documented row {id,sale_id,client_id,paddle_number,phone}; we also accept
// session_id, lots[], staff{id,name}, and legacy `sale`/`session`/`client` refs.
const phoneCardSchema = object(
  {
    id,
    sale_id: optId,
    sale: optRefId,
    session_id: optId,
    session: optRefId,
    client_id: optId,
    client: optRefId,
    paddle_number: optText,
    bidder_number: optText,
    phone: optText,
    lots: optIdList,
    staff: any,
    updated: dateTime,
    changed: dateTime
  },
  (o, ctx) => {
    need(ctx, o.sale_id ?? o.sale, 'sale_id')
    need(ctx, o.client_id ?? o.client, 'client_id')
    if (!isAbsent(o.staff) && o.staff !== '') {
      const r = parseRefId(o.staff)
      if (!r.ok)
        ctx.addIssue({
          code: 'custom',
          path: ['staff'],
          message: `expected a staff reference {id,name} or an id, got ${show(o.staff)}`
        })
    }
  }
)

export const phoneCardDecoder = rowDecoder(
  'phone card',
  () => phoneCardSchema,
  (o, raw): CircuitPhoneCard => ({
    id: o.id,
    saleId: (o.sale_id ?? o.sale)!,
    sessionId: o.session_id ?? o.session,
    clientId: (o.client_id ?? o.client)!,
    paddle: o.paddle_number ?? o.bidder_number,
    phone: o.phone,
    lots: o.lots ?? [],
    staff: isAbsent(o.staff) || o.staff === '' ? null : (parseRefId(o.staff) as { value: string }).value,
    updated: o.updated ?? o.changed,
    raw
  })
)

// ------------------------------------------------------------ orders

// Orders and their lines/charges use decimal strings ("1250.00") → MAJOR units.
// `tax` on a charge is a RATE ("21.00" = 21 %), read with two decimals whatever the currency.
const chargeSchema = (m: Money) =>
  z.object({
    term: optRefId,
    amount: m.requiredMajor,
    tax: optRateBp,
    description: optText,
    date: dateOnly,
    term_label: any
  })
function toCharge(c: z.output<ReturnType<typeof chargeSchema>>, raw: unknown): CircuitCharge {
  const r = raw as Record<string, unknown>
  return {
    termId: c.term,
    label: refLabel(r.term),
    amount: c.amount,
    taxRateBp: c.tax,
    taxAmount: c.tax === null ? 0 : applyRateBp(c.amount, c.tax),
    description: c.description,
    date: c.date
  }
}

// An address as Circuit sends it (Drupal addressfield keys, or a plain string) → print lines.
const ADDRESS_LINES: string[][] = [
  ['name_line'],
  ['first_name', 'last_name'],
  ['organisation_name'],
  ['thoroughfare'],
  ['premise'],
  ['postal_code', 'locality'],
  ['administrative_area'],
  ['country']
]
export function addressLines(v: unknown): string[] {
  if (typeof v === 'string')
    return v
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
  if (!v || typeof v !== 'object' || Array.isArray(v)) return []
  const a = v as Record<string, unknown>
  const text = (k: string) => (typeof a[k] === 'string' ? (a[k] as string).trim() : '')
  return ADDRESS_LINES.map((keys) => keys.map(text).filter(Boolean).join(' ')).filter(Boolean)
}

const displayTotalsSchema = z.preprocess(
  (v) => (Array.isArray(v) ? v.flat() : v),
  z.array(z.object({ label: text, value: text })).nullish()
)

const lineSchema = (m: Money) =>
  z
    .object({
      nid: optId,
      id: optId,
      item: optRefId,
      lot: optText,
      description: optText,
      hammer_price: m.major,
      commission: m.major,
      vat: m.major,
      tax_id: optId,
      consignment_number: optText
    })
    .superRefine((o, ctx) => need(ctx, o.nid ?? o.id ?? o.item, 'nid'))

const orderSchema = (m: Money) =>
  z.object({
    id,
    order_id: optText,
    type: optEnum,
    status: optEnum,
    sale: optRefId,
    owner: optRefId,
    customer_number: optText,
    grand_total: m.major,
    total_invoice: m.major,
    amount_due: m.major,
    payment_received: m.major,
    // Not in the docs' rows (item_count only); the simulator and some servers list the lots' ids.
    items: optIdList,
    invoice_data: z
      .object({
        header_left: z.object({ buyer_address: any, shipping_address: any }).nullish(),
        header_right: z
          .object({ invoice_number: optText, customer_number: optText, bidder_number: optText, vat_number: optText })
          .nullish(),
        totals_for_display: displayTotalsSchema,
        // `items` is grouped: {<group>: [line…]}; PHP sends [] for an empty map.
        items: z.preprocess(
          (v) => (Array.isArray(v) && v.length === 0 ? {} : v),
          z.record(z.string(), z.array(lineSchema(m))).nullish()
        )
      })
      .nullish(),
    additional_charges: z.array(chargeSchema(m)).nullish(),
    custom_address: any,
    created: dateTime,
    updated: dateTime,
    changed: dateTime,
    // A venue hub's own fields (Saleroom's extension; Circuit sends neither): the hub's provisional
    // orders, and the provisional orders an order of Circuit's took the place of.
    saleroom_provisional: z.boolean().nullish(),
    saleroom_replaces: optIdList
  })

function invoiceOf(o: z.output<ReturnType<typeof orderSchema>>): CircuitInvoiceData | null {
  const d = o.invoice_data
  if (!d) return null
  const custom = addressLines(o.custom_address)
  const buyer = addressLines(d.header_left?.buyer_address)
  const shipping = custom.length ? custom : addressLines(d.header_left?.shipping_address)
  return {
    buyerAddress: buyer,
    shippingAddress: shipping,
    invoiceNumber: d.header_right?.invoice_number ?? null,
    customerNumber: d.header_right?.customer_number ?? null,
    bidderNumber: d.header_right?.bidder_number ?? null,
    vatNumber: d.header_right?.vat_number ?? null,
    totalsForDisplay: d.totals_for_display ?? []
  }
}

export const orderDecoder = rowDecoder('order', orderSchema, (o, raw): CircuitOrder => {
  const r = raw as Record<string, unknown>
  const lines: CircuitOrderLine[] = []
  const groups = o.invoice_data?.items
  if (groups) {
    for (const list of Object.values(groups)) {
      for (const l of list) {
        lines.push({
          itemId: (l.nid ?? l.id ?? l.item)!,
          lot: l.lot,
          description: l.description,
          hammer: l.hammer_price,
          premium: l.commission,
          tax: l.vat,
          taxId: l.tax_id,
          consignmentNumber: l.consignment_number
        })
      }
    }
  }
  const rawCharges = Array.isArray(r.additional_charges) ? r.additional_charges : []
  const itemIds = [...new Set([...lines.map((l) => l.itemId), ...(o.items ?? [])])]
  return {
    id: o.id,
    orderNumber: o.order_id,
    type: o.type ?? '',
    status: o.status ?? '',
    saleId: o.sale,
    clientId: o.owner,
    customerNumber: o.customer_number ?? o.invoice_data?.header_right?.customer_number ?? null,
    grandTotal: o.grand_total ?? o.total_invoice,
    amountDue: o.amount_due,
    paymentReceived: o.payment_received,
    lines,
    itemIds,
    charges: (o.additional_charges ?? []).map((c, i) => toCharge(c, rawCharges[i])),
    invoice: invoiceOf(o),
    created: o.created,
    updated: o.updated ?? o.changed,
    ...(o.saleroom_provisional ? { provisional: true } : {}),
    ...(o.saleroom_replaces?.length ? { replaces: o.saleroom_replaces } : {}),
    raw
  }
})

export const orderSplitDecoder = rowDecoder(
  'order-split result',
  () => z.object({ new_order_id: id, original_order_id: id, moved_items: req(idList) }),
  (o): OrderSplitResult => ({
    newOrderId: o.new_order_id,
    originalOrderId: o.original_order_id,
    movedItems: o.moved_items
  })
)

export const creditNoteDecoder = rowDecoder(
  'credit-note result',
  () => z.object({ credit_note_order_nid: id }),
  (o): CreditNoteResult => ({ creditNoteOrderId: o.credit_note_order_nid })
)

export const cancelAndReissueDecoder = rowDecoder(
  'cancel-and-reissue result',
  () => z.object({ new_order_nid: id, credit_note_nid: id }),
  (o): CancelAndReissueResult => ({ newOrderId: o.new_order_nid, creditNoteId: o.credit_note_nid })
)

// ------------------------------------------------------------ transactions

/**
 * Two vocabularies: the docs ("Payment" | "Cheque" | "Wire Transfer") and
 * Circuit's own UI (cash | bank_transfer | cheque | credit_card | paypal).
 * Normalised to cash | card | cheque | wire | paypal | other. A docs-style
 * "Payment" is a card payment when card fields are present.
 */
export function normaliseTransactionType(wire: string, hasCard: boolean): string {
  const t = wire
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  switch (t) {
    case 'cash':
      return 'cash'
    case 'credit_card':
    case 'card':
    case 'cc':
      return 'card'
    case 'cheque':
    case 'check':
      return 'cheque'
    case 'wire_transfer':
    case 'bank_transfer':
    case 'wire':
      return 'wire'
    case 'paypal':
      return 'paypal'
    case 'payment':
      return hasCard ? 'card' : 'other'
    default:
      return 'other'
  }
}

const transactionSchema = (m: Money) =>
  object(
    {
      id,
      order: optRefId,
      order_id: optId,
      transaction_type: req(parseEnumValue),
      amount: m.requiredMajor,
      transaction_date: dateOnly,
      credit_card_type: optText,
      cc_type: optText,
      credit_card_last_4_digits: optText,
      cc_last_4_digit: optText,
      cheque_number: optText,
      cheque_date: dateOnly,
      bank: optRefId,
      bank_account_number: optText,
      bank_branch: optText,
      info: optText,
      created: dateTime,
      updated: dateTime,
      changed: dateTime,
      // A venue hub's own field (Saleroom's extension; Circuit sends none): the hub's ids of a payment
      // taken at the venue that Circuit's transaction now stands for.
      saleroom_replaces: optIdList
    },
    (o, ctx) => need(ctx, o.order ?? o.order_id, 'order')
  )

/** `bank` is a reference {id, name}; a bare id carries no name. */
function bankNameOf(v: unknown): string | null {
  return v !== null && typeof v === 'object' ? refLabel(v) : null
}

export const transactionDecoder = rowDecoder('transaction', transactionSchema, (o, raw): CircuitTransaction => {
  const cardType = o.credit_card_type ?? o.cc_type
  const last4 = o.credit_card_last_4_digits ?? o.cc_last_4_digit
  return {
    id: o.id,
    orderId: (o.order ?? o.order_id)!,
    type: normaliseTransactionType(o.transaction_type, cardType !== null || last4 !== null),
    amount: o.amount,
    date: o.transaction_date,
    cardType,
    cardLast4: last4,
    chequeNumber: o.cheque_number,
    chequeDate: o.cheque_date,
    bankId: o.bank,
    bankName: bankNameOf((raw as Record<string, unknown>).bank),
    bankAccountNumber: o.bank_account_number,
    bankBranch: o.bank_branch,
    info: o.info,
    created: o.created,
    updated: o.updated ?? o.changed,
    ...(o.saleroom_replaces?.length ? { replaces: o.saleroom_replaces } : {}),
    raw
  }
})

// current docs: {cheque_url}; legacy: {transaction_id, cheque_url, illustrated_cheque_url}
export const chequeDecoder = rowDecoder(
  'cheque result',
  () => z.object({ transaction_id: optId, cheque_url: text, illustrated_cheque_url: optText }),
  (o): ChequeResult => ({
    transactionId: o.transaction_id,
    chequeUrl: o.cheque_url,
    illustratedChequeUrl: o.illustrated_cheque_url
  })
)

// ------------------------------------------------------------ staff

// `/staff` rows (FIELD-NOTES §2.9 lists the endpoint, not the row): {id,name|label|full_name,roles[]}.
const staffSchema = object({ id, name: optText, label: optText, full_name: optText, roles: opt(textList) }, (o, ctx) =>
  need(ctx, o.name ?? o.full_name ?? o.label, 'name')
)

export const staffDecoder = rowDecoder(
  'staff',
  () => staffSchema,
  (o, raw): CircuitStaff => ({
    id: o.id,
    name: (o.name ?? o.full_name ?? o.label)!,
    roles: o.roles ?? [],
    raw
  })
)

// ------------------------------------------------------------ taxonomy terms

// Attributes that are money in MAJOR units (legacy additional_charges example
// `default_amount:"25.00"`, shipping areas `base_rate`, bid-step ranges).
// Rates such as `default_vat:"21.00"` or `rate` stay strings.
const MONEY_ATTRS = new Set(['default_amount', 'amount', 'base_rate', 'from', 'to', 'increment', 'step'])

const termSchema = (m: Money) =>
  z
    .object({
      id,
      label: optText,
      name: optText,
      // bid_steps: [{from:"0.00", increment:"5.00"}, …] (simulator shape; not in the docs)
      ranges: z.array(z.object({ from: m.requiredMajor, increment: m.requiredMajor })).nullish()
    })
    .loose()
    .superRefine((o, ctx) => need(ctx, o.label ?? o.name, 'label'))

export const termDecoder = rowDecoder('term', termSchema, (o, raw, m): CircuitTerm => {
  const attrs: CircuitTerm['attrs'] = {}
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === 'id' || k === 'label' || k === 'self' || k === 'ranges') continue
    if (MONEY_ATTRS.has(k) && (typeof v === 'string' || typeof v === 'number')) {
      const amount = m.parseMajor(v)
      attrs[k] = amount.ok ? amount.value : String(v)
    } else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = v
    else {
      const l = refLabel(v)
      const r = parseRefId(v)
      if (r.ok) attrs[k] = r.value
      else if (l !== null) attrs[k] = l
    }
  }
  const term: CircuitTerm = { id: o.id, label: (o.label ?? o.name)!, attrs, raw }
  if (o.ranges) term.ranges = o.ranges
  return term
})

// ------------------------------------------------------------ consignments

const consignmentSchema = (m: Money) =>
  z.object({
    id,
    consignment_id: optText,
    symbol: optText,
    sub_symbol: optText,
    label: optText,
    sale: optRefId,
    owner: optRefId,
    owner_name: optText,
    customer_number: optText,
    status: optEnum,
    // datatable-consignments.txt: "estimated integer (cents)", "insurance_value integer (cents)".
    estimated: m.cents,
    insurance_value: m.cents,
    // Legacy README consignment list: decimal string.
    total_hammer_price: m.major,
    item_count: optInt,
    // Legacy README: "consignor_commission": "15.00" (a percentage).
    consignor_commission: optRateBp,
    // step_from is a threshold amount; the page says all money is cents (0, 10000). The rate is "15%".
    consignor_commission_steps: z.array(z.object({ step_from: m.requiredCents, consignor_commission: text })).nullish(),
    payment_instructions: optText,
    // The charge examples on the same page are floats (50.00, tax 10.00): cents
    // cannot have a fraction, so these are read as MAJOR units (the page contradicts itself).
    additional_charges: z.array(chargeSchema(m)).nullish(),
    updated: dateTime,
    changed: dateTime
  })

export const consignmentDecoder = rowDecoder('consignment', consignmentSchema, (o, raw): CircuitConsignment => {
  const r = raw as Record<string, unknown>
  const rawCharges = Array.isArray(r.additional_charges) ? r.additional_charges : []
  const steps = (o.consignor_commission_steps ?? []).map((s) => {
    const rate = parseRateBp(s.consignor_commission)
    return { from: s.step_from, commission: s.consignor_commission, rateBp: rate.ok ? rate.value : null }
  })
  return {
    id: o.id,
    consignmentNumber: o.consignment_id ?? (o.symbol !== null ? `${o.symbol}${o.sub_symbol ?? ''}` : null),
    label: o.label ?? '',
    saleId: o.sale,
    ownerId: o.owner,
    customerNumber: o.customer_number,
    status: o.status ?? '',
    estimated: o.estimated,
    insuranceValue: o.insurance_value,
    totalHammer: o.total_hammer_price,
    itemCount: o.item_count,
    commissionBp: o.consignor_commission ?? steps[0]?.rateBp ?? null,
    commissionSteps: steps,
    paymentInstructions: o.payment_instructions,
    ownerName: refLabel(r.owner) ?? o.owner_name,
    charges: (o.additional_charges ?? []).map((c, i) => toCharge(c, rawCharges[i])),
    updated: o.updated ?? o.changed,
    raw
  }
})

// Legacy README row: {consignment_id, customer_number, consignor_label, order_id, status,
// owner_email, total, actually_paid, received_from_buyers}; `sale`/`owner` references are
// taken when present.
const consignmentStatementSchema = (m: Money) =>
  z.object({
    consignment_id: id,
    customer_number: optText,
    consignor_label: optText,
    order_id: optText,
    status: optEnum,
    owner_email: optText,
    total: m.major,
    actually_paid: m.major,
    received_from_buyers: m.major,
    sale: optRefId,
    owner: optRefId
  })

export const consignmentStatementDecoder = rowDecoder(
  'consignment statement',
  consignmentStatementSchema,
  (o, raw): CircuitConsignmentStatement => ({
    consignmentId: o.consignment_id,
    customerNumber: o.customer_number,
    consignorLabel: o.consignor_label,
    orderNumber: o.order_id,
    status: o.status ?? '',
    ownerEmail: o.owner_email,
    total: o.total,
    actuallyPaid: o.actually_paid,
    receivedFromBuyers: o.received_from_buyers,
    saleId: o.sale,
    ownerId: o.owner,
    raw
  })
)

// ------------------------------------------------------------ shipping

// README.txt's POST shipments body: {order, items[], shipping_method, tracking_number,
// shipping_cost:"25.00", weight:"2.5" (kg), dimensions{length,width,height,unit}}. The row
// adds id, status, created, updated (assumed).
const dimension = opt((v): Parsed<number> => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : ''
  return /^\d+(\.\d+)?$/.test(s)
    ? { ok: true, value: Number(s) }
    : { ok: false, message: `expected a length, got ${show(v)}` }
})
const shipmentSchema = (m: Money) =>
  z
    .object({
      id,
      order: optRefId,
      order_id: optId,
      items: optIdList,
      shipping_method: any,
      tracking_number: optText,
      shipping_cost: m.major,
      weight: optGrams,
      dimensions: z.object({ length: dimension, width: dimension, height: dimension, unit: optText }).nullish(),
      status: optEnum,
      created: dateTime,
      updated: dateTime,
      changed: dateTime
    })
    .superRefine((o, ctx) => need(ctx, o.order ?? o.order_id, 'order'))

export const shipmentDecoder = rowDecoder('shipment', shipmentSchema, (o, raw): CircuitShipment => {
  const d = o.dimensions
  return {
    id: o.id,
    orderId: (o.order ?? o.order_id)!,
    itemIds: o.items ?? [],
    // A method may come as text or as a shipping_method_types reference.
    method: refLabel(o.shipping_method),
    trackingNumber: o.tracking_number,
    cost: o.shipping_cost,
    weightGrams: o.weight,
    dimensions:
      d && d.length !== null && d.width !== null && d.height !== null
        ? { length: d.length, width: d.width, height: d.height, unit: d.unit ?? 'cm' }
        : null,
    status: o.status,
    created: o.created,
    updated: o.updated ?? o.changed,
    raw
  }
})

// README.txt's POST shipping-box body: {order, items[], box_number, weight:"2.5", dimensions:"30x20x15cm"}.
const shippingBoxSchema = () =>
  z
    .object({
      id,
      order: optRefId,
      order_id: optId,
      items: optIdList,
      box_number: req(parseText),
      weight: optGrams,
      dimensions: optText,
      created: dateTime,
      updated: dateTime,
      changed: dateTime
    })
    .superRefine((o, ctx) => need(ctx, o.order ?? o.order_id, 'order'))

export const shippingBoxDecoder = rowDecoder('shipping box', shippingBoxSchema, (o, raw): CircuitShippingBox => ({
  id: o.id,
  orderId: (o.order ?? o.order_id)!,
  itemIds: o.items ?? [],
  boxNumber: o.box_number,
  weightGrams: o.weight,
  dimensions: o.dimensions,
  created: o.created,
  updated: o.updated ?? o.changed,
  raw
}))

// README.txt: {id, label, description, base_rate:"10.00"}.
export const shippingAreaDecoder = rowDecoder(
  'shipping area',
  (m) => z.object({ id, label: optText, name: optText, description: optText, base_rate: m.major }),
  (o, raw): CircuitShippingArea => ({
    id: o.id,
    label: o.label ?? o.name ?? '',
    description: o.description,
    baseRate: o.base_rate,
    raw
  })
)

// ------------------------------------------------------------ a venue hub's collections (not Circuit's)

// What a Saleroom venue hub serves under `saleroom-collections`: one release (gate pass) and its lots.
export const saleroomReleaseDecoder = rowDecoder(
  'collection',
  () =>
    z.object({
      id,
      sale: id,
      client: optId,
      collected_by: text,
      note: optText,
      released_by: text,
      station: text,
      at: req(parseDateTime),
      lots: z.array(z.object({ item: id, lot: text, paddle: optText, confirmed_reason: optText })).min(1),
      updated: dateTime
    }),
  (o, raw): SaleroomRelease => ({
    id: o.id,
    saleId: o.sale,
    clientId: o.client,
    collectedBy: o.collected_by,
    note: o.note,
    releasedBy: o.released_by,
    station: o.station,
    at: o.at!,
    lots: o.lots.map((l) => ({ itemId: l.item, lot: l.lot, paddle: l.paddle, confirmedReason: l.confirmed_reason })),
    updated: o.updated,
    raw
  })
)

// ------------------------------------------------------------ me

const meSchema = z
  .object({
    id,
    label: optText,
    name: optText,
    full_name: optText,
    mail: optText,
    email: optText,
    roles: opt(textList),
    config: z
      .object({
        currency: z
          .object({
            key: optText,
            code: optText,
            symbol: optText,
            template: optText,
            decimal_sign: optText,
            thousands_sign: optText,
            decimal_amount: opt((v): Parsed<number> => {
              const n = parseInteger(v)
              return n.ok && isCurrencyDecimals(n.value)
                ? n
                : { ok: false, message: `expected a number of decimals from 0 to 4, got ${show(v)}` }
            })
          })
          .nullish()
      })
      .nullish()
  })
  .superRefine((o, ctx) => need(ctx, o.full_name ?? o.name ?? o.label, 'name'))

// api-me.html's config.currency: {key:"eur",symbol:"€",template:"@amount @symbol",decimal_sign:",",decimal_amount:2,thousands_sign:"."}.
// README.txt's /api/v1.0/me has no config: the currency is then null (unknown), never a blank default.
export const meDecoder = rowDecoder(
  'me',
  () => meSchema,
  (o, raw): CircuitMe => {
    const c = o.config?.currency
    const currency: CircuitCurrency | null = c
      ? {
          code: (c.key ?? c.code ?? '').toUpperCase(),
          symbol: c.symbol ?? '',
          template: c.template ?? '@symbol@amount',
          decimalSign: c.decimal_sign ?? '.',
          thousandsSign: c.thousands_sign ?? ',',
          decimals: c.decimal_amount ?? DEFAULT_DECIMALS
        }
      : null
    return {
      id: o.id,
      name: (o.full_name ?? o.name ?? o.label)!,
      email: o.mail ?? o.email,
      roles: o.roles ?? [],
      currency,
      raw
    }
  }
)

// ------------------------------------------------------------ item dimensions (connectors: item creation)

// README.txt "Item Dimensions": PATCH body {height, width, depth, weight, unit} as strings; the
// GET row is not shown — assumed to carry its id, the item and the same fields.
const itemDimensionsSchema = z.object({
  id,
  item: optRefId,
  height: optText,
  width: optText,
  depth: optText,
  weight: optText,
  unit: optText
})

export const itemDimensionsDecoder = rowDecoder(
  'item dimensions',
  () => itemDimensionsSchema,
  (o, raw): CircuitItemDimensions => ({
    id: o.id,
    itemId: o.item,
    height: o.height ?? '',
    width: o.width ?? '',
    depth: o.depth ?? '',
    weight: o.weight ?? '',
    unit: o.unit ?? '',
    raw
  })
)
