// Circuit's shipping areas (zones and their base rates), pulled with the sale's
// reference lists. This station changes none of them: a pull-only adapter.
import type { Kysely } from 'kysely'
import type { CircuitShippingArea } from '../circuit/records'
import type { EntityAdapter } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { rawJson } from '../db/upsert'

/** One area as Circuit sent it, inserted or written over (run for every area of a pull). */
const WRITE_AREA = (
  q: Kysely<Database>,
  a: { id: string; label: string; description: string | null; baseRate: number | null; raw: string }
) =>
  q
    .insertInto('shipping_areas')
    .values({ id: a.id, label: a.label, description: a.description, base_rate: a.baseRate, raw: a.raw })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        description: eb.ref('excluded.description'),
        base_rate: eb.ref('excluded.base_rate'),
        raw: eb.ref('excluded.raw')
      }))
    )

export function writeShippingArea(db: Replica, a: CircuitShippingArea): void {
  db.prepared(WRITE_AREA).run({
    id: a.id,
    label: a.label,
    description: a.description,
    baseRate: a.baseRate,
    raw: rawJson(a.raw)
  })
}

export function shippingAreaAdapter(): EntityAdapter<CircuitShippingArea> {
  return {
    entityType: 'shipping_area',
    pulls: { kind: 'shipping_area', entityId: (a) => a.id, apply: writeShippingArea }
  }
}
