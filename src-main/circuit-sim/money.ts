// Money helpers. Everything inside the simulator is integer minor units
// (pence/cents). Decimal strings are parsed digit by digit, never via floats.

import {
  formatMoney as formatDisplayMoney,
  formatPlain,
  numberToPlainString,
  parseDecimalMinor
} from '../../src-shared/money'

export type Cents = number

/**
 * Parse a wire amount into cents: "250", "250.5", "250.50", "-12.00", or a JSON
 * number with at most two decimals (250.5). Returns null when not a valid amount.
 */
export function parseMoney(value: unknown): Cents | null {
  if (typeof value === 'number') {
    const text = numberToPlainString(value)
    return text === null ? null : parseDecimalMinor(text)
  }
  return typeof value === 'string' ? parseDecimalMinor(value) : null
}

/** Parse an integer amount already in cents (Item History `field_sold_for_amount`). */
export function parseCentsInteger(value: unknown): Cents | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim())
  return null
}

/** 25000 -> "250.00", -5 -> "-0.05". */
export function formatMoney(cents: Cents): string {
  return formatPlain(cents)
}

export function formatMoneyOrNull(cents: Cents | null): string | null {
  return cents === null ? null : formatMoney(cents)
}

/** Display form using the currency's symbol: 125050 -> "£1,250.50". */
export function formatDisplay(cents: Cents, symbol: string): string {
  return formatDisplayMoney(cents, { code: '', decimals: 2, symbol })
}

/**
 * cents * basisPoints / 10000, rounded half away from zero, in integers only.
 * 2500 basis points = 25%.
 */
export function applyRate(cents: Cents, basisPoints: number): Cents {
  const product = Math.abs(cents) * basisPoints
  const rounded = Math.floor((product + 5000) / 10000)
  return cents < 0 ? -rounded : rounded
}

/** "20.00" / "20" / 20 (percent) -> 2000 basis points, or null. */
export function parsePercent(value: unknown): number | null {
  return parseMoney(value)
}

export function formatPercent(basisPoints: number): string {
  return formatMoney(basisPoints)
}
