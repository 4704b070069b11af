// Each connector's settings: kept as JSON in `connector_config` (never a key),
// keys in the secret store (the OS keychain under Electron, else a 0600 file),
// and the address and key from the environment (FAIRWARNING_URL,
// FAIRWARNING_API_KEY, BIDLOGIX_URL, BIDLOGIX_CLIENT_ID, BIDLOGIX_API_KEY) or
// the demo winning over what Settings holds — as CIRCUIT_URL does for Circuit.
import type {
  BidlogixKeyTransport,
  BidlogixMoneyUnit,
  BidlogixSettings,
  DimensionUnit,
  FairWarningKeyTransport,
  FairWarningSettings,
  LimitMeaning
} from '../../src-shared/contract'
import type { SecretStore } from '../circuit'
import type { Replica } from '../db/replica'
import { DEFAULT_KEY_TRANSPORT as FW_DEFAULT_TRANSPORT, DEFAULT_LIMIT_MEANING } from './fairwarning/protocol'
import { DEFAULT_KEY_TRANSPORT as BL_DEFAULT_TRANSPORT, DEFAULT_MONEY_UNIT } from './bidlogix/protocol'

/** What the environment (or the demo) says; it wins over Settings and is never written anywhere. */
export interface ConnectorTargets {
  fairwarning?: { url: string; key?: string }
  bidlogix?: { url: string; clientId?: string; key?: string }
}

export function connectorEnv(env: NodeJS.ProcessEnv = process.env): ConnectorTargets {
  const out: ConnectorTargets = {}
  if (env.FAIRWARNING_URL) out.fairwarning = { url: env.FAIRWARNING_URL, key: env.FAIRWARNING_API_KEY || undefined }
  if (env.BIDLOGIX_URL)
    out.bidlogix = {
      url: env.BIDLOGIX_URL,
      clientId: env.BIDLOGIX_CLIENT_ID || undefined,
      key: env.BIDLOGIX_API_KEY || undefined
    }
  return out
}

/** The connectors' side of a host: built with the Circuit side, closed with it. */
export interface ConnectorSide {
  secrets: SecretStore
  /** Where keys are kept, in words, with the reason when it is a file. */
  keyStore: string
  targets: ConnectorTargets
  /** Demo mode: the two demo simulators run in-process; their settings are the defaults. */
  demo: { fairwarning: Partial<StoredFairWarning>; bidlogix: Partial<StoredBidlogix> } | null
  /** The first wait before trying FairWarning or Bidlogix again, doubling each time (default 50 ms; tests shorten it). */
  retryBaseMs?: number
  close(): Promise<void>
}

export interface StoredFairWarning {
  url: string | null
  keyTransport: FairWarningKeyTransport
  limitMeaning: LimitMeaning
  pageSize: number
  dimensionUnit: DimensionUnit
  categories: Record<string, string>
  consignments: Record<string, Record<string, string>>
}

export interface StoredBidlogix {
  url: string | null
  clientId: string | null
  keyTransport: BidlogixKeyTransport
  moneyUnit: BidlogixMoneyUnit
  vendorId: number | null
  categoryId: number | null
  webcastAuctions: string[]
}

export const FAIRWARNING_DEFAULTS: StoredFairWarning = {
  url: null,
  keyTransport: FW_DEFAULT_TRANSPORT,
  limitMeaning: DEFAULT_LIMIT_MEANING,
  pageSize: 100,
  dimensionUnit: 'in',
  categories: {},
  consignments: {}
}

export const BIDLOGIX_DEFAULTS: StoredBidlogix = {
  url: null,
  clientId: null,
  keyTransport: BL_DEFAULT_TRANSPORT,
  moneyUnit: DEFAULT_MONEY_UNIT,
  vendorId: null,
  categoryId: null,
  webcastAuctions: []
}

export const SECRET_KEYS = {
  fairwarning: 'connectors.fairwarning.key',
  bidlogix: 'connectors.bidlogix.key'
} as const

function stored<T>(db: Replica, connector: string): Partial<T> {
  const row = db.first(db.q.selectFrom('connector_config').select('value').where('connector', '=', connector))
  if (!row) return {}
  try {
    const v: unknown = JSON.parse(row.value)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<T>) : {}
  } catch {
    return {}
  }
}

/** Must run inside the action's transaction (with its audit entry). */
export function writeStored(db: Replica, connector: 'fairwarning' | 'bidlogix', value: object, now: number): void {
  const text = JSON.stringify(value)
  db.run(
    db.q
      .insertInto('connector_config')
      .values({ connector, value: text, updated_at: now })
      .onConflict((oc) => oc.column('connector').doUpdateSet({ value: text, updated_at: now }))
  )
}

export function storedFairWarning(db: Replica, side: ConnectorSide | null): StoredFairWarning {
  const s = stored<StoredFairWarning>(db, 'fairwarning')
  return { ...FAIRWARNING_DEFAULTS, ...(side?.demo?.fairwarning ?? {}), ...s }
}

export function storedBidlogix(db: Replica, side: ConnectorSide | null): StoredBidlogix {
  const s = stored<StoredBidlogix>(db, 'bidlogix')
  return { ...BIDLOGIX_DEFAULTS, ...(side?.demo?.bidlogix ?? {}), ...s }
}

/** Settings as the screen sees them: no key, only whether one is kept. */
export async function fairWarningSettings(db: Replica, side: ConnectorSide | null): Promise<FairWarningSettings> {
  const s = storedFairWarning(db, side)
  const env = side?.targets.fairwarning
  return {
    ...s,
    url: env?.url ?? s.url,
    keySet: (env?.key ?? (await side?.secrets.get(SECRET_KEYS.fairwarning)) ?? null) !== null,
    fromEnvironment: env !== undefined
  }
}

export async function bidlogixSettings(db: Replica, side: ConnectorSide | null): Promise<BidlogixSettings> {
  const s = storedBidlogix(db, side)
  const env = side?.targets.bidlogix
  return {
    ...s,
    url: env?.url ?? s.url,
    clientId: env?.clientId ?? s.clientId,
    keySet: (env?.key ?? (await side?.secrets.get(SECRET_KEYS.bidlogix)) ?? null) !== null,
    fromEnvironment: env !== undefined
  }
}

/** The key to send: the environment's, else the secret store's. */
export async function keyFor(
  side: ConnectorSide | null,
  connector: 'fairwarning' | 'bidlogix'
): Promise<string | null> {
  const env = side?.targets[connector]?.key
  if (env) return env
  return (await side?.secrets.get(SECRET_KEYS[connector])) ?? null
}
