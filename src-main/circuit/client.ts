// The typed Circuit client: auth + request + decode for every endpoint in
// endpoints.ts, paging (fetchPage / listAll), and per-resource methods.

import { applyToken, type AuthFlow, type CredentialsProvider, TokenManager, type TokenTransport } from './auth'
import { DEFAULT_DECIMALS, formatGramsAsKg, formatMinor, isCurrencyDecimals } from './decode-primitives'
import type { DecodeContext, RowDecoder } from './decoders'
import {
  type EndpointDef,
  type EndpointKey,
  endpoints,
  type ListEndpointKey,
  resourceName,
  type RowOf,
  type Shape,
  type TermVocabulary
} from './endpoints'
import {
  CircuitAuthRequired,
  CircuitBadResponse,
  CircuitConfigError,
  CircuitDecodeError,
  CircuitError,
  CircuitHttpError
} from './errors'
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  errorBodyStatus,
  type FetchFn,
  httpErrorFrom,
  type HttpRequest,
  type HttpResponse,
  normaliseBaseUrl,
  rateLimitedFrom,
  redactUrl,
  send
} from './http'
import { type CircuitQuery, encodeQuery, withQuery } from './query'
import type { CircuitShipment, CircuitShippingBox, SaleroomRelease } from './records'
import type { SecretStore } from './secret-store'
import type { CircuitMe, CircuitOrder, CircuitTransaction, Minor } from './types'

export interface CircuitClientOptions {
  /** Site root, e.g. "https://backoffice.example.com" (a trailing /api/v1.0 is accepted). https only, except loopback. */
  baseUrl: string
  fetch?: FetchFn
  /** Injected clock, epoch ms. */
  now: () => number
  secrets: SecretStore
  /** Asked when a login is needed; return null to make the call fail with CircuitAuthRequired. */
  credentials: CredentialsProvider
  authFlow?: AuthFlow
  tokenTransport?: TokenTransport
  /** Per-request time-out (default 30 s). */
  timeoutMs?: number
  /** Log in again this long before `expire` (default 60 s). */
  refreshMarginMs?: number
  /**
   * Largest answer read, per request (one page of a list), in bytes (default 32 MB).
   * A bigger answer is refused while it streams in: CircuitBadResponse, reason 'too-large'.
   */
  maxResponseBytes?: number
  /**
   * Decimals of Circuit's currency (`config.currency.decimal_amount`: 2 GBP, 0 JPY, 3 KWD);
   * amounts in decimal text are read and written with them. Default 2. `me()` updates it
   * from Circuit's answer; `setCurrencyDecimals` sets it (e.g. from the last known /me).
   */
  currencyDecimals?: number
  /**
   * Make a lot's result change conditional on the record as it was read back (`If-Match` with its
   * `updated`): a venue hub refuses it (412) when another station's change reached it first.
   * Only for a venue hub (Saleroom's own server); Circuit's docs show no conditional requests.
   */
  conditionalWrites?: boolean
}

export interface Page<T> {
  rows: T[]
  /** Server `count` (total before paging), null when absent. */
  count: number | null
  /** Absolute same-origin `next.href`, null when absent or foreign. */
  nextHref: string | null
  page: number
}

export interface ListAllOptions<T> {
  range?: number
  /** Resume: first page to fetch (server numbering). */
  startPage?: number
  /** Rows already pulled before `startPage`, for the count check on resume. */
  alreadyFetched?: number
  onPage?: (
    rows: T[],
    progress: { fetched: number; total: number | null; page: number; mark: number | undefined }
  ) => void | Promise<void>
  /**
   * Called as each page is asked for; what it returns comes back with that page as
   * `progress.mark`. A caller that writes pages into the replica takes the sender's
   * generation here, to know which records were written after the page was read.
   */
  markRequest?: () => number
  /** Hard stop (default: pages implied by count + 3, or 10 000). */
  maxPages?: number
}

export interface CallOptions {
  params?: Record<string, string>
  query?: CircuitQuery
  body?: unknown
  /** Extra request headers (a conditional write's If-Match). */
  headers?: Record<string, string>
}

type Decoded<K extends EndpointKey> = ShapeResult<RowOf<K>, (typeof endpoints)[K]['shape']>
type ShapeResult<T, S extends Shape> = S extends 'list' ? Page<T> : S extends 'single' ? T : S extends 'command' ? T : T

// Fields asked for by default on datatable-items: without `fields` Circuit
// returns only display_id,lot,status (items/list.html).
export const DEFAULT_ITEM_FIELDS = [
  'id',
  'label',
  'title',
  'lot',
  'lot_number',
  'lot_letter',
  'description',
  'sale',
  'consignment',
  'consignor_name',
  'category',
  'estimate_low',
  'estimate_high',
  'reserve_price',
  'opening_price',
  'hammer_price',
  'status',
  'sold_status',
  'winner',
  'bidder_number',
  'updated'
]

// ------------------------------------------------------------ write inputs (money as integer minor units)

export interface ItemHistoryPatch {
  /** Hammer in CENTS (items/update.html documents this field in cents). */
  field_sold_for_amount?: Minor | null
  /** Winning client id. */
  field_winner_bidder?: string | null
  /** e.g. "Paddle 23". */
  field_bidder_alias?: string | null
  field_sold_status?: string | null
  /** Sent as 1/0. */
  field_withdrawn?: boolean
  [field: string]: unknown
}

export interface ChargeInput {
  term: string
  amount: Minor
  /** The charge's tax RATE in basis points (2100 → "21.00"), as Circuit takes it. */
  taxRateBp?: number | null
  description?: string
}

