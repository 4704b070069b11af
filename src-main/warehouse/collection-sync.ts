// Collections (releases at the collection desk) shared through the venue
// hub: entity type "collection", keyed by the release id. Circuit has no
// field for them, so they never go to Circuit: a station joined to a hub
// queues each release it records (release.ts, in the release's own
// transaction) and this adapter takes it to the hub alone — read back first
// (GET saleroom-collections?filter[id]=), sent, verified; the hub keeps a
// release id once, so a replay is a no-op. Every station following the hub
// gets the releases of the others through its live feed (the pull side).
// Two stations cut off from each other may release the same lot: both
// records are kept (one row per release and lot); the desk shows the first.
import type { Kysely } from 'kysely'
import type { CircuitApiClient } from '../circuit'
import type { SaleroomRelease } from '../circuit/records'
import { iso } from '../core/clock'
import type { Decision, EntityAdapter, Mismatch, ServerRecord } from '../core/sync-adapter'
import { readJoinedHub } from '../core/venue'
import type { Replica } from '../db/replica'
import type { Database, OutboxRow } from '../db/schema'

/** A release as it travels between a station and its hub (the outbox payload of `collection.share`). */
export type SharedRelease = Omit<SaleroomRelease, 'updated' | 'raw'>

/** An entry whose station is not (or no longer) joined to a hub is looked at again after this long. */
export const WAIT_FOR_HUB_MS = 60_000

export interface ServerRelease extends ServerRecord {
  /** The release id (the outbox entry's entity id). */
  id: string
  updated: string | null
  /** The release as the hub holds it; null when the hub has none. */
  release: SaleroomRelease | null
  /** The client in hand does not talk to the venue hub this station joined (or none): nothing is sent. */
  notAtHub?: string
}

/** A release's rows in lot order (a lot the replica no longer holds, by the lot it recorded). */
const RELEASE_ROWS = (q: Kysely<Database>, a: { releaseId: string }) =>
  q
    .selectFrom('collections as c')
    .leftJoin('items as i', 'i.id', 'c.item_id')
    .selectAll('c')
    .where('c.release_id', '=', a.releaseId)
    .orderBy((eb) => eb.fn.coalesce('i.lot_sort', 'c.lot'))
    .orderBy('c.item_id')

/** One lot of a release (run for each lot): made here, or shared by a venue hub (below). */
export const INSERT_COLLECTION = (
  q: Kysely<Database>,
  a: {
    itemId: string
    saleId: string
    releaseId: string
    clientId: string | null
    paddle: string | null
    lot: string
    collectedBy: string
    note: string | null
    confirmedReason: string | null
    releasedBy: string
    station: string
    at: number
  }
) =>
  q.insertInto('collections').values({
    item_id: a.itemId,
    sale_id: a.saleId,
    release_id: a.releaseId,
    client_id: a.clientId,
    paddle: a.paddle,
    lot: a.lot,
    collected_by: a.collectedBy,
    note: a.note,
    confirmed_reason: a.confirmedReason,
    released_by: a.releasedBy,
    station: a.station,
    at: a.at
  })

/** One lot of a release; a lot of a release already here is left as it is. */
const WRITE_RELEASE_LOT = (q: Kysely<Database>, a: Parameters<typeof INSERT_COLLECTION>[1]) =>
  INSERT_COLLECTION(q, a).onConflict((oc) => oc.columns(['release_id', 'item_id']).doNothing())

/** A release of this station's replica, as it is shared (null: no such release here). */
export function releaseRecord(db: Replica, releaseId: string): SharedRelease | null {
  const rows = db.prepared(RELEASE_ROWS).all({ releaseId })
  if (!rows.length) return null
  const first = rows[0]
  return {
    id: releaseId,
    saleId: first.sale_id,
    clientId: first.client_id,
    collectedBy: first.collected_by,
    note: first.note,
    releasedBy: first.released_by,
    station: first.station,
    at: iso(first.at),
    lots: rows.map((r) => ({ itemId: r.item_id, lot: r.lot, paddle: r.paddle, confirmedReason: r.confirmed_reason }))
  }
}

