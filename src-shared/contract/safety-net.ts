// The sale-day safety net: copies of the station's database to a second
// folder while a sale is clerked, restoring one (here or on a spare laptop),
// and the audit log exported per sale.
import { z } from 'zod'
import { call, id, noInput } from './define'

export interface BackupCopy {
  /** Full path; the only thing backups.restore accepts, and only from this list. */
  file: string
  /** Where it is: the second folder chosen in Settings, or this station's own backups. */
  place: 'second-folder' | 'this-station'
  /** after-pull, shutdown, clerking, before a migration… */
  kind: string
  /** The station that took it, as its settings named it. */
  station: string | null
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
  'audit.exportCsv': call<{ path: string; rows: number }>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "A sale's audit log as a CSV file, for the house's records; answers where it was saved"
  })
} as const
