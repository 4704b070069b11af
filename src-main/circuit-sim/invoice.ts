// Invoice arithmetic, all in integer cents.
//
// Buyer's premium: the sale's `buyers_premium` text, e.g. "25% up to 5000, 20% thereafter",
// is applied per lot and MARGINALLY (like income-tax bands): 25% on the first 5,000.00 of
// the hammer and 20% on the part above 5,000.00. A hammer of 6,000.00 gives
// 1,250.00 + 200.00 = 1,450.00. Circuit does not document whole-price vs step-down
// semantics (FIELD-NOTES §3.3); marginal is the common UK practice.
//
// VAT: 20% on the buyer's premium only (UK auctioneers' margin scheme, VAT Notice 718/2);
// no VAT on the hammer. Rounded half-up per lot. Additional charges carry their own VAT
// rate (`tax`, a percentage like "21.00").

import { applyRate, formatMoney, parseMoney, type Cents } from './money'
import type { PremiumTier } from './types'

export const VAT_ON_PREMIUM_BP = 2000

/** Premium for one lot. Bands are summed in cents×basis-points and rounded once. */
export function premiumFor(hammer: Cents, tiers: readonly PremiumTier[]): Cents {
  let lower = 0
  let total = 0 // cents * basis points
  for (const tier of tiers) {
    const upper = tier.upTo === null ? hammer : Math.min(hammer, tier.upTo)
    if (upper > lower) total += (upper - lower) * tier.rateBp
    if (tier.upTo === null || hammer <= tier.upTo) break
    lower = tier.upTo
  }
  return Math.floor((total + 5000) / 10000)
}

export function vatOnPremium(premium: Cents): Cents {
  return applyRate(premium, VAT_ON_PREMIUM_BP)
}

function pct(bp: number): string {
  const s = formatMoney(bp)
  return s.endsWith('.00') ? s.slice(0, -3) : s.replace(/0$/, '')
}

/** [{upTo:500000,rateBp:2500},{upTo:null,rateBp:2000}] -> "25% up to 5000, 20% thereafter" */
export function formatPremium(tiers: readonly PremiumTier[]): string {
  if (tiers.length === 1 && tiers[0].upTo === null) return `${pct(tiers[0].rateBp)}%`
  return tiers
    .map((t) => (t.upTo === null ? `${pct(t.rateBp)}% thereafter` : `${pct(t.rateBp)}% up to ${pct(t.upTo)}`))
    .join(', ')
}

/** Inverse of formatPremium; accepts currency symbols and thousands commas in the caps. Null when not understood. */
export function parsePremium(text: string): PremiumTier[] | null {
  const parts = text.split(/,\s+/).map((p) => p.trim())
  const tiers: PremiumTier[] = []
  for (let i = 0; i < parts.length; i++) {
    const m = /^(\d+(?:\.\d{1,2})?)\s*%(?:\s+up to\s+[$£€]?([\d,]+(?:\.\d{1,2})?)|\s+thereafter)?$/i.exec(parts[i])
    if (!m) return null
    const rateBp = parseMoney(m[1])
    const cap = m[2] === undefined ? null : parseMoney(m[2].replace(/,/g, ''))
    if (rateBp === null) return null
    const last = i === parts.length - 1
    if (cap === null && !last) return null
    if (cap !== null && last) return null
    if (cap !== null && tiers.length > 0 && cap <= (tiers[tiers.length - 1].upTo ?? 0)) return null
    tiers.push({ upTo: cap, rateBp })
  }
  return tiers.length ? tiers : null
}
