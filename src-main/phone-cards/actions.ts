// Adding, changing, deleting phone-bidder cards and moving a lot between
// them. Each is checked against the replica, then the card rows, the outbox
// entries and the audit entry are written in one transaction (core/action.ts).
import type { Kysely } from 'kysely'
import type { CardInput, PhoneCard } from '../../src-shared/contract'
import { lotSortKey } from '../../src-shared/lots'
import { AppError } from '../../src-shared/rpc'
import type { Actions, ActionTx } from '../core/action'
import type { IdSource } from '../core/ids'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { cardKey, localCardState, writeCardRow, type CardPayload, type CardState } from './card-state'
import { cardById, loadSession, type SessionRow } from './cards'

export interface PhoneCardDeps {
  db: Replica
  actions: Actions
  ids: IdSource
}

const NO_PHONE_PADDLE =
  "Circuit's API has no way to create a phone paddle: register one for the client in Circuit's back office (client → Bidding info), open the sale again here, then add the card."

interface Client {
  id: string
  name: string
  phone: string | null
}

/** A lot of the sale by its sort key (one lot typed: "12", "269A"). */
const LOT_AT = (q: Kysely<Database>, a: { saleId: string; lotSort: string }) =>
  q.selectFrom('items').select(['id', 'lot_sort']).where('sale_id', '=', a.saleId).where('lot_sort', '=', a.lotSort)

/** The lots of the sale from one sort key to another, the last one's lettered lots too (15-18 holds 18A). */
const LOTS_FROM = (q: Kysely<Database>, a: { saleId: string; from: string; to: string; toPrefix: string }) =>
  q
    .selectFrom('items')
    .select(['id', 'lot_sort'])
    .where('sale_id', '=', a.saleId)
    .where('lot_sort', '>=', a.from)
    .where((eb) => eb.or([eb('lot_sort', '<=', a.to), eb('lot_sort', 'like', a.toPrefix)]))

function findClient(db: Replica, saleId: string, input: CardInput): { client: Client; paddle: string | null } {
  if (input.paddle !== undefined) {
    const typed = input.paddle
    const b = db.first(
      db.q
        .selectFrom('sale_bidders')
        .select(['client_id', 'paddle'])
        .where('sale_id', '=', saleId)
        .where((eb) => eb(eb.fn('upper', ['paddle']), '=', eb.fn('upper', [eb.val(typed)])))
    )
    if (!b)
      throw new AppError('not_found', `Paddle ${input.paddle} is not registered for this sale. ${NO_PHONE_PADDLE}`)
    if (input.clientId !== undefined && input.clientId !== b.client_id) {
      throw new AppError('invalid_input', `Paddle ${input.paddle} belongs to another client.`)
    }
    return { client: loadClient(db, b.client_id), paddle: b.paddle }
  }
  return { client: loadClient(db, input.clientId!), paddle: null }
}

function loadClient(db: Replica, clientId: string): Client {
  const c = db.first(
    db.q.selectFrom('clients').select(['id', 'display_name as name', 'phone']).where('id', '=', clientId)
  )
  if (!c) throw new AppError('not_found', `There is no client ${clientId} on this station.`)
  return c
}

/** The client's phone paddle for the sale, else any of their paddles. */
function paddleOf(db: Replica, saleId: string, clientId: string): string | null {
  const b = db.first(
    db.q
      .selectFrom('sale_bidders')
      .select('paddle')
      .where('sale_id', '=', saleId)
      .where('client_id', '=', clientId)
      .orderBy((eb) => eb('bidder_type', '<>', 'phone'))
      .orderBy((eb) => eb.fn('length', ['paddle']))
      .orderBy('paddle')
      .limit(1)
  )
  return b?.paddle ?? null
}

/** "12", "269A" and ranges "15-18" → the session's item ids; an unknown lot is an error. */
function resolveLots(db: Replica, session: SessionRow, wanted: string[]): string[] {
  const from = session.first_lot === null ? '' : lotSortKey(session.first_lot)
  const to = session.last_lot === null ? '\uffff' : lotSortKey(session.last_lot)
  const inSession = (sort: string) => sort >= from && (sort <= to || sort.startsWith(to))
  const range = session.first_lot !== null ? ` (lots ${session.first_lot}–${session.last_lot ?? ''})` : ''
  const ids = new Set<string>()
  for (const text of wanted) {
    const [a, b] = text.split(/\s*[-–]\s*/)
    const lo = lotSortKey(a)
    const hi = b === undefined ? lo : lotSortKey(b)
    if (hi < lo) throw new AppError('invalid_input', `The range ${text} runs backwards.`)
    const found =
      b === undefined
        ? db.prepared(LOT_AT).all({ saleId: session.sale_id, lotSort: lo })
        : db.prepared(LOTS_FROM).all({ saleId: session.sale_id, from: lo, to: hi, toPrefix: `${hi}%` })
    if (found.length === 0) throw new AppError('not_found', `There is no lot ${text} in this sale.`)
    const outside = found.find((f) => !inSession(f.lot_sort))
    if (outside) throw new AppError('invalid_input', `Lot ${text} is not in session ${session.number}${range}.`)
    for (const f of found) ids.add(f.id)
  }
  return [...ids].sort()
}

