// Pure parsers for the wire primitives Circuit sends in several forms.
// No zod, no I/O: each returns a Parsed<T> so callers can attach a field path.
// (Generic money parsing will later move to src-shared/money.ts; keep this
// file self-contained.)

import { formatPlain, numberToPlainString, parseDecimalMinor } from '../../src-shared/money'

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const fail = (expected: string, got: unknown): Parsed<never> => ({
  ok: false,
  message: `expected ${expected}, got ${show(got)}`
})

export function show(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)'
  try {
    const s = JSON.stringify(v)
    return s.length > 60 ? `${s.slice(0, 57)}...` : s
  } catch {
    return String(v)
  }
}

// ---------------------------------------------------------------- money
// The digit-by-digit parsing lives in src-shared/money.ts; here it is only
// wrapped with Circuit's tolerances and field-path messages.

/** Minor units per major unit is 10^decimals; Circuit installs use 2. */
export const DEFAULT_DECIMALS = 2

/**
 * A money amount in MAJOR units → integer minor units.
 * - string "1250.50", "1250.5", "1250", "-3.00", "1,250.50" (comma grouping) → 125050 …
 *   More fractional digits than `decimals` are accepted only when they are zeros.
 *   "1,5" (a European decimal comma) is rejected rather than guessed: Circuit's
 *   JSON uses "." (data-types page).
 * - number 1250.5 → converted through its shortest round-trip string
 *   ("1250.5"), never multiplied as a float. Extra digits on a number
 *   (0.30000000000000004) are rounded half away from zero, since a JSON float
 *   cannot carry an exact amount anyway.
 */
export function parseMoneyMajor(v: unknown, decimals = DEFAULT_DECIMALS): Parsed<number> {
  if (typeof v === 'number') {
    const s = numberToPlainString(v)
    const minor = s === null ? null : parseDecimalMinor(s, { decimals, roundExtra: true })
    if (minor !== null) return ok(minor)
    return s !== null && tooLarge(s, decimals)
      ? { ok: false, message: 'money amount too large' }
      : fail('a money amount', v)
  }
  if (typeof v === 'string') {
    const minor = parseDecimalMinor(v, { decimals, grouping: true })
    if (minor !== null) return ok(minor)
    if (tooLarge(v, decimals)) return { ok: false, message: 'money amount too large' }
    const looksLikeAmount = /^\s*[+-]?[\d,]+(\.\d+)?\s*$/.test(v)
    return fail(looksLikeAmount ? `a money amount with at most ${decimals} decimals` : 'a money amount', v)
  }
  return fail('a money amount', v)
}

/** A well-formed amount whose minor units would not fit a safe integer. */
function tooLarge(text: string, decimals: number): boolean {
  const m = /^\s*[+-]?([\d,]+)(?:\.\d*)?\s*$/.exec(text)
  return m !== null && BigInt(m[1].replace(/,/g, '') || '0') * 10n ** BigInt(decimals) > BigInt(Number.MAX_SAFE_INTEGER)
}

/**
 * A money amount documented as integer CENTS (minor units): 50000 or "50000".
 * Tolerance: a decimal string with a "." ("500.00") is read as major units,
 * because the data-types page says amounts are decimal strings and the docs
 * contradict themselves per page. A non-integer number is an error.
 */
export function parseMoneyCents(v: unknown, decimals = DEFAULT_DECIMALS): Parsed<number> {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return ok(v)
    return fail('an integer amount in cents', v)
  }
  if (typeof v === 'string') {
    const s = v.trim()
    if (/^[+-]?\d+$/.test(s)) {
      const n = Number(s)
      return Number.isSafeInteger(n) ? ok(n) : fail('an integer amount in cents', v)
    }
    if (s.includes('.')) return parseMoneyMajor(s, decimals)
  }
  return fail('an integer amount in cents', v)
}

/** Integer minor units → decimal string for request bodies: 125050 → "1250.50" (2 decimals), 1250 → "1250" (JPY). */
export function formatMinor(minor: number, decimals = DEFAULT_DECIMALS): string {
  if (!Number.isSafeInteger(minor)) throw new TypeError(`money must be integer minor units, got ${minor}`)
  return formatPlain(minor, decimals)
}

/** A currency's decimals as Circuit's `decimal_amount` may give them: 0 (JPY) to 4 (ISO 4217's most). */
export function isCurrencyDecimals(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4
}

/**
 * A percentage rate ("21.00", "15%", 15, "15") → basis points (2100, 1500).
 * Always two decimals, whatever the currency: a rate is not money.
 */
export function parseRateBp(v: unknown): Parsed<number> {
  const text = typeof v === 'string' ? v.trim().replace(/\s*%$/, '') : v
  const r = typeof text === 'string' || typeof text === 'number' ? parseMoneyMajor(text, 2) : null
  return r?.ok ? r : fail('a rate like "21.00" or "15%"', v)
}

/** A weight in kilograms ("2.5", 2.5) → integer grams (2500), read digit by digit. */
export function parseKgToGrams(v: unknown): Parsed<number> {
  const r = typeof v === 'string' || typeof v === 'number' ? parseMoneyMajor(v, 3) : null
  return r?.ok && r.value >= 0 ? r : fail('a weight in kg like "2.5"', v)
}

