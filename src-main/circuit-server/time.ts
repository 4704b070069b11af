// Wire dates are ISO 8601 UTC without milliseconds ("2025-10-15T14:30:00Z");
// internally we keep epoch milliseconds.

export function toIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms)
}

/** "YYYY-MM-DD" for date-only fields. */
export function toYmd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/

/** Strict YYYY-MM-DD -> epoch ms at 00:00 UTC, or null when malformed/impossible (2025-02-30). */
export function parseYmd(text: string): number | null {
  const m = YMD.exec(text)
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return toYmd(ms) === text ? ms : null
}

const DAY_MS = 86_400_000

/**
 * Parse a date filter bound. Accepts ISO 8601 ("2025-10-15T14:30:00Z"), the
 * docs' date-only form ("2025-10-15": a `to` bound then covers the whole day),
 * or a unix timestamp in seconds / milliseconds (the newer docs send ms).
 */
export function parseDateBound(text: string, bound: 'from' | 'to' | 'eq'): number | null {
  const t = text.trim()
  const ymd = parseYmd(t)
  if (ymd !== null) return bound === 'to' ? ymd + DAY_MS - 1 : ymd
  if (/^\d{9,13}$/.test(t)) {
    const n = Number(t)
    return n >= 1e11 ? n : n * 1000
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return null
  const ms = Date.parse(t)
  return Number.isNaN(ms) ? null : ms
}
