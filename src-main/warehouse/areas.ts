// Circuit's shipping areas (zones and their base rates), pulled with the sale's
// reference lists. This station changes none of them: a pull-only adapter.
import type { CircuitShippingArea } from '../circuit/records'
import type { EntityAdapter } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import { rawJson } from '../db/upsert'

export function writeShippingArea(db: Replica, a: CircuitShippingArea): void {
  db.exec(
    `INSERT INTO shipping_areas (id, label, description, base_rate, raw) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET label = excluded.label, description = excluded.description,
       base_rate = excluded.base_rate, raw = excluded.raw`,
    a.id,
    a.label,
    a.description,
    a.baseRate,
    rawJson(a.raw)
  )
}

export function shippingAreaAdapter(): EntityAdapter<CircuitShippingArea> {
  return {
    entityType: 'shipping_area',
    pulls: { kind: 'shipping_area', entityId: (a) => a.id, apply: writeShippingArea }
  }
}
