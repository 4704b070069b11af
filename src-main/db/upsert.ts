// Writing a row Circuit sent, by id: insert it, or update every column it
// carries. Shared by the adapters that write pulled records.
import type { Insertable } from 'kysely'
import type { Replica } from './replica'
import type { Database } from './schema'

export type SyncedTable = 'sales' | 'sale_sessions' | 'clients' | 'items' | 'sale_bidders' | 'phone_bidder_cards'

/**
 * Insert a synced row, or update every column of `row` on an existing one.
 * Columns in `insertOnly` are set on insert and never touched by an update
 * (they belong to this station, not to Circuit). Column names come from the
 * typed row objects of the callers, never from outside.
 */
export function upsertById<T extends SyncedTable>(
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

/** Circuit's raw JSON as the replica keeps it. */
export const rawJson = (v: unknown) => JSON.stringify(v ?? null)
