// The one contract between the renderer and the core. Every call the renderer
// can make is listed here with its input schema and result type; the preload,
// the ipcMain registration, the web host and the renderer's client are all
// derived from this table.
import { z } from 'zod'
import type { StatusSnapshot } from './events'

export * from './events'

interface CallSpec<S extends z.ZodType, R> {
  input: S
  /** Mutating calls run one at a time through the core's write queue. */
  mutates: boolean
  summary: string
  /** Phantom: the result type, never set at run time. */
  result?: R
}

function call<R>() {
  return <S extends z.ZodType>(input: S, opts: { mutates: boolean; summary: string }): CallSpec<S, R> => ({
    input,
    ...opts
  })
}

const noInput = z.object({}).strict()
const id = z.string().trim().min(1).max(64)
const searchText = z.string().max(200)

// ---- result shapes ---------------------------------------------------------

export interface AppInfo {
  name: string
  version: string
  host: 'electron' | 'web'
  dataDir: string
  schemaVersion: number
  station: string
  /** No Circuit server saved and no sale pulled yet: the app opens on the log-in form. */
  firstRun: boolean
  /** Set when the replica file is damaged; the app then shows the recovery screen. */
  damaged: { message: string; latestBackup: string | null } | null
}

export interface Settings {
  stationName: string
  userName: string
  circuitUrl: string | null
  circuitEmail: string | null
  currencySymbol: string
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
}

export interface OutboxEntry {
  seq: number
  opId: string
  entityType: string
  entityId: string
  op: string
  state: string
  attempts: number
  lastError: string | null
  createdAt: string
}

export interface SaleSummary {
  id: string
  label: string
  saleNumber: string | null
  saleDate: string | null
  status: string
  itemCount: number | null
  /** Pulled into the replica; null when it has never been opened here. */
  pulledAt: string | null
  complete: boolean
}

export interface LotRow {
  id: string
  saleId: string
  saleLabel: string
  lot: string
  title: string
  status: string
  estimateLow: number | null
  estimateHigh: number | null
  hammer: number | null
  winnerPaddle: string | null
  winnerName: string | null
  location: string | null
}

export interface BuyerRow {
  clientId: string
  name: string
  company: string | null
  customerNumber: string | null
  paddles: { saleId: string; paddle: string; type: string }[]
  email: string | null
  phone: string | null
}

export interface PullJob {
  saleId: string
  started: boolean
}

// ---- the calls -------------------------------------------------------------

export const calls = {
  'app.info': call<AppInfo>()(noInput, { mutates: false, summary: 'Version, host, data folder, replica health' }),
  'app.status': call<StatusSnapshot>()(noInput, {
    mutates: false,
    summary: 'Connection state, waiting outbox count, last sync'
  }),
  'app.restoreLatestBackup': call<{ restoredFrom: string; damagedCopy: string }>()(noInput, {
    mutates: true,
    summary: 'Replace a damaged replica with its latest backup (the damaged file is kept)'
  }),
  'settings.get': call<Settings>()(noInput, { mutates: false, summary: 'Station settings' }),
  'settings.update': call<Settings>()(
    z
      .object({
        stationName: z.string().trim().min(1).max(60),
        userName: z.string().trim().min(1).max(60)
      })
      .partial()
      .strict(),
    { mutates: true, summary: 'Change station name or user name' }
  ),
  'audit.list': call<AuditEntry[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        beforeId: z.number().int().positive().optional()
      })
      .strict(),
    { mutates: false, summary: 'Latest user actions, newest first' }
  ),
  'outbox.list': call<OutboxEntry[]>()(z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(), {
    mutates: false,
    summary: 'Changes waiting for Circuit, oldest first'
  }),
  'circuit.connect': call<Settings>()(
    z
      .object({
        url: z.string().trim().url().max(300),
        email: z.string().trim().min(1).max(200),
        password: z.string().min(1).max(200)
      })
      .strict(),
    { mutates: true, summary: 'Log in to a Circuit server (the password is not stored)' }
  ),
  'circuit.disconnect': call<Settings>()(noInput, {
    mutates: true,
    summary: 'Forget the Circuit server and token; go back to demo mode'
  }),
  'sales.list': call<SaleSummary[]>()(noInput, {
    mutates: false,
    summary: "Circuit's sales (from the server when reachable) with what the replica holds"
  }),
  'sale.open': call<PullJob>()(z.object({ saleId: id }).strict(), {
    mutates: true,
    summary: 'Pull a sale whole into the replica; progress comes as pull.progress events'
  }),
  'lookup.lots': call<LotRow[]>()(
    z.object({ q: searchText, saleId: id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    { mutates: false, summary: 'Find lots by number or words in the title' }
  ),
  'lookup.buyers': call<BuyerRow[]>()(
    z.object({ q: searchText, saleId: id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    { mutates: false, summary: 'Find buyers by paddle, name or customer number' }
  ),
  'buyer.lots': call<LotRow[]>()(z.object({ clientId: id, saleId: id.optional() }).strict(), {
    mutates: false,
    summary: "A buyer's lots"
  })
} as const

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>
export type CallResult<K extends CallName> = NonNullable<Calls[K]['result']>

export const CALL_NAMES = Object.keys(calls) as CallName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}
