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

const SIGNER_KEYS = "SELECT key, value FROM settings WHERE key IN ('userName', 'stationName')"

/**
 * Who signs an action: the user's and the station's names, read by their keys
 * (every action reads them; the whole settings object is more than it needs).
 */
export function readSigner(db: Replica): { actor: string; station: string } {
  const signer = { actor: DEFAULT_SETTINGS.userName, station: DEFAULT_SETTINGS.stationName }
  for (const { key, value } of db.sql<{ key: string; value: string }>(SIGNER_KEYS)) {
    if (key === 'userName') signer.actor = JSON.parse(value) as string
    else signer.station = JSON.parse(value) as string
  }
  return signer
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
