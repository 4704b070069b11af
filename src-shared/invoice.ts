// Invoice maths for a bidder's order, shared by the app and the Circuit simulator.
// Pure: no Node or DOM.
//
// Money is integer minor units (pence/cents); rates are integer basis points
// (1 bp = 0.01 %, 10 000 bp = 100 %). Products are taken exactly in BigInt, so
// 10^12 minor × 10 000 bp carries no float error.
//
// ROUNDING. Every rate multiplication is rounded once, to a whole minor unit,
// half away from zero (0.5 → 1, -0.5 → -1), and always per line:
//   premium     per lot: the marginal bands are summed in minor×bp, then rounded once;
//   hammer tax  per lot: hammer × rate, rounded;
//   premium tax per lot: premium (already rounded) × rate, rounded;
//   charge tax  per charge: amount × rate, rounded (or the tax amount given).
// Totals are exact sums of the rounded lines; nothing is rounded again.
//
// PREMIUM. Marginal, like income-tax bands: "25% up to 5000, 20% thereafter" on a
// hammer of 6,000.00 is 25% × 5,000.00 + 20% × 1,000.00 = 1,450.00. Circuit does not
// document whole-price vs step-down (FIELD-NOTES §3.3); marginal is the simulator's
// rule and common UK practice. A negative hammer (credit note) gives the negated premium.
//
// TAX by the client's tax type, or the consignment's when it overrides it
// (FIELD-NOTES §3.3): 'standard' taxes hammer and premium, 'margin' the premium only
// (auctioneers' margin scheme, FIELD-NOTES §4.10), 'none' nothing (e.g. zero-rated export).

import type { Minor } from './money'
import type { BasisPoints, PremiumRule, PremiumTier } from './premium'
import { parseRate } from './premium'

export {
  formatPremium,
  parsePremium,
  parseRate,
  type BasisPoints,
  type PremiumParse,
  type PremiumParseOptions,
  type PremiumRule,
  type PremiumSource,
  type PremiumStep,
  type PremiumTier,
  type RateParse
} from './premium'

export type TaxMode = 'standard' | 'margin' | 'none'

/** What a tax type taxes and at what rate. */
export interface TaxType {
  mode: TaxMode
  rateBp: BasisPoints
}

/**
 * A tax type as Circuit's tax_types term describes it (its attrs as stored, JSON: vat_on or machine_name, and
 * rate): what it taxes and at what rate, or what is wrong with it. Read the same way by the checkout's totals and
 * the printed VAT breakdown.
 */
export function readTaxType(label: string, attrs: string): TaxType | string {
  const a = JSON.parse(attrs) as Record<string, unknown>
  const on = String(a.vat_on ?? a.machine_name ?? '').toLowerCase()
  const mode: TaxMode | null =
    on === 'premium' || on === 'margin'
      ? 'margin'
      : on.includes('hammer') || on === 'standard'
        ? 'standard'
        : on === 'none'
          ? 'none'
          : null
  const rate = parseRate(typeof a.rate === 'number' || typeof a.rate === 'string' ? a.rate : '0')
  if (!mode) return `Tax type "${label}" does not say what it taxes.`
  if (!rate.ok) return `Tax type "${label}": ${rate.error}`
  return { mode, rateBp: rate.rateBp }
}

export interface InvoiceLineInput {
  itemId: string
  lot: string
  hammer: Minor
  /** The consignment's tax type when it overrides the invoice's (client's) one. */
  taxMode?: TaxMode
  vatRateBp?: BasisPoints
}

/** An additional charge with either its VAT rate or a fixed tax amount. */
export type ChargeInput =
  { label: string; amount: Minor; taxRateBp: BasisPoints } | { label: string; amount: Minor; taxAmount: Minor }

export interface PaymentInput {
  amount: Minor
}

export interface InvoiceInput {
  lines: readonly InvoiceLineInput[]
  premiumRule: PremiumRule
  /** The client's own premium; replaces the sale's rule for every line. */
  premiumOverride?: PremiumRule | null
  taxMode: TaxMode
  vatRateBp: BasisPoints
  charges?: readonly ChargeInput[]
  payments?: readonly PaymentInput[]
}

export interface InvoiceLine {
  itemId: string
  lot: string
  hammer: Minor
  premium: Minor
  hammerTax: Minor
  premiumTax: Minor
  /** hammerTax + premiumTax */
  tax: Minor
  /** hammer + premium + tax */
  total: Minor
}

export interface InvoiceCharge {
  label: string
  amount: Minor
  tax: Minor
  total: Minor
}

