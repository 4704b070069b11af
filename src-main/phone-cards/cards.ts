// What the phone-bidder screens and the podium read: cards with their
// client, staff and lots, from the replica (never the network).
import type { PhoneBid, PhoneCard, PhoneCardLot, PhoneCardsOptions } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { PhoneCardPrintSource } from '../core/ports'
import type { Kysely } from 'kysely'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES, type Database } from '../db/schema'
import { cardKey } from './card-state'

interface CardRow {
  id: string
  sale_id: string
  session_id: string | null
  client_id: string
  client_name: string | null
  paddle: string | null
  phone: string | null
  staff: string | null
  staff_name: string | null
  phone_paddle: number
}

/** A card with its client's and staff member's names, and whether its paddle is one of the sale's phone paddles. */
const cardSelect = (q: Kysely<Database>) =>
  q
    .selectFrom('phone_bidder_cards as p')
    .leftJoin('clients as c', 'c.id', 'p.client_id')
    .leftJoin('staff as s', 's.id', 'p.staff')
    .select((eb) => [
      'p.id',
      'p.sale_id',
      'p.session_id',
      'p.client_id',
      'c.display_name as client_name',
      'p.paddle',
      'p.phone',
      'p.staff',
      's.name as staff_name',
      eb
        .exists(
          eb
            .selectFrom('sale_bidders as b')
            .select(eb.lit(1).as('one'))
            .whereRef('b.sale_id', '=', 'p.sale_id')
            .whereRef('b.paddle', '=', 'p.paddle')
            .where('b.bidder_type', '=', 'phone')
        )
        .$castTo<number>()
        .as('phone_paddle')
    ])

export interface SessionRow {
  id: string
  sale_id: string
  number: number
  first_lot: string | null
  last_lot: string | null
}

const SESSION = (q: Kysely<Database>, a: { sessionId: string }) =>
  q
    .selectFrom('sale_sessions')
    .select(['id', 'sale_id', 'number', 'first_lot', 'last_lot'])
    .where('id', '=', a.sessionId)

/** A sale's phone cards with a change not yet settled with Circuit, and whether one is in conflict. */
const OPEN_ENTRIES = (q: Kysely<Database>, a: { keyPrefix: string }) =>
  q
    .selectFrom('outbox')
    .select((eb) => ['entity_id', eb.fn.sum<number>(eb('state', '=', 'conflict')).as('conflicts')])
    .where('entity_type', '=', 'phone_card')
    .where('entity_id', 'like', a.keyPrefix)
    .where('state', 'in', OPEN_OUTBOX_STATES)
    .groupBy('entity_id')

/** For each lot of the sale that a phone bidder wants: who (the shortest paddle first), and who calls them. */
const PHONE_BIDS = (q: Kysely<Database>, a: { saleId: string }) =>
  q
    .selectFrom('phone_bidder_cards as p')
    .innerJoin('phone_card_lots as l', 'l.card_id', 'p.id')
    .leftJoin('clients as c', 'c.id', 'p.client_id')
    .leftJoin('staff as s', 's.id', 'p.staff')
    .select((eb) => [
      'l.item_id as itemId',
      'p.id as cardId',
      eb.fn.coalesce('c.display_name', eb(eb.val('Client '), '||', eb.ref('p.client_id'))).as('clientName'),
      'p.paddle',
      'p.phone',
      's.name as staffName'
    ])
    .where('p.sale_id', '=', a.saleId)
    .orderBy('l.item_id')
    .orderBy((eb) => eb.fn('length', ['p.paddle']))
    .orderBy('p.paddle')

export function loadSession(db: Replica, sessionId: string): SessionRow {
  const s = db.prepared(SESSION).first({ sessionId })
  if (!s) throw new AppError('not_found', `There is no session ${sessionId} on this station. Open its sale first.`)
  return s
}

