// Look-ups for the warehouse and the checkout desk, answered from the replica
// alone so they work with the network gone. Lot numbers use the index on
// items.lot; words use the FTS5 tables (migration 2).
import type { BuyerRow, LotRow } from '../../src-shared/contract'
import { sql, type AliasedExpression, type Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

const LOT_LIKE = /^\s*\d{1,9}\s*[A-Za-z]{0,3}\s*$/
const DIGITS = /^\s*\d{1,12}\s*$/

/**
 * One or two letters match a good part of a large house; putting them all in
 * lot order costs tens of milliseconds for a list the user is about to narrow
 * with the next key. Such queries take the first matches in file order, then
 * show those in lot order.
 */
export function rankable(text: string): boolean {
  return text.replace(/[^\p{L}\p{N}]+/gu, '').length >= 3
}

/** Words → an FTS5 query of quoted prefix terms, all required. Null when nothing searchable. */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8)
  if (words.length === 0) return null
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' AND ')
}

/** The replica's tables, with the full-text indexes and the rowids the look-ups join on. */
type LookupDb = Omit<Database, 'items' | 'clients'> & {
  items: Database['items'] & { rowid: number }
  clients: Database['clients'] & { rowid: number }
  items_fts: { rowid: number; items_fts: string }
  clients_fts: { rowid: number; clients_fts: string }
}
type Q = Kysely<LookupDb>
const lookupDb = (q: Kysely<Database>) => q as unknown as Q

/** A lot row as the look-up answers it, for lots `i` joined to their sale `s` and winner `c`. */
const lotColumns = [
  'i.id as id',
  'i.sale_id as saleId',
  's.label as saleLabel',
  'i.lot as lot',
  'i.title as title',
  'i.status as status',
  'i.estimate_low as estimateLow',
  'i.estimate_high as estimateHigh',
  'i.hammer as hammer',
  'i.winner_paddle as winnerPaddle',
  'c.display_name as winnerName',
  'i.location as location'
] as const

/** The lots whose rowids `hits` lists (as `h.r`), joined to their sale and winner, in catalogue order. */
const lotsOf = <H extends { r: number }>(q: Q, hits: AliasedExpression<H, 'h'>) =>
  q
    .selectFrom(hits)
    .innerJoin('items as i', 'i.rowid', 'h.r')
    .innerJoin('sales as s', 's.id', 'i.sale_id')
    .leftJoin('clients as c', 'c.id', 'i.winner_client_id')
    .select(lotColumns)

interface LotArgs {
  lot: string
  upTo: string
  saleId: string
  limit: number
}

/**
 * Lots by number: the exact lot first (newest sale first), then lots that start with what was typed
 * (41 → 410…419, 41A), taken in index order so "1" on a 20,000-lot sale stops after `limit` rows.
 */
const lotsByNumber = (inSale: boolean) => (kq: Kysely<Database>, a: LotArgs) => {
  const q = lookupDb(kq)
  let exact = q
    .selectFrom('items as i')
    .select(['i.rowid as r', sql<number>`0`.as('rank')])
    .where('i.lot', '=', a.lot)
  let startsWith = q
    .selectFrom('items as i')
    .select(['i.rowid as r', sql<number>`1`.as('rank')])
    .where('i.lot', '>', a.lot)
    .where('i.lot', '<', a.upTo)
  if (inSale) {
    exact = exact.where('i.sale_id', '=', a.saleId)
    startsWith = startsWith.where('i.sale_id', '=', a.saleId)
  }
  // A branch of a UNION ALL takes its own ORDER BY and LIMIT only from within a subquery.
  const firstStarting = q.selectFrom(startsWith.orderBy('i.lot').limit(a.limit).as('p')).selectAll()
  return lotsOf(q, exact.unionAll(firstStarting).as('h'))
    .orderBy('h.rank')
    .orderBy('s.sale_date', 'desc')
    .orderBy('i.sale_id')
    .orderBy('i.lot_sort')
    .limit(a.limit)
}
const LOTS_BY_NUMBER = lotsByNumber(false)
const LOTS_BY_NUMBER_IN_SALE = lotsByNumber(true)

interface WordArgs {
  match: string
  saleId: string
  limit: number
}

/**
 * Lots by words, in catalogue order (the newest sale first, then lot by lot: 27 < 269 < 269A): the
 * first `limit` in that order, found from the columns that order them; only those are then joined
 * to their buyers (a common word matches thousands of lots).
 */