export interface InvoiceTotals {
  hammer: Minor
  premium: Minor
  /** Tax on the lines (hammer and premium), not on the charges. */
  tax: Minor
  charges: Minor
  chargesTax: Minor
  grandTotal: Minor
  paid: Minor
  /** grandTotal − paid; negative when overpaid (change or credit owed to the buyer). */
  amountDue: Minor
}

export interface Invoice {
  lines: InvoiceLine[]
  charges: InvoiceCharge[]
  totals: InvoiceTotals
}

export interface TotalsDifference {
  field: keyof InvoiceTotals
  ours: Minor
  circuits: Minor
  /** circuits − ours */
  difference: Minor
}

const BP_PER_WHOLE = 10_000n
const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER)

function assertMinor(value: Minor, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be integer minor units, got ${value}`)
}

function assertRate(rateBp: BasisPoints, what: string): void {
  if (!Number.isSafeInteger(rateBp) || rateBp < 0)
    throw new RangeError(`${what} must be basis points ≥ 0, got ${rateBp}`)
}

function toMinor(value: bigint): Minor {
  if (value > MAX_MINOR || value < -MAX_MINOR) throw new RangeError(`amount ${value} is beyond exact minor units`)
  return Number(value)
}

/** numerator / denominator (> 0), rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator
  const rounded = (2n * magnitude + denominator) / (2n * denominator)
  return numerator < 0n ? -rounded : rounded
}

// Fast paths. Every figure here is an integer; a float holds an integer exactly up to
// 2^53, and a sum or product of exact integers that stays within that bound is exact
// too. So the maths runs in plain numbers while every step stays within
// Number.MAX_SAFE_INTEGER, and in BigInt (the exact reference) the moment one would
// not — the same figures either way (test/shared/invoice-fast-path.test.ts).
const SAFE = Number.MAX_SAFE_INTEGER

/**
 * magnitude (an integer ≥ 0) / 10 000, rounded half up, or null beyond exact floats.
 * ⌊(2m + d) / 2d⌋ is exact in floats while 2m + d ≤ 2^53: the quotient's rounding
 * error (under 2^-15) is smaller than its distance to the next integer (1/2d).
 */
function perWholeRounded(magnitude: number): number | null {
  const n = 2 * magnitude + 10_000
  return n <= SAFE ? Math.floor(n / 20_000) : null
}

/** The signed result of a magnitude rounded on its own (never −0). */
const signed = (negative: boolean, magnitude: number): number => (negative && magnitude !== 0 ? -magnitude : magnitude)

/** amount × rateBp / 10 000, rounded half away from zero: applyRateBp(5, 5000) = 3. */
export function applyRateBp(amount: Minor, rateBp: BasisPoints): Minor {
  assertMinor(amount, 'amount')
  assertRate(rateBp, 'rate')
  const rounded = perWholeRounded(Math.abs(amount) * rateBp)
  if (rounded !== null) return signed(amount < 0, rounded)
  return toMinor(divideRounded(BigInt(amount) * BigInt(rateBp), BP_PER_WHOLE))
}

/** Σ over bands of (part of the hammer in the band) × band rate, in minor×bp; null beyond exact floats. */
function bandProductsFast(hammer: number, tiers: readonly PremiumTier[]): number | null {
  let lower = 0
  let sum = 0
  for (const tier of tiers) {
    const upper = tier.upTo === null ? hammer : Math.min(hammer, tier.upTo)
    if (upper > lower) {
      sum += (upper - lower) * tier.rateBp
      if (!Number.isSafeInteger(sum)) return null
    }
    if (tier.upTo === null || hammer <= tier.upTo) break
    lower = tier.upTo
  }
  return sum
}

/** Σ over bands of (part of the hammer in the band) × band rate, in minor×bp. */
function bandProducts(hammer: number, tiers: readonly PremiumTier[]): bigint {
  let lower = 0
  let sum = 0n
  for (const tier of tiers) {
    const upper = tier.upTo === null ? hammer : Math.min(hammer, tier.upTo)
    if (upper > lower) sum += BigInt(upper - lower) * BigInt(tier.rateBp)
    if (tier.upTo === null || hammer <= tier.upTo) break
    lower = tier.upTo
  }
  return sum
}

/** Buyer's premium on one lot: marginal bands, rounded once. Zero for a rule without tiers. */
export function premiumFor(hammer: Minor, rule: PremiumRule): Minor {
  assertMinor(hammer, 'hammer')
  for (const t of rule.tiers) assertRate(t.rateBp, 'premium rate')
  const products = bandProductsFast(Math.abs(hammer), rule.tiers)
  const fast = products === null ? null : perWholeRounded(products)
  if (fast !== null) return signed(hammer < 0, fast)
  const rounded = divideRounded(bandProducts(Math.abs(hammer), rule.tiers), BP_PER_WHOLE)
  return toMinor(hammer < 0 ? -rounded : rounded)
}

/** Tax on one lot by tax type; each component rounded on its own. */
export function lineTax(
  hammer: Minor,
  premium: Minor,
  mode: TaxMode,
  rateBp: BasisPoints
): { hammerTax: Minor; premiumTax: Minor } {
  switch (mode) {
    case 'standard':
      return { hammerTax: applyRateBp(hammer, rateBp), premiumTax: applyRateBp(premium, rateBp) }
    case 'margin':
      return { hammerTax: 0, premiumTax: applyRateBp(premium, rateBp) }
    case 'none':
      return { hammerTax: 0, premiumTax: 0 }
  }
}

function sum(values: readonly Minor[]): Minor {
  let total = 0
  for (const v of values) {
    total += v
    // Not an integer, or beyond exact floats: the exact sum (which says what is wrong).
    if (!Number.isSafeInteger(total) || !Number.isInteger(v)) return exactSum(values)
  }
  return total
}

/** a + b, exact (as sum([a, b]), without the list). */
function add(a: Minor, b: Minor): Minor {
  const total = a + b
  return Number.isSafeInteger(total) && Number.isInteger(a) && Number.isInteger(b) ? total : exactSum([a, b])
}

function exactSum(values: readonly Minor[]): Minor {
  return toMinor(values.reduce((acc, v) => acc + BigInt(v), 0n))
}

function invoiceLine(line: InvoiceLineInput, rule: PremiumRule, input: InvoiceInput): InvoiceLine {
  const premium = premiumFor(line.hammer, rule)
  const mode = line.taxMode ?? input.taxMode
  const { hammerTax, premiumTax } = lineTax(line.hammer, premium, mode, line.vatRateBp ?? input.vatRateBp)
  const tax = add(hammerTax, premiumTax)
  return {
    itemId: line.itemId,
    lot: line.lot,
    hammer: line.hammer,
    premium,
    hammerTax,
    premiumTax,
    tax,
    total: add(add(line.hammer, premium), tax)
  }
}

function invoiceCharge(charge: ChargeInput): InvoiceCharge {
  assertMinor(charge.amount, `charge "${charge.label}"`)
  let tax: Minor
  if ('taxAmount' in charge) {
    assertMinor(charge.taxAmount, `tax of charge "${charge.label}"`)
    tax = charge.taxAmount
  } else tax = applyRateBp(charge.amount, charge.taxRateBp)
  return { label: charge.label, amount: charge.amount, tax, total: sum([charge.amount, tax]) }
}

/** Lines, charges and totals of one invoice; see ROUNDING at the top of this file. */
export function computeInvoice(input: InvoiceInput): Invoice {
  const rule = input.premiumOverride ?? input.premiumRule
  const lines = input.lines.map((line) => invoiceLine(line, rule, input))
  const charges = (input.charges ?? []).map(invoiceCharge)
  const payments = (input.payments ?? []).map((p) => {
    assertMinor(p.amount, 'payment')
    return p.amount
  })
  const hammer = sum(lines.map((l) => l.hammer))
  const premium = sum(lines.map((l) => l.premium))
  const tax = sum(lines.map((l) => l.tax))
  const chargesNet = sum(charges.map((c) => c.amount))
  const chargesTax = sum(charges.map((c) => c.tax))
  const grandTotal = sum([hammer, premium, tax, chargesNet, chargesTax])
  const paid = sum(payments)
  const totals = {
    hammer,
    premium,
    tax,
    charges: chargesNet,
    chargesTax,
    grandTotal,
    paid,
    amountDue: sum([grandTotal, -paid])
  }
  return { lines, charges, totals }
}

const TOTAL_FIELDS: readonly (keyof InvoiceTotals)[] = [
  'hammer',
  'premium',
  'tax',
  'charges',
  'chargesTax',
  'grandTotal',
  'paid',
  'amountDue'
]

/**
 * Fields where Circuit's totals differ from ours, in invoice order. A field Circuit
 * did not send (undefined or null) is not compared. Exact: one minor unit is a difference.
 */
export function compareTotals(
  ours: InvoiceTotals,
  circuits: Partial<Record<keyof InvoiceTotals, Minor | null>>
): TotalsDifference[] {
  const out: TotalsDifference[] = []
  for (const field of TOTAL_FIELDS) {
    const theirs = circuits[field]
    if (theirs === undefined || theirs === null || theirs === ours[field]) continue
    out.push({ field, ours: ours[field], circuits: theirs, difference: theirs - ours[field] })
  }
  return out
}
