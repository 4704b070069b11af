// Writing a row Circuit sent, by id: insert it, or update every column it
// carries. Shared by the adapters that write pulled records.
import type { Insertable, Kysely } from 'kysely'
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
  // A column the row does not carry (undefined) is neither inserted nor updated.
  const carried = (o: object) => Object.entries(o).filter(([, v]) => v !== undefined)
  const columns = carried(row)
  const own = carried(insertOnly)
  const sql = upsertSql(db, table, columns, own)
  db.exec(sql, ...columns.map(([, v]) => v), ...own.map(([, v]) => v))
}

/**
 * The statement for one table and set of columns, built by Kysely and
 * compiled once: a pull writes thousands of rows of the same shape, and the
 * compiled text is the replica's statement cache key.
 */
const statements = new Map<string, string>()
function upsertSql(
  db: Replica,
  table: SyncedTable,
  columns: [string, unknown][],
  insertOnly: [string, unknown][]
): string {
  const key = `${table}|${columns.map(([c]) => c).join(',')}|${insertOnly.map(([c]) => c).join(',')}`
  let sql = statements.get(key)
  if (!sql) {
    const values = Object.fromEntries([...columns, ...insertOnly])
    const updated = columns.map(([c]) => c).filter((c) => c !== 'id')
    // The table and its columns vary by caller, so the builder is typed loosely here; they come
    // from the callers' typed rows, and the values are bound parameters.
    const q = db.q as unknown as Kysely<Record<string, Record<string, unknown>>>
    sql = q
      .insertInto(table)
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}`)])))
      )
      .compile().sql
    statements.set(key, sql)
  }
  return sql
}

/** Circuit's raw JSON as the replica keeps it. */
export const rawJson = (v: unknown) => JSON.stringify(v ?? null)
