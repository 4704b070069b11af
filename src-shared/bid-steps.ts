// Bid steps ("increments"): from each threshold up, bids go up by that
// increment. A hammer price off the steps is usually a typing slip.

export interface BidStepRange {
  /** Minor units. */
  from: number
  /** Minor units, > 0. */
  increment: number
}

/** The range an amount falls in (the one with the highest start at or below it), and the next range's start. */
function rangeFor(amount: number, ranges: readonly BidStepRange[]): { range: BidStepRange; nextFrom: number } | null {
  let found: BidStepRange | null = null
  let nextFrom = Infinity
  for (const r of ranges) {
    if (r.from <= amount) {
      if (!found || r.from >= found.from) found = r
    } else if (r.from < nextFrom) nextFrom = r.from
  }
  return found ? { range: found, nextFrom } : null
}

/** True when the amount is a whole number of increments above its range's start. */
export function isOnBidSteps(amount: number, ranges: readonly BidStepRange[]): boolean {
  const at = rangeFor(amount, ranges)
  if (!at || at.range.increment <= 0) return true
  return (amount - at.range.from) % at.range.increment === 0
}

/**
 * The step just below and just above an amount that is off the steps. The
 * step above never passes the next range's start: with 0–10 by 3 and 10 up
 * by 5, the steps around 9.50 are 9 and 10, not 12.
 */
export function nearestSteps(amount: number, ranges: readonly BidStepRange[]): [number, number] | null {
  const at = rangeFor(amount, ranges)
  if (!at || at.range.increment <= 0) return null
  const { from, increment } = at.range
  const below = from + Math.floor((amount - from) / increment) * increment
  return [below, Math.min(below + increment, at.nextFrom)]
}

/** The amount itself when it is on the steps, else the step just above it. */
export function stepAtOrAbove(amount: number, ranges: readonly BidStepRange[]): number {
  if (isOnBidSteps(amount, ranges)) return amount
  return nearestSteps(amount, ranges)?.[1] ?? amount
}

/**
 * The next bid after an amount: one increment up from the step at or above it,
 * never past the next range's start (with 0–10 by 3 and 10 up by 5, the bid
 * after 9 is 10). Null when the sale has no steps for that amount.
 */
export function nextStep(amount: number, ranges: readonly BidStepRange[]): number | null {
  const on = stepAtOrAbove(amount, ranges)
  const at = rangeFor(on, ranges)
  if (!at || at.range.increment <= 0) return null
  return Math.min(on + at.range.increment, at.nextFrom)
}