const lotsByWords = (inSale: boolean) => (kq: Kysely<Database>, a: WordArgs) => {
  const q = lookupDb(kq)
  let hits = q
    .selectFrom('items_fts as f')
    .innerJoin('items as i', 'i.rowid', 'f.rowid')
    .innerJoin('sales as s', 's.id', 'i.sale_id')
    .select('i.rowid as r')
    .where('items_fts', 'match', a.match)
  if (inSale) hits = hits.where('i.sale_id', '=', a.saleId)
  const first = hits.orderBy('s.sale_date', 'desc').orderBy('i.sale_id').orderBy('i.lot_sort').limit(a.limit)
  return lotsOf(q, first.as('h')).orderBy('s.sale_date', 'desc').orderBy('i.sale_id').orderBy('i.lot_sort')
}
const LOTS_BY_WORDS = lotsByWords(false)
const LOTS_BY_WORDS_IN_SALE = lotsByWords(true)

/** One or two letters: the first `limit` matches in file order, then shown in catalogue order. */
const lotsByShortWords = (inSale: boolean) => (kq: Kysely<Database>, a: WordArgs) => {
  const q = lookupDb(kq)
  let hits = q
    .selectFrom('items_fts as f')
    .innerJoin('items as i', 'i.rowid', 'f.rowid')
    .select('i.rowid as r')
    .where('items_fts', 'match', a.match)
  if (inSale) hits = hits.where('i.sale_id', '=', a.saleId)
  return lotsOf(q, hits.orderBy('f.rowid').limit(a.limit).as('h'))
    .orderBy('s.sale_date', 'desc')
    .orderBy('i.sale_id')
    .orderBy('i.lot_sort')
}
const LOTS_BY_SHORT_WORDS = lotsByShortWords(false)
const LOTS_BY_SHORT_WORDS_IN_SALE = lotsByShortWords(true)

export function lookupLots(db: Replica, q: string, saleId: string | undefined, limit: number): LotRow[] {
  const text = q.trim()
  if (text === '') return []
  const sale = saleId ?? ''
  if (LOT_LIKE.test(text)) {
    const lot = text.replace(/\s+/g, '').toUpperCase()
    return db
      .prepared(saleId ? LOTS_BY_NUMBER_IN_SALE : LOTS_BY_NUMBER)
      .all({ lot, upTo: lot + '\uffff', saleId: sale, limit })
  }
  const match = ftsQuery(text)
  if (!match) return []
  // Results by word read in catalogue order (newest sale first), as the podium and the clerk sheet do.
  const query = rankable(text)
    ? saleId
      ? LOTS_BY_WORDS_IN_SALE
      : LOTS_BY_WORDS
    : saleId
      ? LOTS_BY_SHORT_WORDS_IN_SALE
      : LOTS_BY_SHORT_WORDS
  return db.prepared(query).all({ match, saleId: sale, limit })
}

interface ClientHit {
  clientId: string
  name: string
  company: string | null
  customerNumber: string | null
  email: string | null
  phone: string | null
}

const clientColumns = [
  'c.id as clientId',
  'c.display_name as name',
  'c.company as company',
  'c.customer_number as customerNumber',
  'c.email as email',
  'c.phone as phone'
] as const

/**
 * A customer number's digits ("C10204" → "10204"), written exactly as the index
 * clients_customer_digits has them (a literal, not a parameter) so the index serves it.
 */
const customerDigits = sql<string>`ltrim(c2.customer_number, ${sql.lit('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-')})`

interface DigitArgs {
  n: string
  upTo: string
  saleId: string
  limit: number
}

/**
 * Buyers by digits: the exact paddle first (in this sale, or any), then paddles and customer
 * numbers (their digits) that start with what was typed, shortest first. Every branch walks an
 * index for at most `limit` rows, so "2" costs the same on 50,000 clients as "2041".
 */
