// The two key/value tables: `settings` (the station's own, JSON per key) and
// `sync_state` (what syncing remembers: cursors, Circuit's currency). Read on
// every action and status, so each statement is compiled once.
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

type KeyedTable = 'settings' | 'sync_state'

const readers = {
  settings: (q: Kysely<Database>, a: { key: string }) =>
    q.selectFrom('settings').select('value').where('key', '=', a.key),
  sync_state: (q: Kysely<Database>, a: { key: string }) =>
    q.selectFrom('sync_state').select('value').where('key', '=', a.key)
}

const writers = {
  settings: (q: Kysely<Database>, a: { key: string; value: string; at: number }) =>
    q
      .insertInto('settings')
      .values({ key: a.key, value: a.value, updated_at: a.at })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') }))
      ),
  sync_state: (q: Kysely<Database>, a: { key: string; value: string; at: number }) =>
    q
      .insertInto('sync_state')
      .values({ key: a.key, value: a.value, updated_at: a.at })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') }))
      )
}

const removers = {
  settings: (q: Kysely<Database>, a: { key: string }) => q.deleteFrom('settings').where('key', '=', a.key),
  sync_state: (q: Kysely<Database>, a: { key: string }) => q.deleteFrom('sync_state').where('key', '=', a.key)
}

/** The value stored under `key` as text (JSON), or null. */
export function readKeyed(db: Replica, table: KeyedTable, key: string): string | null {
  return db.prepared(readers[table]).first({ key })?.value ?? null
}

/** Store `value` (JSON text) under `key`. Inside the caller's transaction or its own. */
export function writeKeyed(db: Replica, table: KeyedTable, key: string, value: string, at: number): void {
  db.prepared(writers[table]).run({ key, value, at })
}

export function removeKeyed(db: Replica, table: KeyedTable, key: string): void {
  db.prepared(removers[table]).run({ key })
}
