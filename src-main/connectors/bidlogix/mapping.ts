// A Circuit lot as a Bidlogix item: pure functions, no I/O. `lotNumber` is
// always sent (it is the idempotency key: Bidlogix refuses a lot number twice);
// estimates go in `summary`; opening bid and reserve in the unit the settings
// say (a reserve rounded up to whole units, with a warning); buyersPremium only
// when the sale's premium is one flat percentage.
import type { BidlogixMoneyUnit } from '../../../src-shared/contract'
import { formatMoney, type CurrencyFormat, type Minor } from '../../../src-shared/money'
import { parsePremium } from '../../../src-shared/premium'
import type { CircuitItem } from '../../circuit'
import { ATTACHMENT_CLASS, ITEM_CLASS } from './protocol'
import type { BidlogixItem } from './client'

export interface PublishSettings {
  moneyUnit: BidlogixMoneyUnit
  vendorId: number | null
  categoryId: number | null
  webcast: boolean
  currency: CurrencyFormat
  /** Minor-unit digits of the sale's currency (default 2). */
  decimals?: number
}

/** The sale's premium as Bidlogix's `buyersPremium` (percent, 0–100), or why it is left out. */
export function premiumOf(text: string | null): { value: number | null; warning: string | null } {
  if (text === null || text.trim() === '')
    return {
      value: null,
      warning: "The sale has no buyer's premium on Circuit: buyersPremium is not sent (Bidlogix uses the auction's)."
    }
  const p = parsePremium(text)
  if (!p.ok)
    return {
      value: null,
      warning: `The sale's premium "${text}" cannot be read: buyersPremium is not sent (Bidlogix uses the auction's).`
    }
  if (p.rule.tiers.length !== 1)
    return {
      value: null,
      warning: `The sale's premium is tiered ("${text}"); Bidlogix takes one percentage per item, so buyersPremium is not sent and Bidlogix uses the auction's own premium.`
    }
  const bp = p.rule.tiers[0].rateBp
  if (bp % 100 !== 0)
    return {
      value: null,
      warning: `The sale's premium ${text} is not a whole percentage; the docs type buyersPremium as a Long 0–100, so it is not sent.`
    }
  return { value: bp / 100, warning: null }
}

/** Minor units → what Bidlogix takes, rounding in the given direction when whole units are needed. */
export function amountFor(
  minor: Minor,
  unit: BidlogixMoneyUnit,
  round: 'up' | 'down',
  decimals = 2
): { value: number; rounded: boolean } {
  if (unit === 'minor') return { value: minor, rounded: false }
  const per = 10 ** decimals
  const whole = round === 'up' ? Math.ceil(minor / per) : Math.floor(minor / per)
  return { value: whole, rounded: whole * per !== minor }
}

function imageUrls(item: CircuitItem, extra: string[]): string[] {
  const raw = item.raw as { images?: unknown } | null
  const out: string[] = []
  if (raw && Array.isArray(raw.images))
    for (const img of raw.images) {
      const url = (img as { url?: unknown } | null)?.url
      if (typeof url === 'string' && /^https?:\/\//.test(url)) out.push(url)
    }
  for (const u of extra) if (!out.includes(u)) out.push(u)
  return out
}

export type MappedLot =
  { ok: true; item: BidlogixItem; warnings: string[] } | { ok: false; reason: string; warnings: string[] }

export function estimateSummary(item: CircuitItem, currency: CurrencyFormat): string | null {
  const low = item.estimateLow || null
  const high = item.estimateHigh || null
  if (low === null && high === null) return null
  if (low !== null && high !== null && low !== high)
    return `Estimate ${formatMoney(low, currency)}–${formatMoney(high, currency)}`
  return `Estimate ${formatMoney((low ?? high)!, currency)}`
}

export function mapLot(
  item: CircuitItem,
  s: PublishSettings,
  premium: number | null,
  extraImages: string[] = []
): MappedLot {
  const warnings: string[] = []
  if (item.status === 'withdrawn') return { ok: false, reason: 'withdrawn on Circuit: not published', warnings }
  const title = item.title.trim()
  if (!title) return { ok: false, reason: 'it has no title on Circuit', warnings }
  const out: BidlogixItem = {
    '@class': ITEM_CLASS,
    type: s.webcast ? 'WebcastItem' : 'Lot',
    lotNumber: item.lot,
    title
  }
  const summary = estimateSummary(item, s.currency)
  if (summary) out.summary = summary
  if (item.description.trim()) out.description = item.description
  const images = imageUrls(item, extraImages)
  if (images.length) out.images = images.map((url) => ({ '@class': ATTACHMENT_CLASS, url }))
  if (item.openingPrice) {
    const a = amountFor(item.openingPrice, s.moneyUnit, 'down', s.decimals)
    out.openingBid = a.value
    if (a.rounded)
      warnings.push(
        `opening bid ${formatMoney(item.openingPrice, s.currency)} sent as ${a.value} (whole units, rounded down)`
      )
  }
  if (item.reserve) {
    const a = amountFor(item.reserve, s.moneyUnit, 'up', s.decimals)
    out.reservePrice = a.value
    if (a.rounded)
      warnings.push(
        `reserve ${formatMoney(item.reserve, s.currency)} rounded up to ${a.value} (Bidlogix takes whole units)`
      )
  }
  if (premium !== null) out.buyersPremium = premium
  if (s.vendorId !== null) out.vendorId = s.vendorId
  if (s.categoryId !== null) out.categoryId = s.categoryId
  return { ok: true, item: out, warnings }
}
