// The safety net's calls: the second folder, copies, restoring one, the audit export.
import { removeKeyed } from '../core/keyed-values'
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BackupList, RestoreResult } from '../../src-shared/contract'
import type { safetyNetCalls } from '../../src-shared/contract/safety-net'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import { clearHold, readHold } from '../core/hold'
import { readSettings, writeSettings } from '../core/settings'
import { LOST_ENTRIES_KEY, readLostEntries } from '../core/status'
import { isDiskFull } from '../db/disk-full'
import type { Replica } from '../db/replica'
import { exportAudit } from './audit-export'
import { describeCopy, listCopies } from './copies'
import { readStationFile, writeStationFile } from './data-folder'
import type { BackupSchedule } from './schedule'

export interface SafetyNetDeps {
  db: Replica
  actions: Actions
  clock: Clock
  dataDir: string
  schedule: BackupSchedule
  /** Close the station's database, put the copy in its place, open it again (the boot does this). */
  restore: ((file: string) => Promise<RestoreResult>) | null
}

/**
 * The folder must exist and take a file: found out now, not at the first copy
 * in the middle of a sale. It is never created here — a missing folder is
 * usually a share that is not mounted, and copies must not land on this disk
 * instead.
 */
function checkWritable(folder: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError(
      'invalid_input',
      `There is no folder ${folder}. Plug in the disk or connect the share first (or create the folder), then choose it again.`
    )
  }
  try {
    const probe = join(folder, `.saleroom-write-check-${process.pid}`)
    writeFileSync(probe, 'ok')
    rmSync(probe)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    throw new AppError(
      'invalid_input',
      `Saleroom cannot write to ${folder}${code ? ` (${code})` : ''}. Choose a folder this station can write to.`
    )
  }
}

export function safetyNetHandlers(deps: SafetyNetDeps): HandlersFor<typeof safetyNetCalls> {
  const { db, actions } = deps
  const list = (): BackupList => {
    const folder = readSettings(db).backupFolder
    return { folder, copies: listCopies(folder, db.backupDir) }
  }
  return {
    'backups.list': list,
    'backups.configure': ({ folder, everyMinutes, keep }) => {
      if (folder !== null) {
        const inside = resolve(folder).startsWith(resolve(deps.dataDir))
        if (inside) {
          throw new AppError(
            'invalid_input',
            "That folder is inside this station's own data folder: choose another disk or a network share, so a copy outlives this disk."
          )
        }
        checkWritable(folder)
      }
      actions.run((tx) => {
        const before = readSettings(db)
        const patch = {
          backupFolder: folder,
          ...(everyMinutes !== undefined ? { backupEveryMinutes: everyMinutes } : {}),
          ...(keep !== undefined ? { backupKeep: keep } : {})
        }
        writeSettings(db, patch, tx.now)
        tx.audit({
          action: 'backups.configure',
          entityType: 'settings',
          before: {
            backupFolder: before.backupFolder,
            backupEveryMinutes: before.backupEveryMinutes,
            backupKeep: before.backupKeep
          },
          after: patch
        })
        tx.changed('settings', null)
      })
      // Kept outside the database too: if it is ever lost, the recovery screen still finds the copies.
      const station = readStationFile(deps.dataDir)
      if (station) writeStationFile(deps.dataDir, { ...station, backupFolder: folder })
      return list()
    },
    'backups.now': async () => {
      try {
        return describeCopy(await deps.schedule.copyNow(), 'second-folder')
      } catch (err) {
        if (err instanceof AppError) throw err
        const message = err instanceof Error ? err.message : String(err)
        throw new AppError(isDiskFull(err) ? 'disk_full' : 'conflict', message)
      }
    },
    'backups.restore': async ({ file }) => {
      const copy = list().copies.find((c) => c.file === file)
      if (!copy) throw new AppError('not_found', 'Choose a copy from the list: only those can be restored.')
      if (copy.problem) throw new AppError('conflict', `That copy cannot be restored: it is ${copy.problem}.`)
      if (!deps.restore) throw new AppError('conflict', 'This station cannot restore while it runs this way.')
      return deps.restore(copy.file)
    },
    'backups.releaseHold': () => {
      const hold = readHold(db)
      if (!hold) return { released: false, entries: 0 }
      actions.run((tx) => {
        clearHold(db)
        tx.audit({
          action: 'backups.releaseHold',
          entityType: 'settings',
          before: { sendingHold: hold },
          after: { sendingHold: null, confirmedOriginalOff: true }
        })
        tx.changed('settings', null)
      })
      return { released: true, entries: hold.entries.length }
    },
    'backups.skipRestore': () => {
      throw new AppError('conflict', 'This station opened its database: there is nothing to recover.')
    },
    'backups.dismissLost': () => {
      const lost = readLostEntries(db)
      if (lost.length === 0) return { dismissed: 0 }
      actions.run((tx) => {
        removeKeyed(db, 'settings', LOST_ENTRIES_KEY)
        tx.audit({ action: 'backups.dismissLost', entityType: 'settings', before: { lostEntries: lost }, after: null })
        tx.changed('settings', null)
      })
      return { dismissed: lost.length }
    },
    'audit.exportCsv': ({ saleId }) => exportAudit(db, saleId, join(deps.dataDir, 'exports'), deps.clock.now())
  }
}