export interface OrderCreateInput {
  type: 'bidder' | 'consignor' | 'credit_note' | 'transport_invoice'
  sale: string
  owner: string
  status?: string
  items: string[]
  additional_charges?: ChargeInput[]
}

export interface OrderPatchInput {
  status?: string
  additional_charges?: ChargeInput[]
  use_custom_address?: boolean
  custom_address?: Record<string, string>
  [field: string]: unknown
}

export interface TransactionInput {
  order: string
  /** Wire vocabulary as the server expects it: "Payment" | "Cheque" | "Wire Transfer" (docs) or cash | bank_transfer | cheque | credit_card | paypal (Circuit UI). */
  transaction_type: string
  amount: Minor
  /** YYYY-MM-DD */
  transaction_date: string
  credit_card_type?: string
  credit_card_last_4_digits?: string
  bank?: string
  bank_account_number?: string
  bank_branch?: string
  cheque_number?: string
  cheque_date?: string
  info?: string
}

/** `orders.findAll`: the documented filters (orders/list.html) plus a creation time. */
export interface OrderCriteria {
  type?: OrderCreateInput['type']
  sale?: string
  /** The client id the order belongs to. */
  owner?: string
  status?: string
  /**
   * Only orders Circuit made at or after this instant (epoch ms or ISO 8601). Sent as
   * `filter[created][value][from]` with the UTC date of the day before (whatever
   * timezone Circuit reads a date in, nothing later is missed), then compared exactly
   * here on the decoded `created`; an order without `created` is kept.
   */
  createdFrom?: number | string
}

export interface ShipmentInput {
  order: string
  items: string[]
  /** `shipping_method`, e.g. "FedEx Ground". */
  method: string
  trackingNumber?: string
  /** `shipping_cost` in minor units. */
  cost?: Minor
  /** Sent as kilograms ("2.5"). */
  weightGrams?: number
  /** Sent as `{length,width,height,unit:"cm"}`. */
  dimensionsCm?: { length: number; width: number; height: number }
}

export interface ShippingBoxInput {
  order: string
  items: string[]
  /** Circuit creates or updates the box with this number on the order. */
  boxNumber: string | number
  weightGrams?: number
  /** Sent as "30x20x15cm". */
  dimensionsCm?: { length: number; width: number; height: number }
}

export interface TransactionPatchInput {
  amount?: Minor
  info?: string
  [field: string]: unknown
}

/**
 * The docs' body is {sale_id,client_id,session_id,paddle_number,phone,lots[]}.
 * Settled here: session_id is required (cards are per session and Circuit's
 * upsert is keyed on client + session; a card without one cannot be matched
 * again). `staff` (the caller's staff id) is not in the docs; the simulator
 * takes it, and Circuit is assumed to ignore what it does not know.
 */
export interface PhoneCardInput {
  sale_id: string
  client_id: string
  session_id: string
  paddle_number?: string
  phone?: string
  lots?: string[]
  staff?: string
}

/**
 * A new item (connectors: lots imported from FairWarning). Money in integer
 * minor units; sent as decimal strings with a point ("450.00"), which reads
 * the same whether a server takes the docs' cents (items/create.html: a point
 * means major units) or decimal strings (data-types.html).
 */
export interface ItemCreateInput {
  lotNumber: number
  lotLetter: string
  title: string
  description: string
  estimateLow: Minor | null
  estimateHigh: Minor | null
  opening: Minor | null
  reserve: Minor | null
  consignmentId: string
  categoryId: string | null
}

/** The plain fields of an existing item (PATCH datatable-items/{id}); the same money rule. */
export type ItemFieldsInput = Partial<
  Pick<ItemCreateInput, 'title' | 'description' | 'estimateLow' | 'estimateHigh' | 'opening' | 'reserve'>
>

/** item-dimensions PATCH: lengths and weight as decimal text ("30", "2.5"); "" clears one. */
export interface ItemDimensionsInput {
  height: string
  width: string
  depth: string
  weight: string
  unit: string
}

/** Minor units → "450.00" in the currency's decimals; null → "0.00" (`zeroIfNone`) or null. */
function optionalMoney(v: Minor | null, field: string, zeroIfNone: boolean, decimals: number): string | null {
  return v === null ? (zeroIfNone ? money(0, field, decimals) : null) : money(v, field, decimals)
}

// ------------------------------------------------------------ helpers

/** Minor units → Circuit's decimal text, with the currency's decimals. */
function money(v: Minor, field: string, decimals: number): string {
  if (!Number.isSafeInteger(v)) throw new CircuitConfigError(`${field}: money must be integer minor units, got ${v}`)
  return formatMinor(v, decimals)
}

function encodeCharges(cs: ChargeInput[] | undefined, field: string, decimals: number): unknown {
  if (cs === undefined) return undefined
  return cs.map((c, i) => ({
    term: c.term,
    amount: money(c.amount, `${field}[${i}].amount`, decimals),
    // A rate, written with two decimals whatever the currency: 2100 bp → "21.00".
    ...(c.taxRateBp === undefined || c.taxRateBp === null
      ? {}
      : { tax: money(c.taxRateBp, `${field}[${i}].taxRateBp`, 2) }),
    ...(c.description === undefined ? {} : { description: c.description })
  }))
}

function lengthText(v: number, field: string): string {
  if (!Number.isFinite(v) || v <= 0) throw new CircuitConfigError(`${field}: expected a positive length, got ${v}`)
  return String(v)
}

