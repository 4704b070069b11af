// What the podium reads: a sale's lots with their results, sessions, paddles
// and bid steps, all from the replica (the network is never on this path).
import type { BidStepRange } from '../../src-shared/bid-steps'
import type { ClerkBoard, PodiumBidder, PodiumLot, PodiumSession } from '../../src-shared/contract'
import { lotSortKey } from '../../src-shared/lots'
import { AppError } from '../../src-shared/rpc'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { readSettings } from '../core/settings'
import { normaliseStatus } from './state'

interface LotQueryRow {
  id: string
  sale_id: string
  lot: string
  lot_sort: string
  title: string
  status: string
  estimate_low: number | null
  estimate_high: number | null
  reserve: number | null
  hammer: number | null
  winner_paddle: string | null
  winner_name: string | null
  consignor_name: string | null
  open_entries: number
  conflicts: number
}

/** A lot with its result, its winner's name and how its changes stand in the outbox. */
const lotSelect = (q: Kysely<Database>) =>
  q
    .selectFrom('items as i')
    .leftJoin('clients as c', 'c.id', 'i.winner_client_id')
    .select((eb) => {
      const entries = eb
        .selectFrom('outbox as o')
        .select((o) => o.fn.countAll<number>().as('n'))
        .where('o.entity_type', '=', 'item')
        .whereRef('o.entity_id', '=', 'i.id')
      return [
        'i.id',
        'i.sale_id',
        'i.lot',
        'i.lot_sort',
        'i.title',
        'i.status',
        'i.estimate_low',
        'i.estimate_high',
        'i.reserve',
        'i.hammer',
        'i.winner_paddle',
        'c.display_name as winner_name',
        'i.consignor_name',
        entries.where('o.state', 'not in', ['done', 'discarded']).$asScalar().as('open_entries'),
        entries.where('o.state', '=', 'conflict').$asScalar().as('conflicts')
      ]
    })

const SALE_LOTS = (q: Kysely<Database>, a: { saleId: string }) =>
  lotSelect(q).where('i.sale_id', '=', a.saleId).orderBy('i.lot_sort')

/** One lot (every clerking action answers the lot it changed). */
const ONE_LOT = (q: Kysely<Database>, a: { id: string }) => lotSelect(q).where('i.id', '=', a.id)

function sessionsOf(db: Replica, saleId: string): PodiumSession[] {
  return db
    .all(
      db.q
        .selectFrom('sale_sessions')
        .select(['id', 'number', 'first_lot', 'last_lot'])
        .where('sale_id', '=', saleId)
        .orderBy('number')
    )
    .map((s) => ({ id: s.id, number: s.number, firstLot: s.first_lot, lastLot: s.last_lot }))
}

function sessionFinder(sessions: PodiumSession[]): (lotSort: string) => string | null {
  const ranges = sessions
    .filter((s) => s.firstLot !== null || s.lastLot !== null)
    .map((s) => ({
      id: s.id,
      from: s.firstLot === null ? '' : lotSortKey(s.firstLot),
      to: s.lastLot === null ? '\uffff' : lotSortKey(s.lastLot)
    }))
  return (key) => {
    // A lot with a letter (269A) belongs with its number's session.
    for (const r of ranges) if (key >= r.from && (key <= r.to || key.startsWith(r.to))) return r.id
    return null
  }
}

function toLot(r: LotQueryRow, session: (k: string) => string | null): PodiumLot {
  const status = normaliseStatus(r.status)
  return {
    id: r.id,
    lot: r.lot,
    title: r.title,
    status,
    estimateLow: r.estimate_low,
    estimateHigh: r.estimate_high,
    reserve: r.reserve,
    hammer: status === 'sold' ? r.hammer : null,
    paddle: status === 'sold' ? r.winner_paddle : null,
    winnerName: status === 'sold' ? r.winner_name : null,
    consignor: r.consignor_name,
    sessionId: session(r.lot_sort),
    pending: r.open_entries > 0,
    conflict: r.conflicts > 0
  }
}

const saleCache = new WeakMap<Replica, Map<string, { stamp: string; value: unknown }>>()

/**
 * What the podium derives from a sale's pulled records (bid steps, session
 * ranges), kept until the sale is pulled again: the hammer's path reads one
 * small row instead of re-deriving them.
 */
const SALE_STAMP = (q: Kysely<Database>, a: { saleId: string }) =>
  q.selectFrom('sales').select(['server_updated', 'pulled_at']).where('id', '=', a.saleId)

