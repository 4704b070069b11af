// Look-ups for the warehouse and the checkout desk, answered from the replica
// alone so they work with the network gone. Lot numbers use the index on
// items.lot; words use the FTS5 tables (migration 2).
import type { BuyerRow, LotRow } from '../../src-shared/contract'
import type { Replica } from '../db/replica'

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

export const LOT_COLUMNS = `
  i.id AS id, i.sale_id AS saleId, s.label AS saleLabel, i.lot AS lot, i.title AS title, i.status AS status,
  i.estimate_low AS estimateLow, i.estimate_high AS estimateHigh, i.hammer AS hammer,
  i.winner_paddle AS winnerPaddle, c.display_name AS winnerName, i.location AS location`

/** Catalogue order across sales: the newest sale first, then lot by lot (27 < 269 < 269A). */
const LOT_ORDER = 's.sale_date DESC, i.sale_id, i.lot_sort'

export const LOT_FROM = `
  FROM items i
  JOIN sales s ON s.id = i.sale_id
  LEFT JOIN clients c ON c.id = i.winner_client_id`

export function lookupLots(db: Replica, q: string, saleId: string | undefined, limit: number): LotRow[] {
  const text = q.trim()
  if (text === '') return []
  const saleClause = saleId ? 'AND i.sale_id = ?' : ''
  const saleParams = saleId ? [saleId] : []

  if (LOT_LIKE.test(text)) {
    const lot = text.replace(/\s+/g, '').toUpperCase()
    // Exact lot first (newest sale first), then lots that start with what was typed (41 → 410…419, 41A),
    // taken in index order so "1" on a 20,000-lot sale stops after `limit` rows.
    return db.sql<LotRow>(
      `SELECT ${LOT_COLUMNS} FROM (
         SELECT i.rowid AS r, 0 AS rank FROM items i WHERE i.lot = ? ${saleClause}
         UNION ALL
         SELECT * FROM (SELECT i.rowid, 1 FROM items i WHERE i.lot > ? AND i.lot < ? ${saleClause} ORDER BY i.lot LIMIT ?)
       ) h
       JOIN items i ON i.rowid = h.r
       JOIN sales s ON s.id = i.sale_id
       LEFT JOIN clients c ON c.id = i.winner_client_id
       ORDER BY h.rank, s.sale_date DESC, i.sale_id, i.lot_sort
       LIMIT ?`,
      lot,
      ...saleParams,
      lot,
      lot + '\uffff',
      ...saleParams,
      limit,
      limit
    )
  }
  const match = ftsQuery(text)
  if (!match) return []
  // Results by word read in catalogue order (newest sale first), as the podium and the clerk sheet do.
  if (rankable(text)) {
    // The first `limit` in catalogue order, found from the columns that order them; only those are
    // then joined to their buyers (a common word matches thousands of lots).
    return db.sql<LotRow>(
      `SELECT ${LOT_COLUMNS} FROM (
         SELECT i.rowid AS r FROM items_fts f
         JOIN items i ON i.rowid = f.rowid
         JOIN sales s ON s.id = i.sale_id
         WHERE items_fts MATCH ? ${saleClause}
         ORDER BY ${LOT_ORDER}
         LIMIT ?
       ) h
       JOIN items i ON i.rowid = h.r
       JOIN sales s ON s.id = i.sale_id
       LEFT JOIN clients c ON c.id = i.winner_client_id
       ORDER BY ${LOT_ORDER}`,
      match,
      ...saleParams,
      limit
    )
  }
  return db.sql<LotRow>(
    `SELECT ${LOT_COLUMNS} FROM (
       SELECT i.rowid AS r FROM items_fts f JOIN items i ON i.rowid = f.rowid
       WHERE items_fts MATCH ? ${saleClause} ORDER BY f.rowid LIMIT ?
     ) h
     JOIN items i ON i.rowid = h.r
     JOIN sales s ON s.id = i.sale_id
     LEFT JOIN clients c ON c.id = i.winner_client_id
     ORDER BY ${LOT_ORDER}`,
    match,
    ...saleParams,
    limit
  )
}

interface ClientHit {
  clientId: string
  name: string
  company: string | null
  customerNumber: string | null
  email: string | null
  phone: string | null
}

const CLIENT_COLUMNS = `c.id AS clientId, c.display_name AS name, c.company AS company,
  c.customer_number AS customerNumber, c.email AS email, c.phone AS phone`

/** A customer number's digits ("C10204" → "10204"), as the index clients_customer_digits has them. */
const CUSTOMER_DIGITS = `ltrim(c2.customer_number, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-')`

export function lookupBuyers(db: Replica, q: string, saleId: string | undefined, limit: number): BuyerRow[] {
  const text = q.trim()
  if (text === '') return []
  let hits: ClientHit[]
  if (DIGITS.test(text)) {
    const n = text.replace(/\s+/g, '')
    // A paddle in this sale (or any sale) first, then customer numbers that contain the digits.
    // Exact paddle first, then paddles and customer numbers (their digits) that start with
    // what was typed, shortest first. Every branch walks an index for at most `limit` rows,
    // so "2" costs the same on 50,000 clients as "2041".
    const inSale = saleId ? 'AND b.sale_id = ?' : ''
    const sale = saleId ? [saleId] : []
    hits = db.sql<ClientHit>(
      `SELECT ${CLIENT_COLUMNS} FROM (
         SELECT b.client_id AS id, 0 AS rank, b.paddle AS k FROM sale_bidders b WHERE b.paddle = ? ${inSale}
         UNION ALL
         SELECT * FROM (SELECT b.client_id, 1, b.paddle FROM sale_bidders b
           WHERE b.paddle > ? AND b.paddle < ? ${inSale} ORDER BY b.paddle LIMIT ?)
         UNION ALL
         SELECT * FROM (SELECT c2.id, 2, ${CUSTOMER_DIGITS} FROM clients c2
           WHERE ${CUSTOMER_DIGITS} >= ? AND ${CUSTOMER_DIGITS} < ? ORDER BY ${CUSTOMER_DIGITS} LIMIT ?)
       ) h JOIN clients c ON c.id = h.id
       GROUP BY c.id ORDER BY min(h.rank), min(length(h.k)), min(h.k) LIMIT ?`,
      ...[n, ...sale, n, n + '\uffff', ...sale, limit, n, n + '\uffff', limit, limit]
    )
  } else {
    const match = ftsQuery(text)
    if (!match) return []
    // By name, as a card index reads; relevance ranking (bm25) costs several times more on a common name.
    hits = db.sql<ClientHit>(
      `SELECT ${CLIENT_COLUMNS} FROM clients_fts f JOIN clients c ON c.rowid = f.rowid
       WHERE clients_fts MATCH ? ORDER BY ${rankable(text) ? 'c.display_name, c.id' : 'f.rowid'} LIMIT ?`,
      match,
      limit
    )
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

export function buyerLots(db: Replica, clientId: string, saleId: string | undefined): LotRow[] {
  return db.sql<LotRow>(
    `SELECT ${LOT_COLUMNS} ${LOT_FROM}
     WHERE i.winner_client_id = ? ${saleId ? 'AND i.sale_id = ?' : ''}
     ORDER BY ${LOT_ORDER}`,
    clientId,
    ...(saleId ? [saleId] : [])
  )
}
