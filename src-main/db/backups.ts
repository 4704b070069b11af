// Rolling backups: one kind per reason (after a pull, at shutdown, the
// clerking copies to a second folder), each keeping its newest few. A copy is
// written under a temporary name and renamed when whole, so a process killed
// midway leaves only a `.partial` file, which the next backup of that kind
// removes. (Backups before a migration are kept apart and never pruned here.)
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Replica } from './replica'

export const ROLLING_REASONS = ['after-pull', 'shutdown'] as const

/** Take one backup and keep only the newest `keep` of that reason. */
export async function rollingBackup(
  replica: Replica,
  reason: string,
  now: number,
  keep: number,
  dir = replica.backupDir,
  o: { progress?: (done: number, total: number) => void } = {}
): Promise<string> {
  const suffix = `-${reason}.db`
  removeLeftovers(dir, suffix)
  const file = await replica.backup(reason, now, dir, o)
  const mine = readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort() // names carry a UTC stamp: text order is time order
  for (const old of mine.slice(0, Math.max(0, mine.length - keep))) rmSync(join(dir, old), { force: true })
  return file
}

/** Half-written copies of this kind that a killed process left behind. */
function removeLeftovers(dir: string, suffix: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return // the folder does not exist yet
  }
  for (const f of names) if (f.endsWith(`${suffix}.partial`)) rmSync(join(dir, f), { force: true })
}
