// The Circuit side of an import: a sale's lots read by lot number
// (`datatable-items?filter[sale]&filter[lot]`), and whether Circuit holds
// what we meant to send. Money is compared in minor units; an estimate or
// opening price Circuit shows as 0.00 counts as none.
import type { CircuitApiClient, CircuitItem } from '../circuit'
import { formatPlain } from '../../src-shared/money'
import type { CircuitLotFields } from './fairwarning/mapping'

/** What a read-back needs, dimensions and images included. */
export const LOT_FIELDS = [
  'id',
  'label',
  'lot',
  'lot_number',
  'lot_letter',
  'title',
  'description',
  'sale',
  'status',
  'sold_status',
  'estimate_low',
  'estimate_high',
  'reserve_price',
  'opening_price',
  'consignment',
  'category',
  'dimensions',
  'images',
  'updated'
]

/** The sale's lots with these lot numbers, by lot ("269A"); lot numbers Circuit does not have are absent. */
export async function readSaleLots(
  client: CircuitApiClient,
  saleId: string,
  lots: string[]
): Promise<Map<string, CircuitItem>> {
  const out = new Map<string, CircuitItem>()
  const wanted = new Set(lots.map((l) => l.toUpperCase()))
  for (let i = 0; i < lots.length; i += 100) {
    const batch = lots.slice(i, i + 100)
    const rows = await client.listAll(
      'items.list',
      { filter: { sale: saleId, lot: batch.length === 1 ? batch[0] : { in: batch } }, fields: LOT_FIELDS },
      { range: 100 }
    )
    // filter[lot] is a "lot number search": keep exact matches only.
    for (const r of rows) if (r.saleId === saleId && wanted.has(r.lot.toUpperCase())) out.set(r.lot.toUpperCase(), r)
  }
  return out
}

/** Every lot of the sale. */
export function allSaleLots(client: CircuitApiClient, saleId: string): Promise<CircuitItem[]> {
  return client.listAll('items.list', { filter: { sale: saleId }, fields: LOT_FIELDS, sort: 'lot' }, { range: 200 })
}

const none = (v: number | null) => (v === null || v === 0 ? null : v)

function dimensionsOf(item: CircuitItem): { height: string; width: string; depth: string } {
  const d = (item.raw as { dimensions?: unknown } | null)?.dimensions
  const o = d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {}
  const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
  return { height: s(o.height), width: s(o.width), depth: s(o.depth) }
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()

/** "30" in cm is held as "30cm" (the list's form); "" matches nothing sent. */
function sameMeasure(held: string, sent: string, unit: string): boolean {
  if (sent === '') return norm(held) === ''
  const h = norm(held)
  return h === norm(`${sent}${unit}`) || h === norm(sent)
}

/** Title, description, money, consignment and category: what the item itself carries. */
export function holdsItem(item: CircuitItem, f: CircuitLotFields): boolean {
  return (
    item.lot.toUpperCase() === f.lot.toUpperCase() &&
    item.title === f.title &&
    item.description === f.description &&
    none(item.estimateLow) === none(f.estimateLow) &&
    none(item.estimateHigh) === none(f.estimateHigh) &&
    none(item.openingPrice) === none(f.opening) &&
    none(item.reserve) === none(f.reserve) &&
    (item.consignmentId ?? '') === f.consignmentId &&
    (item.category ?? '') === f.categoryId
  )
}

/** The dimensions (height, width, depth; the list shows no weight). */
export function holdsDimensions(item: CircuitItem, f: CircuitLotFields): boolean {
  if (!f.dimensions) return true
  const d = dimensionsOf(item)
  const u = f.dimensions.unit
  return (
    sameMeasure(d.height, f.dimensions.height, u) &&
    sameMeasure(d.width, f.dimensions.width, u) &&
    sameMeasure(d.depth, f.dimensions.depth, u)
  )
}

export function holds(item: CircuitItem, f: CircuitLotFields): boolean {
  return holdsItem(item, f) && holdsDimensions(item, f)
}

/** Circuit's lot in the import's terms: the base of a later update, what "take theirs" keeps. */
export function lotFieldsOf(item: CircuitItem, unit: 'in' | 'cm'): CircuitLotFields {
  const d = dimensionsOf(item)
  const strip = (s: string) => norm(s).replace(/[a-z]+$/, '')
  const dims = [d.height, d.width, d.depth].map(strip)
  return {
    lot: item.lot.toUpperCase(),
    lotNumber: item.lotNumber ?? 0,
    lotLetter: item.lotLetter,
    title: item.title,
    description: item.description,
    estimateLow: none(item.estimateLow),
    estimateHigh: none(item.estimateHigh),
    opening: none(item.openingPrice),
    reserve: none(item.reserve),
    categoryId: item.category ?? '',
    consignmentId: item.consignmentId ?? '',
    dimensions: dims.some((x) => x !== '')
      ? { height: dims[0], width: dims[1], depth: dims[2], weight: '', unit }
      : null
  }
}

const money = (v: number | null) => (v === null ? '–' : formatPlain(v))

/** A lot in words, for labels and conflicts. */
export function describeFields(f: CircuitLotFields): string {
  return `lot ${f.lot} "${f.title}", estimate ${money(f.estimateLow)}–${money(f.estimateHigh)}, reserve ${money(f.reserve)}`
}

export function describeItem(item: CircuitItem | null): string {
  if (!item) return 'no such lot'
  return `lot ${item.lot} "${item.title}", estimate ${money(none(item.estimateLow))}–${money(none(item.estimateHigh))}, reserve ${money(none(item.reserve))}`
}
