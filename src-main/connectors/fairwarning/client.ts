// The FairWarning items client: `GET items/[start]/[limit]` with the JSON
// search body the docs describe ("raw post data", on a GET), zod-validated.
// Paging sorts by lot and suffix, de-duplicates on item_id and stops at
// record_count. The key transport and the reading of `[limit]` are settings
// (README.md says why and what the defaults are).
import { z } from 'zod'
import type { FairWarningFilters, FairWarningKeyTransport, LimitMeaning } from '../../../src-shared/contract'
import { numberToPlainString } from '../../../src-shared/money'
import { ConnectorError, sendJson, withRetries } from '../http'
import { credentialsFor, pageWindow, secondSegment } from './protocol'

export interface FairWarningClientOptions {
  /** e.g. https://api.fairwarningsoftware.com/v1.1.1 (checked by checkBaseUrl). */
  baseUrl: string
  key: string
  keyTransport: FairWarningKeyTransport
  limitMeaning: LimitMeaning
  /** Records per request (default 100). */
  pageSize?: number
  timeoutMs?: number
  /** Tries per page after network trouble or a 500 (default 8); reads are safe to repeat. */
  attempts?: number
  /** The first wait before a try again, doubling each time (default 50 ms). */
  retryBaseMs?: number
  sleep?: (ms: number) => Promise<void>
}

// ------------------------------------------------------------ the item, as the docs type it

/** int: a JSON integer (or its digits as a string) → its digits. */
const int = z
  .union([
    z.number().int().safe(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, 'expected an integer')
  ])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v).trim()))
/** double: a JSON number (or a decimal string) → its shortest decimal text, never arithmetic. */
const double = z
  .union([
    z.number().finite(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
  ])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : typeof v === 'number' ? numberToPlainString(v) : v))
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)))
const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : v === true || v === 1 || v === '1'))
const image = z
  .object({
    base: z.string().nullish(),
    parts: z
      .object({
        full: z.string().nullish(),
        large: z.string().nullish(),
        medium: z.string().nullish(),
        thumb: z.string().nullish()
      })
      .partial()
      .nullish()
  })
  .nullish()

const itemSchema = z.object({
  item_id: z.union([z.number().int().safe(), z.string().trim().regex(/^\d+$/, 'expected an item id')]),
  receipt_id: int,
  office_id: int,
  storage_id: int,
  auction_id: int,
  status_id: int,
  category_id_1: int,
  category_id_2: int,
  category_id_3: int,
  // The field table spells it "iitem_advertise"; the sample and every other field say item_…
  item_advertise: bool,
  department_id: int,
  item_consignor_numbers: text,
  item_lot: int,
  item_lot_suffix: text,
  item_buy_it_now: double,
  item_timed_auction_start: text,
  item_timed_auction_end: text,
  item_low_estimate: double,
  item_high_estimate: double,
  // The sample shows <item_high_estimate> as its value; the table says it is the start price. Read as its own field.
  item_start_price: double,
  item_reserve: double,
  item_hammer_price: double,
  bidder_id: int,
  item_width: double,
  item_height: double,
  item_depth: double,
  item_weight: double,
  item_quantity: int,
  item_shelf_location: text,
  item_provenance: text,
  item_title: text,
  item_description: text,
  item_condition: text,
  item_comments_to_consignor: text,
  primary_image: image
})

export interface FairWarningItem {
  itemId: string
  receiptId: string | null
  officeId: string | null
  auctionId: string | null
  categoryId1: string | null
  consignorNumbers: string | null
  lot: string | null
  lotSuffix: string | null
  buyItNow: string | null
  timedStart: string | null
  timedEnd: string | null
  lowEstimate: string | null
  highEstimate: string | null
  startPrice: string | null
  reserve: string | null
  hammer: string | null
  bidderId: string | null
  width: string | null
  height: string | null
  depth: string | null
  weight: string | null
  quantity: string | null
  shelfLocation: string | null
  provenance: string | null
  title: string | null
  description: string | null
  condition: string | null
  commentsToConsignor: string | null
  /** The primary image's full-size address (base + parts.full, else large/medium/thumb). */
  imageUrl: string | null
}

/** An item FairWarning sent that does not match the documented types: refused, with what was wrong. */
export interface UnreadableItem {
  itemId: string | null
  lot: string | null
  problem: string
}

export type DecodedItem = { ok: true; item: FairWarningItem } | { ok: false; unreadable: UnreadableItem }

function imageUrl(img: z.output<typeof image>): string | null {
  if (!img?.base) return null
  const part = img.parts?.full ?? img.parts?.large ?? img.parts?.medium ?? img.parts?.thumb
  return part ? img.base + part : null
}

