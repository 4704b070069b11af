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

/**
 * A currency as amounts are shown: its ISO 4217 code (Circuit's own, from
 * /me), how many decimals it has (minor units per major unit is 10^decimals)
 * and the symbol Circuit gives it.
 */
export interface MoneyCurrency {
  code: string
  decimals: number
  symbol: string
}

export const GBP: MoneyCurrency = { code: 'GBP', decimals: 2, symbol: '£' }

/** Amounts read in British English (grouping by thousands, "." before the decimals), whatever the currency. */
export const MONEY_LOCALE = 'en-GB'

const ISO_CODE = /^[A-Z]{3}$/

/** A well-formed ISO 4217 code that this runtime's Intl knows ("GBP", "JPY", "KWD"). */
export function isCurrencyCode(code: string): boolean {
  if (!ISO_CODE.test(code)) return false
  intlCodes ??= new Set((Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('currency'))
  return intlCodes.size ? intlCodes.has(code) : true
}
/** The codes this runtime's Intl knows, read once (empty: it cannot say). */
let intlCodes: Set<string> | null = null

// Asking Intl about a currency means making a NumberFormat, which costs far more than using one: once per code.
const knownCurrencies = new Map<string, MoneyCurrency>()

/** The currency as Intl knows it: its usual decimals (JPY 0, GBP 2, KWD 3) and narrow symbol. */
export function currencyOf(code: string): MoneyCurrency {
  const known = knownCurrencies.get(code)
  if (known) return { ...known }
  const f = new Intl.NumberFormat(MONEY_LOCALE, { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' })
  const symbol = f.formatToParts(0).find((p) => p.type === 'currency')?.value ?? code
  const c = { code, decimals: f.resolvedOptions().maximumFractionDigits ?? 2, symbol }
  if (knownCurrencies.size < 64) knownCurrencies.set(code, c)
  return { ...c }
}

// Making an Intl.NumberFormat costs far more than using one: one per currency and kind, kept.
const formats = new Map<string, Intl.NumberFormat>()

function numberFormat(code: string | null, decimals: number): Intl.NumberFormat {
  const key = `${code ?? '-'}/${decimals}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(MONEY_LOCALE, {
      ...(code ? { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' } : { style: 'decimal' }),
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals
    })
    formats.set(key, f)
  }
  return f
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new RangeError(`a currency has 0 to 6 decimals, got ${decimals}`)
  }
}

/**
 * Integer minor units → the decimal text Intl formats exactly. Intl.NumberFormat
 * takes a decimal string as an exact number (no float on the way), so the
 * digits shown are the digits stored.
 */
function exact(minor: Minor, decimals: number): number {
  checkDecimals(decimals)
  // The ES2022 typings know only numbers; the runtime (Node 20, Chromium) takes the string exactly.
  return formatPlain(minor, decimals) as unknown as number
}

/** 125050 → "1,250.50" (no symbol), in the currency's decimals (JPY 1250 → "1,250"; KWD 1250 → "1.250"). */
export function formatAmount(minor: Minor, currency: Pick<MoneyCurrency, 'decimals'> = GBP): string {
  return numberFormat(null, currency.decimals).format(exact(minor, currency.decimals))
}

/**
 * 125050 → "£1,250.50": Intl.NumberFormat with the currency's code and
 * decimals; Circuit's own symbol, when it gave one, stands where Intl puts the
 * currency ("KD 1,234.567" for Circuit's "KD", "KWD 1,234.567" without it).
 * A code that is not ISO 4217 is formatted as "no currency" (XXX) with the symbol in its place.
 */
export function formatMoney(minor: Minor, currency: MoneyCurrency = GBP): string {
  const code = ISO_CODE.test(currency.code) ? currency.code : 'XXX'
  const parts = numberFormat(code, currency.decimals).formatToParts(exact(minor, currency.decimals))
  const symbol = currency.symbol.trim()
  const shown = parts.map((p) => (p.type === 'currency' && (symbol || code === 'XXX') ? symbol : p.value))
  return shown.join('').trim()
}
