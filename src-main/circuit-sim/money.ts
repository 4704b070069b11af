// Money helpers. Everything inside the simulator is integer minor units
// (pence/cents). Decimal strings are parsed digit by digit, never via floats.

export type Cents = number

const DECIMAL = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/

/**
 * Parse a wire amount into cents: "250", "250.5", "250.50", "-12.00", or a JSON
 * number with at most two decimals (250.5). Returns null when not a valid amount.
 */
export function parseMoney(value: unknown): Cents | null {
  let text: string
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    // String(250.5) === "250.5"; numbers with more precision or exponents fail the regex.
    text = String(value)
  } else if (typeof value === 'string') {
    text = value.trim()
  } else {
    return null
  }
  const m = DECIMAL.exec(text)
  if (!m) return null
  const whole = Number(m[2])
  const frac = m[3] === undefined ? 0 : Number(m[3].padEnd(2, '0'))
  const cents = whole * 100 + frac
  return m[1] ? -cents : cents
}

/** Parse an integer amount already in cents (Item History `field_sold_for_amount`). */
export function parseCentsInteger(value: unknown): Cents | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim())
  return null
}

/** 25000 -> "250.00", -5 -> "-0.05". */
export function formatMoney(cents: Cents): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const whole = Math.floor(abs / 100)
  const frac = abs % 100
  return `${sign}${whole}.${frac.toString().padStart(2, '0')}`
}

export function formatMoneyOrNull(cents: Cents | null): string | null {
  return cents === null ? null : formatMoney(cents)
}

/** Display form using the currency config: 125050 -> "£1,250.50". */
export function formatDisplay(cents: Cents, symbol: string): string {
  const plain = formatMoney(Math.abs(cents))
  const [whole, frac] = plain.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${cents < 0 ? '-' : ''}${symbol}${grouped}.${frac}`
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