export function decodeItem(raw: unknown): DecodedItem {
  const r = itemSchema.safeParse(raw)
  if (!r.success) {
    const o = (raw ?? {}) as Record<string, unknown>
    const issue = r.error.issues[0]
    const path = issue.path.join('.')
    return {
      ok: false,
      unreadable: {
        itemId: typeof o.item_id === 'number' || typeof o.item_id === 'string' ? String(o.item_id) : null,
        lot: typeof o.item_lot === 'number' || typeof o.item_lot === 'string' ? String(o.item_lot) : null,
        problem: `${path || 'item'}: ${issue.message}`
      }
    }
  }
  const o = r.data
  return {
    ok: true,
    item: {
      itemId: String(o.item_id),
      receiptId: o.receipt_id,
      officeId: o.office_id,
      auctionId: o.auction_id,
      categoryId1: o.category_id_1,
      consignorNumbers: o.item_consignor_numbers,
      lot: o.item_lot,
      lotSuffix: o.item_lot_suffix,
      buyItNow: o.item_buy_it_now,
      timedStart: o.item_timed_auction_start,
      timedEnd: o.item_timed_auction_end,
      lowEstimate: o.item_low_estimate,
      highEstimate: o.item_high_estimate,
      startPrice: o.item_start_price,
      reserve: o.item_reserve,
      hammer: o.item_hammer_price,
      bidderId: o.bidder_id,
      width: o.item_width,
      height: o.item_height,
      depth: o.item_depth,
      weight: o.item_weight,
      quantity: o.item_quantity,
      shelfLocation: o.item_shelf_location,
      provenance: o.item_provenance,
      title: o.item_title,
      description: o.item_description,
      condition: o.item_condition,
      commentsToConsignor: o.item_comments_to_consignor,
      imageUrl: imageUrl(o.primary_image)
    }
  }
}

// ------------------------------------------------------------ the envelope

export interface ItemsPage {
  items: DecodedItem[]
  /** record_count, wherever it was (top level, or an element of `items` as in the docs' sample); null if absent. */
  recordCount: number | null
}

const countValue = z.union([z.number().int().min(0).safe(), z.string().regex(/^\d+$/).transform(Number)])

/**
 * `{"items":[…], "record_count": N}` — the field table's reading — or the
 * docs' sample, where `"record_count"` sits inside the items array as its last
 * element. Both are read; an element that only carries record_count is not an item.
 */
export function decodeItemsPage(body: unknown, what: string): ItemsPage {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new ConnectorError('bad-response', `${what}: expected {"items": [...]}, got ${preview(body)}.`)
  const o = body as Record<string, unknown>
  if (!Array.isArray(o.items))
    throw new ConnectorError('bad-response', `${what}: "items" is missing or not a list (${preview(o.items)}).`)
  let recordCount: number | null = null
  if (o.record_count !== undefined && o.record_count !== null) {
    const c = countValue.safeParse(o.record_count)
    if (!c.success)
      throw new ConnectorError('bad-response', `${what}: record_count is not a count (${preview(o.record_count)}).`)
    recordCount = c.data
  }
  const items: DecodedItem[] = []
  for (const el of o.items) {
    if (el !== null && typeof el === 'object' && !Array.isArray(el) && 'record_count' in el && !('item_id' in el)) {
      const c = countValue.safeParse((el as Record<string, unknown>).record_count)
      if (!c.success) throw new ConnectorError('bad-response', `${what}: record_count is not a count.`)
      recordCount ??= c.data
      continue
    }
    items.push(decodeItem(el))
  }
  return { items, recordCount }
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

// ------------------------------------------------------------ the search body

/** The docs' search form: `{field: {operator, value}}` or a list of those, and `sort_by`. */
export function searchBody(filters: FairWarningFilters): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (filters.auctionId !== undefined) body.auction_id = { operator: 'equals', value: filters.auctionId }
  if (filters.categoryId !== undefined) body.category_id_1 = { operator: 'equals', value: filters.categoryId }
  if (filters.officeId !== undefined) body.office_id = { operator: 'equals', value: filters.officeId }
  const lot: { operator: string; value: number }[] = []
  if (filters.lotFrom !== undefined) lot.push({ operator: 'greater_than_equal', value: filters.lotFrom })
  if (filters.lotTo !== undefined) lot.push({ operator: 'less_than_equal', value: filters.lotTo })
  if (lot.length) body.item_lot = lot
  // Stable pages need a stable order: by lot and suffix (the docs' own sort_by example).
  body.sort_by = { item_lot: 'asc', item_lot_suffix: 'asc' }
  return body
}

// ------------------------------------------------------------ the client

export interface ListResult {
  items: FairWarningItem[]
  unreadable: UnreadableItem[]
  recordCount: number
  /** Items sent more than once across pages (kept once). */
  duplicates: number
}

