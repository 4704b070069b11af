// The typed Circuit client: auth + request + decode for every endpoint in
// endpoints.ts, paging (fetchPage / listAll), and per-resource methods.

import { applyToken, type AuthFlow, type CredentialsProvider, TokenManager, type TokenTransport } from './auth'
import { formatMinor } from './decode-primitives'
import type { RowDecoder } from './decoders'
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
import { CircuitAuthRequired, CircuitBadResponse, CircuitConfigError, CircuitDecodeError } from './errors'
import {
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
import type { SecretStore } from './secret-store'
import type { Minor } from './types'

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
  onPage?: (rows: T[], progress: { fetched: number; total: number | null; page: number }) => void | Promise<void>
  /** Hard stop (default: pages implied by count + 3, or 10 000). */
  maxPages?: number
}

export interface CallOptions {
  params?: Record<string, string>
  query?: CircuitQuery
  body?: unknown
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

/** Minor units → "450.00"; null → what the field takes for "none". */
function optionalMoney(v: Minor | null, field: string, none: string | null): string | null {
  return v === null ? none : money(v, field)
}

// ------------------------------------------------------------ helpers

function money(v: Minor, field: string): string {
  if (!Number.isSafeInteger(v)) throw new CircuitConfigError(`${field}: money must be integer minor units, got ${v}`)
  return formatMinor(v)
}

function encodeCharges(cs: ChargeInput[] | undefined, field: string): unknown {
  if (cs === undefined) return undefined
  return cs.map((c, i) => ({
    term: c.term,
    amount: money(c.amount, `${field}[${i}].amount`),
    // A rate, written like an amount with two decimals: 2100 bp → "21.00".
    ...(c.taxRateBp === undefined || c.taxRateBp === null
      ? {}
      : { tax: money(c.taxRateBp, `${field}[${i}].taxRateBp`) }),
    ...(c.description === undefined ? {} : { description: c.description })
  }))
}

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
  const tokens = new TokenManager({
    baseUrl,
    fetch: fetchFn,
    now,
    secrets: opts.secrets,
    credentials: opts.credentials,
    authFlow: opts.authFlow ?? 'login-token',
    timeoutMs,
    refreshMarginMs: opts.refreshMarginMs ?? 60_000
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
  async function exchange(key: string, def: EndpointDef<unknown>, url: string, body: unknown): Promise<HttpResponse> {
    const mutating = def.method !== 'GET'
    let token = await tokens.token()
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (body !== undefined) headers['content-type'] = 'application/json'
      const finalUrl = applyToken(url, headers, token.token, transport)
      const req: HttpRequest = {
        method: def.method,
        url: finalUrl,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
        mutating,
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
        throw new CircuitBadResponse(`${key}: unexpected HTTP ${status} (redirect?)`, status, '', mutating, req.info)
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
    const r = decoder.decode(row)
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

  /** Generic call by endpoint key. */
  async function call<K extends EndpointKey>(key: K, options: CallOptions = {}): Promise<Decoded<K>> {
    const def = endpoints[key] as EndpointDef<unknown>
    if (!def) throw new CircuitConfigError(`unknown Circuit endpoint "${String(key)}"`)
    const url = buildUrl(def, key, options)
    const res = await exchange(key, def, url, options.body)
    return decodeBody(key, def, res.body, options.query?.page ?? 0) as Decoded<K>
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
    return decodeList(key, def, res.body, page) as Page<RowOf<K>>
  }

  async function fetchHref<K extends ListEndpointKey>(key: K, href: string, page: number): Promise<Page<RowOf<K>>> {
    const def = listDef(key)
    const res = await exchange(key, def, href, undefined)
    return decodeList(key, def, res.body, page) as Page<RowOf<K>>
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
      new CircuitBadResponse(`${key}: paging did not terminate (${why})`, 200, '', false, {
        endpoint: key,
        method: 'GET'
      })

    for (;;) {
      let p: Page<RowOf<K>> = href ? await fetchHref(key, href, page) : await fetchPage(key, query, page, range)
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
          p = await fetchPage(key, query, page, range)
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
      if (fresh.length > 0 && o.onPage) await o.onPage(fresh, { fetched, total: p.count, page: p.page })

      if (p.rows.length === 0) break
      if (p.count !== null && fetched >= p.count) break
      if (p.count === null && !p.nextHref && p.rows.length < range) break

      if (p.nextHref) {
        if (seenHrefs.has(p.nextHref)) throw loop(`next.href repeated: ${redactUrl(p.nextHref)}`)
        seenHrefs.add(p.nextHref)
        href = p.nextHref
        page = pageOfHref(p.nextHref, page + 1)
        baseChecked = true
      } else {
        href = null
        page += 1
      }
    }
    return all
  }

  const list =
    <K extends ListEndpointKey>(key: K) =>
    (query: CircuitQuery = {}): Promise<Page<RowOf<K>>> =>
      fetchPage(key, query, query.page ?? 0, query.range ?? 50)

  return {
    baseUrl,
    /** Explicit login (Settings screen). Stores only the token. */
    login: async (email: string, password: string): Promise<{ expiresAt: number | null }> => {
      const t = await tokens.login(email, password)
      return { expiresAt: t.expiresAt }
    },
    /** Forget the stored token. */
    logout: (): Promise<void> => tokens.forget(),
    me: () => call('me'),
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
      patch: (id: string, fields: ItemHistoryPatch) => {
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
        return call('items.patch', { params: { id }, body: stripUndefined(body) })
      },
      deleteWinningBid: (itemId: string) => call('items.deleteWinningBid', { params: { id: itemId } }),
      /** README.txt's bulk status change (e.g. withdraw several lots at once). */
      bulkUpdateStatus: (itemIds: string[], status: 'withdrawn' | 'available' | 'unsold') =>
        call('items.bulk', { body: { operation: 'update_status', items: itemIds, values: { status } } }),
      lots: (saleId: string) => call('items.lots', { query: { params: { sale: saleId } } })
    },
    consignments: {
      list: list('consignments.list')
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
      get: (id: string) => call('orders.get', { params: { id } }),
      create: (input: OrderCreateInput) =>
        call('orders.create', {
          body: stripUndefined({
            ...input,
            additional_charges: encodeCharges(input.additional_charges, 'additional_charges')
          })
        }),
      patch: (id: string, input: OrderPatchInput) =>
        call('orders.patch', {
          params: { id },
          body: stripUndefined({
            ...input,
            additional_charges: encodeCharges(input.additional_charges, 'additional_charges')
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
      create: (t: TransactionInput) =>
        call('transactions.create', { body: stripUndefined({ ...t, amount: money(t.amount, 'amount') }) }),
      patch: (id: string, t: TransactionPatchInput) =>
        call('transactions.patch', {
          params: { id },
          body: stripUndefined({ ...t, amount: t.amount === undefined ? undefined : money(t.amount, 'amount') })
        }),
      delete: (id: string) => call('transactions.delete', { params: { id } })
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
            estimate_low: optionalMoney(input.estimateLow, 'estimate_low', '0.00'),
            estimate_high: optionalMoney(input.estimateHigh, 'estimate_high', '0.00'),
            opening_price: optionalMoney(input.opening, 'opening_price', '0.00'),
            reserve_price: optionalMoney(input.reserve, 'reserve_price', null),
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
              input.estimateLow === undefined ? undefined : optionalMoney(input.estimateLow, 'estimate_low', '0.00'),
            estimate_high:
              input.estimateHigh === undefined ? undefined : optionalMoney(input.estimateHigh, 'estimate_high', '0.00'),
            opening_price:
              input.opening === undefined ? undefined : optionalMoney(input.opening, 'opening_price', '0.00'),
            reserve_price: input.reserve === undefined ? undefined : optionalMoney(input.reserve, 'reserve_price', null)
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
