// A phone-bidder card as the outbox and the replica see it. Circuit keeps one
// card per client and session (its POST upserts on that pair), so that pair,
// not Circuit's id, is the card's identity here: a card made offline and the
// one Circuit answers with are the same record.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { CircuitPhoneCard } from '../circuit/types'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

/** The fields a card carries; null fields are left to Circuit's defaults. */
export interface CardState {
  paddle: string | null
  phone: string | null
  staffId: string | null
  /** Item ids, sorted. */
  itemIds: string[]
}

export interface CardPayload {
  saleId: string
  sessionId: string
  clientId: string
  clientName: string
  /** What Circuit should hold now (null: no card). */
  base: CardState | null
  /** What it should hold after this change (null: delete the card). */
  target: CardState | null
}

export function cardKey(saleId: string, sessionId: string | null, clientId: string): string {
  return `${saleId}/${sessionId ?? ''}/${clientId}`
}

export function parseCardKey(key: string): { saleId: string; sessionId: string; clientId: string } {
  const [saleId, sessionId, clientId] = key.split('/')
  return { saleId, sessionId, clientId }
}

export function stateOfServerCard(c: CircuitPhoneCard | null): CardState | null {
  if (!c) return null
  return { paddle: c.paddle, phone: c.phone, staffId: c.staff, itemIds: [...new Set(c.lots)].sort() }
}

/**
 * Does `actual` hold what `wanted` asks for? A null field in `wanted` is
 * Circuit's to fill (it picks the client's paddle and phone), so it matches
 * anything. The caller (`staff`) is our extension of Circuit's card: a
 * Circuit that does not keep it answers none, and that is not a difference.
 */
export function cardHolds(actual: CardState | null, wanted: CardState | null): boolean {
  if (wanted === null || actual === null) return wanted === actual
  const same = (a: string | null, w: string | null) => w === null || a === w
  return (
    same(actual.paddle, wanted.paddle) &&
    same(actual.phone, wanted.phone) &&
    (actual.staffId === null || same(actual.staffId, wanted.staffId)) &&
    actual.itemIds.join(',') === wanted.itemIds.join(',')
  )
}

export function describeCard(s: CardState | null): string {
  if (!s) return 'no card'
  const lots = s.itemIds.length === 1 ? '1 lot' : `${s.itemIds.length} lots`
  return `paddle ${s.paddle ?? '—'}, ${lots}${s.staffId ? `, staff ${s.staffId}` : ''}`
}

interface CardOfArgs {
  saleId: string
  sessionId: string
  clientId: string
}

/**
 * The card of a client and session (no session: ''), written as the unique index
 * phone_cards_client_session has it (`coalesce(session_id, '')`, a literal, not a parameter) so
 * the index serves it.
 */
const isCardOf = (eb: ExpressionBuilder<Database, 'phone_bidder_cards'>, a: CardOfArgs) =>
  eb.and([
    eb('sale_id', '=', a.saleId),
    eb(eb.fn.coalesce('session_id', sql.lit('')), '=', a.sessionId),
    eb('client_id', '=', a.clientId)
  ])

// Run for every card a pull or a send writes, and every card a screen asks about: compiled once.
const CARD_OF = (q: Kysely<Database>, a: CardOfArgs) =>
  q
    .selectFrom('phone_bidder_cards')
    .select(['id', 'paddle', 'phone', 'staff'])
    .where((eb) => isCardOf(eb, a))

const CARD_LOTS = (q: Kysely<Database>, a: { cardId: string }) =>
  q.selectFrom('phone_card_lots').select('item_id').where('card_id', '=', a.cardId).orderBy('item_id')

/** The card made here (local-…) that Circuit's card `serverId` replaces: its id is mapped to Circuit's. */
const MAP_LOCAL_CARD = (q: Kysely<Database>, a: CardOfArgs & { serverId: string; mappedAt: number }) =>
  q
    .insertInto('id_map')
    .orReplace()
    .columns(['entity_type', 'local_id', 'server_id', 'mapped_at'])
    .expression(
      q
        .selectFrom('phone_bidder_cards')
        .select((eb) => [
          eb.val('phone_card').as('entity_type'),
          'id',
          eb.val(a.serverId).as('server_id'),
          eb.val(a.mappedAt).as('mapped_at')
        ])
        .where((eb) => isCardOf(eb, a))
        .where('id', 'like', 'local-%')
        .where('id', '<>', a.serverId)
    )

