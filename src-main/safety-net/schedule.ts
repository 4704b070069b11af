// When the database is copied: after each completed sale pull and at clean
// shutdown (this station's own backups folder), and — while a sale is being
// worked — every few minutes to the second folder chosen in Settings, another
// disk or a network share, so a dead laptop loses at most those minutes.
// SQLite's online backup copies page by page between other work: the clerk
// never waits for it. A copy that fails says why in the status bar.
import type { StoredSettings } from '../../src-shared/contract'
import type { BackupStatus } from '../../src-shared/events'
import type { Actions } from '../core/action'
import { iso, type Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { Logger } from '../core/ports'
import { rollingBackup } from '../db/backups'
import type { Replica } from '../db/replica'

export interface BackupSchedule {
  status(): BackupStatus
  /** Copy to the second folder now (a button, the end of a session). */
  copyNow(): Promise<string>
  /** Stop the timer; the shutdown backup (and a last copy if anything changed since). */
  close(): Promise<void>
}

/**
 * The file-name kind of a station's copies in the shared folder. Which station
 * took a copy is said by its random id in the name (see `backupName`), never by
 * its name: every install starts as "Station 1", and "Desk 1" and "desk-1" are
 * two stations.
 */
export const COPY_KIND = 'clerking'

export function startBackupSchedule(o: {
  replica: Replica
  events: EventBus
  clock: Clock
  log: Logger
  actions: Actions
  settings: () => StoredSettings
  /** The status bar should look again. */
  onChange: () => void
  /** How often to look whether a copy is due (tests shorten it). */
  tickMs?: number
  keepLocal?: number
}): BackupSchedule {
  const keepLocal = o.keepLocal ?? 5
  let running: Promise<unknown> = Promise.resolve()
  let changedSinceCopy = false
  let lastCopyAt: number | null = null
  const state: BackupStatus = { folder: o.settings().backupFolder, lastAt: null, lastError: null }

  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const next = running.then(job)
    running = next.catch(() => undefined)
    return next
  }

  const local = (reason: 'after-pull' | 'shutdown') =>
    serial(() => rollingBackup(o.replica, reason, o.clock.now(), keepLocal)).then(
      (file) => o.log.info('backup written', { file, reason }),
      (err: unknown) => o.log.error('backup failed', { reason, error: String(err) })
    )

  const copyNow = (): Promise<string> =>
    serial(async () => {
      const s = o.settings()
      state.folder = s.backupFolder
      if (!s.backupFolder) throw new Error('No second folder is chosen for copies: choose one in Settings (F5).')
      const startedAt = o.clock.now()
      changedSinceCopy = false
      try {
        const file = await rollingBackup(o.replica, COPY_KIND, startedAt, s.backupKeep, s.backupFolder)
        lastCopyAt = startedAt
        state.lastAt = iso(startedAt)
        state.lastError = null
        o.log.info('copy written', { file })
        return file
      } catch (err) {
        changedSinceCopy = true // still owed
        const reason = err instanceof Error ? err.message : String(err)
        state.lastError = `Copy to ${s.backupFolder} failed: ${reason}`
        o.log.error('copy failed', { folder: s.backupFolder, error: reason })
        throw new Error(state.lastError, { cause: err })
      } finally {
        o.onChange()
      }
    })

  const due = () => {
    const s = o.settings()
    if (!s.backupFolder || !changedSinceCopy) return false
    return lastCopyAt === null || o.clock.now() - lastCopyAt >= s.backupEveryMinutes * 60_000
  }

  const timer = setInterval(() => {
    if (due()) copyNow().catch(() => undefined) // the status bar says it failed
  }, o.tickMs ?? 15_000)
  timer.unref()

  const unsubscribe = [
    o.events.subscribe((name, payload) => {
      const p = payload as { done?: boolean; phase?: string }
      if (name === 'pull.progress' && p.done && p.phase === 'done') void local('after-pull')
    }),
    // Any committed user action (a hammer, a card, a payment) is work a copy should hold.
    o.actions.onCommit(() => {
      changedSinceCopy = true
    })
  ]

  return {
    status: () => ({ ...state, folder: o.settings().backupFolder }),
    copyNow,
    async close() {
      clearInterval(timer)
      for (const u of unsubscribe) u()
      if (o.settings().backupFolder && changedSinceCopy) await copyNow().catch(() => undefined)
      await running
      await local('shutdown')
    }
  }
}
