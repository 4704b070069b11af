// "Last sync" in the status bar: the last time anything came from or reached Circuit.
import type { Replica } from '../db/replica'
import { iso } from '../core/clock'

/** Inside the caller's transaction. */
export function setLastSync(db: Replica, now: number): void {
  const value = JSON.stringify(iso(now))
  db.run(
    db.q
      .insertInto('sync_state')
      .values({ key: 'last_sync_at', value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
  )
}
