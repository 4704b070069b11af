/** Time comes from here, never from Date.now() in the core, so tests are deterministic. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A test clock: starts at `start`, moves only when told (or by `step` per read). */
export function manualClock(start = Date.UTC(2026, 10, 23, 9, 0, 0), step = 0) {
  let t = start
  return {
    now: () => {
      const v = t
      t += step
      return v
    },
    advance: (ms: number) => {
      t += ms
    },
    set: (ms: number) => {
      t = ms
    }
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
