// How a lot imported from FairWarning reaches Circuit: the entity sync
// adapter for entity type "imported_item" (push side only: a pulled lot is
// the "item" adapter's, which this one writes Circuit's answer through).
//
// The record is the lot number in the sale (entity id "<saleId>/<lot>"), not a
// Circuit id: before it is made there is none, and Circuit has no idempotency
// key. So every round reads the sale's lots back by number
// (`datatable-items?filter[sale]&filter[lot]`) and decides:
//   - no such lot, and this is a create           → send (POST datatable-items?sale_id=)
//   - Circuit holds what we meant to send           → done, nothing sent (an earlier answer was lost)
//   - Circuit holds what an update was based on     → send (PATCH the fields)
//   - the item is there but its dimensions are not  → send (item-dimensions only)
//   - anything else                                 → conflict: both versions on the Sync screen
// A lost answer can therefore never make a second item.
import type { Kysely } from 'kysely'
import type { CircuitApiClient, CircuitItem } from '../circuit'
import { CircuitConfigError } from '../circuit/errors'
import { moneyScale, type Decision, type EntityAdapter, type Mismatch, type SyncRegistry } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { Database, OutboxRow } from '../db/schema'
import {
  describeFields,
  describeItem,
  holds,
  holdsDimensions,
  holdsItem,
  lotFieldsOf,
  readSaleLots
} from './circuit-lots'
import type { CircuitLotFields } from './fairwarning/mapping'
import { contentHash } from './hash'

export const IMPORTED_ITEM = 'imported_item'

// Run for each lot Circuit answers for: compiled once.
const LINK_DONE = (
  q: Kysely<Database>,
  a: { targetId: string; sent: string; hash: string; source: string; sourceId: string; saleId: string }
) =>
  q
    .updateTable('connector_links')
    .set({ target_id: a.targetId, state: 'done', sent: a.sent, hash: a.hash })
    .where('source', '=', a.source)
    .where('source_id', '=', a.sourceId)
    .where('target', '=', 'circuit')
    .where('scope', '=', a.saleId)

const UNSETTLED_FOR = (q: Kysely<Database>, a: { entityType: string; entityId: string }) =>
  q
    .selectFrom('outbox')
    .select((eb) => eb.lit(1).as('one'))
    .where('entity_type', '=', a.entityType)
    .where('entity_id', '=', a.entityId)
    .where('state', 'not in', ['done', 'discarded'])
    .limit(1)

export interface ImportPayload {
  kind: 'create' | 'update'
  saleId: string
  saleLabel: string
  lot: string
  source: 'fairwarning'
  sourceId: string
  jobId: string
  /** What Circuit should hold afterwards. */
  target: CircuitLotFields
  /** What an update was based on (Circuit's lot as last read); null for a create. */
  base: CircuitLotFields | null
}

export interface ImportedLot {
  /** "<saleId>/<lot>" */
  id: string
  updated: string | null
  item: CircuitItem | null
}

export const importKey = (saleId: string, lot: string): string => `${saleId}/${lot.toUpperCase()}`

function parseKey(key: string): { saleId: string; lot: string } {
  const i = key.indexOf('/')
  return { saleId: key.slice(0, i), lot: key.slice(i + 1) }
}

function payloadOf(entry: OutboxRow): ImportPayload {
  return JSON.parse(entry.payload) as ImportPayload
}

/** Every key's lot, one read per sale and hundred lots; absent lots answer `item: null`. */
export async function readImported(client: CircuitApiClient, keys: string[]): Promise<Map<string, ImportedLot>> {
  const bySale = new Map<string, string[]>()
  for (const k of keys) {
    const { saleId, lot } = parseKey(k)
    bySale.set(saleId, [...(bySale.get(saleId) ?? []), lot])
  }
  const out = new Map<string, ImportedLot>()
  for (const [saleId, lots] of bySale) {
    const found = await readSaleLots(client, saleId, lots)
    for (const lot of lots) {
      const item = found.get(lot.toUpperCase()) ?? null
      out.set(importKey(saleId, lot), { id: importKey(saleId, lot), updated: item?.updated ?? null, item })
    }
  }
  return out
}

/**
 * The adapter. `registry` is the station's own: Circuit's answer is written
 * into the replica through the "item" adapter's pull side (the lot's owner),
 * so this capability never writes another's rows itself.
 */
