// Events the core pushes to every window. Kept free of zod so the sandboxed
// preload can import the names without bundling a validator.

export type ConnectionState = 'not-configured' | 'connecting' | 'online' | 'offline' | 'auth-required'

export interface StatusSnapshot {
  connection: ConnectionState
  /** A demo Circuit simulator runs in-process: not a real server. */
  demo: boolean
  serverUrl: string | null
  pending: number
  needsAttention: number
  lastSyncAt: string | null
  lastError: string | null
}

export interface PullProgress {
  saleId: string
  /** The sale's name once its record has arrived. */
  label: string | null
  phase: 'sale' | 'sessions' | 'clients' | 'bidders' | 'items' | 'phone-cards' | 'reference' | 'done' | 'failed'
  fetched: number
  total: number | null
  done: boolean
  error: string | null
}

export interface Events {
  status: StatusSnapshot
  'pull.progress': PullProgress
  'data.changed': { tables: string[] }
}

export type EventName = keyof Events

export const EVENT_NAMES = ['status', 'pull.progress', 'data.changed'] as const satisfies readonly EventName[]

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name)
}

/** What the preload exposes as `window.saleroom` and what the web client implements. */
export interface SaleroomBridge {
  invoke(name: string, input: unknown): Promise<unknown>
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void
}
