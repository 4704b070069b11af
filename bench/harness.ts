// Benchmarks report ratios against a baseline measured in the same run, so
// the figures mean the same on a fast laptop and a slow build machine.

export interface Measured {
  name: string
  opsPerSec: number
  meanMicros: number
}

/** Runs `fn` repeatedly for about `ms` after a warm-up; returns throughput. */
export async function measure(name: string, fn: () => unknown | Promise<unknown>, ms = 800): Promise<Measured> {
  const warmUntil = performance.now() + ms / 4
  while (performance.now() < warmUntil) await fn()
  let n = 0
  const start = performance.now()
  const until = start + ms
  while (performance.now() < until) {
    await fn()
    n++
  }
  const elapsed = performance.now() - start
  return { name, opsPerSec: (n / elapsed) * 1000, meanMicros: (elapsed * 1000) / n }
}

export function ratioLine(subject: Measured, baseline: Measured): string {
  const ratio = subject.meanMicros / baseline.meanMicros
  return `${subject.name}: ${subject.meanMicros.toFixed(1)} µs/op vs ${baseline.name} ${baseline.meanMicros.toFixed(1)} µs/op → ${ratio.toFixed(2)}× the baseline`
}