export function importedItemAdapter(registry: SyncRegistry): EntityAdapter<never, ImportedLot> {
  return {
    entityType: IMPORTED_ITEM,
    push: {
      readBack: (client, keys) => readImported(client as CircuitApiClient, keys),

      decide(entry, server): Decision {
        const p = payloadOf(entry)
        const item = server.item
        if (!item) {
          if (p.kind === 'create') return { kind: 'send' }
          return {
            kind: 'refused',
            message: `Circuit no longer has lot ${p.lot} in ${p.saleLabel}; it was imported before and has since been removed.`
          }
        }
        if (holds(item, p.target)) return { kind: 'applied' }
        // The item is as we meant it but its dimensions were never sent (or their answer was lost).
        if (holdsItem(item, p.target)) return { kind: 'send' }
        if (p.base && holdsItem(item, p.base)) return { kind: 'send' }
        return { kind: 'conflict', ours: describeFields(p.target), theirs: describeItem(item) }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        const t = p.target
        let item = server.item
        const reread = async (what: string): Promise<CircuitItem> => {
          const got = (await readSaleLots(client, p.saleId, [p.lot])).get(p.lot.toUpperCase())
          if (!got)
            throw new CircuitConfigError(`Circuit answered the ${what} of lot ${p.lot} but does not list the lot.`)
          return got
        }
        if (!item) {
          const made = await client.itemCreation.create(p.saleId, {
            lotNumber: t.lotNumber,
            lotLetter: t.lotLetter,
            title: t.title,
            description: t.description,
            estimateLow: t.estimateLow,
            estimateHigh: t.estimateHigh,
            opening: t.opening,
            reserve: t.reserve,
            consignmentId: t.consignmentId,
            categoryId: t.categoryId
          })
          // An empty answer proves nothing: read the lot back.
          item = made && made.lot.toUpperCase() === p.lot.toUpperCase() ? made : await reread('creation')
        } else if (!holdsItem(item, t)) {
          const made = await client.itemCreation.updateFields(item.id, {
            title: t.title,
            description: t.description,
            estimateLow: t.estimateLow,
            estimateHigh: t.estimateHigh,
            opening: t.opening,
            reserve: t.reserve
          })
          item = made ?? (await reread('update'))
        }
        if (t.dimensions && !holdsDimensions(item, t)) {
          const records = await client.itemCreation.dimensionsOf(item.id)
          const record = records.rows[0]
          if (!record)
            throw new CircuitConfigError(
              `Circuit keeps no dimensions record for lot ${p.lot}, and its API documents no way to make one: enter the dimensions in Circuit, then Retry.`
            )
          const d = t.dimensions
          await client.itemCreation.patchDimensions(record.id, {
            height: d.height,
            width: d.width,
            depth: d.depth,
            weight: d.weight,
            unit: d.unit
          })
          item = await reread('dimensions')
        }
        return { id: entry.entity_id, updated: item.updated, item }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const item = answer.item
        if (item && holds(item, p.target)) return null
        const [ours, theirs] = [describeFields(p.target), describeItem(item)]
        const t = p.target
        // An amount a power of ten off: Circuit read the units differently, and every later lot would be wrong too.
        const scale =
          !!item &&
          (moneyScale(item.estimateLow, t.estimateLow) ||
            moneyScale(item.estimateHigh, t.estimateHigh) ||
            moneyScale(item.reserve, t.reserve) ||
            moneyScale(item.openingPrice, t.opening))
        return { message: `Circuit holds ${theirs}, not ${ours}`, scope: scale ? 'all' : 'record', ours, theirs }
      },

      applyServer(db, rec) {
        applyImported(db, rec, registry)
      },

      rebase(entry, server) {
        const p = payloadOf(entry)
        const unit = p.target.dimensions?.unit ?? 'in'
        return server.item
          ? ({ ...p, kind: 'update', base: lotFieldsOf(server.item, unit) } satisfies ImportPayload)
          : ({ ...p, kind: 'create', base: null } satisfies ImportPayload)
      },

      rebaseAfterDiscard(next, discarded) {
        const d = payloadOf(discarded)
        return { ...payloadOf(next), kind: d.kind, base: d.base } satisfies ImportPayload
      }
    }
  }
}

/**
 * Circuit's lot as it stands after our change: the ledger learns the Circuit
 * id, and the replica gets the lot when this station holds the sale.
 */
export function applyImported(db: Replica, rec: ImportedLot, registry: SyncRegistry): void {
  if (!rec.item) return
  const { saleId, lot } = parseKey(rec.id)
  const link = db.first(
    db.q
      .selectFrom('connector_links')
      .select(['source', 'source_id', 'sent', 'hash'])
      .where('target', '=', 'circuit')
      .where('scope', '=', saleId)
      .where('lot', '=', lot)
  )
  if (link) {
    const meant = JSON.parse(link.sent) as CircuitLotFields
    const held = lotFieldsOf(rec.item, meant.dimensions?.unit ?? 'in')
    // Circuit holds what we sent: the hash stands. Otherwise (Circuit's version taken, our change discarded)
    // the hash becomes Circuit's, so the next preview offers FairWarning's version again as an update.
    const hash = holds(rec.item, meant) ? link.hash : contentHash(held)
    db.prepared(LINK_DONE).run({
      targetId: rec.item.id,
      sent: JSON.stringify(held),
      hash,
      source: link.source,
      sourceId: link.source_id,
      saleId
    })
  }
  // The lot reaches the replica when this station holds the sale, and no change of the podium's waits for it.
  const itemAdapter = registry.pulled('item')
  const held = db.first(db.q.selectFrom('sales').select('id').where('id', '=', saleId))
  const waiting =
    db.prepared(UNSETTLED_FOR).first({ entityType: itemAdapter?.entityType ?? 'item', entityId: rec.item.id }) !==
    undefined
  if (itemAdapter && held && !waiting) itemAdapter.pulls.apply(db, rec.item)
}
