// Pure parsers for the wire primitives Circuit sends in several forms.
// No zod, no I/O: each returns a Parsed<T> so callers can attach a field path.
// (Generic money parsing will later move to src-shared/money.ts; keep this
// file self-contained.)

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

/** Minor units per major unit is 10^decimals; Circuit installs use 2. */
export const DEFAULT_DECIMALS = 2

// Plain decimal, or thousands grouped with commas in groups of three.
// "1,5" (a European decimal comma) is rejected rather than guessed: Circuit's
// JSON uses "." (data-types page); a comma only ever appears as a grouping
// separator in "formatted" strings, which we accept only when unambiguous.
const PLAIN = /^([+-]?)(\d+)(?:\.(\d+))?$/
const GROUPED = /^([+-]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/

function digitsToMinor(
  sign: string,
  intPart: string,
  frac: string,
  decimals: number,
  roundExtra: boolean
): Parsed<number> | null {
  let f = frac
  if (f.length > decimals) {
    const extra = f.slice(decimals)
    if (/^0*$/.test(extra)) f = f.slice(0, decimals)
    else if (roundExtra) {
      // Round half away from zero on the decimal digits (no float arithmetic).
      const keep = f.slice(0, decimals)
      const up = extra.charCodeAt(0) >= 53 /* '5' */
      const base = BigInt(intPart + keep.padEnd(decimals, '0')) + (up ? 1n : 0n)
      return finish(sign, base)
    } else return null
  }
  return finish(sign, BigInt(intPart + f.padEnd(decimals, '0')))
}

function finish(sign: string, abs: bigint): Parsed<number> {
  if (abs > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: 'money amount too large' }
  const n = Number(abs)
  return ok(sign === '-' && n !== 0 ? -n : n)
}

/**
 * A money amount in MAJOR units → integer minor units.
 * - string "1250.50", "1250.5", "1250", "-3.00", "1,250.50" (comma grouping) → 125050 …
 *   More fractional digits than `decimals` are accepted only when they are zeros.
 * - number 1250.5 → converted through its shortest round-trip string
 *   ("1250.5"), never multiplied as a float. Extra digits on a number
 *   (0.30000000000000004) are rounded half away from zero, since a JSON float
 *   cannot carry an exact amount anyway.
 */
export function parseMoneyMajor(v: unknown, decimals = DEFAULT_DECIMALS): Parsed<number> {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return fail('a money amount', v)
    const s = numberToPlainString(v)
    const m = s === null ? null : PLAIN.exec(s)
    if (!m) return fail('a money amount', v)
    return digitsToMinor(m[1], m[2], m[3] ?? '', decimals, true) ?? fail('a money amount', v)
  }
  if (typeof v === 'string') {
    const s = v.trim()
    const m = PLAIN.exec(s) ?? GROUPED.exec(s)
    if (!m) return fail('a money amount', v)
    const r = digitsToMinor(m[1], m[2].replace(/,/g, ''), m[3] ?? '', decimals, false)
    return r ?? fail(`a money amount with at most ${decimals} decimals`, v)
  }
  return fail('a money amount', v)
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

/** Shortest round-trip decimal string of a finite number, without exponent. */
function numberToPlainString(n: number): string | null {
  const s = String(n)
  if (!/e/i.test(s)) return s
  // 1e-7 or 1e21: expand exponent notation by moving the decimal point textually.
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

/** Integer minor units → decimal string for request bodies: 125050 → "1250.50". */
export function formatMinor(minor: number, decimals = DEFAULT_DECIMALS): string {
  if (!Number.isSafeInteger(minor)) throw new TypeError(`money must be integer minor units, got ${minor}`)
  const neg = minor < 0
  const s = String(Math.abs(minor)).padStart(decimals + 1, '0')
  const body = decimals === 0 ? s : `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`
  return neg ? `-${body}` : body
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
