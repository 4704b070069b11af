// A FairWarning item as a Circuit lot: pure functions, no I/O. Each item
// either maps whole (with warnings for what does not travel) or is refused
// with a reason a person can act on. Money goes from FairWarning's doubles to
// integer minor units through their decimal text, never by float arithmetic.
import type { DimensionUnit } from '../../../src-shared/contract'
import { parseDecimalMinor, type Minor } from '../../../src-shared/money'
import type { FairWarningItem } from './client'

/** What a Circuit lot is made of, as the import sends it (and hashes it). */
export interface CircuitLotFields {
  /** "269A" */
  lot: string
  lotNumber: number
  lotLetter: string
  title: string
  description: string
  estimateLow: Minor | null
  estimateHigh: Minor | null
  opening: Minor | null
  reserve: Minor | null
  categoryId: string
  consignmentId: string
  /** Sent to item-dimensions after the item is made; null when FairWarning has none. */
  dimensions: { height: string; width: string; depth: string; weight: string; unit: DimensionUnit } | null
}

export interface MappingTables {
  /** FairWarning primary category → Circuit category; "*" for any other. */
  categories: Record<string, string>
  /** This sale's table: consignor number, "R<receipt_id>" or "*" → consignment id. */
  consignors: Record<string, string>
  /**
   * The sale's consignments by their number ("A-1", "A1"): a FairWarning consignor number that equals one
   * (letters and digits compared, case and punctuation aside) is matched.
   */
  consignmentsByNumber: Record<string, string>
  dimensionUnit: DimensionUnit
  /** Minor-unit digits of the sale's currency (Circuit's /me; default 2). */
  decimals?: number
}

export type Mapped =
  | { ok: true; fields: CircuitLotFields; warnings: string[]; imageUrl: string | null; consignor: string | null }
  | {
      ok: false
      lot: string
      title: string
      reason: string
      warnings: string[]
      /** The table row that would let it through, for the screen's mapping tables. */
      unmapped?: { category?: string; consignor?: string }
    }

/** "269" + "A" → "269A"; the reason when it cannot be a Circuit lot number. */
export function lotOf(
  item: Pick<FairWarningItem, 'lot' | 'lotSuffix'>
): { ok: true; lot: string; lotNumber: number; lotLetter: string } | { ok: false; shown: string; reason: string } {
  const suffix = (item.lotSuffix ?? '').trim()
  const shown = `${item.lot ?? '?'}${suffix}`
  if (item.lot === null) return { ok: false, shown, reason: 'it has no lot number (item_lot)' }
  const n = Number(item.lot)
  if (!Number.isSafeInteger(n) || n < 1)
    return { ok: false, shown, reason: `lot number ${item.lot} is not a positive whole number` }
  if (suffix.length > 1)
    return {
      ok: false,
      shown,
      reason: `its lot suffix "${suffix}" is longer than one character; a Circuit lot takes one letter (269A)`
    }
  if (suffix !== '' && !/^[A-Za-z]$/.test(suffix))
    return {
      ok: false,
      shown,
      reason: `its lot suffix "${suffix}" is not a letter; a Circuit lot takes one letter (269A)`
    }
  return { ok: true, lot: `${n}${suffix.toUpperCase()}`, lotNumber: n, lotLetter: suffix.toUpperCase() }
}

/**
 * A FairWarning double (as its decimal text) → minor units. 0 and absent mean
 * "none". More than two decimals that are not zeros, or a negative amount, is
 * refused rather than rounded: the lot would carry a figure nobody typed.
 */
export function moneyOf(
  text: string | null,
  field: string,
  decimals = 2
): { ok: true; value: Minor | null } | { ok: false; reason: string } {
  if (text === null || text.trim() === '') return { ok: true, value: null }
  const minor = parseDecimalMinor(text, { decimals })
  if (minor === null) {
    const fraction = /^\s*-?\d+\.(\d+)\s*$/.exec(text)
    const tooMany = fraction !== null && fraction[1].length > decimals
    const most =
      ['no decimals', 'more than one decimal', 'more than two decimals'][decimals] ?? `more than ${decimals} decimals`
    return { ok: false, reason: tooMany ? `${field} ${text} has ${most}` : `${field} "${text}" is not an amount` }
  }
  if (minor < 0) return { ok: false, reason: `${field} ${text} is negative` }
  return { ok: true, value: minor === 0 ? null : minor }
}

/** A dimension as FairWarning sent it (decimal text), or "" when absent. */
function measure(text: string | null): string | null {
  if (text === null) return ''
  const t = text.trim()
  if (!/^\d+(\.\d+)?$/.test(t)) return null
  return Number(t) === 0 ? '' : t
}

/** "A-1", "a1", "A 1" are the same consignment number. */
const sameNumber = (n: string): string => n.toUpperCase().replace(/[^A-Z0-9]/g, '')

