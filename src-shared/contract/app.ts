// The app itself: version, health, status, the audit log.
import { z } from 'zod'
import type { StatusSnapshot } from '../events'
import { call, noInput } from './define'
import type { MoneyCurrency } from '../money'
import type { RecoveryInfo } from './safety-net'

/**
 * The currency amounts are shown in, on screen and on paper: Circuit's own
 * (from /me, kept by the last pull), else the house's setting. `decimals` is
 * the currency's number of decimals (minor units per major unit is 10^decimals).
 */
export type AppCurrency = MoneyCurrency

export interface AppInfo {
  name: string
  version: string
  host: 'electron' | 'web'
  dataDir: string
  schemaVersion: number
  station: string
  /** No Circuit server saved and no sale pulled yet: the app opens on the log-in form. */
  firstRun: boolean
  /**
   * Set when the station cannot open its database (damaged, missing or empty
   * in a folder used before, its WAL lost); the app then shows the recovery screen.
   */
  damaged: RecoveryInfo | null
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  station: string
  action: string
  entityType: string | null
  entityId: string | null
  before: unknown
  after: unknown
  /** What happened, in words, money formatted: "Lot 15 sold to 204 (L. Marchetti) for £1,200.00". */
  text: string
}

export const appCalls = {
  'app.info': call<AppInfo>()(noInput, { mutates: false, summary: 'Version, host, data folder, replica health' }),
  'app.status': call<StatusSnapshot>()(noInput, {
    mutates: false,
    summary: 'Connection state, outbox counts (pending, needs attention, conflicts), last sync'
  }),
  'app.currency': call<AppCurrency>()(noInput, {
    mutates: false,
    summary: "The currency amounts are shown in: Circuit's code, decimals and symbol (else the house's setting)"
  }),
  'app.restoreLatestBackup': call<{ restoredFrom: string; damagedCopy: string | null }>()(noInput, {
    mutates: true,
    summary:
      'On the recovery screen: put the newest copy in place of the database (the file it replaces, if any, is kept)'
  }),
  'audit.list': call<AuditEntry[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        beforeId: z.number().int().positive().optional()
      })
      .strict(),
    { mutates: false, summary: 'Latest user actions, newest first, each with what happened in words (text)' }
  )
} as const