/** Every row of the client and session but `keep` (null: every row). */
const DELETE_CARDS_OF = (q: Kysely<Database>, a: CardOfArgs & { keep: string | null }) =>
  q
    .deleteFrom('phone_bidder_cards')
    .where((eb) => isCardOf(eb, a))
    .where((eb) => eb.or([eb(eb.val(a.keep), 'is', null), eb('id', '<>', a.keep)]))

const WRITE_CARD = (
  q: Kysely<Database>,
  a: {
    id: string
    saleId: string
    sessionId: string | null
    clientId: string
    paddle: string | null
    phone: string | null
    staff: string | null
    updated: string | null
    raw: string
  }
) =>
  q
    .insertInto('phone_bidder_cards')
    .values({
      id: a.id,
      sale_id: a.saleId,
      session_id: a.sessionId,
      client_id: a.clientId,
      paddle: a.paddle,
      phone: a.phone,
      staff: a.staff,
      server_updated: a.updated,
      raw: a.raw
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        sale_id: eb.ref('excluded.sale_id'),
        session_id: eb.ref('excluded.session_id'),
        client_id: eb.ref('excluded.client_id'),
        paddle: eb.ref('excluded.paddle'),
        phone: eb.ref('excluded.phone'),
        staff: eb.ref('excluded.staff'),
        server_updated: eb.ref('excluded.server_updated'),
        raw: eb.ref('excluded.raw')
      }))
    )

const DELETE_CARD_LOTS = (q: Kysely<Database>, a: { cardId: string }) =>
  q.deleteFrom('phone_card_lots').where('card_id', '=', a.cardId)

const ADD_CARD_LOT = (q: Kysely<Database>, a: { cardId: string; itemId: string }) =>
  q.insertInto('phone_card_lots').values({ card_id: a.cardId, item_id: a.itemId })

/** The replica's card for a client and session, as a state. */
export function localCardState(db: Replica, key: string): CardState | null {
  const row = db.prepared(CARD_OF).first(parseCardKey(key))
  if (!row) return null
  const itemIds = db
    .prepared(CARD_LOTS)
    .all({ cardId: row.id })
    .map((r) => r.item_id)
  return { paddle: row.paddle, phone: row.phone, staffId: row.staff, itemIds }
}

/**
 * Write Circuit's card (or its absence) into the replica, replacing whatever
 * row held that client and session (a local- card, or an older id).
 */
export function writeServerCard(db: Replica, key: string, c: CircuitPhoneCard | null): void {
  const cardOf = parseCardKey(key)
  // Who calls the bidder is ours: a Circuit that does not keep it leaves the station's choice in place.
  const keptStaff = c && c.staff === null ? (db.prepared(CARD_OF).first(cardOf)?.staff ?? null) : null
  // A card made here (local-…) that Circuit's card replaces: its id still finds the card, so a screen
  // holding it (the clerk moving a lot a moment after the card went out) is not told it is gone.
  if (c) db.prepared(MAP_LOCAL_CARD).run({ ...cardOf, serverId: c.id, mappedAt: Date.parse(c.updated ?? '') || 0 })
  db.prepared(DELETE_CARDS_OF).run({ ...cardOf, keep: c?.id ?? null })
  if (!c) return
  const state = stateOfServerCard(c)!
  writeCardRow(db, {
    id: c.id,
    saleId: c.saleId,
    sessionId: c.sessionId,
    clientId: c.clientId,
    state: keptStaff !== null ? { ...state, staffId: keptStaff } : state,
    updated: c.updated,
    raw: JSON.stringify(c.raw ?? null)
  })
}

export function writeCardRow(
  db: Replica,
  r: {
    id: string
    saleId: string
    sessionId: string | null
    clientId: string
    state: CardState
    updated: string | null
    raw: string
  }
): void {
  db.prepared(WRITE_CARD).run({
    id: r.id,
    saleId: r.saleId,
    sessionId: r.sessionId,
    clientId: r.clientId,
    paddle: r.state.paddle,
    phone: r.state.phone,
    staff: r.state.staffId,
    updated: r.updated,
    raw: r.raw
  })
  db.prepared(DELETE_CARD_LOTS).run({ cardId: r.id })
  const addLot = db.prepared(ADD_CARD_LOT)
  for (const itemId of r.state.itemIds) addLot.run({ cardId: r.id, itemId })
}
