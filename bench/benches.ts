// Every benchmark, by name, in the order `npm run bench` runs them. The
// bench smoke tests (test/bench/smoke.test.ts, and the keystroke one with
// the end-to-end tests) run each of them small.
import type { BenchOptions } from './harness'
import { replicaBench } from './replica.bench'
import { circuitBench } from './circuit.bench'
import { writePathBench } from './write-path.bench'
import { keystrokeBench } from './keystroke.bench'
import { printingBench } from './printing.bench'
import { checkoutBench } from './checkout.bench'
import { startupBench } from './startup.bench'
import { venueBench } from './venue.bench'

export type Bench = (lines: string[], o: BenchOptions) => Promise<void>

export const BENCHES: Record<string, Bench> = {
  replica: replicaBench,
  circuit: circuitBench,
  'write-path': writePathBench,
  keystroke: keystrokeBench,
  printing: printingBench,
  checkout: checkoutBench,
  startup: startupBench,
  venue: venueBench
}

/**
 * Runs the named benches (all when none is named, less `except`); answers
 * their lines. `ran` hears each bench's name and how many figures it gave.
 */
export async function runBenches(
  o: BenchOptions,
  sel: { only?: string[]; except?: string[] } = {},
  ran: (name: string, figures: number) => void = () => {}
): Promise<string[]> {
  const named = [...(sel.only ?? []), ...(sel.except ?? [])]
  const unknown = named.filter((name) => !(name in BENCHES))
  if (unknown.length)
    throw new Error(`No bench named ${unknown.join(', ')}; there are ${Object.keys(BENCHES).join(', ')}`)
  const lines: string[] = []
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (sel.only?.length && !sel.only.includes(name)) continue
    if (sel.except?.includes(name)) continue
    const before = lines.length
    await bench(lines, o)
    ran(name, lines.length - before)
  }
  return lines
}
