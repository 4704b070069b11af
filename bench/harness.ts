// Benchmarks report ratios against a baseline measured in the same run, so
// the figures mean the same on a fast laptop and a slow build machine.

export interface Measured {
  name: string
  opsPerSec: number
  meanMicros: number
}

/**
 * How big a run is. `smoke` runs every bench at a few iterations on small
 * data: it proves the bench still runs (`npm test` does this), and its
 * figures mean nothing.
 */
export interface BenchOptions {
  smoke: boolean
}

export const FULL_RUN: BenchOptions = { smoke: false }

/** The full size, or the smoke size. */
export function size<T>(o: BenchOptions, full: T, smoke: T): T {
  return o.smoke ? smoke : full
}

/** Runs `fn` repeatedly for about `ms` after a warm-up; returns throughput. */
export async function measure(name: string, fn: () => unknown | Promise<unknown>, ms = 800): Promise<Measured> {
  const warmUntil = performance.now() + ms / 4
  while (performance.now() < warmUntil) await fn()
  let n = 0
  const start = performance.now()
  const until = start + ms
  while (performance.now() < until || n === 0) {
    await fn()
    n++
  }
  const elapsed = performance.now() - start
  return { name, opsPerSec: (n / elapsed) * 1000, meanMicros: (elapsed * 1000) / n }
}

/**
 * The subject and its baseline in turns (`rounds` slices of `ms` each), so
 * a machine that is busier in one moment than the next weighs on both alike;
 * each side's figure is its median slice.
 */
export async function measurePair(
  subject: [string, () => unknown | Promise<unknown>],
  baseline: [string, () => unknown | Promise<unknown>],
  o: { ms?: number; rounds?: number } = {}
): Promise<[Measured, Measured]> {
  const ms = o.ms ?? 200
  const rounds = o.rounds ?? 7
  const a: Measured[] = []
  const b: Measured[] = []
  for (let i = 0; i < rounds; i++) {
    b.push(await measure(baseline[0], baseline[1], ms))
    a.push(await measure(subject[0], subject[1], ms))
  }
  const mid = (xs: Measured[]) => [...xs].sort((x, y) => x.meanMicros - y.meanMicros)[xs.length >> 1]
  return [mid(a), mid(b)]
}

export function ratioLine(subject: Measured, baseline: Measured, goal?: number): string {
  const ratio = subject.meanMicros / baseline.meanMicros
  const verdict = goal === undefined ? '' : ` (goal ≤ ${goal}×: ${ratio <= goal ? 'met' : 'not met'})`
  return `${subject.name}: ${subject.meanMicros.toFixed(1)} µs/op vs ${baseline.name} ${baseline.meanMicros.toFixed(1)} µs/op → ${ratio.toFixed(2)}× the baseline${verdict}`
}

/** The p-th percentile of sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
