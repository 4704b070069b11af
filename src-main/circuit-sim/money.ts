// Money helpers. Everything inside the simulator is integer minor units
// (pence, cents, yen, fils). Decimal strings are parsed digit by digit, never
// via floats, with the decimals of the simulator's currency (2 by default,
// 0 for JPY, 3 for KWD). Rates ("20.00" %) always have two decimals.

import { formatPlain, numberToPlainString, parseDecimalMinor } from '../../src-shared/money'
import type { Currency } from './currency'

export type Cents = number

/**
 * The largest amount Circuit takes, in minor units (10^11: a billion pounds).
 * Beyond it a request is refused with 422, so no total can overflow and no
 * listing can break (issue 16 F7).
 */
export const MAX_AMOUNT = 100_000_000_000

export const withinBounds = (minor: Cents): boolean => Math.abs(minor) <= MAX_AMOUNT

/**
 * Parse a wire amount into minor units: "250", "250.5", "250.50", "-12.00", or a
 * JSON number (250.5) with at most `decimals` decimals. Null when not a valid amount.
 */
export function parseMoney(value: unknown, decimals = 2): Cents | null {
  if (typeof value === 'number') {
    const text = numberToPlainString(value)
    return text === null ? null : parseDecimalMinor(text, { decimals })
  }
  return typeof value === 'string' ? parseDecimalMinor(value, { decimals }) : null
}

/** Parse an integer amount already in minor units (Item History `field_sold_for_amount`). */
export function parseCentsInteger(value: unknown): Cents | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim())
  return null
}

/** 25000 -> "250.00" (2 decimals), 25000 -> "25000" (JPY), 25000 -> "25.000" (KWD). */
export function formatMoney(cents: Cents, decimals = 2): string {
  return formatPlain(cents, decimals)
}

export function formatMoneyOrNull(cents: Cents | null, decimals = 2): string | null {
  return cents === null ? null : formatMoney(cents, decimals)
}

/**
 * Display form using the currency config, as Circuit's `totals_for_display` and
 * `balance.formatted` show it: 125050 -> "£1,250.50", "1.250,50 €", "¥125,050".
 * A bare symbol means a GBP-like 2-decimal currency.
 */
export function formatDisplay(cents: Cents, currency: Currency | string): string {
  const c: Pick<Currency, 'symbol' | 'template' | 'decimal_sign' | 'thousands_sign' | 'decimal_amount'> =
    typeof currency === 'string'
      ? { symbol: currency, template: '@symbol@amount', decimal_sign: '.', thousands_sign: ',', decimal_amount: 2 }
      : currency
  const [whole, fraction] = formatPlain(Math.abs(cents), c.decimal_amount).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, c.thousands_sign)
  const amount = `${cents < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `${c.decimal_sign}${fraction}`}`
  return c.template.replace('@amount', amount).replace('@symbol', c.symbol)
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

/** "20.00" / "20" / 20 (percent) -> 2000 basis points, or null. Always two decimals: a rate is not money. */
export function parsePercent(value: unknown): number | null {
  return parseMoney(value, 2)
}

export function formatPercent(basisPoints: number): string {
  return formatPlain(basisPoints, 2)
}
