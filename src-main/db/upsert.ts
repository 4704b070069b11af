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
  const columns = Object.keys(row)
  const own = Object.keys(insertOnly)
  db.exec(upsertSql(table, columns, own), ...Object.values(row), ...Object.values(insertOnly))
}

/**
 * The statement for one table and set of columns, made once: a pull writes
 * thousands of rows of the same shape, and the text itself is the statement
 * cache's key.
 */
const statements = new Map<string, string>()
function upsertSql(table: SyncedTable, columns: string[], insertOnly: string[]): string {
  const key = `${table}|${columns.join(',')}|${insertOnly.join(',')}`
  let sql = statements.get(key)
  if (!sql) {
    const all = [...columns, ...insertOnly]
    const updated = columns.filter((c) => c !== 'id')
    sql = `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})
     ON CONFLICT(id) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`
    statements.set(key, sql)
  }
  return sql
}

/** Circuit's raw JSON as the replica keeps it. */
export const rawJson = (v: unknown) => JSON.stringify(v ?? null)
