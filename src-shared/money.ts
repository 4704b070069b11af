// Money is integer minor units (cents/pence) everywhere inside Saleroom.
// Strings from files and servers are parsed exactly, digit by digit: never
// through a float.

export type Minor = number

const MONEY_RE = /^(-)?(\d{1,13})(?:\.(\d{0,2}))?$/

/** "1250.50" → 125050; "1250" → 125000; "-3.5" → -350. Null when it is not an amount. */
export function parseMinor(text: string): Minor | null {
  const m = MONEY_RE.exec(text.trim())
  if (!m) return null
  const whole = Number(m[2])
  const frac = Number((m[3] ?? '').padEnd(2, '0'))
  const value = whole * 100 + frac
  return m[1] ? -value : value
}

export interface CurrencyFormat {
  symbol: string
  decimalSign: string
  thousandsSign: string
  /** "@amount @symbol" or "@symbol@amount" as Circuit's /api/me gives it. */
  template: string
}

export const DEFAULT_CURRENCY: CurrencyFormat = {
  symbol: '£',
  decimalSign: '.',
  thousandsSign: ',',
  template: '@symbol@amount'
}

/** 125050 → "1,250.50" (no symbol). */
export function formatAmount(minor: Minor, fmt: CurrencyFormat = DEFAULT_CURRENCY): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not a minor-unit amount: ${minor}`)
  const negative = minor < 0
  const abs = Math.abs(minor)
  const whole = Math.floor(abs / 100).toString()
  const frac = (abs % 100).toString().padStart(2, '0')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, fmt.thousandsSign)
  return `${negative ? '-' : ''}${grouped}${fmt.decimalSign}${frac}`
}

/** 125050 → "£1,250.50" following the currency's template. */
export function formatMoney(minor: Minor, fmt: CurrencyFormat = DEFAULT_CURRENCY): string {
  return fmt.template.replace('@amount', formatAmount(minor, fmt)).replace('@symbol', fmt.symbol)
}
