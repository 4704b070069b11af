// What changed in the hub's replica, in order. While a station hosts the
// venue, triggers note every write to the records the stations follow —
// whoever made it: an action at the hub, a station's write through the hub,
// the hub's own pull, Circuit's answer to the hub's outbox — in one log with
// a growing sequence number, in the same transaction as the write. The hub
// answers each record's "updated" from that number, and its live feed tells
// stations which records to fetch again.
import type { Replica } from '../db/replica'

/** Entities a station follows, as its client names them. */
export type HubEntity =
  | 'sale'
  | 'session'
  | 'client'
  | 'bidder'
  | 'item'
  | 'phone_card'
  | 'order'
  | 'transaction'
  | 'consignment'
  | 'collection'

interface Watch {
  name: string
  table: string
  entity: HubEntity
  /** The record a row belongs to (a line belongs to its order). */
  id: string
  /** The record's id as the hub serves it, if not `id` (a payment: Circuit's id once Circuit has it). */
  served?: (row: 'NEW' | 'OLD') => string
}

// Constant text only: tables, entities and columns come from this list, never from outside.
const WATCHED: readonly Watch[] = [
  { name: 'sales', table: 'sales', entity: 'sale', id: 'id' },
  { name: 'sessions', table: 'sale_sessions', entity: 'session', id: 'id' },
  { name: 'clients', table: 'clients', entity: 'client', id: 'id' },
  { name: 'bidders', table: 'sale_bidders', entity: 'bidder', id: 'id' },
  { name: 'items', table: 'items', entity: 'item', id: 'id' },
  { name: 'cards', table: 'phone_bidder_cards', entity: 'phone_card', id: 'id' },
  { name: 'card_lots', table: 'phone_card_lots', entity: 'phone_card', id: 'card_id' },
  { name: 'orders', table: 'orders', entity: 'order', id: 'id' },
  { name: 'order_lines', table: 'order_lines', entity: 'order', id: 'order_id' },
  { name: 'order_charges', table: 'order_charges', entity: 'order', id: 'order_id' },
  {
    name: 'transactions',
    table: 'transactions',
    entity: 'transaction',
    id: 'id',
    served: (row) => `coalesce(${row}.server_id, ${row}.id)`
  },
  // A release at the collection desk (one row per lot): the record is the release.
  { name: 'collections', table: 'collections', entity: 'collection', id: 'release_id' }
]

const NEXT = `(SELECT coalesce(max(seq), 0) + 1 FROM hub_changes)`

function triggersFor(w: Watch): string {
  const key = (row: 'NEW' | 'OLD') => (w.served ? w.served(row) : `${row}.${w.id}`)
  const note = (row: 'NEW' | 'OLD', deleted: 0 | 1) =>
    `INSERT INTO hub_changes (entity, id, seq, deleted) VALUES ('${w.entity}', ${key(row)}, ${NEXT}, ${deleted})
       ON CONFLICT (entity, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted;`
  // A line or a card's lot deleted means its record changed, not that the record is gone.
  const whole = w.id === 'id'
  return `
    CREATE TRIGGER hub_${w.name}_ins AFTER INSERT ON ${w.table} BEGIN ${note('NEW', 0)} END;
    CREATE TRIGGER hub_${w.name}_upd AFTER UPDATE ON ${w.table} BEGIN ${note('NEW', 0)} END;
    CREATE TRIGGER hub_${w.name}_del AFTER DELETE ON ${w.table} BEGIN ${note('OLD', whole ? 1 : 0)} END;`
}

const dropTriggers = (db: Replica) => {
  for (const w of WATCHED) {
    for (const k of ['ins', 'upd', 'del']) db.raw.exec(`DROP TRIGGER IF EXISTS hub_${w.name}_${k}`)
  }
}

/**
 * Start noting changes (the station begins hosting). Made afresh each time: a hub killed while
 * hosting left its triggers behind, and they are those of the Saleroom that made them.
 */
export function watchChanges(db: Replica): void {
  db.tx(() => {
    dropTriggers(db)
    db.raw.exec(WATCHED.map(triggersFor).join('\n'))
    // Releases are this station's own records, never pulled from Circuit: those recorded while it
    // did not host (before it began, or on a station that now hosts after a handover) are noted
    // now, so every station following the hub gets them too.
    db.exec(`INSERT INTO hub_changes (entity, id, seq, deleted)
      SELECT 'collection', r.release_id, ${NEXT} + row_number() OVER (ORDER BY r.at, r.release_id) - 1, 0
      FROM (SELECT release_id, min(at) AS at FROM collections GROUP BY release_id) r
      WHERE NOT EXISTS (SELECT 1 FROM hub_changes h WHERE h.entity = 'collection' AND h.id = r.release_id)`)
  })
}

/** Stop noting changes (the station stops hosting): ordinary stations pay nothing for the hub. */
export function unwatchChanges(db: Replica): void {
  db.tx(() => dropTriggers(db))
}

/** The newest change's number (0: none yet). */
export function lastChange(db: Replica): number {
  return db.first(db.q.selectFrom('hub_changes').select((eb) => eb.fn.max<number | null>('seq').as('seq')))?.seq ?? 0
}

export interface ChangeBatch {
  /** The newest seq in this batch: where the next read goes on from. */
  upTo: number
  changed: Partial<Record<HubEntity, string[]>>
  deleted: Partial<Record<HubEntity, string[]>>
}

/** What changed after `since`, grouped by entity (at most `limit` records, oldest first). */
export function changesSince(db: Replica, since: number, limit = 2_000): ChangeBatch {
  const rows = db.all(
    db.q
      .selectFrom('hub_changes')
      .select(['entity', 'id', 'seq', 'deleted'])
      .where('seq', '>', since)
      .orderBy('seq')
      .limit(limit)
  )
  const out: ChangeBatch = { upTo: since, changed: {}, deleted: {} }
  for (const r of rows) {
    const into = r.deleted ? out.deleted : out.changed
    ;(into[r.entity as HubEntity] ??= []).push(r.id)
    out.upTo = r.seq
  }
  return out
}
