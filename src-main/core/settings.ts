import type { ChargeDefault, Settings, StoredSettings } from '../../src-shared/contract'
import { parseDecimalMinor } from '../../src-shared/money'
import { AppError } from '../../src-shared/rpc'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { readKeyed, writeKeyed } from './keyed-values'
import type { Replica } from '../db/replica'

export const DEFAULT_SETTINGS: StoredSettings = {
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
  houseLogoFile: null,
  termsText: '',
  bankDetails: '',
  collectionNotes: '',
  documentFooter: '',
  printConsignmentNumbers: false
}

/** The station's own charge defaults, by term id; kept apart from the list Settings answers. */
const OVERRIDES_KEY = 'chargeDefaultOverrides'

type Overrides = Record<string, { amount: number | null; vatRateBp: number | null }>

function readOverrides(db: Replica): Overrides {
  const text = readKeyed(db, 'settings', OVERRIDES_KEY)
  return text !== null ? (JSON.parse(text) as Overrides) : {}
}

/** "20.00" (Circuit's default_vat, a percentage) → 2000 basis points; null when it is not a rate. */
function percentToBp(v: unknown): number | null {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null
  if (text === null) return null
  const bp = parseDecimalMinor(text, { decimals: 2 })
  return bp !== null && bp >= 0 && bp <= 10_000 ? bp : null
}

/** Circuit's default_amount arrives in minor units (the term decoder parses it as money). */
const amountOf = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null)

/** Every kind of charge Circuit has, with the station's defaults where set, else Circuit's. */
export function chargeDefaults(db: Replica, overrides: Overrides = readOverrides(db)): ChargeDefault[] {
  const terms = db.all(
    db.q
      .selectFrom('reference_terms')
      .select(['id', 'label', 'attrs'])
      .where('vocabulary', '=', 'additional_charges')
      .orderBy('label')
      .orderBy('id')
  )
  return terms.map((t) => {
    const own = overrides[t.id]
    if (own) return { termId: t.id, label: t.label, ...own, source: 'station' }
    const attrs = JSON.parse(t.attrs) as Record<string, unknown>
    const amount = amountOf(attrs.default_amount)
    const vatRateBp = percentToBp(attrs.default_vat)
    const source = amount === null && vatRateBp === null ? 'none' : 'circuit'
    return { termId: t.id, label: t.label, amount, vatRateBp, source }
  })
}

/** The station's stored settings: read on every action (it signs the audit), so nothing more than the table. */
export function readSettings(db: Replica): StoredSettings {
  const rows = db.prepared(ALL_SETTINGS).all({})
  const out: StoredSettings = { ...DEFAULT_SETTINGS }
  for (const { key, value } of rows) {
    if (key in out) (out as unknown as Record<string, unknown>)[key] = JSON.parse(value)
  }
  return out
}

const ALL_SETTINGS = (q: Kysely<Database>) => q.selectFrom('settings').select(['key', 'value'])
const SIGNER_KEYS = (q: Kysely<Database>) =>
  q.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['userName', 'stationName'])

/**
 * Who signs an action: the user's and the station's names, read by their keys
 * (every action reads them; the whole settings object is more than it needs).
 */
export function readSigner(db: Replica): { actor: string; station: string } {
  const signer = { actor: DEFAULT_SETTINGS.userName, station: DEFAULT_SETTINGS.stationName }
  for (const { key, value } of db.prepared(SIGNER_KEYS).all({})) {
    if (key === 'userName') signer.actor = JSON.parse(value) as string
    else signer.station = JSON.parse(value) as string
  }
  return signer
}

/** What the settings calls answer: the stored settings and the charge defaults made from Circuit's terms. */
export function settingsView(db: Replica): Settings {
  return { ...readSettings(db), chargeDefaults: chargeDefaults(db) }
}

/** The demo house's letterhead and paper texts, so the demo's invoices print as a real house's would. */
export const DEMO_HOUSE: Partial<StoredSettings> = {
  houseName: 'Saleroom Demo Auctions',
  houseAddress: '1 Auction Yard\nLewes BN7 1AA\nUnited Kingdom',
  houseVatNumber: 'GB 000 0000 00',
  termsText:
    'Lots are sold subject to the conditions of sale printed in the catalogue. Payment is due within seven days of the sale. Title passes on payment in full.',
  collectionNotes: 'Collect from the saleroom Monday to Friday, 9:00 to 17:00, within 14 days of the sale.',
  bankDetails:
    'Demo Bank plc · Sort code 00-00-00 · Account 00000000\nIBAN GB00 DEMO 0000 0000 0000 00 · Quote your invoice number.',
  documentFooter: 'Saleroom Demo Auctions Ltd · Registered in England no. 00000000 · This is demonstration data.'
}

/**
 * Fills the demo house's details into whatever this station has never set (a key cleared on purpose stays as it
 * is). Runs when the demo simulator starts: the demo is not a user action, so it writes no audit entry.
 */
export function seedDemoHouse(db: Replica, now: number): void {
  db.tx(() => {
    const set = new Set(
      db
        .prepared(ALL_SETTINGS)
        .all({})
        .map((r) => r.key)
    )
    for (const [key, value] of Object.entries(DEMO_HOUSE)) if (!set.has(key)) writeKey(db, key, value, now)
  })
}

/** Must run inside a transaction together with the audit entry. */
export function writeSettings(db: Replica, patch: Partial<StoredSettings>, now: number): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    writeKey(db, key, value, now)
  }
}

function writeKey(db: Replica, key: string, value: unknown, now: number): void {
  writeKeyed(db, 'settings', key, JSON.stringify(value), now)
}

export type ChargeDefaultChange =
  { termId: string; amount: number | null; vatRateBp: number | null } | { termId: string; useCircuit: true }

/**
 * The station's defaults for some kinds of charge (or back to Circuit's).
 * A term Circuit does not have is refused before anything is written. Must
 * run inside a transaction together with the audit entry.
 */
export function writeChargeDefaults(db: Replica, changes: readonly ChargeDefaultChange[], now: number): void {
  const known = new Set(chargeDefaults(db, {}).map((c) => c.termId))
  const unknown = changes.filter((c) => !known.has(c.termId)).map((c) => c.termId)
  if (unknown.length) {
    throw new AppError(
      'invalid_input',
      `Circuit has no kind of charge ${unknown.join(', ')}: open a sale to pull the charges, then set their defaults.`
    )
  }
  const overrides = readOverrides(db)
  for (const c of changes) {
    if ('useCircuit' in c) delete overrides[c.termId]
    else overrides[c.termId] = { amount: c.amount, vatRateBp: c.vatRateBp }
  }
  writeKey(db, OVERRIDES_KEY, overrides, now)
}
