// The simulator's invoice rules, computed by the app's own maths (src-shared/invoice.ts),
// so Saleroom and the simulator always agree to the minor unit.
//
// Buyer's premium: the sale's `buyers_premium` text, e.g. "25% up to 5000, 20% thereafter",
// per lot and marginal (6,000.00 → 1,250.00 + 200.00 = 1,450.00).
// VAT: the margin scheme at 20%, on the premium only, per lot. Additional charges carry
// their own VAT rate (`tax`, a percentage like "21.00"). Rounding: half away from zero per line.

import {
  applyRateBp,
  computeInvoice,
  formatPremium as formatPremiumRule,
  parsePremium as parsePremiumSource,
  premiumFor as premiumForRule,
  type Invoice,
  type PremiumParse,
  type TaxMode
} from '../../src-shared/invoice'
import type { Cents } from './money'
import type { PremiumTier } from './types'

export const VAT_ON_PREMIUM_BP = 2000
export const SIM_TAX_MODE: TaxMode = 'margin'

/** Premium for one lot: marginal bands, rounded once, half away from zero. */
export function premiumFor(hammer: Cents, tiers: readonly PremiumTier[]): Cents {
  return premiumForRule(hammer, { tiers: [...tiers] })
}

export function vatOnPremium(premium: Cents): Cents {
  return applyRateBp(premium, VAT_ON_PREMIUM_BP)
}

/** [{upTo:500000,rateBp:2500},{upTo:null,rateBp:2000}] -> "25% up to 5000, 20% thereafter" */
export function formatPremium(tiers: readonly PremiumTier[]): string {
  return formatPremiumRule({ tiers: [...tiers] })
}

/** The shared parser's answer, with its error message for a 422. */
export function readPremium(text: string): PremiumParse {
  return parsePremiumSource(text)
}

/** Inverse of formatPremium; every form src-shared/premium.ts reads. Null when not understood. */
export function parsePremium(text: string): PremiumTier[] | null {
  const parsed = readPremium(text)
  return parsed.ok ? parsed.rule.tiers : null
}

export interface SimInvoiceInput {
  tiers: readonly PremiumTier[]
  lines: readonly { itemId: string; hammer: Cents }[]
  charges: readonly { amount: Cents; taxBp: number }[]
  payments: readonly { amount: Cents }[]
  /** -1 for a credit note: its lines are copies of the credited hammers, negated here. */
  sign: 1 | -1
}

/** An order's invoice under the simulator's rules (margin scheme VAT on the premium). */
export function simInvoice(input: SimInvoiceInput): Invoice {
  return computeInvoice({
    lines: input.lines.map((l) => ({ itemId: l.itemId, lot: '', hammer: input.sign * l.hammer })),
    premiumRule: { tiers: [...input.tiers] },
    taxMode: SIM_TAX_MODE,
    vatRateBp: VAT_ON_PREMIUM_BP,
    charges: input.charges.map((c) => ({ label: '', amount: c.amount, taxRateBp: c.taxBp })),
    payments: input.payments
  })
}
