// A phone-bidder card as the outbox and the replica see it. Circuit keeps one
// card per client and session (its POST upserts on that pair), so that pair,
// not Circuit's id, is the card's identity here: a card made offline and the
// one Circuit answers with are the same record.
import type { CircuitPhoneCard } from '../circuit/types'
import type { Replica } from '../db/replica'

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

/** The replica's card for a client and session, as a state. */
export function localCardState(db: Replica, key: string): CardState | null {
  const { saleId, sessionId, clientId } = parseCardKey(key)
  const row = db.sql<{ id: string; paddle: string | null; phone: string | null; staff: string | null }>(
    `SELECT id, paddle, phone, staff FROM phone_bidder_cards
     WHERE sale_id = ? AND coalesce(session_id, '') = ? AND client_id = ?`,
    saleId,
    sessionId,
    clientId
  )[0]
  if (!row) return null
  const itemIds = db
    .sql<{ item_id: string }>('SELECT item_id FROM phone_card_lots WHERE card_id = ? ORDER BY item_id', row.id)
    .map((r) => r.item_id)
  return { paddle: row.paddle, phone: row.phone, staffId: row.staff, itemIds }
}

/**
 * Write Circuit's card (or its absence) into the replica, replacing whatever
 * row held that client and session (a local- card, or an older id).
 */
export function writeServerCard(db: Replica, key: string, c: CircuitPhoneCard | null): void {
  const { saleId, sessionId, clientId } = parseCardKey(key)
  // Who calls the bidder is ours: a Circuit that does not keep it leaves the station's choice in place.
  const keptStaff =
    c && c.staff === null
      ? (db.sql<{ staff: string | null }>(
          `SELECT staff FROM phone_bidder_cards WHERE sale_id = ? AND coalesce(session_id, '') = ? AND client_id = ?`,
          saleId,
          sessionId,
          clientId
        )[0]?.staff ?? null)
      : null
  // A card made here (local-…) that Circuit's card replaces: its id still finds the card, so a screen
  // holding it (the clerk moving a lot a moment after the card went out) is not told it is gone.
  if (c) {
    db.exec(
      `INSERT OR REPLACE INTO id_map (entity_type, local_id, server_id, mapped_at)
       SELECT 'phone_card', id, ?, ? FROM phone_bidder_cards
       WHERE sale_id = ? AND coalesce(session_id, '') = ? AND client_id = ? AND id LIKE 'local-%' AND id <> ?`,
      c.id,
      Date.parse(c.updated ?? '') || 0,
      saleId,
      sessionId,
      clientId,
      c.id
    )
  }
  db.exec(
    `DELETE FROM phone_bidder_cards WHERE sale_id = ? AND coalesce(session_id, '') = ? AND client_id = ?
       AND (? IS NULL OR id <> ?)`,
    saleId,
    sessionId,
    clientId,
    c?.id ?? null,
    c?.id ?? null
  )
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
  db.exec(
    `INSERT INTO phone_bidder_cards (id, sale_id, session_id, client_id, paddle, phone, staff, server_updated, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET sale_id = excluded.sale_id, session_id = excluded.session_id,
       client_id = excluded.client_id, paddle = excluded.paddle, phone = excluded.phone, staff = excluded.staff,
       server_updated = excluded.server_updated, raw = excluded.raw`,
    r.id,
    r.saleId,
    r.sessionId,
    r.clientId,
    r.state.paddle,
    r.state.phone,
    r.state.staffId,
    r.updated,
    r.raw
  )
  db.exec('DELETE FROM phone_card_lots WHERE card_id = ?', r.id)
  for (const itemId of r.state.itemIds) {
    db.exec('INSERT INTO phone_card_lots (card_id, item_id) VALUES (?, ?)', r.id, itemId)
  }
}
