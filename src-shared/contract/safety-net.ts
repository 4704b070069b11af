// The sale-day safety net: copies of the station's database to a second
// folder while a sale is clerked, restoring one (here or on a spare laptop),
// and the audit log exported per sale.
import { z } from 'zod'
import type { LostEntry } from '../events'
import { call, id, noInput } from './define'

export interface BackupCopy {
  /** Full path; the only thing backups.restore accepts, and only from this list. */
  file: string
  /** Where it is: the second folder chosen in Settings, or this station's own backups. */
  place: 'second-folder' | 'this-station'
  /** after-pull, shutdown, clerking, before a migration… */
  kind: string
  /** The station that took it, as its settings named it (read from the copy). */
  station: string | null
  /** The random id of the station that took it (from its name), or null for a copy named the old way. */
  stationId: string | null
  /** UTC, with milliseconds. */
  takenAt: string | null
  bytes: number
  /** Changes in it that had not been acknowledged by Circuit when it was taken. */
  unsent: number | null
  sales: string[]
  /** Why it cannot be restored (damaged, from a newer Saleroom), or null. */
  problem: string | null
}

export interface BackupList {
  folder: string | null
  copies: BackupCopy[]
}

export interface RestoreResult {
  restoredFrom: string
  /** The database it replaced, kept beside it under this name. */
  previousCopy: string | null
  /** Changes in the copy not yet acknowledged by Circuit: each is read back before it is sent. */
  unsent: number
  /**
   * Sending is held: nothing is sent until the user confirms the station the
   * copy came from is switched off (`backups.releaseHold`), or a read-back
   * shows each of these entries settled.
   */
  held: boolean
}

/** Why the recovery screen is shown instead of the station. */
export type RecoveryKind =
  /** The database file fails SQLite's check. */
  | 'damaged'
  /** Written by a newer Saleroom. */
  | 'too-new'
  /** No database, in a data folder that was used before. */
  | 'missing'
  /** A 0-byte database, in a data folder that was used before. */
  | 'empty'
  /** The last session died and its -wal file (its latest commits) is gone. */
  | 'wal-lost'

/** What app.info says when the station cannot open its database. */
export interface RecoveryInfo {
  kind: RecoveryKind
  message: string
  /** The newest copy that can be restored (second folder or this station's backups), or null. */
  latestBackup: string | null
  /** Every copy on offer, newest first (those with a `problem` cannot be restored). */
  copies: BackupCopy[]
  /** Changes this station had made that the database no longer holds (a lost WAL). */
  lostEntries: LostEntry[]
}

/** An absolute path on this machine (a second disk, a mounted network share). */
const folderPath = z
  .string()
  .trim()
  .min(1)
  .max(400)
  .regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters.')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    message: 'Give the full path of the folder (for example /mnt/backup or D:\\Saleroom).'
  })

export const safetyNetCalls = {
  'backups.list': call<BackupList>()(noInput, {
    mutates: false,
    summary: 'Copies that can be restored: the second folder and this station’s own backups, newest first'
  }),
  'backups.configure': call<BackupList>()(
    z
      .object({
        folder: folderPath.nullable(),
        everyMinutes: z.number().int().min(1).max(60).optional(),
        keep: z.number().int().min(2).max(100).optional()
      })
      .strict(),
    {
      mutates: true,
      summary: 'The second folder for copies while clerking (checked by writing to it), how often, how many kept'
    }
  ),
  'backups.now': call<BackupCopy>()(noInput, {
    mutates: true,
    queued: false,
    summary: 'Copy the database to the second folder now'
  }),
  'backups.restore': call<RestoreResult>()(z.object({ file: z.string().min(1).max(1000) }).strict(), {
    mutates: true,
    queued: false,
    summary:
      'Replace this station’s database with a listed copy (the current one is kept beside it); unsent changes in the copy are read back from Circuit before any is sent'
  }),
  'backups.releaseHold': call<{ released: boolean; entries: number }>()(
    z.object({ confirmOriginalOff: z.literal(true) }).strict(),
    {
      mutates: true,
      summary:
        'After a restore: the user confirms the station the copy came from is switched off, and sending starts (audited)'
    }
  ),
  'backups.skipRestore': call<{ kept: string | null }>()(z.object({ confirm: z.literal(true) }).strict(), {
    mutates: true,
    queued: false,
    summary:
      'On the recovery screen: go on without a copy — with the database as it is (a lost WAL) or an empty one (a missing, empty or damaged file, kept renamed)'
  }),
  'backups.dismissLost': call<{ dismissed: number }>()(z.object({ confirm: z.literal(true) }).strict(), {
    mutates: true,
    summary: 'Clear the list of changes found lost at start (once they have been entered again) (audited)'
  }),
  'audit.exportCsv': call<{ path: string; rows: number }>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "A sale's audit log as a CSV file, for the house's records; answers where it was saved"
  })
} as const
