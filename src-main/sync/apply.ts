// Writing Circuit's records into the replica. Each function runs inside the
// caller's transaction. A row that has a change of ours not yet acknowledged
// by Circuit (an outbox entry that is not done) is left as it is: the pull
// never overwrites unacknowledged local work. Once Circuit has acknowledged,
// the server's version wins.
import type { Insertable } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database, Vocabulary } from '../db/schema'
import { lotSortKey } from '../../src-shared/lots'
import { opHandlers } from './op-handler'
import type {
  CircuitBidder,
  CircuitClient,
  CircuitItem,
  CircuitOrder,
  CircuitPhoneCard,
  CircuitSale,
  CircuitSession,
  CircuitStaff,
  CircuitTerm,
  CircuitTransaction
} from '../circuit/types'
import { cardKey, writeServerCard } from '../phone-cards/card-state'

type SyncedTable = 'sales' | 'sale_sessions' | 'clients' | 'items' | 'sale_bidders' | 'phone_bidder_cards'

/**
 * Insert a synced row, or update every column of `row` on an existing one.
 * Columns in `insertOnly` are set on insert and never touched by an update
 * (they belong to this station, not to Circuit). Column names come from the
 * typed row objects below, never from outside.
 */
function upsertById<T extends SyncedTable>(
  db: Replica,
  table: T,
  row: Insertable<Database[T]> & { id: string },
  insertOnly: Partial<Insertable<Database[T]>> = {}
): void {
  const updated = Object.keys(row).filter((c) => c !== 'id')
  const all = [...Object.keys(row), ...Object.keys(insertOnly)]
  db.exec(
    `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})
     ON CONFLICT(id) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ...Object.values(row),
    ...Object.values(insertOnly)
  )
}

function hasPendingLocalChange(db: Replica, entityType: string, entityId: string): boolean {
  return (
    db.first(
      db.q
        .selectFrom('outbox')
        .select('seq')
        .where('entity_type', '=', entityType)
        .where('entity_id', '=', entityId)
        .where('state', 'not in', ['done', 'discarded'])
        .limit(1)
    ) !== undefined
  )
}

const json = (v: unknown) => JSON.stringify(v ?? null)

export function applySale(db: Replica, s: CircuitSale): void {
  if (hasPendingLocalChange(db, 'sale', s.id)) return
  upsertById(
    db,
    'sales',
    {
      id: s.id,
      label: s.label,
      sale_number: s.saleNumber,
      sale_date: s.saleDate,
      status: s.status,
      item_count: s.itemCount,
      venue: s.venue,
      lots_locked: s.lotsLocked ? 1 : 0,
      buyers_premium: s.buyersPremium,
      server_updated: s.updated,
      raw: json(s.raw)
    },
    { pulled_at: null }
  )
}

export function applySession(db: Replica, s: CircuitSession): void {
  upsertById(db, 'sale_sessions', {
    id: s.id,
    sale_id: s.saleId,
    number: s.number,
    date: s.date,
    first_lot: s.firstLot,
    last_lot: s.lastLot,
    auctioneer: s.auctioneer,
    server_updated: s.updated,
    raw: json(s.raw)
  })
}

export function displayName(c: Pick<CircuitClient, 'firstName' | 'lastName' | 'company'>): string {
  const person = [c.lastName, c.firstName].filter((x) => x && x.trim()).join(', ')
  return person || c.company || '(no name)'
}

export function applyClient(db: Replica, c: CircuitClient): void {
  if (hasPendingLocalChange(db, 'client', c.id)) return
  upsertById(db, 'clients', {
    id: c.id,
    uuid: c.uuid,
    first_name: c.firstName,
    last_name: c.lastName,
    company: c.company,
    display_name: displayName(c),
    email: c.email,
    phone: c.phone,
    customer_number: c.customerNumber,
    status: c.status,
    address: c.address ? JSON.stringify(c.address) : null,
    server_updated: c.updated,
    raw: json(c.raw)
  })
}

export function applyBidder(db: Replica, b: CircuitBidder): void {
  // A paddle moved to another registration on the server: the server's current holder wins,
  // but a registration made on this station (not yet known to Circuit) is never deleted.
  db.exec(
    `DELETE FROM sale_bidders WHERE sale_id = ? AND paddle = ? AND id != ?
       AND id NOT IN (SELECT local_id FROM id_map WHERE entity_type = 'bidder')
       AND id NOT LIKE 'local-%'`,
    b.saleId,
    b.paddle,
    b.id
  )
  upsertById(db, 'sale_bidders', {
    id: b.id,
    sale_id: b.saleId,
    client_id: b.clientId,
    paddle: b.paddle,
    bidder_type: b.type,
    server_updated: b.updated,
    raw: json(b.raw)
  })
}

/**
 * A pull met a record with a change of ours on its way. The row is not
 * overwritten; but if Circuit's record has moved to something that is neither
 * what our oldest waiting change was based on nor what it makes (another
 * station, the web back office), that change is stopped as a conflict now,
 * with both versions, rather than sent over it later.
 */
function flagConflict(db: Replica, entityType: string, record: { id: string; updated: string | null }): void {
  const handler = opHandlers.get(entityType)
  if (!handler) return
  const head = db.first(
    db.q
      .selectFrom('outbox')
      .selectAll()
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', record.id)
      .where('state', 'not in', ['done', 'discarded'])
      .orderBy('seq')
      .limit(1)
  )
  // In flight: the sender is deciding on it right now, with a fresher read.
  if (!head || (head.state !== 'pending' && head.state !== 'unknown')) return
  const d = handler.decide(head, record)
  if (d.kind !== 'conflict') return
  db.exec(
    `UPDATE outbox SET state = 'conflict', conflict = ?, last_error = ? WHERE seq = ?`,
    JSON.stringify({ ours: d.ours, theirs: d.theirs, serverUpdated: record.updated, record }),
    `Circuit has ${d.theirs}; this station has ${d.ours}.`,
    head.seq
  )
}

export function applyItem(db: Replica, i: CircuitItem): void {
  if (hasPendingLocalChange(db, 'item', i.id)) {
    flagConflict(db, 'item', i)
    return
  }
  writeItem(db, i)
}

/** Circuit's version of a lot, written whatever waits in the outbox (the sender checked). */
export function writeItem(db: Replica, i: CircuitItem): void {
  upsertById(
    db,
    'items',
    {
      id: i.id,
      sale_id: i.saleId,
      lot: i.lot,
      lot_number: i.lotNumber,
      lot_letter: i.lotLetter,
      lot_sort: lotSortKey(i.lot),
      title: i.title,
      description: i.description,
      estimate_low: i.estimateLow,
      estimate_high: i.estimateHigh,
      reserve: i.reserve,
      opening_price: i.openingPrice,
      hammer: i.hammer,
      status: i.status,
      winner_client_id: i.winnerClientId,
      winner_paddle: i.winnerPaddle,
      consignment_id: i.consignmentId,
      consignor_name: i.consignorName,
      category: i.category,
      server_updated: i.updated,
      raw: json(i.raw)
    },
    // The warehouse shelf is ours, not Circuit's: a pull never clears it.
    { location: null }
  )
}

export function applyPhoneCard(db: Replica, c: CircuitPhoneCard): void {
  // A card's identity is its client and session (Circuit upserts on them), not its id.
  const key = cardKey(c.saleId, c.sessionId, c.clientId)
  if (hasPendingLocalChange(db, 'phone_card', key)) return
  writeServerCard(db, key, c)
}

export function applyStaff(db: Replica, s: CircuitStaff): void {
  db.exec(
    `INSERT INTO staff (id, name, roles, raw) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, roles = excluded.roles, raw = excluded.raw`,
    s.id,
    s.name,
    JSON.stringify(s.roles),
    json(s.raw)
  )
}

/** Circuit's order with its lines and charges, replacing what the replica held for it. */
export function applyOrder(db: Replica, o: CircuitOrder): void {
  if (hasPendingLocalChange(db, 'order', o.id)) return
  writeOrder(db, o)
}

/** Circuit's order as it stands, whatever waits locally (the sender's acknowledgement). */
export function writeOrder(db: Replica, o: CircuitOrder): void {
  // Circuit's order replaces a provisional one made here (from the podium, a split, a credit
  // note, a reissue) for the same buyer and kind whose lots it now holds.
  if (o.saleId && o.clientId && o.status !== 'canceled') {
    db.exec(
      `DELETE FROM orders WHERE sale_id = ? AND client_id = ? AND type = ? AND server_id IS NULL
         AND id NOT IN (SELECT order_id FROM transactions)
         AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = orders.id
                           AND l.item_id NOT IN (SELECT value FROM json_each(?)))`,
      o.saleId,
      o.clientId,
      o.type,
      JSON.stringify(o.lines.map((l) => l.itemId))
    )
  }
  const owner = refLabelOf((o.raw as { owner?: unknown } | null)?.owner)
  db.exec(
    `INSERT INTO orders (id, server_id, order_number, type, status, sale_id, client_id, customer_number, grand_total,
       amount_due, payment_received, created, server_updated, raw, invoice, owner_name)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, order_number = excluded.order_number,
       type = excluded.type, status = excluded.status, sale_id = excluded.sale_id, client_id = excluded.client_id,
       customer_number = excluded.customer_number, grand_total = excluded.grand_total,
       amount_due = excluded.amount_due, payment_received = excluded.payment_received, created = excluded.created,
       server_updated = excluded.server_updated, raw = excluded.raw, invoice = excluded.invoice,
       owner_name = excluded.owner_name`,
    o.id,
    o.id,
    o.orderNumber,
    o.type,
    o.status,
    o.saleId,
    o.clientId,
    o.customerNumber,
    o.grandTotal,
    o.amountDue,
    o.paymentReceived,
    o.created,
    o.updated,
    json(o.raw),
    o.invoice ? JSON.stringify(o.invoice) : null,
    owner
  )
  db.exec('DELETE FROM order_lines WHERE order_id = ?', o.id)
  for (const l of o.lines) {
    db.exec(
      `INSERT OR REPLACE INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax,
         consignment_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id,
      l.itemId,
      l.lot,
      l.description,
      l.hammer,
      l.premium,
      l.taxId,
      l.tax,
      l.consignmentNumber
    )
  }
  db.exec('DELETE FROM order_charges WHERE order_id = ?', o.id)
  for (const c of o.charges) {
    db.exec(
      `INSERT INTO order_charges (order_id, term_id, label, amount, tax, description, date, tax_rate_bp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id,
      c.termId,
      c.label,
      c.amount,
      c.taxAmount,
      c.description,
      c.date,
      c.taxRateBp
    )
  }
}

export function applyTransaction(db: Replica, t: CircuitTransaction): void {
  if (hasPendingLocalChange(db, 'transaction', t.id)) return
  // A payment of an order this station has not pulled waits for the order's own pull.
  if (!db.sql('SELECT 1 FROM orders WHERE id = ?', t.orderId)[0]) return
  // One of ours (its reference in `info`, or already matched): the same payment, never a second row.
  const mine = db.sql<{ id: string }>(
    `SELECT id FROM transactions WHERE id <> ? AND (server_id = ? OR (server_id IS NULL AND instr(?, '[saleroom:' || id || ']') > 0))`,
    t.id,
    t.id,
    t.info ?? ''
  )[0]
  if (mine) {
    db.exec(
      'UPDATE transactions SET server_id = ?, amount = ?, date = ?, server_updated = ?, raw = ? WHERE id = ?',
      t.id,
      t.amount,
      t.date,
      t.updated,
      json(t.raw),
      mine.id
    )
    return
  }
  db.exec(
    `INSERT INTO transactions (id, server_id, order_id, type, amount, date, card_type, card_last4, cheque_number,
       cheque_date, bank_id, bank_name, bank_account, bank_branch, info, created, server_updated, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, order_id = excluded.order_id, type = excluded.type,
       amount = excluded.amount, date = excluded.date, card_type = excluded.card_type,
       card_last4 = excluded.card_last4, cheque_number = excluded.cheque_number, cheque_date = excluded.cheque_date,
       bank_id = excluded.bank_id, bank_name = excluded.bank_name, bank_account = excluded.bank_account,
       bank_branch = excluded.bank_branch, info = excluded.info, created = excluded.created,
       server_updated = excluded.server_updated, raw = excluded.raw`,
    t.id,
    t.id,
    t.orderId,
    t.type,
    t.amount,
    t.date,
    t.cardType,
    t.cardLast4,
    t.chequeNumber,
    t.chequeDate,
    t.bankId,
    t.bankName,
    t.bankAccountNumber,
    t.bankBranch,
    t.info,
    t.created,
    t.updated,
    json(t.raw)
  )
}

function refLabelOf(v: unknown): string | null {
  if (typeof v === 'string') return null // a bare id
  if (v && typeof v === 'object' && typeof (v as { label?: unknown }).label === 'string')
    return (v as { label: string }).label
  return null
}

export function applyTerm(db: Replica, vocabulary: Vocabulary, t: CircuitTerm): void {
  const row = { vocabulary, id: t.id, label: t.label, attrs: JSON.stringify(t.attrs), raw: json(t.raw) }
  db.run(
    db.q
      .insertInto('reference_terms')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['vocabulary', 'id']).doUpdateSet({ label: row.label, attrs: row.attrs, raw: row.raw })
      )
  )
}
