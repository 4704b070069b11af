// Events the core pushes to every window. Kept free of zod so the sandboxed
// preload can import the names without bundling a validator.

export type ConnectionState = 'not-configured' | 'connecting' | 'online' | 'offline' | 'auth-required'

export interface StatusSnapshot {
  /**
   * Grows with every snapshot the core publishes. A window keeps the highest
   * it has seen, so a snapshot read over a call can never overwrite a newer
   * one that arrived on the event stream first.
   */
  seq: number
  connection: ConnectionState
  /** A demo Circuit simulator runs in-process: not a real server. */
  demo: boolean
  serverUrl: string | null
  /** Outbox entries not yet acknowledged by Circuit (waiting, in flight, outcome unknown). */
  pending: number
  needsAttention: number
  conflicts: number
  /** When the oldest pending entry was made (ISO), or null. */
  oldestPendingAt: string | null
  /** The last time anything reached or came from Circuit (ISO). */
  lastSyncAt: string | null
  lastError: string | null
  /** The sender is paused (rate limit, log-in needed, a write Circuit recorded differently). */
  paused: { reason: string; until: string | null } | null
  /** Copies to the second folder while clerking: the last one, or why it failed. */
  backup: BackupStatus
  /**
   * The disk is full where a write or copy just failed (the data folder, the
   * second folder): where to free space. Cleared by the next write (or copy
   * there) that succeeds.
   */
  diskFull: { where: string; message: string } | null
  /** A restored copy: nothing is sent until the user confirms the original station is off. */
  sendingHeld: { since: string; entries: number; message: string } | null
  /** Changes made on this station that its database no longer holds (a WAL that lost its tail). */
  lostEntries: LostEntry[]
  /**
   * Where this station's changes go: to Circuit directly, or through the venue
   * hub (its name, and whether Circuit answers the hub); and the hub this
   * station hosts, if it does.
   */
  via: { kind: 'direct' } | { kind: 'hub'; hub: string; circuit: 'online' | 'offline' | 'unknown' }
}

/** An outbox entry this station committed that could not be found at start. */
export interface LostEntry {
  seq: number
  opId: string
  /** What it was, in words (the Sync screen's label). */
  label: string
}

export interface BackupStatus {
  folder: string | null
  lastAt: string | null
  lastError: string | null
}

export interface PullProgress {
  saleId: string
  /** The sale's name once its record has arrived. */
  label: string | null
  phase:
    | 'sale'
    | 'sessions'
    | 'clients'
    | 'bidders'
    | 'items'
    | 'phone-cards'
    | 'orders'
    | 'transactions'
    | 'consignments'
    | 'statements'
    | 'reference'
    | 'done'
    | 'failed'
  fetched: number
  total: number | null
  done: boolean
  error: string | null
}

/** An import (FairWarning → Circuit) or a publish (Circuit → Bidlogix) as it goes. */
export interface ConnectorProgress {
  jobId: string
  connector: 'fairwarning' | 'bidlogix'
  saleId: string
  /** queueing: lots written to the outbox; sending: Circuit (or Bidlogix) taking them; then the end. */
  phase: 'queueing' | 'sending' | 'done' | 'cancelled' | 'failed'
  done: number
  total: number
  /** What the run did so far (import: lots queued or on Circuit; publish: lots in Bidlogix). */
  counts: { created: number; updated: number; unchanged: number; refused: number }
  /** A sentence for the screen ("40 lots created on Circuit", "make them live in Bidlogix"). */
  message: string | null
  /** Lot numbers another system holds that we did not make (Bidlogix duplicates), or that need attention. */
  problems: { lot: string; reason: string }[]
}

/** Which records changed, so screens refresh what changed rather than everything. */
export interface DataChanged {
  entity:
    | 'item'
    | 'client'
    | 'sale'
    | 'bidder'
    | 'phone_card'
    | 'order'
    | 'transaction'
    | 'outbox'
    | 'settings'
    | 'imported_item'
    | 'collection'
    | 'shipment'
    | 'shipping_box'
  /** The changed ids; null when too many to list (a pull): re-read the whole view. */
  ids: string[] | null
  saleId?: string
}

export interface Events {
  status: StatusSnapshot
  'pull.progress': PullProgress
  'data.changed': DataChanged
  'connectors.progress': ConnectorProgress
}

export type EventName = keyof Events

export const EVENT_NAMES = [
  'status',
  'pull.progress',
  'data.changed',
  'connectors.progress'
] as const satisfies readonly EventName[]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name)
}

/** What the preload exposes as `window.saleroom` and what the web client implements. */
/** Per call: one idempotency key per user action (a repeat answers the first result). */
export interface CallOptions {
  idempotencyKey?: string
}

export interface SaleroomBridge {
  invoke(name: string, input: unknown, opts?: CallOptions): Promise<unknown>
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void
}