function lotsOf(db: Replica, cardIds: string[]): Map<string, PhoneCardLot[]> {
  const out = new Map<string, PhoneCardLot[]>(cardIds.map((id) => [id, []]))
  if (cardIds.length === 0) return out
  const rows = db.all(
    db.q
      .selectFrom('phone_card_lots as l')
      .innerJoin('items as i', 'i.id', 'l.item_id')
      .select([
        'l.card_id as cardId',
        'i.id as itemId',
        'i.lot',
        'i.title',
        'i.estimate_low as estimateLow',
        'i.estimate_high as estimateHigh',
        'i.status'
      ])
      .where('l.card_id', 'in', jsonValues(cardIds))
      .orderBy('i.lot_sort')
  )
  for (const { cardId, ...lot } of rows) out.get(cardId)!.push(lot)
  return out
}

function openEntries(db: Replica, saleId: string): Map<string, { conflict: boolean }> {
  const rows = db.prepared(OPEN_ENTRIES).all({ keyPrefix: `${saleId}/%` })
  return new Map(rows.map((r) => [r.entity_id, { conflict: r.conflicts > 0 }]))
}

function toCards(db: Replica, rows: CardRow[]): PhoneCard[] {
  const lots = lotsOf(
    db,
    rows.map((r) => r.id)
  )
  const open = new Map<string, Map<string, { conflict: boolean }>>()
  return rows.map((r) => {
    if (!open.has(r.sale_id)) open.set(r.sale_id, openEntries(db, r.sale_id))
    const entry = open.get(r.sale_id)!.get(cardKey(r.sale_id, r.session_id, r.client_id))
    return {
      id: r.id,
      saleId: r.sale_id,
      sessionId: r.session_id,
      clientId: r.client_id,
      clientName: r.client_name ?? `Client ${r.client_id}`,
      paddle: r.paddle,
      phonePaddle: r.phone_paddle === 1,
      phone: r.phone,
      staffId: r.staff,
      staffName: r.staff_name,
      lots: lots.get(r.id) ?? [],
      pending: entry !== undefined,
      conflict: entry?.conflict ?? false
    }
  })
}

export function listCards(db: Replica, sessionId: string): PhoneCard[] {
  loadSession(db, sessionId)
  const rows = db.all(
    cardSelect(db.q)
      .where('p.session_id', '=', sessionId)
      .orderBy((eb) => eb.fn('length', ['p.paddle']))
      .orderBy('p.paddle')
      .orderBy('client_name')
  )
  return toCards(db, rows)
}

export function cardById(db: Replica, cardId: string): PhoneCard {
  const row =
    db.first(cardSelect(db.q).where('p.id', '=', cardId)) ??
    // A card made here and since replaced by Circuit's keeps answering to the id the screen holds.
    db.first(
      cardSelect(db.q).where('p.id', '=', (eb) =>
        eb
          .selectFrom('id_map')
          .select('server_id')
          .where('entity_type', '=', 'phone_card')
          .where('local_id', '=', cardId)
      )
    )
  if (!row) throw new AppError('not_found', `There is no phone card ${cardId} on this station.`)
  return toCards(db, [row])[0]
}

export function cardOptions(db: Replica, sessionId: string): PhoneCardsOptions {
  const s = loadSession(db, sessionId)
  const staff = db.all(db.q.selectFrom('staff').select(['id', 'name', 'roles']).orderBy('name')).map((r) => {
    const roles = JSON.parse(r.roles) as string[]
    return { id: r.id, name: r.name, phoneStaff: roles.some((x) => /phone/i.test(x)) }
  })
  return {
    session: { id: s.id, saleId: s.sale_id, number: s.number, firstLot: s.first_lot, lastLot: s.last_lot },
    staff
  }
}

/** For each lot of the sale that a phone bidder wants: who, and who calls them. */
export function podiumPhoneBids(db: Replica, saleId: string): Record<string, PhoneBid[]> {
  const rows = db.prepared(PHONE_BIDS).all({ saleId })
  const out: Record<string, PhoneBid[]> = {}
  for (const { itemId, ...bid } of rows) (out[itemId] ??= []).push(bid)
  return out
}

/** What the printed cards read of a session (phone-bidder cards, clerk sheet). */
export function phoneCardPrintSource(db: Replica): PhoneCardPrintSource {
  return { session: (sessionId) => loadSession(db, sessionId), cards: (sessionId) => listCards(db, sessionId) }
}