const buyersByDigits = (inSale: boolean) => (kq: Kysely<Database>, a: DigitArgs) => {
  const q = lookupDb(kq)
  let paddle = q
    .selectFrom('sale_bidders as b')
    .select(['b.client_id as id', sql<number>`0`.as('rank'), 'b.paddle as k'])
    .where('b.paddle', '=', a.n)
  let paddleStarts = q
    .selectFrom('sale_bidders as b')
    .select(['b.client_id as id', sql<number>`1`.as('rank'), 'b.paddle as k'])
    .where('b.paddle', '>', a.n)
    .where('b.paddle', '<', a.upTo)
  if (inSale) {
    paddle = paddle.where('b.sale_id', '=', a.saleId)
    paddleStarts = paddleStarts.where('b.sale_id', '=', a.saleId)
  }
  const customerStarts = q
    .selectFrom('clients as c2')
    .select(['c2.id as id', sql<number>`2`.as('rank'), customerDigits.as('k')])
    .where(customerDigits, '>=', a.n)
    .where(customerDigits, '<', a.upTo)
  // A branch of a UNION ALL takes its own ORDER BY and LIMIT only from within a subquery.
  const firstPaddles = q.selectFrom(paddleStarts.orderBy('b.paddle').limit(a.limit).as('p')).selectAll()
  const firstCustomers = q.selectFrom(customerStarts.orderBy(customerDigits).limit(a.limit).as('n')).selectAll()
  return q
    .selectFrom(paddle.unionAll(firstPaddles).unionAll(firstCustomers).as('h'))
    .innerJoin('clients as c', 'c.id', 'h.id')
    .select(clientColumns)
    .groupBy('c.id')
    .orderBy((eb) => eb.fn.min('h.rank'))
    .orderBy((eb) => eb.fn.min(eb.fn<number>('length', ['h.k'])))
    .orderBy((eb) => eb.fn.min('h.k'))
    .limit(a.limit)
}
const BUYERS_BY_DIGITS = buyersByDigits(false)
const BUYERS_BY_DIGITS_IN_SALE = buyersByDigits(true)

/** Buyers by words, by name as a card index reads (relevance ranking costs several times more on a common name). */
const buyersByWords = (byName: boolean) => (kq: Kysely<Database>, a: { match: string; limit: number }) => {
  const q = lookupDb(kq)
  const hits = q
    .selectFrom('clients_fts as f')
    .innerJoin('clients as c', 'c.rowid', 'f.rowid')
    .select(clientColumns)
    .where('clients_fts', 'match', a.match)
  return (byName ? hits.orderBy('c.display_name').orderBy('c.id') : hits.orderBy('f.rowid')).limit(a.limit)
}
const BUYERS_BY_NAME = buyersByWords(true)
/** One or two letters: the first matches in file order. */
const BUYERS_BY_SHORT_WORDS = buyersByWords(false)

export function lookupBuyers(db: Replica, q: string, saleId: string | undefined, limit: number): BuyerRow[] {
  const text = q.trim()
  if (text === '') return []
  let hits: ClientHit[]
  if (DIGITS.test(text)) {
    const n = text.replace(/\s+/g, '')
    hits = db
      .prepared(saleId ? BUYERS_BY_DIGITS_IN_SALE : BUYERS_BY_DIGITS)
      .all({ n, upTo: n + '\uffff', saleId: saleId ?? '', limit })
  } else {
    const match = ftsQuery(text)
    if (!match) return []
    hits = db.prepared(rankable(text) ? BUYERS_BY_NAME : BUYERS_BY_SHORT_WORDS).all({ match, limit })
  }
  return withPaddles(db, hits, saleId)
}

function withPaddles(db: Replica, hits: ClientHit[], saleId: string | undefined): BuyerRow[] {
  if (hits.length === 0) return []
  let q = db.q
    .selectFrom('sale_bidders')
    .select(['client_id', 'sale_id', 'paddle', 'bidder_type'])
    .where(
      'client_id',
      'in',
      hits.map((h) => h.clientId)
    )
  if (saleId) q = q.where('sale_id', '=', saleId)
  const byClient = new Map<string, BuyerRow['paddles']>()
  for (const p of db.all(q.orderBy('sale_id').orderBy('paddle'))) {
    const list = byClient.get(p.client_id) ?? []
    list.push({ saleId: p.sale_id, paddle: p.paddle, type: p.bidder_type })
    byClient.set(p.client_id, list)
  }
  return hits.map((h) => ({ ...h, paddles: byClient.get(h.clientId) ?? [] }))
}

const buyerLotsQuery = (inSale: boolean) => (kq: Kysely<Database>, a: { clientId: string; saleId: string }) => {
  const q = lookupDb(kq)
  let lots = q
    .selectFrom('items as i')
    .innerJoin('sales as s', 's.id', 'i.sale_id')
    .leftJoin('clients as c', 'c.id', 'i.winner_client_id')
    .select(lotColumns)
    .where('i.winner_client_id', '=', a.clientId)
  if (inSale) lots = lots.where('i.sale_id', '=', a.saleId)
  return lots.orderBy('s.sale_date', 'desc').orderBy('i.sale_id').orderBy('i.lot_sort')
}
const BUYER_LOTS = buyerLotsQuery(false)
const BUYER_LOTS_IN_SALE = buyerLotsQuery(true)

export function buyerLots(db: Replica, clientId: string, saleId: string | undefined): LotRow[] {
  return db.prepared(saleId ? BUYER_LOTS_IN_SALE : BUYER_LOTS).all({ clientId, saleId: saleId ?? '' })
}
