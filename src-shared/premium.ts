// The buyer's premium as Circuit writes it, parsed into marginal tiers.
// Pure: no Node or DOM. The arithmetic on a parsed rule is in invoice.ts.
//
// Forms read (sources: /work/shared/circuit-api, FIELD-NOTES §2.3, §3.3, README.txt,
// datatable-consignments.txt):
//   "20%"                               sales/create.html `buyers_premium` example
//   "20% up to $5000, 15% thereafter"   sales/create.html, tiered ("a simple percentage or tiered structure")
//   "25% up to 5000, 20% thereafter"    what the simulator writes back (no currency sign)
//   "20% up to 5,000 / 15% thereafter"  thousands commas; tiers separated by "," "/" ";" or new lines
//   "25% up to 5000, 20% up to 10000, 15% thereafter"   any number of tiers
//   "15.00", "20", "25.5%"              decimal-string percentages (README.txt `consignor_commission: "15.00"`,
//                                       charge `tax: "21.00"`); a bare number is a percentage
//   15 (a JSON number)                  e.g. Bidlogix `buyersPremium: 15` (percent, 0–100)
//   [{from, rate: "15%"}, …]            step lists like `consignor_commission_steps[{step_from, …}]`
//                                       (datatable-consignments.txt); `from` already in minor units
// Anything else is an error that says what was expected; nothing is guessed.

import { formatPlain, numberToPlainString, parseDecimalMinor, type Minor } from './money'

/** 1 basis point = 0.01 %; 10 000 bp = 100 %. */
export type BasisPoints = number

/** One marginal band: `rateBp` applies to the part of the hammer up to `upTo` (null = no cap). */
export interface PremiumTier {
  upTo: Minor | null
  rateBp: BasisPoints
}

/** Tiers in ascending cap order; a parsed rule always ends with an uncapped tier. */
export interface PremiumRule {
  tiers: PremiumTier[]
}

/** One step of a step list: `rate` applies from `from` (minor units) up to the next step's `from`. */
export interface PremiumStep {
  from: Minor
  rate: string | number
}

export type PremiumSource = string | number | readonly PremiumStep[]

export type PremiumParse = { ok: true; rule: PremiumRule } | { ok: false; error: string }

export type RateParse = { ok: true; rateBp: BasisPoints } | { ok: false; error: string }

export interface PremiumParseOptions {
  /** Minor-unit digits of the currency the caps are written in (default 2). */
  decimals?: number
}

const FULL_RATE_BP = 10_000
const EXPECTED = 'expected e.g. "20%", "25.5%" or "20% up to 5000, 15% thereafter"'

const RATE = String.raw`(\d+(?:\.\d+)?)\s*%`
const AMOUNT = String.raw`[$£€]?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`
const FLAT_TIER = /^(\d+(?:\.\d+)?)\s*%?$/
const CAPPED_TIER = new RegExp(String.raw`^${RATE}\s+up\s+to\s+${AMOUNT}$`, 'i')
const LAST_TIER = new RegExp(String.raw`^${RATE}\s+thereafter$`, 'i')
// A comma is a tier separator unless it is a thousands comma ("5,000").
const TIER_SEPARATOR = /\s*(?:[/;\n]|,(?!\d{3}(?!\d)))\s*/
// "25,5%" as a whole or as a tier: a decimal comma, not a separator.
const DECIMAL_COMMA = /(?:^|[/;\n]\s*|,\s+)\d+,\d{1,2}\s*%/

const ok = (tiers: PremiumTier[]): PremiumParse => ({ ok: true, rule: { tiers } })
const fail = (error: string): PremiumParse => ({ ok: false, error })

/** Parses every buyer's-premium form listed at the top of this file. */
export function parsePremium(source: PremiumSource, opts: PremiumParseOptions = {}): PremiumParse {
  if (typeof source === 'number') return flatRule(source)
  if (typeof source === 'string') return parsePremiumText(source, opts.decimals ?? 2)
  return parsePremiumSteps(source)
}

/** A percentage "20" / "20%" / "25.5" / 15 → basis points. Rates are 0–100 % with at most 2 decimals. */
export function parseRate(value: string | number): RateParse {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim().replace(/\s*%$/, '')
  const bad = (error: string): RateParse => ({ ok: false, error })
  if (text === null || !/^\d+(?:\.\d+)?$/.test(text)) return bad(`"${String(value)}" is not a percentage`)
  const bp = parseDecimalMinor(text, { decimals: 2 })
  if (bp === null) return bad(`${text}% has more than two decimal places (rates are held in basis points)`)
  if (bp > FULL_RATE_BP) return bad(`${text}% is above 100%`)
  return { ok: true, rateBp: bp }
}

