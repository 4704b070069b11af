// The podium's pace: lots an hour over the clerk's recent results, and the
// time the session's lots left would take at that pace. A pause (lunch, a
// break between sessions) is not pace: only the run of results since the last
// gap longer than BREAK_MS counts.

/** Results further apart than this are a break, not the pace of the sale. */
export const BREAK_MS = 15 * 60_000
/** The pace is read over at most this many recent results. */
export const PACE_WINDOW = 30
/** Fewer results than this say nothing yet. */
export const PACE_MIN_RESULTS = 3

export interface Pace {
  /** Lots clerked an hour, whole. */
  perHour: number
  /** How long the lots left take at that pace, ms; null when none are left. */
  leftMs: number | null
}

/** `times`: when each result was recorded (ms since the epoch), in any order. */
export function pace(times: readonly number[], left: number, now: number): Pace | null {
  const sorted = [...times].sort((a, b) => a - b)
  if (sorted.length === 0 || now - sorted[sorted.length - 1] > BREAK_MS) return null
  let start = sorted.length - 1
  while (start > 0 && sorted.length - start < PACE_WINDOW && sorted[start] - sorted[start - 1] <= BREAK_MS) start--
  const run = sorted.slice(start)
  if (run.length < PACE_MIN_RESULTS) return null
  const span = run[run.length - 1] - run[0]
  if (span <= 0) return null
  const perMs = (run.length - 1) / span
  return { perHour: Math.round(perMs * 3_600_000), leftMs: left > 0 ? Math.round(left / perMs) : null }
}

/** "2 h 05 min", "14 min", "under a minute". */
export function duration(ms: number): string {
  if (ms < 60_000) return 'under a minute'
  const mins = Math.round(ms / 60_000)
  if (mins < 60) return `${mins} min`
  return `${Math.floor(mins / 60)} h ${String(mins % 60).padStart(2, '0')} min`
}