function checkStaff(db: Replica, staffId: string | null): void {
  if (staffId === null) return
  if (!db.first(db.q.selectFrom('staff').select('id').where('id', '=', staffId))) {
    throw new AppError(
      'not_found',
      `There is no member of staff ${staffId}. Open the sale again to fetch Circuit's staff.`
    )
  }
}

/**
 * One member of staff cannot be on the phone to two bidders when the same lot
 * comes up. Only what this change adds is checked (its new lots, or all of
 * them for a new caller): a clash already on Circuit must not lock the card.
 */
function checkNoDoubleCall(db: Replica, saleId: string, key: string, state: CardState, before: CardState | null): void {
  const added =
    before && before.staffId === state.staffId
      ? state.itemIds.filter((i) => !before.itemIds.includes(i))
      : state.itemIds
  if (state.staffId === null || added.length === 0) return
  const clash = db.first(
    db.q
      .selectFrom('phone_bidder_cards as p')
      .innerJoin('phone_card_lots as l', 'l.card_id', 'p.id')
      .innerJoin('items as i', 'i.id', 'l.item_id')
      .leftJoin('clients as c', 'c.id', 'p.client_id')
      .leftJoin('staff as s', 's.id', 'p.staff')
      .select(['i.lot', 'c.display_name as client_name', 'p.paddle', 's.name as staff_name'])
      .where('p.sale_id', '=', saleId)
      .where('p.staff', '=', state.staffId)
      // Another card than this one: its key (cardKey) in SQL; sale and client are never null.
      .where((eb) => {
        const cardKeyOf = eb.fn<string>('concat', [
          'p.sale_id',
          eb.val('/'),
          eb.fn.coalesce('p.session_id', eb.val('')),
          eb.val('/'),
          'p.client_id'
        ])
        return eb(cardKeyOf, '<>', key)
      })
      .where('l.item_id', 'in', jsonValues(added))
      .orderBy('i.lot_sort')
      .limit(1)
  )
  if (clash) {
    throw new AppError(
      'conflict',
      `${clash.staff_name ?? 'That member of staff'} already calls ${clash.client_name ?? 'another bidder'}${clash.paddle ? ` (paddle ${clash.paddle})` : ''} for lot ${clash.lot}: one caller cannot take two bidders on the same lot.`
    )
  }
}

interface CardIdentity {
  id: string
  saleId: string
  sessionId: string
  client: Client
}

/** Write the card's new state (or its removal), queue it for Circuit. Inside the action. */
function recordCard(tx: ActionTx, db: Replica, card: CardIdentity, target: CardState | null): void {
  const key = cardKey(card.saleId, card.sessionId, card.client.id)
  const base = localCardState(db, key)
  const payload: CardPayload = {
    saleId: card.saleId,
    sessionId: card.sessionId,
    clientId: card.client.id,
    clientName: card.client.name,
    base,
    target
  }
  if (target === null) db.run(db.q.deleteFrom('phone_bidder_cards').where('id', '=', card.id))
  else {
    writeCardRow(db, {
      id: card.id,
      saleId: card.saleId,
      sessionId: card.sessionId,
      clientId: card.client.id,
      state: target,
      updated: null,
      raw: 'null'
    })
  }
  tx.enqueue({
    entityType: 'phone_card',
    entityId: key,
    op: target === null ? 'phoneCard.delete' : 'phoneCard.save',
    payload,
    label: target === null ? `Delete ${card.client.name}'s phone card` : `Phone card for ${card.client.name}`
  })
  tx.changed('phone_card', [card.id], card.saleId)
}

function existingCard(db: Replica, saleId: string, sessionId: string, clientId: string): { id: string } | undefined {
  return db.first(
    db.q
      .selectFrom('phone_bidder_cards')
      .select('id')
      .where('sale_id', '=', saleId)
      .where('session_id', '=', sessionId)
      .where('client_id', '=', clientId)
  )
}