/**
 * Write a release made elsewhere (the hub's, another station's) into the replica. A lot of a release
 * already here is left as it is: a release never changes once recorded. Answers the rows written.
 */
export function writeRelease(db: Replica, r: SharedRelease): number {
  const at = Date.parse(r.at)
  if (Number.isNaN(at)) throw new Error(`Release ${r.id} has no time`)
  let written = 0
  const write = db.prepared(WRITE_RELEASE_LOT)
  for (const l of r.lots) {
    written += write.run({
      itemId: l.itemId,
      saleId: r.saleId,
      releaseId: r.id,
      clientId: r.clientId,
      paddle: l.paddle,
      lot: l.lot,
      collectedBy: r.collectedBy,
      note: r.note,
      confirmedReason: l.confirmedReason,
      releasedBy: r.releasedBy,
      station: r.station,
      at
    }).changes
  }
  return written
}

/** Whether releases recorded here are shared (this station is joined to a venue hub). */
export function sharesCollections(db: Replica): boolean {
  return readJoinedHub(db) !== null
}

const sameOrigin = (a: string, b: string) => {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch {
    return false
  }
}

const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as SharedRelease
const itemSet = (r: { lots: { itemId: string }[] }) =>
  r.lots
    .map((l) => l.itemId)
    .sort()
    .join(',')
const words = (r: SharedRelease) =>
  `release ${r.id}: ${r.lots.length === 1 ? 'lot' : 'lots'} ${r.lots.map((l) => l.lot).join(', ')} to ${r.collectedBy}`

export function collectionAdapter(db: Replica): EntityAdapter<SaleroomRelease, ServerRelease> {
  return {
    entityType: 'collection',
    pulls: {
      kind: 'collection',
      entityId: (row) => row.id,
      apply: (replica, row) => {
        writeRelease(replica, row)
      }
    },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const out = new Map<string, ServerRelease>()
        // Only ever to the hub this station joined: with the client talking to Circuit (the station
        // left the venue), nothing is sent; the entry waits for a hub (a handover re-joins one).
        const hub = readJoinedHub(db)
        if (!hub || !sameOrigin(client.baseUrl, hub.url)) {
          const why = 'Waits for a venue hub: collections are shared through one and never sent to Circuit.'
          for (const id of ids) out.set(id, { id, updated: null, release: null, notAtHub: why })
          return out
        }
        for (const id of ids) out.set(id, { id, updated: null, release: null })
        for (const r of await client.collections.byIds(ids)) {
          if (out.has(r.id)) out.set(r.id, { id: r.id, updated: r.updated, release: r })
        }
        return out
      },

      decide(_entry, server): Decision {
        if (server.notAtHub !== undefined) return { kind: 'wait', reason: server.notAtHub, retryInMs: WAIT_FOR_HUB_MS }
        // The hub holds it already (an earlier send reached it, its answer lost): never a second time.
        if (server.release) return { kind: 'applied' }
        return { kind: 'send' }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const made = await client.collections.record(payloadOf(entry))
        return { ...server, updated: made.updated, release: made }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const ours = words(p)
        const r = answer.release
        if (!r)
          return { message: 'The venue hub did not answer with the release', scope: 'record', ours, theirs: 'none' }
        const theirs = words(r)
        if (r.id !== p.id || itemSet(r) !== itemSet(p) || r.collectedBy !== p.collectedBy) {
          return { message: 'The venue hub recorded the release differently', scope: 'record', ours, theirs }
        }
        return null
      },

      applyServer(replica, rec) {
        if (rec.release) writeRelease(replica, rec.release)
      },

      // A release is never changed once recorded: nothing to re-base.
      rebase: (entry) => payloadOf(entry),
      rebaseAfterDiscard: (next) => payloadOf(next)
    }
  }
}
