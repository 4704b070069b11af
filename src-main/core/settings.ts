import type { Settings } from '../../src-shared/contract'
import type { Replica } from '../db/replica'

export const DEFAULT_SETTINGS: Settings = {
  stationName: 'Station 1',
  userName: 'Clerk',
  circuitUrl: null,
  circuitEmail: null,
  currencySymbol: '£',
  currencyCode: 'GBP',
  backupFolder: null,
  backupEveryMinutes: 3,
  backupKeep: 10,
  houseName: 'Saleroom Auctions',
  houseAddress: '',
  houseVatNumber: null,
  houseLogoFile: null
}

export function readSettings(db: Replica): Settings {
  const rows = db.sql<{ key: string; value: string }>('SELECT key, value FROM settings')
  const out: Settings = { ...DEFAULT_SETTINGS }
  for (const { key, value } of rows) {
    if (key in out) (out as unknown as Record<string, unknown>)[key] = JSON.parse(value)
  }
  return out
}

/** Must run inside a transaction together with the audit entry. */
export function writeSettings(db: Replica, patch: Partial<Settings>, now: number): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    db.run(
      db.q
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
    )
  }
}