export function saveCard(deps: PhoneCardDeps, input: CardInput): PhoneCard {
  const { db } = deps
  const session = loadSession(db, input.sessionId)
  const { client, paddle: typedPaddle } = findClient(db, session.sale_id, input)
  const sameClient = existingCard(db, session.sale_id, session.id, client.id)
  if (input.id !== undefined) {
    const named = cardById(db, input.id)
    if (named.clientId !== client.id || named.sessionId !== session.id) {
      throw new AppError(
        'invalid_input',
        'A card belongs to one client and one session: delete this card and add one for the other client.'
      )
    }
  }
  const key = cardKey(session.sale_id, session.id, client.id)
  const before = localCardState(db, key)
  const staffId = input.staffId === undefined ? (before?.staffId ?? null) : input.staffId
  checkStaff(db, staffId)
  const phone = input.phone === undefined ? (before?.phone ?? client.phone) : input.phone || null
  const target: CardState = {
    paddle: typedPaddle ?? before?.paddle ?? paddleOf(db, session.sale_id, client.id),
    phone,
    staffId,
    itemIds: resolveLots(db, session, input.lots)
  }
  checkNoDoubleCall(db, session.sale_id, key, target, before)
  const id = sameClient?.id ?? `local-${deps.ids.next()}`
  deps.actions.run((tx) => {
    recordCard(tx, db, { id, saleId: session.sale_id, sessionId: session.id, client }, target)
    tx.audit({
      action: before ? 'phoneCard.change' : 'phoneCard.add',
      entityType: 'phone_card',
      entityId: key,
      saleId: session.sale_id,
      before,
      after: target
    })
  })
  return cardById(db, id)
}

export function deleteCard(deps: PhoneCardDeps, cardId: string): { deleted: string } {
  const { db } = deps
  const card = cardById(db, cardId)
  if (card.sessionId === null)
    throw new AppError('invalid_input', 'This card has no session on Circuit; delete it there.')
  const key = cardKey(card.saleId, card.sessionId, card.clientId)
  const before = localCardState(db, key)
  deps.actions.run((tx) => {
    recordCard(
      tx,
      db,
      { id: card.id, saleId: card.saleId, sessionId: card.sessionId!, client: loadClient(db, card.clientId) },
      null
    )
    tx.audit({ action: 'phoneCard.delete', entityType: 'phone_card', entityId: key, saleId: card.saleId, before })
  })
  return { deleted: cardId }
}

export function moveLot(
  deps: PhoneCardDeps,
  input: { lot: string; fromCardId: string; toCardId: string }
): { from: PhoneCard; to: PhoneCard } {
  const { db } = deps
  if (input.fromCardId === input.toCardId)
    throw new AppError('invalid_input', 'Choose another card to move the lot to.')
  const from = cardById(db, input.fromCardId)
  const to = cardById(db, input.toCardId)
  if (from.sessionId === null || from.sessionId !== to.sessionId) {
    throw new AppError('invalid_input', 'A lot moves between cards of the same session.')
  }
  const lot = from.lots.find((l) => l.lot.toUpperCase() === input.lot.trim().toUpperCase())
  if (!lot) throw new AppError('not_found', `Lot ${input.lot} is not on ${from.clientName}'s card.`)
  if (to.lots.some((l) => l.itemId === lot.itemId)) {
    throw new AppError('conflict', `Lot ${lot.lot} is already on ${to.clientName}'s card.`)
  }
  const fromKey = cardKey(from.saleId, from.sessionId, from.clientId)
  const toKey = cardKey(to.saleId, to.sessionId, to.clientId)
  const fromBefore = localCardState(db, fromKey)!
  const toBefore = localCardState(db, toKey)!
  const fromAfter: CardState = { ...fromBefore, itemIds: fromBefore.itemIds.filter((i) => i !== lot.itemId) }
  const toAfter: CardState = { ...toBefore, itemIds: [...toBefore.itemIds, lot.itemId].sort() }
  checkNoDoubleCall(db, to.saleId, toKey, toAfter, toBefore)
  const sessionId = from.sessionId
  deps.actions.run((tx) => {
    recordCard(
      tx,
      db,
      { id: from.id, saleId: from.saleId, sessionId, client: loadClient(db, from.clientId) },
      fromAfter
    )
    recordCard(tx, db, { id: to.id, saleId: to.saleId, sessionId, client: loadClient(db, to.clientId) }, toAfter)
    tx.audit({
      action: 'phoneCard.moveLot',
      entityType: 'phone_card',
      entityId: toKey,
      saleId: from.saleId,
      before: { lot: lot.lot, card: from.clientName },
      after: { lot: lot.lot, card: to.clientName }
    })
  })
  return { from: cardById(db, from.id), to: cardById(db, to.id) }
}
