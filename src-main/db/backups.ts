// Rolling backups in normal use, so the recovery screen always has something
// to offer: one after each completed sale pull and one at clean shutdown,
// keeping the newest few of each kind. (Backups before a migration are kept
// apart and never pruned here.)
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { Logger } from '../core/ports'
import type { Replica } from './replica'

export const ROLLING_REASONS = ['after-pull', 'shutdown'] as const

/** Take one backup and keep only the newest `keep` of that reason. */
export async function rollingBackup(
  replica: Replica,
  reason: (typeof ROLLING_REASONS)[number],
  now: number,
  keep: number,
  dir = replica.backupDir
): Promise<string> {
  const file = await replica.backup(reason, now, dir)
  const mine = readdirSync(dir)
    .filter((f) => f.endsWith(`-${reason}.db`))
    .sort() // names carry a UTC stamp: text order is time order
  for (const old of mine.slice(0, Math.max(0, mine.length - keep))) rmSync(join(dir, old), { force: true })
  return file
}

export interface BackupSchedule {
  /** The shutdown backup; waits for one in progress first. */
  close(): Promise<void>
}

export function startBackupSchedule(o: {
  replica: Replica
  events: EventBus
  clock: Clock
  log: Logger
  keep?: number
}): BackupSchedule {
  const keep = o.keep ?? 5
  let running: Promise<unknown> = Promise.resolve()
  const take = (reason: (typeof ROLLING_REASONS)[number]) => {
    running = running
      .then(() => rollingBackup(o.replica, reason, o.clock.now(), keep))
      .then(
        (file) => o.log.info('backup written', { file, reason }),
        (err: unknown) => o.log.error('backup failed', { reason, error: String(err) })
      )
    return running
  }
  const unsubscribe = o.events.subscribe((name, payload) => {
    const p = payload as { done?: boolean; phase?: string }
    if (name === 'pull.progress' && p.done && p.phase === 'done') void take('after-pull')
  })
  return {
    async close() {
      unsubscribe()
      await running
      await take('shutdown')
    }
  }
}