function consignmentFor(
  item: FairWarningItem,
  tables: MappingTables
): { ok: true; id: string; key: string } | { ok: false; key: string; reason: string } {
  const numbers = (item.consignorNumbers ?? '')
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)
  const whole = (item.consignorNumbers ?? '').trim()
  const receipt = item.receiptId !== null ? `R${item.receiptId}` : null
  const key = whole || receipt || '*'
  if (whole && tables.consignors[whole]) return { ok: true, id: tables.consignors[whole], key: whole }
  if (numbers.length > 1)
    return {
      ok: false,
      key: whole,
      reason: `it belongs to several consignors (${numbers.join(', ')}); a Circuit lot has one consignment — choose one for "${whole}" in the consignor table`
    }
  const one = numbers[0]
  if (one && tables.consignors[one]) return { ok: true, id: tables.consignors[one], key: one }
  if (receipt && tables.consignors[receipt]) return { ok: true, id: tables.consignors[receipt], key: receipt }
  const byNumber = new Map(Object.entries(tables.consignmentsByNumber).map(([n, id]) => [sameNumber(n), id]))
  const matched = one ? byNumber.get(sameNumber(one)) : undefined
  if (one && matched) return { ok: true, id: matched, key: one }
  if (tables.consignors['*']) return { ok: true, id: tables.consignors['*'], key: '*' }
  const who = one ? `consignor ${one}` : receipt ? `receipt ${item.receiptId}` : 'no consignor'
  return {
    ok: false,
    key,
    reason: `${who} has no consignment in this Circuit sale — choose one in the consignor table`
  }
}

/** Description with condition, provenance and quantity appended, each on its own line. */
export function descriptionOf(item: FairWarningItem): string {
  const parts = [(item.description ?? '').trim()]
  const extra: string[] = []
  if (item.condition?.trim()) extra.push(`Condition: ${item.condition.trim()}`)
  if (item.provenance?.trim()) extra.push(`Provenance: ${item.provenance.trim()}`)
  if (item.quantity !== null && Number(item.quantity) > 0)
    extra.push(`Quantity: ${item.quantity} ${Number(item.quantity) === 1 ? 'piece' : 'pieces'}`)
  if (extra.length) parts.push(extra.join('\n'))
  return parts.filter(Boolean).join('\n\n')
}

/** What FairWarning holds that a Circuit lot has no place for: listed per lot, never silently lost. */
export function noCounterpart(item: FairWarningItem): string[] {
  const out: string[] = []
  const amount = (t: string | null) => t !== null && Number(t) !== 0
  if (amount(item.buyItNow)) out.push(`buy-it-now ${item.buyItNow} (Circuit lots have no buy-it-now)`)
  if (item.timedStart || item.timedEnd)
    out.push(
      `timed bidding ${item.timedStart ?? '?'} to ${item.timedEnd ?? '?'} (Circuit takes dates per sale, not per lot)`
    )
  if (item.shelfLocation?.trim()) out.push(`shelf location "${item.shelfLocation.trim()}" (not sent)`)
  if (amount(item.hammer)) out.push(`hammer price ${item.hammer} (a result is clerked, not imported)`)
  if (item.bidderId !== null && item.bidderId !== '0')
    out.push(`bidder ${item.bidderId} (a result is clerked, not imported)`)
  if (item.commentsToConsignor?.trim()) out.push('comments to the consignor (not sent)')
  return out
}

export function mapItem(item: FairWarningItem, tables: MappingTables): Mapped {
  const warnings = noCounterpart(item)
  const title = (item.title ?? '').trim()
  const lot = lotOf(item)
  const refuse = (reason: string, unmapped?: { category?: string; consignor?: string }): Mapped => ({
    ok: false,
    lot: lot.ok ? lot.lot : lot.shown,
    title,
    reason,
    warnings,
    unmapped
  })
  if (!lot.ok) return refuse(lot.reason)
  if (!title) return refuse('it has no title')

  const money: Record<string, Minor | null> = {}
  for (const [name, field, value] of [
    ['low', 'low estimate', item.lowEstimate],
    ['high', 'high estimate', item.highEstimate],
    ['start', 'start price', item.startPrice],
    ['reserve', 'reserve', item.reserve]
  ] as const) {
    const m = moneyOf(value, field, tables.decimals ?? 2)
    if (!m.ok) return refuse(m.reason)
    money[name] = m.value
  }
  if (money.low !== null && money.high !== null && money.low > money.high)
    return refuse(`its low estimate ${item.lowEstimate} is above its high estimate ${item.highEstimate}`)

  const cat = item.categoryId1
  const categoryId = (cat !== null ? tables.categories[cat] : undefined) ?? tables.categories['*']
  if (!categoryId)
    return refuse(
      cat === null
        ? 'it has no category, and the category table has no "any other" row'
        : `FairWarning category ${cat} has no Circuit category — choose one in the category table`,
      cat === null ? undefined : { category: cat }
    )
  const consignment = consignmentFor(item, tables)
  if (!consignment.ok) return refuse(consignment.reason, { consignor: consignment.key })

  let dimensions: CircuitLotFields['dimensions'] = null
  const dims = [item.height, item.width, item.depth, item.weight].map(measure)
  if (dims.some((d) => d === null)) warnings.push('dimensions not sent: one of them is not a positive number')
  else if (dims.some((d) => d !== '')) {
    const [height, width, depth, weight] = dims as string[]
    dimensions = { height, width, depth, weight, unit: tables.dimensionUnit }
  }
  if (item.imageUrl)
    warnings.push(
      `image not attached (the Circuit API documents no image upload); its address is kept: ${item.imageUrl}`
    )

  return {
    ok: true,
    fields: {
      lot: lot.lot,
      lotNumber: lot.lotNumber,
      lotLetter: lot.lotLetter,
      title,
      description: descriptionOf(item),
      estimateLow: money.low,
      estimateHigh: money.high,
      opening: money.start,
      reserve: money.reserve,
      categoryId,
      consignmentId: consignment.id,
      dimensions
    },
    warnings,
    imageUrl: item.imageUrl,
    consignor: consignment.key
  }
}