function weightText(grams: number | undefined, field: string): string | undefined {
  if (grams === undefined) return undefined
  if (!Number.isSafeInteger(grams) || grams < 0)
    throw new CircuitConfigError(`${field}: a weight must be whole grams, got ${grams}`)
  return formatGramsAsKg(grams)
}

/** A 404 (JSON error or the server's HTML "not found" page). */
const isNotFound = (e: unknown): boolean =>
  (e instanceof CircuitHttpError || e instanceof CircuitBadResponse) && e.status === 404

const DAY_MS = 86_400_000

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v
  return out
}

const isExpiredDetail = (body: unknown): boolean => {
  const o = (body ?? {}) as { detail?: unknown; title?: unknown }
  return /expired/i.test(
    `${typeof o.detail === 'string' ? o.detail : ''} ${typeof o.title === 'string' ? o.title : ''}`
  )
}

// ------------------------------------------------------------ client

export type CircuitApiClient = ReturnType<typeof createCircuitClient>

export function createCircuitClient(opts: CircuitClientOptions) {
  const baseUrl = normaliseBaseUrl(opts.baseUrl)
  const origin = new URL(baseUrl).origin
  const fetchFn: FetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = opts.now
  const transport: TokenTransport = opts.tokenTransport ?? 'bearer'
  const timeoutMs = opts.timeoutMs ?? 30_000
  const maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1024)
    throw new CircuitConfigError(`maxResponseBytes must be a whole number of bytes, at least 1024: ${maxResponseBytes}`)
  let decodeContext: DecodeContext = { decimals: DEFAULT_DECIMALS }
  function setCurrencyDecimals(decimals: number): void {
    if (!isCurrencyDecimals(decimals))
      throw new CircuitConfigError(`currency decimals must be a whole number from 0 to 4, got ${decimals}`)
    decodeContext = { decimals }
  }
  if (opts.currencyDecimals !== undefined) setCurrencyDecimals(opts.currencyDecimals)
  const amount = (v: Minor, field: string): string => money(v, field, decodeContext.decimals)
  const tokens = new TokenManager({
    baseUrl,
    fetch: fetchFn,
    now,
    secrets: opts.secrets,
    credentials: opts.credentials,
    authFlow: opts.authFlow ?? 'login-token',
    timeoutMs,
    refreshMarginMs: opts.refreshMarginMs ?? 60_000,
    maxResponseBytes
  })

  function buildUrl(def: EndpointDef<unknown>, key: string, call: CallOptions): string {
    const path = def.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const v = call.params?.[name]
      if (v === undefined || v === '') throw new CircuitConfigError(`${key}: missing path parameter "${name}"`)
      // encodeURIComponent leaves dots alone: "." and ".." would walk the path (".." reached GET /api/v1.0/).
      if (v === '.' || v === '..') throw new CircuitConfigError(`${key}: "${v}" is not a valid ${name}`)
      return encodeURIComponent(v)
    })
    return withQuery(baseUrl + path, encodeQuery(call.query))
  }

  /** Authenticated exchange with 401/403/429/error-body handling; returns the JSON body of a success. */
  async function exchange(
    key: string,
    def: EndpointDef<unknown>,
    url: string,
    body: unknown,
    extraHeaders: Record<string, string> = {}
  ): Promise<HttpResponse> {
    const mutating = def.method !== 'GET'
    let token = await tokens.token()
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' }
      if (body !== undefined) headers['content-type'] = 'application/json'
      const finalUrl = applyToken(url, headers, token.token, transport)
      const req: HttpRequest = {
        method: def.method,
        url: finalUrl,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
        mutating,
        maxBytes: maxResponseBytes,
        info: { endpoint: key, method: def.method, url: redactUrl(finalUrl) }
      }
      const res = await send(fetchFn, req)
      const bodyStatus = errorBodyStatus(res.body)
      const status = res.status >= 400 ? res.status : (bodyStatus ?? res.status)
      if (status === 401) {
        await tokens.forget()
        const d = (res.body as { detail?: unknown } | null)?.detail
        throw new CircuitAuthRequired(
          `${key}: Circuit requires a new login`,
          req.info,
          typeof d === 'string' ? d : null
        )
      }
      if (status === 403 && isExpiredDetail(res.body)) {
        if (attempt > 0)
          throw new CircuitAuthRequired(`${key}: token rejected as expired right after logging in`, req.info)
        // A 403 "expired" means the request was refused, so resending is safe even for mutations.
        token = await tokens.renewAfterExpired(token.token)
        continue
      }
      if (status === 429) throw rateLimitedFrom(res, req, now())
      if (status >= 400) throw httpErrorFrom(status, res.status, res.body, req)
      if (status >= 300)
        throw new CircuitBadResponse(
          `${key}: unexpected HTTP ${status} (redirect?)`,
          status,
          '',
          mutating,
          req.info,
          'redirect'
        )
      return res
    }
  }

  function decodeRow<T>(
    key: string,
    def: EndpointDef<T>,
    decoder: RowDecoder<T>,
    row: unknown,
    index: number | null
  ): T {
    const r = decoder.decode(row, decodeContext)
    if (!r.ok)
      throw new CircuitDecodeError(resourceName(def), index, r.path, r.message, def.method !== 'GET', {
        endpoint: key,
        method: def.method
      })
    return r.value
  }

  function envelopeError(key: string, def: EndpointDef<unknown>, path: string, problem: string): CircuitDecodeError {
    return new CircuitDecodeError(resourceName(def), null, path, problem, def.method !== 'GET', {
      endpoint: key,
      method: def.method
    })
  }

  function sameOriginHref(href: unknown): string | null {
    if (typeof href !== 'string' || href === '') return null
    try {
      const u = new URL(href, baseUrl + '/')
      // Never send the token to another host (next.href comes from the server).
      return u.origin === origin ? redactlessStripToken(u.toString()) : null
    } catch {
      return null
    }
  }
  // A server-supplied next.href may echo ?access_token=; we add our own.
  const redactlessStripToken = (u: string): string =>
    u.replace(/([?&])access_token=[^&#]*&?/g, '$1').replace(/[?&]$/, '')

  function decodeList<T>(key: string, def: EndpointDef<T>, body: unknown, page: number): Page<T> {
    const env = body as Record<string, unknown> | unknown[] | null
    let data: unknown
    let count: number | null = null
    let next: string | null = null
    if (Array.isArray(env)) data = env
    else if (env && typeof env === 'object') {
      data = env.data
      if (env.count !== undefined && env.count !== null) {
        const c = typeof env.count === 'string' && /^\d+$/.test(env.count) ? Number(env.count) : env.count
        if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0)
          throw envelopeError(key, def, 'count', `expected a row count, got ${JSON.stringify(env.count)}`)
        count = c
      }
      const n = env.next as { href?: unknown } | undefined
      next = n && typeof n === 'object' ? sameOriginHref(n.href) : null
    } else
      throw envelopeError(key, def, '', `expected a JSON object with data, got ${JSON.stringify(body)?.slice(0, 60)}`)
    if (!Array.isArray(data))
      throw envelopeError(
        key,
        def,
        'data',
        `expected a list, got ${data === undefined ? 'nothing (field missing)' : JSON.stringify(data).slice(0, 60)}`
      )
    // Decode the whole page before returning anything.
    const rows = data.map((row, i) => decodeRow(key, def, def.decoder, row, i))
    return { rows, count, nextHref: next, page }
  }

  function decodeBody(key: string, def: EndpointDef<unknown>, body: unknown, page: number): unknown {
    switch (def.shape) {
      case 'ack':
        return { ok: true, raw: body }
      case 'list':
        return decodeList(key, def, body, page)
      case 'single': {
        if (body === null && def.emptyOk) return null
        const env = body as Record<string, unknown> | null
        if (!env || typeof env !== 'object' || Array.isArray(env) || !('data' in env))
          throw envelopeError(key, def, 'data', 'expected {data: …}')
        const d = env.data
        if (Array.isArray(d)) {
          if (d.length === 0) {
            if (def.emptyOk) return null
            throw envelopeError(key, def, 'data', 'expected one record, got an empty list')
          }
          return decodeRow(key, def, def.decoder, d[0], 0)
        }
        if (d && typeof d === 'object') return decodeRow(key, def, def.decoder, d, 0)
        throw envelopeError(key, def, 'data', `expected a record, got ${JSON.stringify(d)}`)
      }
      case 'command': {
        const env = body as Record<string, unknown> | null
        if (!env || typeof env !== 'object') throw envelopeError(key, def, '', 'expected a JSON object')
        let d: unknown = 'data' in env ? env.data : env
        if (Array.isArray(d)) d = d[0]
        return decodeRow(key, def, def.decoder, d, null)
      }
    }
  }

  /**
   * Decode an answer; anything that is not a CircuitError (a stack overflow on
   * strange data, say) becomes a plain "could not be read" without its internal text.
   */
  function readAnswer<T>(key: string, def: EndpointDef<unknown>, decode: () => T): T {
    try {
      return decode()
    } catch (e) {
      if (e instanceof CircuitError) throw e
      throw new CircuitBadResponse(
        `${key}: Circuit's answer could not be read`,
        200,
        '',
        def.method !== 'GET',
        { endpoint: key, method: def.method },
        'unreadable'
      )
    }
  }

  /** Generic call by endpoint key. */
  async function call<K extends EndpointKey>(key: K, options: CallOptions = {}): Promise<Decoded<K>> {
    const def = endpoints[key] as EndpointDef<unknown>
    if (!def) throw new CircuitConfigError(`unknown Circuit endpoint "${String(key)}"`)
    const url = buildUrl(def, key, options)
    const res = await exchange(key, def, url, options.body, options.headers)
    return readAnswer(key, def, () => decodeBody(key, def, res.body, options.query?.page ?? 0)) as Decoded<K>
  }

  function listDef(key: ListEndpointKey): EndpointDef<unknown> {
    const def = endpoints[key] as EndpointDef<unknown>
    if (!def || def.shape !== 'list') throw new CircuitConfigError(`"${String(key)}" is not a list endpoint`)
    return def
  }

  function withDefaults(key: ListEndpointKey, query: CircuitQuery): CircuitQuery {
    if (key === 'items.list' && (!query.fields || query.fields.length === 0))
      return { ...query, fields: DEFAULT_ITEM_FIELDS }
    return query
  }

  /** One page of a list endpoint. */
  async function fetchPage<K extends ListEndpointKey>(
    key: K,
    query: CircuitQuery,
    page: number,
    range: number
  ): Promise<Page<RowOf<K>>> {
    const def = listDef(key)
    const url = buildUrl(def, key, { query: { ...withDefaults(key, query), page, range } })
    const res = await exchange(key, def, url, undefined)
    return readAnswer(key, def, () => decodeList(key, def, res.body, page)) as Page<RowOf<K>>
  }

  async function fetchHref<K extends ListEndpointKey>(key: K, href: string, page: number): Promise<Page<RowOf<K>>> {
    const def = listDef(key)
    const res = await exchange(key, def, href, undefined)
    return readAnswer(key, def, () => decodeList(key, def, res.body, page)) as Page<RowOf<K>>
  }

  const pageOfHref = (href: string, fallback: number): number => {
    const m = /[?&]page=(\d+)/.exec(href)
    return m ? Number(m[1]) : fallback
  }

  const rowId = (r: unknown): string | null => {
    const id = (r as { id?: unknown } | null)?.id
    return typeof id === 'string' ? id : null
  }

  /**
   * Pull every page. Follows same-origin `next.href` when present, else page
   * numbers. Page base: starts at page 0; if page 1 starts with the same row
   * as page 0, the server is 1-based (0 and 1 both mean the first page) and
   * the duplicate is dropped. Stops when `count` rows were fetched, on an
   * empty page, or (no count) on a short page. A page that brings no new rows,
   * a repeated next.href or more pages than `count` allows → CircuitBadResponse.
   */
  async function listAll<K extends ListEndpointKey>(
    key: K,
    query: CircuitQuery = {},
    o: ListAllOptions<RowOf<K>> = {}
  ): Promise<RowOf<K>[]> {
    const range = o.range ?? 50
    let page = o.startPage ?? 0
    const all: RowOf<K>[] = []
    const seen = new Set<string>()
    const seenHrefs = new Set<string>()
    let fetched = o.alreadyFetched ?? (o.startPage ? o.startPage * range : 0)
    let firstPageFirstId: string | null = null
    let baseChecked = o.startPage !== undefined && o.startPage > 0
    let href: string | null = null
    let pagesFetched = 0
    let limit = o.maxPages ?? 10_000
    const loop = (why: string): CircuitBadResponse =>
      new CircuitBadResponse(
        `${key}: paging did not terminate (${why})`,
        200,
        '',
        false,
        { endpoint: key, method: 'GET' },
        'paging'
      )

    interface Asked {
      answer: Promise<Page<RowOf<K>>>
      mark: number | undefined
    }
    const ask = (get: () => Promise<Page<RowOf<K>>>): Asked => {
      const mark = o.markRequest?.()
      return { answer: get(), mark }
    }
    const request = () => ask(() => (href ? fetchHref(key, href, page) : fetchPage(key, query, page, range)))
    // The next page, asked for while this one is handed to onPage (written to the replica):
    // the network and the database work at once. Its answer waits here, outside any transaction.
    let ahead: Asked | null = null

    for (;;) {
      let asked = ahead ?? request()
      ahead = null
      let p: Page<RowOf<K>> = await asked.answer
      pagesFetched++
      if (o.maxPages === undefined && pagesFetched === 1 && p.count !== null && p.rows.length > 0) {
        // The server may cap `range`; size the guard on the page it actually sent.
        limit = Math.ceil(p.count / p.rows.length) + 3
      }
      if (pagesFetched > limit) throw loop(`more than ${limit} pages`)

      if (!href && !baseChecked && page === 0) {
        if (p.rows.length === 0 && (p.count ?? 0) > 0) {
          // Some 1-based servers answer page=0 with nothing.
          page = 1
          baseChecked = true
          continue
        }
        firstPageFirstId = rowId(p.rows[0])
      } else if (!href && !baseChecked && page === 1) {
        baseChecked = true
        if (firstPageFirstId !== null && rowId(p.rows[0]) === firstPageFirstId) {
          // 1-based server: page 0 and page 1 are the same page.
          page = 2
          asked = ask(() => fetchPage(key, query, page, range))
          p = await asked.answer
          pagesFetched++
        }
      }

      const fresh = p.rows.filter((r) => {
        const id = rowId(r)
        if (id === null) return true
        if (seen.has(id)) return false
        seen.add(id)
        return true
      })
      if (p.rows.length > 0 && fresh.length === 0) throw loop(`page ${page} repeated rows already fetched`)
      fetched += fresh.length
      all.push(...fresh)

      const last =
        p.rows.length === 0 ||
        (p.count !== null && fetched >= p.count) ||
        (p.count === null && !p.nextHref && p.rows.length < range)
      let failure: CircuitBadResponse | null = null
      if (!last) {
        if (p.nextHref) {
          if (seenHrefs.has(p.nextHref)) failure = loop(`next.href repeated: ${redactUrl(p.nextHref)}`)
          else {
            seenHrefs.add(p.nextHref)
            href = p.nextHref
            page = pageOfHref(p.nextHref, page + 1)
            baseChecked = true
          }
        } else {
          href = null
          page += 1
        }
        if (!failure) {
          ahead = request()
          // Awaited on the next turn; a failure meanwhile (onPage threw) is nobody's to report.
          ahead.answer.catch(() => undefined)
          // Let the request actually go out before the page is written: onPage holds the thread
          // (a synchronous transaction), and until this turn ends the request is only a promise.
          await new Promise<void>((r) => setImmediate(r))
        }
      }
      if (fresh.length > 0 && o.onPage) {
        await o.onPage(fresh, { fetched, total: p.count, page: p.page, mark: asked.mark })
      }
      if (failure) throw failure
      if (last) break
    }
    return all
  }

  const list =
    <K extends ListEndpointKey>(key: K) =>
    (query: CircuitQuery = {}): Promise<Page<RowOf<K>>> =>
      fetchPage(key, query, query.page ?? 0, query.range ?? 50)

  // Which /me answered (README.txt's /api/v1.0/me or api-me.html's /api/me), kept for this client's life.
  let meKey: 'me' | 'me.unversioned' | null = null

  /**
   * The current user and Circuit's currency. Asks /api/v1.0/me, then /api/me when
   * that is 404, and from then on asks the one that answered first. A currency in
   * the answer sets the decimals money is read and written with.
   */
  async function me(): Promise<CircuitMe> {
    const order: ('me' | 'me.unversioned')[] =
      meKey === 'me.unversioned' ? ['me.unversioned', 'me'] : ['me', 'me.unversioned']
    let notFound: unknown = null
    for (const key of order) {
      try {
        const answer = (await call(key)) as CircuitMe
        meKey = key
        if (answer.currency) setCurrencyDecimals(answer.currency.decimals)
        return answer
      } catch (e) {
        if (!isNotFound(e)) throw e
        notFound = e
      }
    }
    throw notFound
  }

  /** The instant of `createdFrom` as epoch ms. */
  function instant(v: number | string): number {
    const t = typeof v === 'number' ? v : Date.parse(v)
    if (!Number.isFinite(t)) throw new CircuitConfigError(`createdFrom: not a time: ${JSON.stringify(v)}`)
    return t
  }

  async function findOrders(c: OrderCriteria, o: { range?: number } = {}): Promise<CircuitOrder[]> {
    const from = c.createdFrom === undefined ? null : instant(c.createdFrom)
    const rows = await listAll(
      'orders.list',
      {
        filter: {
          type: c.type,
          sale: c.sale,
          owner: c.owner,
          status: c.status,
          created: from === null ? undefined : { from: new Date(from - DAY_MS).toISOString().slice(0, 10) }
        }
      },
      { range: o.range ?? 100 }
    )
    if (from === null) return rows
    return rows.filter((r) => r.created === null || Date.parse(r.created) >= from)
  }

  /**
   * One transaction, or null when Circuit says it is gone (404). With `orderId`,
   * a 404 is checked against the order's documented list (filter[order]) first, so
   * a server without GET transactions/{id} does not make a payment look deleted.
   * Any other failure throws.
   */
  async function findTransaction(id: string, orderId?: string): Promise<CircuitTransaction | null> {
    try {
      return (await call('transactions.get', { params: { id } })) as CircuitTransaction
    } catch (e) {
      if (!isNotFound(e)) throw e
    }
    if (orderId === undefined) return null
    const onOrder = await listAll('transactions.list', { filter: { order: orderId } }, { range: 100 })
    return onOrder.find((t) => t.id === id) ?? null
  }

  return {
    baseUrl,
    /** Explicit login (Settings screen). Stores only the token. */
    login: async (email: string, password: string): Promise<{ expiresAt: number | null }> => {
      const t = await tokens.login(email, password)
      return { expiresAt: t.expiresAt }
    },
    /** Forget the stored token. */
    logout: (): Promise<void> => tokens.forget(),
    /** A valid access token (logging in first if needed), for a server's own extras (a venue hub's feed). */
    accessToken: async (): Promise<string> => (await tokens.token()).token,
    /** The fetch this client talks through (a venue hub's is pinned to its certificate). */
    fetch: fetchFn,
    me,
    /** Decimals money is read and written with (Circuit's `decimal_amount`; 2 until told otherwise). */
    currencyDecimals: (): number => decodeContext.decimals,
    /** Set the currency's decimals (0–4), e.g. from the last /me kept by the app. */
    setCurrencyDecimals,
    call,
    fetchPage,
    listAll,

    sales: {
      list: list('sales.list'),
      get: (id: string) => call('sales.get', { params: { id } })
    },
    sessions: {
      list: (query: CircuitQuery = {}) => list('sessions.list')(query),
      forSale: (saleId: string) => list('sessions.list')({ filter: { sale: saleId } })
    },
    items: {
      list: list('items.list'),
      get: (id: string) => call('items.get', { params: { id } }),
      /** Item History write (hammer/winner/withdraw). Returns the updated item, or null when the server answers without a body. */
      /**
       * `readAs`: the record's `updated` as read back before deciding to send; with
       * `conditionalWrites` (a venue hub) the change applies only if the lot is still as read.
       */
      patch: (id: string, fields: ItemHistoryPatch, readAs?: string | null) => {
        const body: Record<string, unknown> = { ...fields }
        if (
          fields.field_sold_for_amount !== undefined &&
          fields.field_sold_for_amount !== null &&
          !Number.isSafeInteger(fields.field_sold_for_amount)
        ) {
          throw new CircuitConfigError(
            `field_sold_for_amount must be integer cents, got ${fields.field_sold_for_amount}`
          )
        }
        if (fields.field_withdrawn !== undefined) body.field_withdrawn = fields.field_withdrawn ? 1 : 0
        const headers = opts.conditionalWrites && readAs ? { 'if-match': JSON.stringify(readAs) } : undefined
        return call('items.patch', { params: { id }, body: stripUndefined(body), headers })
      },
      deleteWinningBid: (itemId: string) => call('items.deleteWinningBid', { params: { id: itemId } }),
      /** README.txt's bulk status change (e.g. withdraw several lots at once). */
      bulkUpdateStatus: (itemIds: string[], status: 'withdrawn' | 'available' | 'unsold') =>
        call('items.bulk', { body: { operation: 'update_status', items: itemIds, values: { status } } }),
      lots: (saleId: string) => call('items.lots', { query: { params: { sale: saleId } } })
    },
    consignments: {
      list: list('consignments.list'),
      /** Every consignment of a sale (all pages). */
      forSale: (saleId: string) => listAll('consignments.list', { filter: { sale: saleId } }, { range: 100 })
    },
    consignmentStatements: {
      /** LEGACY endpoint (README.txt): filter[sale|owner|status|customer_number]. */
      list: list('consignmentStatements.list'),
      /** Every statement of a sale (all pages). */
      forSale: (saleId: string) => listAll('consignmentStatements.list', { filter: { sale: saleId } }, { range: 100 })
    },
    clients: {
      list: list('clients.list'),
      get: (id: string) => call('clients.get', { params: { id } }),
      create: (fields: Record<string, unknown>) => call('clients.create', { body: fields }),
      patch: (id: string, fields: Record<string, unknown>) => call('clients.patch', { params: { id }, body: fields })
    },
    addresses: {
      list: list('addresses.list'),
      forClient: (clientId: string) => list('addresses.list')({ filter: { client: clientId } }),
      get: (id: string) => call('addresses.get', { params: { id } }),
      create: (fields: Record<string, unknown>) => call('addresses.create', { body: fields }),
      patch: (id: string, fields: Record<string, unknown>) => call('addresses.patch', { params: { id }, body: fields }),
      delete: (id: string) => call('addresses.delete', { params: { id } })
    },
    bidders: {
      /** ASSUMED endpoint shape (bidder_ids is undocumented). */
      forSale: (saleId: string, query: CircuitQuery = {}) =>
        list('bidders.list')({ ...query, filter: { ...query.filter, sale: saleId } })
    },
    phoneCards: {
      list: (q: { saleId?: string; sessionId?: string } & CircuitQuery = {}) => {
        const { saleId, sessionId, ...query } = q
        return list('phoneCards.list')({
          ...query,
          filter: { ...query.filter, sale_id: saleId, session_id: sessionId }
        })
      },
      /** Upsert: updates in place when a card exists for the client+session. */
      upsert: async (card: PhoneCardInput) => {
        if (!card.session_id) throw new CircuitConfigError('phoneCards.upsert: session_id is required')
        return call('phoneCards.upsert', { body: stripUndefined({ ...card }) })
      },
      delete: (ids: string | string[]) =>
        call('phoneCards.delete', { body: typeof ids === 'string' ? { id: ids } : { ids } }),
      forSession: (sessionId: string) => list('sessionPhoneCards.list')({ filter: { session: sessionId } })
    },
    orders: {
      list: list('orders.list'),
      /** Every order matching the documented filters and a creation time (all pages). */
      findAll: findOrders,
      get: (id: string) => call('orders.get', { params: { id } }),
      create: (input: OrderCreateInput) =>
        call('orders.create', {
          body: stripUndefined({
            ...input,
            additional_charges: encodeCharges(input.additional_charges, 'additional_charges', decodeContext.decimals)
          })
        }),
      patch: (id: string, input: OrderPatchInput) =>
        call('orders.patch', {
          params: { id },
          body: stripUndefined({
            ...input,
            additional_charges: encodeCharges(input.additional_charges, 'additional_charges', decodeContext.decimals)
          })
        }),
      split: (orderId: string, itemIds: string[]) => call('orders.split', { body: { order: orderId, items: itemIds } }),
      createCreditNote: (orderId: string, itemIds: string[]) => {
        if (itemIds.length > 100) throw new CircuitConfigError('a credit note takes at most 100 items')
        return call('orders.createCreditNote', { params: { id: orderId }, body: { items: itemIds } })
      },
      cancelAndReissue: (orderId: string) => call('orders.cancelAndReissue', { params: { id: orderId } })
    },
    transactions: {
      list: list('transactions.list'),
      forOrder: (orderId: string) => list('transactions.list')({ filter: { order: orderId } }),
      /** ASSUMED GET transactions/{id}; a deleted one throws CircuitHttpError 404 (see `find`). */
      get: (id: string) => call('transactions.get', { params: { id } }),
      /** The transaction, or null when it is gone (404); other failures throw. See findTransaction. */
      find: findTransaction,
      create: (t: TransactionInput) =>
        call('transactions.create', { body: stripUndefined({ ...t, amount: amount(t.amount, 'amount') }) }),
      patch: (id: string, t: TransactionPatchInput) =>
        call('transactions.patch', {
          params: { id },
          body: stripUndefined({ ...t, amount: t.amount === undefined ? undefined : amount(t.amount, 'amount') })
        }),
      /** DELETE transactions/{id} (legacy README): 204 when deleted, CircuitHttpError 404 when already gone. */
      delete: (id: string) => call('transactions.delete', { params: { id } })
    },
    shipments: {
      list: list('shipments.list'),
      /** Every shipment of an order (all pages): the read-back of a lost POST. */
      forOrder: (orderId: string): Promise<CircuitShipment[]> =>
        listAll('shipments.list', { filter: { order: orderId } }, { range: 100 }),
      create: (s: ShipmentInput) => {
        if (!s.method.trim()) throw new CircuitConfigError('shipments.create: a shipping method is required')
        const d = s.dimensionsCm
        return call('shipments.create', {
          body: stripUndefined({
            order: s.order,
            items: s.items,
            shipping_method: s.method,
            tracking_number: s.trackingNumber,
            shipping_cost: s.cost === undefined ? undefined : amount(s.cost, 'cost'),
            weight: weightText(s.weightGrams, 'weightGrams'),
            dimensions:
              d === undefined
                ? undefined
                : {
                    length: lengthText(d.length, 'dimensionsCm.length'),
                    width: lengthText(d.width, 'dimensionsCm.width'),
                    height: lengthText(d.height, 'dimensionsCm.height'),
                    unit: 'cm'
                  }
          })
        })
      }
    },
    shippingBoxes: {
      /** ASSUMED GET shipping-box?filter[order]= (only POST is documented). */
      forOrder: (orderId: string): Promise<CircuitShippingBox[]> =>
        listAll('shippingBoxes.list', { filter: { order: orderId } }, { range: 100 }),
      /** Creates the box, or updates the order's box with the same number. */
      upsert: (b: ShippingBoxInput) => {
        const d = b.dimensionsCm
        return call('shippingBoxes.create', {
          body: stripUndefined({
            order: b.order,
            items: b.items,
            box_number: String(b.boxNumber),
            weight: weightText(b.weightGrams, 'weightGrams'),
            dimensions:
              d === undefined
                ? undefined
                : `${lengthText(d.length, 'dimensionsCm.length')}x${lengthText(d.width, 'dimensionsCm.width')}x${lengthText(d.height, 'dimensionsCm.height')}cm`
          })
        })
      }
    },
    shippingAreas: {
      all: () => listAll('shippingAreas.list', {}, { range: 100 })
    },
    /** A venue hub's releases at the collection desk (Saleroom's own route: Circuit has none). */
    collections: {
      /** The releases with these ids the hub holds (absent ids: not there). */
      byIds: async (ids: string[]): Promise<SaleroomRelease[]> => {
        const out: SaleroomRelease[] = []
        for (let i = 0; i < ids.length; i += 100) {
          const batch = ids.slice(i, i + 100)
          out.push(...(await listAll('collections.list', { filter: { id: { in: batch } } }, { range: 100 })))
        }
        return out
      },
      /** Record one release at the hub; the same release id again changes nothing. */
      record: (r: Omit<SaleroomRelease, 'updated' | 'raw'>) =>
        call('collections.create', {
          body: {
            id: r.id,
            sale: r.saleId,
            client: r.clientId,
            collected_by: r.collectedBy,
            note: r.note,
            released_by: r.releasedBy,
            station: r.station,
            at: r.at,
            lots: r.lots.map((l) => ({
              item: l.itemId,
              lot: l.lot,
              paddle: l.paddle,
              confirmed_reason: l.confirmedReason
            }))
          }
        })
    },
    cheques: {
      /**
       * The seed's form by default (README.txt documents `{id}`); `current: true` sends the
       * newer pages' `{transaction_id}`. Both answer shapes decode.
       */
      generate: (transactionId: string, o: { current?: boolean } = {}) =>
        call('cheques.generate', { body: o.current ? { transaction_id: transactionId } : { id: transactionId } })
    },
    staff: {
      all: () => listAll('staff.list', {}, { range: 100 })
    },
    // ---- item creation (connectors: lots imported from FairWarning) ----
    itemCreation: {
      /** POST datatable-items?sale_id= (consignment required). Null when the server answers without a body. */
      create: (saleId: string, input: ItemCreateInput) =>
        call('items.create', {
          query: { params: { sale_id: saleId } },
          body: stripUndefined({
            lot_number: input.lotNumber,
            lot_letter: input.lotLetter,
            title: input.title,
            description: input.description,
            estimate_low: optionalMoney(input.estimateLow, 'estimate_low', true, decodeContext.decimals),
            estimate_high: optionalMoney(input.estimateHigh, 'estimate_high', true, decodeContext.decimals),
            opening_price: optionalMoney(input.opening, 'opening_price', true, decodeContext.decimals),
            reserve_price: optionalMoney(input.reserve, 'reserve_price', false, decodeContext.decimals),
            consignment: input.consignmentId,
            category: input.categoryId ?? undefined
          })
        }),
      /** PATCH datatable-items/{id} with plain fields (not Item History). */
      updateFields: (itemId: string, input: ItemFieldsInput) =>
        call('items.patch', {
          params: { id: itemId },
          body: stripUndefined({
            title: input.title,
            description: input.description,
            estimate_low:
              input.estimateLow === undefined
                ? undefined
                : optionalMoney(input.estimateLow, 'estimate_low', true, decodeContext.decimals),
            estimate_high:
              input.estimateHigh === undefined
                ? undefined
                : optionalMoney(input.estimateHigh, 'estimate_high', true, decodeContext.decimals),
            opening_price:
              input.opening === undefined
                ? undefined
                : optionalMoney(input.opening, 'opening_price', true, decodeContext.decimals),
            reserve_price:
              input.reserve === undefined
                ? undefined
                : optionalMoney(input.reserve, 'reserve_price', false, decodeContext.decimals)
          })
        }),
      /** The item's dimensions records (item-dimensions?filter[item]=). */
      dimensionsOf: (itemId: string) => list('itemDimensions.list')({ filter: { item: itemId } }),
      patchDimensions: (dimensionsId: string, input: ItemDimensionsInput) =>
        call('itemDimensions.patch', { params: { id: dimensionsId }, body: { ...input } })
    },
    categories: {
      all: () => listAll('categories.list', {}, { range: 100 })
    },
    terms: {
      list: (vocab: TermVocabulary, query: CircuitQuery = {}) =>
        fetchPage(`terms.${vocab}` as 'terms.payment_types', query, query.page ?? 0, query.range ?? 100),
      all: (vocab: TermVocabulary) => listAll(`terms.${vocab}` as 'terms.payment_types', {}, { range: 100 })
    }
  }
}