export type FairWarningClient = ReturnType<typeof createFairWarningClient>

export function createFairWarningClient(o: FairWarningClientOptions) {
  const pageSize = o.pageSize ?? 100
  const creds = credentialsFor(o.key, o.keyTransport)

  function errorFor(status: number, body: unknown, what: string): ConnectorError {
    const said =
      typeof (body as { error?: unknown } | null)?.error === 'string' ? (body as { error: string }).error : ''
    const text = said.slice(0, 200).replace(/\.$/, '')
    if (status === 401)
      return new ConnectorError(
        'auth',
        `FairWarning refused the API keys as invalid (401${text ? `: ${text}` : ''}). Check the key in Connectors (F8).`,
        401,
        body
      )
    if (status === 403)
      return new ConnectorError(
        'auth',
        `FairWarning says the API keys are missing (403${text ? `: ${text}` : ''}). Check the key and how it is sent (Connectors, F8).`,
        403,
        body
      )
    if (status >= 500)
      return new ConnectorError('http', `FairWarning failed (${status})${text ? `: ${text}` : ''}.`, status, body)
    return new ConnectorError(
      'http',
      `${what}: FairWarning answered ${status}${text ? `: ${text}` : ''}.`,
      status,
      body
    )
  }

  /** One request: records [start, start + size). */
  async function fetchPage(filters: FairWarningFilters, start: number, size = pageSize): Promise<ItemsPage> {
    const second = secondSegment(start, size, o.limitMeaning)
    const what = `FairWarning items ${start + 1}–${start + size}`
    const query = new URLSearchParams(creds.query).toString()
    const url = `${o.baseUrl}/items/${start}/${second}${query ? `?${query}` : ''}`
    return withRetries(
      async () => {
        const res = await sendJson({
          method: 'GET',
          url,
          headers: creds.headers,
          body: { ...searchBody(filters), ...creds.body },
          timeoutMs: o.timeoutMs ?? 30_000,
          mutating: false,
          what
        })
        if (res.status !== 200) throw errorFor(res.status, res.body, what)
        return decodeItemsPage(res.body, what)
      },
      {
        attempts: o.attempts ?? 8,
        delayMs: (n) => Math.min(2_000, (o.retryBaseMs ?? 50) * 2 ** (n - 1)),
        sleep: o.sleep
      }
    )
  }

  /**
   * Every item matching the filters, page by page. Stops at record_count (or
   * on a short page when FairWarning sends none). A page that brings nothing
   * before record_count is reached means the `[limit]` reading is wrong for
   * this server: said so rather than stopping short.
   */
  async function listAll(
    filters: FairWarningFilters,
    onPage?: (got: number, total: number | null) => void
  ): Promise<ListResult> {
    const byId = new Map<string, FairWarningItem>()
    const unreadable: UnreadableItem[] = []
    const unreadableIds = new Set<string>()
    let duplicates = 0
    let total: number | null = null
    let start = 0
    let pages = 0
    for (;;) {
      const page = await fetchPage(filters, start)
      pages++
      if (page.recordCount !== null) total = page.recordCount
      let fresh = 0
      for (const d of page.items) {
        const idKey = d.ok ? d.item.itemId : d.unreadable.itemId
        if (idKey !== null && (byId.has(idKey) || unreadableIds.has(idKey))) {
          duplicates++
          continue
        }
        fresh++
        if (d.ok) byId.set(d.item.itemId, d.item)
        else {
          unreadable.push(d.unreadable)
          if (idKey !== null) unreadableIds.add(idKey)
        }
      }
      const seen = byId.size + unreadable.length
      onPage?.(seen, total)
      if (total !== null && seen >= total) break
      if (page.items.length === 0) {
        if (total !== null && seen < total) {
          const window = pageWindow(start, secondSegment(start, pageSize, o.limitMeaning), o.limitMeaning)
          throw new ConnectorError(
            'bad-response',
            `FairWarning says ${total} items match but sent none from record ${window.from + 1} on. ` +
              `It may read "[limit]" ${o.limitMeaning === 'end' ? 'as a count' : 'as an end index'}: ` +
              `change that setting in Connectors (F8).`
          )
        }
        break
      }
      if (total === null && page.items.length < pageSize) break
      if (fresh === 0 && total === null) break
      if (pages > (total === null ? 100_000 : Math.ceil(total / pageSize) * 2 + 5))
        throw new ConnectorError('bad-response', 'FairWarning kept sending pages past its record_count; stopped.')
      start += pageSize
    }
    return { items: [...byId.values()], unreadable, recordCount: total ?? byId.size + unreadable.length, duplicates }
  }

  return { fetchPage, listAll }
}
