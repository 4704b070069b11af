// Shared by the soak, crash and property tests of the outbox.
import type { RunningSimulator } from '../../src-main/circuit-sim'

/** A small seeded generator (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface AppliedChange {
  item: string
  status: string
  via: string
}

/** Every clerking change the simulator applied for a station, per item, in order: the resulting status of each. */
export async function appliedChanges(sim: RunningSimulator): Promise<Map<string, string[]>> {
  const res = await fetch(`${sim.url}/_sim/item-history`)
  const body = (await res.json()) as { data: AppliedChange[] }
  const out = new Map<string, string[]>()
  for (const c of body.data) {
    if (c.via === 'station-edit') continue
    const list = out.get(c.item) ?? []
    list.push(c.status === 'passed' ? 'unsold' : c.status)
    out.set(c.item, list)
  }
  return out
}