function flatRule(value: string | number): PremiumParse {
  const rate = parseRate(value)
  return rate.ok ? ok([{ upTo: null, rateBp: rate.rateBp }]) : fail(`Buyer's premium ${rate.error}.`)
}

function parsePremiumText(raw: string, decimals: number): PremiumParse {
  const text = raw.trim()
  if (text === '') return fail(`Buyer's premium is empty; ${EXPECTED}.`)
  if (DECIMAL_COMMA.test(text)) return fail(`"${text}" uses a decimal comma in a rate; write e.g. "25.5%".`)
  const parts = text.split(TIER_SEPARATOR)
  return parts.length === 1 && FLAT_TIER.test(text) ? flatRule(text) : parseTiers(parts, decimals)
}

function parseTiers(parts: string[], decimals: number): PremiumParse {
  const tiers: PremiumTier[] = []
  for (const [i, part] of parts.entries()) {
    const isLast = i === parts.length - 1
    const tier = isLast ? parseLastTier(part, parts.length) : parseCappedTier(part, decimals)
    if (typeof tier === 'string') return fail(tier)
    const floor = tiers.at(-1)?.upTo ?? 0
    if (tier.upTo !== null && tier.upTo <= floor) {
      return fail(`Tier "${part}": its cap must be above ${trimmedDecimal(floor, decimals)}.`)
    }
    tiers.push(tier)
  }
  return ok(tiers)
}

// The tier helpers return the tier, or a message saying why it could not be read.
function parseCappedTier(part: string, decimals: number): PremiumTier | string {
  const m = CAPPED_TIER.exec(part)
  if (!m) {
    if (LAST_TIER.test(part)) return `Tier "${part}" must be the last tier.`
    return `Cannot read tier "${part}": expected "<rate>% up to <amount>".`
  }
  const rate = parseRate(m[1])
  if (!rate.ok) return `Tier "${part}": ${rate.error}.`
  const upTo = parseDecimalMinor(m[2], { decimals, grouping: true })
  if (upTo === null) return `Tier "${part}": "${m[2]}" is not an amount with at most ${decimals} decimals.`
  return { upTo, rateBp: rate.rateBp }
}

function parseLastTier(part: string, tierCount: number): PremiumTier | string {
  const m = LAST_TIER.exec(part)
  if (!m) {
    if (CAPPED_TIER.test(part)) return `The last tier "${part}" has a cap; end with "<rate>% thereafter".`
    if (tierCount === 1) return `Cannot read buyer's premium "${part}": ${EXPECTED}.`
    return `Cannot read the last tier "${part}": expected "<rate>% thereafter".`
  }
  if (tierCount === 1) return `"${part}" has no tier before "thereafter"; ${EXPECTED}.`
  const rate = parseRate(m[1])
  return rate.ok ? { upTo: null, rateBp: rate.rateBp } : `Tier "${part}": ${rate.error}.`
}

function parsePremiumSteps(steps: readonly PremiumStep[]): PremiumParse {
  if (steps.length === 0) return fail('The premium step list is empty.')
  if (steps[0].from !== 0) return fail(`The first premium step starts at ${steps[0].from}, not at 0.`)
  const tiers: PremiumTier[] = []
  for (const [i, step] of steps.entries()) {
    const next = steps[i + 1]
    if (!Number.isSafeInteger(step.from)) return fail(`Premium step ${i + 1}: "from" is not whole minor units.`)
    if (next && !(next.from > step.from)) return fail(`Premium step ${i + 2} does not start above step ${i + 1}.`)
    const rate = parseRate(step.rate)
    if (!rate.ok) return fail(`Premium step ${i + 1}: ${rate.error}.`)
    tiers.push({ upTo: next ? next.from : null, rateBp: rate.rateBp })
  }
  return ok(tiers)
}

/** 2550 → "25.5"; 500000 → "5000" (trailing fraction zeros dropped). */
function trimmedDecimal(minor: number, decimals: number): string {
  const s = formatPlain(minor, decimals)
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s
}

/** Inverse of parsePremium for text: "20%" or "25% up to 5000, 20% thereafter". */
export function formatPremium(rule: PremiumRule, decimals = 2): string {
  const { tiers } = rule
  if (tiers.length === 1 && tiers[0].upTo === null) return `${trimmedDecimal(tiers[0].rateBp, 2)}%`
  return tiers
    .map((t) => {
      const rate = `${trimmedDecimal(t.rateBp, 2)}%`
      return t.upTo === null ? `${rate} thereafter` : `${rate} up to ${trimmedDecimal(t.upTo, decimals)}`
    })
    .join(', ')
}
