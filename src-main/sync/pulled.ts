// Writing what a pull brings through the kinds' adapters. Runs inside the
// page's transaction. A record that has a change of ours not yet
// acknowledged by Circuit (an outbox entry that is not done) is left as it
// is: the pull never overwrites unacknowledged local work. Once Circuit has
// acknowledged, the server's version wins (the sender writes it).
import type { PullKind, SyncRegistry } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import { writtenBySenderSince } from './sender-writes'

/** Entity ids of a type with an open outbox entry: one read per page, not one per row. */
function waitingIds(db: Replica, entityType: string): Set<string> {
  return new Set(
    db
      .all(
        db.q
          .selectFrom('outbox')
          .select('entity_id')
          .distinct()
          .where('entity_type', '=', entityType)
          .where('state', 'not in', ['done', 'discarded'])
      )
      .map((r) => r.entity_id)
  )
}

/** How many of a record's acknowledged changes a pulled version is checked against for staleness. */
const STALE_LOOKBACK = 20

/**
 * A pull met a record with a change of ours on its way. The row is not
 * overwritten; but if Circuit's record has moved to something that is neither
 * what our oldest waiting change was based on nor what it makes (another
 * station, the web back office), that change is stopped as a conflict now,
 * with both versions, rather than sent over it later.
 */
function flagConflict(db: Replica, registry: SyncRegistry, kind: PullKind, entityId: string, row: unknown) {
  const adapter = registry.pulled(kind)!
  const push = adapter.push
  if (!push || !adapter.pulls.asServerRecord) return
  const entityType = adapter.entityType
  const entries = db.q
    .selectFrom('outbox')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
  const head = db.first(entries.where('state', 'not in', ['done', 'discarded']).orderBy('seq').limit(1))
  // In flight: the sender is deciding on it right now, with a fresher read.
  if (!head || (head.state !== 'pending' && head.state !== 'unknown')) return
  const record = adapter.pulls.asServerRecord(row)
  const d = push.decide(head, record)
  if (d.kind !== 'conflict') return
  // A page asked for before one of our earlier changes to this record reached Circuit (and answered
  // after) shows a version we have moved past: what that change was based on, or made. That is a
  // stale read, not a conflict; the sender reads the record again before it sends in any case.
  const earlier = db.all(entries.where('state', '=', 'done').orderBy('seq', 'desc').limit(STALE_LOOKBACK))
  for (const e of earlier) {
    const seen = push.decide(e, record).kind
    if (seen === 'send' || seen === 'applied') return
  }
  db.run(
    db.q
      .updateTable('outbox')
      .set({
        state: 'conflict',
        conflict: JSON.stringify({ ours: d.ours, theirs: d.theirs, serverUpdated: record.updated, record }),
        last_error: `Circuit has ${d.theirs}; this station has ${d.ours}.`
      })
      .where('seq', '=', head.seq)
  )
}

/**
 * Write one page of pulled rows of a kind (inside the caller's transaction).
 * `readFrom`: the sender's generation (sender-writes.ts) taken before the rows
 * were asked for; a record the sender has written since is newer here than in
 * the page, and is left as it is.
 */
export function applyPulledPage<Row>(
  db: Replica,
  registry: SyncRegistry,
  kind: PullKind,
  rows: readonly Row[],
  o: { readFrom?: number } = {}
): void {
  const adapter = registry.pulled(kind)
  if (!adapter) throw new Error(`No sync adapter writes pulled "${kind}" records`)
  const waiting = waitingIds(db, adapter.entityType)
  const written: string[] = []
  for (const row of rows) {
    const id = adapter.pulls.entityId(row)
    if (o.readFrom !== undefined && writtenBySenderSince(db, adapter.entityType, id, o.readFrom)) continue
    if (waiting.has(id)) flagConflict(db, registry, kind, id, row)
    else {
      adapter.pulls.apply(db, row)
      written.push(id)
    }
  }
  registry.pulledPage(kind, db, written)
}
