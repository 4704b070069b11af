// Money is integer minor units (cents/pence) everywhere inside Saleroom, the
// Circuit client and the simulator. Text amounts are parsed exactly, digit by
// digit: never through a float. This is the one implementation.

export type Minor = number

const PLAIN = /^([+-]?)(\d+)(?:\.(\d+))?$/
const GROUPED = /^([+-]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/

export interface DecimalOptions {
  /** Minor units per major unit is 10^decimals (default 2). */
  decimals?: number
  /** Accept "1,250.50" (commas in groups of three). Default false. */
  grouping?: boolean
  /**
   * More fractional digits than `decimals`: false (default) accepts them only
   * when they are zeros; true rounds half away from zero (for JSON floats,
   * which cannot carry an exact amount anyway).
   */
  roundExtra?: boolean
}

/** A decimal amount in major units → integer minor units, or null. "1250.50" → 125050. */
export function parseDecimalMinor(text: string, opts: DecimalOptions = {}): Minor | null {
  const decimals = opts.decimals ?? 2
  const s = text.trim()
  const m = PLAIN.exec(s) ?? (opts.grouping ? GROUPED.exec(s) : null)
  if (!m) return null
  const [, sign, intPart, frac = ''] = m
  let keep = frac
  let roundUp = false
  if (frac.length > decimals) {
    const extra = frac.slice(decimals)
    if (!/^0*$/.test(extra)) {
      if (!opts.roundExtra) return null
      roundUp = extra.charCodeAt(0) >= 53 /* '5' */
    }
    keep = frac.slice(0, decimals)
  }
  const digits = intPart.replace(/,/g, '') + keep.padEnd(decimals, '0')
  // Up to 15 digits a float holds the number exactly (10^15 < 2^53): no BigInt needed.
  const n =
    digits.length <= 15
      ? Number(digits) + (roundUp ? 1 : 0)
      : ((abs) => (abs > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(abs)))(BigInt(digits) + (roundUp ? 1n : 0n))
  if (n === null) return null
  return sign === '-' && n !== 0 ? -n : n
}

/** "1250.50" → 125050; "1250" → 125000; "-3.5" → -350. Null when it is not an amount. */
export function parseMinor(text: string): Minor | null {
  return parseDecimalMinor(text)
}

/** Shortest round-trip decimal string of a finite number, without exponent (1e-7 → "0.0000001"). */
export function numberToPlainString(n: number): string | null {
  if (!Number.isFinite(n)) return null
  const s = String(n)
  if (!/e/i.test(s)) return s
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s)
  if (!m) return null
  const [, sign, d, frac = '', expS] = m
  const exp = Number(expS)
  const digits = d + frac
  if (exp >= 0) {
    const intLen = 1 + exp
    return (
      sign +
      (digits.length <= intLen ? digits.padEnd(intLen, '0') : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`)
    )
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
}

function assertMinor(minor: Minor): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`money must be integer minor units, got ${minor}`)
}

/** Integer minor units → plain decimal text for the wire: 125050 → "1250.50", -5 → "-0.05". */
export function formatPlain(minor: Minor, decimals = 2): string {
  assertMinor(minor)
  const s = String(Math.abs(minor)).padStart(decimals + 1, '0')
  const body = decimals === 0 ? s : `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`
  return minor < 0 ? `-${body}` : body
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
  const [whole, frac] = formatPlain(Math.abs(minor)).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, fmt.thousandsSign)
  return `${minor < 0 ? '-' : ''}${grouped}${fmt.decimalSign}${frac}`
}

/** 125050 → "£1,250.50" following the currency's template. */
export function formatMoney(minor: Minor, fmt: CurrencyFormat = DEFAULT_CURRENCY): string {
  return fmt.template.replace('@amount', formatAmount(minor, fmt)).replace('@symbol', fmt.symbol)
}
