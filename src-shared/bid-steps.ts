// Bid steps ("increments"): from each threshold up, bids go up by that
// increment. A hammer price off the steps is usually a typing slip.

export interface BidStepRange {
  /** Minor units. */
  from: number
  /** Minor units, > 0. */
  increment: number
}

function rangeFor(amount: number, ranges: readonly BidStepRange[]): BidStepRange | null {
  let found: BidStepRange | null = null
  for (const r of ranges) if (r.from <= amount && (!found || r.from >= found.from)) found = r
  return found
}

/** True when the amount is a whole number of increments above its range's start. */
export function isOnBidSteps(amount: number, ranges: readonly BidStepRange[]): boolean {
  const r = rangeFor(amount, ranges)
  if (!r || r.increment <= 0) return true
  return (amount - r.from) % r.increment === 0
}

/** The step just below and just above an amount that is off the steps. */
export function nearestSteps(amount: number, ranges: readonly BidStepRange[]): [number, number] | null {
  const r = rangeFor(amount, ranges)
  if (!r || r.increment <= 0) return null
  const below = r.from + Math.floor((amount - r.from) / r.increment) * r.increment
  return [below, below + r.increment]
}