/** Integer grams → kilograms as Circuit's docs write them: 2500 → "2.5", 2000 → "2". */
export function formatGramsAsKg(grams: number): string {
  if (!Number.isSafeInteger(grams) || grams < 0) throw new TypeError(`a weight must be whole grams, got ${grams}`)
  return formatPlain(grams, 3).replace(/\.?0+$/, '')
}

// ---------------------------------------------------------------- dates

// Epoch numbers below 1e11 are seconds (1e11 s is the year 5138), above are
// milliseconds (1e11 ms is 1973). 0 is Drupal's "unset" and decodes to null.
const MS_THRESHOLD = 1e11

function epochToIso(n: number): Parsed<string | null> {
  if (!Number.isFinite(n)) return fail('a date', n)
  if (n === 0) return ok(null)
  const ms = Math.abs(n) < MS_THRESHOLD ? n * 1000 : n
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return fail('a date', n)
  return ok(d.toISOString())
}

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
// "2025-10-15T14:30:00Z", "2025-10-15 14:30:00" (Drupal; no zone = UTC), with optional fraction/offset.
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/

/**
 * A date-time from ISO 8601, epoch seconds or epoch ms (numbers or numeric
 * strings) → ISO string in UTC ("2025-10-15T14:30:00.000Z"). Null, "" and 0 → null.
 * A date-only string is taken as midnight UTC.
 */
export function parseDateTime(v: unknown): Parsed<string | null> {
  if (v === null || v === undefined || v === '') return ok(null)
  if (typeof v === 'number') return epochToIso(v)
  if (typeof v !== 'string') return fail('a date', v)
  const s = v.trim()
  if (/^-?\d+(\.\d+)?$/.test(s)) return epochToIso(Number(s))
  if (ISO_DATE_ONLY.test(s)) return isoOrFail(`${s}T00:00:00Z`, v)
  const m = ISO_DATETIME.exec(s)
  if (!m) return fail('a date', v)
  const zone = m[3] ?? 'Z'
  return isoOrFail(`${m[1]}T${m[2]}${zone}`, v)
}

function isoOrFail(s: string, original: unknown): Parsed<string> {
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? fail('a date', original) : ok(d.toISOString())
}

/** A calendar date (transaction_date, cheque_date) → "YYYY-MM-DD"; timestamps use their UTC date. */
export function parseDateOnly(v: unknown): Parsed<string | null> {
  if (typeof v === 'string' && ISO_DATE_ONLY.test(v.trim())) {
    const r = isoOrFail(`${v.trim()}T00:00:00Z`, v)
    return r.ok ? ok(v.trim()) : r
  }
  const r = parseDateTime(v)
  if (!r.ok || r.value === null) return r
  return ok(r.value.slice(0, 10))
}

/** Epoch ms of a date value (used for token `expire`). */
export function parseEpochMs(v: unknown): Parsed<number | null> {
  const r = parseDateTime(v)
  if (!r.ok) return r
  return ok(r.value === null ? null : new Date(r.value).getTime())
}

// ---------------------------------------------------------------- scalars

/** true/false, 1/0, "1"/"0", "true"/"false" (data-types page lists the first three). */
export function parseBool(v: unknown): Parsed<boolean> {
  if (v === true || v === 1 || v === '1' || v === 'true') return ok(true)
  if (v === false || v === 0 || v === '0' || v === 'false') return ok(false)
  return fail('a boolean (true/false, 1/0, "1"/"0")', v)
}

/** Ids are strings; Drupal sometimes sends integers. */
export function parseId(v: unknown): Parsed<string> {
  if (typeof v === 'string' && v.trim() !== '') return ok(v.trim())
  if (typeof v === 'number' && Number.isSafeInteger(v)) return ok(String(v))
  return fail('an id', v)
}

/** A reference: `{id,label}`, `{value,label}`, `{target_id}` or a bare id → the id. */
export function parseRefId(v: unknown): Parsed<string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    const inner = o.id ?? o.value ?? o.target_id
    const r = parseId(inner)
    return r.ok ? r : fail('a reference {id,label} or an id', v)
  }
  const r = parseId(v)
  return r.ok ? r : fail('a reference {id,label} or an id', v)
}

/** The label of a reference (`label`, then `name`), or a bare string. */
export function refLabel(v: unknown): string | null {
  if (typeof v === 'string') return v
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    for (const k of ['label', 'name', 'full_name']) if (typeof o[k] === 'string') return o[k] as string
  }
  return null
}

/** Integer from a number or an integer string. */
export function parseInteger(v: unknown): Parsed<number> {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return ok(v)
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return ok(Number(v.trim()))
  return fail('an integer', v)
}

/** A text field: strings pass, numbers become strings (lot "12" vs 12). */
export function parseText(v: unknown): Parsed<string> {
  if (typeof v === 'string') return ok(v)
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v))
  return fail('a string', v)
}

/** An enum value that may come as `"sold"` or `{id|value:"sold",label}` → the machine name. */
export function parseEnumValue(v: unknown): Parsed<string> {
  if (typeof v === 'string') return ok(v)
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>
    const inner = o.id ?? o.value ?? o.key
    if (typeof inner === 'string' || typeof inner === 'number') return ok(String(inner))
  }
  return fail('a status value', v)
}

/** Split "269A" into 269 and "A"; null number when the lot has no leading digits. */
export function splitLot(lot: string): { lotNumber: number | null; lotLetter: string } {
  const m = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(lot)
  if (!m) return { lotNumber: null, lotLetter: '' }
  return { lotNumber: Number(m[1]), lotLetter: m[2].toUpperCase() }
}
