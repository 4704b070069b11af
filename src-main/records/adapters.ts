// The sale's own records as Circuit sends them: the sale, its sessions,
// clients, paddles, the reference lists and staff. This station changes none
// of them through the outbox, so their adapters only write what a pull brings.
import type {
  CircuitBidder,
  CircuitClient,
  CircuitSale,
  CircuitSession,
  CircuitStaff,
  CircuitTerm
} from '../circuit/types'
import type { AnyAdapter } from '../core/sync-adapter'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database, Vocabulary } from '../db/schema'
import { rawJson, upsertById } from '../db/upsert'

export function displayName(c: Pick<CircuitClient, 'firstName' | 'lastName' | 'company'>): string {
  const person = [c.lastName, c.firstName].filter((x) => x && x.trim()).join(', ')
  return person || c.company || '(no name)'
}

export function writeSale(db: Replica, s: CircuitSale): void {
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
      raw: rawJson(s.raw)
    },
    { pulled_at: null }
  )
}

export function writeSession(db: Replica, s: CircuitSession): void {
  upsertById(db, 'sale_sessions', {
    id: s.id,
    sale_id: s.saleId,
    number: s.number,
    date: s.date,
    first_lot: s.firstLot,
    last_lot: s.lastLot,
    auctioneer: s.auctioneer,
    server_updated: s.updated,
    raw: rawJson(s.raw)
  })
}

export function writeClient(db: Replica, c: CircuitClient): void {
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
    raw: rawJson(c.raw)
  })
}

/** Another registration of the paddle than Circuit's current one (run for every paddle pulled: compiled once). */
const PADDLE_MOVED = (q: Kysely<Database>, a: { saleId: string; paddle: string; id: string }) =>
  q
    .deleteFrom('sale_bidders')
    .where('sale_id', '=', a.saleId)
    .where('paddle', '=', a.paddle)
    .where('id', '!=', a.id)
    .where('id', 'not in', q.selectFrom('id_map').select('local_id').where('entity_type', '=', 'bidder'))
    .where('id', 'not like', 'local-%')

export function writeBidder(db: Replica, b: CircuitBidder): void {
  // A paddle moved to another registration on the server: the server's current holder wins,
  // but a registration made on this station (not yet known to Circuit) is never deleted.
  db.prepared(PADDLE_MOVED).run({ saleId: b.saleId, paddle: b.paddle, id: b.id })
  upsertById(db, 'sale_bidders', {
    id: b.id,
    sale_id: b.saleId,
    client_id: b.clientId,
    paddle: b.paddle,
    bidder_type: b.type,
    server_updated: b.updated,
    raw: rawJson(b.raw)
  })
}

/** A reference term as the pull brings it: its list and the term. */
export interface PulledTerm {
  vocabulary: Vocabulary
  term: CircuitTerm
}

export function writeTerm(db: Replica, vocabulary: Vocabulary, t: CircuitTerm): void {
  // A bid-step table's ranges, as the client decoded them (minor units), are what the podium checks a hammer against.
  const attrs = t.ranges
    ? { ...t.attrs, ranges: t.ranges.map((r) => ({ from: r.from, increment: r.increment })) }
    : t.attrs
  const row = { vocabulary, id: t.id, label: t.label, attrs: JSON.stringify(attrs), raw: rawJson(t.raw) }
  db.run(
    db.q
      .insertInto('reference_terms')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['vocabulary', 'id']).doUpdateSet({ label: row.label, attrs: row.attrs, raw: row.raw })
      )
  )
}

export function writeStaff(db: Replica, s: CircuitStaff): void {
  const row = { id: s.id, name: s.name, roles: JSON.stringify(s.roles), raw: rawJson(s.raw) }
  db.run(
    db.q
      .insertInto('staff')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, roles: row.roles, raw: row.raw }))
  )
}

/** The adapters of the sale's own records (pull only). */
export function recordAdapters(): AnyAdapter[] {
  const byId = (r: { id: string }) => r.id
  return [
    { entityType: 'sale', pulls: { kind: 'sale', entityId: byId, apply: writeSale } },
    { entityType: 'session', pulls: { kind: 'session', entityId: byId, apply: writeSession } },
    { entityType: 'client', pulls: { kind: 'client', entityId: byId, apply: writeClient } },
    { entityType: 'bidder', pulls: { kind: 'bidder', entityId: byId, apply: writeBidder } },
    {
      entityType: 'term',
      pulls: {
        kind: 'term',
        entityId: (r: PulledTerm) => `${r.vocabulary}/${r.term.id}`,
        apply: (db: Replica, r: PulledTerm) => writeTerm(db, r.vocabulary, r.term)
      }
    },
    { entityType: 'staff', pulls: { kind: 'staff', entityId: byId, apply: writeStaff } }
  ]
}