function perSale<T>(db: Replica, saleId: string, what: string, compute: () => T): T | null {
  const head = db.prepared(SALE_STAMP).first({ saleId })
  if (!head) return null
  const stamp = `${head.server_updated}|${head.pulled_at}`
  let perDb = saleCache.get(db)
  if (!perDb) saleCache.set(db, (perDb = new Map()))
  const key = `${what}:${saleId}`
  const hit = perDb.get(key)
  if (hit && hit.stamp === stamp) return hit.value as T
  const value = compute()
  perDb.set(key, { stamp, value })
  return value
}

/** The sale's bid steps (its rule's name → the reference list), in minor units. */
export function saleBidSteps(db: Replica, saleId: string): BidStepRange[] | null {
  return perSale(db, saleId, 'bid-steps', () => readBidSteps(db, saleId))
}

const isMinor = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v)

function readBidSteps(db: Replica, saleId: string): BidStepRange[] | null {
  const sale = db.first(db.q.selectFrom('sales').select('raw').where('id', '=', saleId))
  if (!sale) return null
  const rule = (JSON.parse(sale.raw) as { bid_steps?: unknown } | null)?.bid_steps
  if (typeof rule !== 'string' || rule === '') return null
  const term = db.first(
    db.q
      .selectFrom('reference_terms')
      .select('attrs')
      .where('vocabulary', '=', 'bid_steps')
      .where((eb) => eb.or([eb('label', '=', rule), eb('id', '=', rule)]))
  )
  if (!term) return null
  // Stored by the pull as minor units (the client decodes Circuit's decimal text).
  const ranges = (JSON.parse(term.attrs) as { ranges?: { from?: unknown; increment?: unknown }[] }).ranges
  if (!Array.isArray(ranges)) return null
  const out: BidStepRange[] = []
  for (const r of ranges) {
    // One bad range makes the whole table unreliable: no steps rather than wrong warnings.
    if (!isMinor(r?.from) || !isMinor(r?.increment) || r.from < 0 || r.increment <= 0) return null
    out.push({ from: r.from, increment: r.increment })
  }
  return out.length ? out.sort((a, b) => a.from - b.from) : null
}

export function saleBidders(db: Replica, saleId: string): PodiumBidder[] {
  return db
    .all(
      db.q
        .selectFrom('sale_bidders as b')
        .leftJoin('clients as c', 'c.id', 'b.client_id')
        .select(['b.paddle', 'b.client_id', 'c.display_name as name', 'b.bidder_type'])
        .where('b.sale_id', '=', saleId)
    )
    .map((b) => ({
      paddle: b.paddle,
      clientId: b.client_id,
      name: b.name ?? `Client ${b.client_id}`,
      type: b.bidder_type
    }))
}

export function clerkBoard(db: Replica, saleId: string): ClerkBoard {
  const sale = db.first(db.q.selectFrom('sales').selectAll().where('id', '=', saleId))
  if (!sale)
    throw new AppError('not_found', `Sale ${saleId} is not on this station. Open it from the podium's sale list first.`)
  const sessions = sessionsOf(db, saleId)
  const session = sessionFinder(sessions)
  const lots = db
    .prepared(SALE_LOTS)
    .all({ saleId })
    .map((r) => toLot(r, session))
  return {
    sale: {
      id: sale.id,
      label: sale.label,
      saleNumber: sale.sale_number,
      currencySymbol: readSettings(db).currencySymbol
    },
    bidSteps: saleBidSteps(db, saleId),
    sessions,
    lots,
    bidders: saleBidders(db, saleId)
  }
}

/** A sale's session finder, kept until the sale is pulled again. */
function sessionsFor(db: Replica, saleId: string): (k: string) => string | null {
  return perSale(db, saleId, 'sessions', () => sessionFinder(sessionsOf(db, saleId))) ?? (() => null)
}

export function podiumLots(db: Replica, ids: string[]): PodiumLot[] {
  if (ids.length === 0) return []
  const rows = db.all(lotSelect(db.q).where('i.id', 'in', ids))
  const bySale = new Map<string, (k: string) => string | null>()
  return rows.map((r) => {
    let finder = bySale.get(r.sale_id)
    if (!finder) bySale.set(r.sale_id, (finder = sessionsFor(db, r.sale_id)))
    return toLot(r, finder)
  })
}

export function podiumLot(db: Replica, id: string): PodiumLot {
  const row = db.prepared(ONE_LOT).first({ id })
  if (!row) throw new AppError('not_found', `There is no lot with id ${id} on this station.`)
  return toLot(row, sessionsFor(db, row.sale_id))
}
