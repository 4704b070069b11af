// Circuit back-office API simulator: a real HTTP server over an in-memory,
// seeded store. See README.md in this folder for the endpoint list.

import { currencyFor } from './currency'
import { isLoopbackHost, SimServer, type ResolvedOptions } from './server'
import { DEFAULT_SHAPES, mergeShapes, type Shapes } from './shapes'
import type { SimStore } from './store'

export type { SimStore } from './store'
export type { FaultConfig } from './faults'
export type { Shapes } from './shapes'
export { CURRENCIES, type Currency } from './currency'

export interface SimulatorOptions {
  port?: number // 0 = any free port (default 0)
  host?: string // default '127.0.0.1'; only loopback allowed
  seed?: number // default 1; data is deterministic from the seed
  lots?: number // default 1200 (sale 1), split over 2 sessions
  clients?: number // default 400
  user?: string // default 'demo@saleroom.test'
  password?: string // default 'demo'
  tokenTtlSeconds?: number // default 3600
  now?: () => number // injected clock, epoch ms (default Date.now)
  quiet?: boolean
  /** ISO code of the house currency (default GBP): GBP, EUR, USD, CHF, JPY (0 decimals), KWD, BHD (3). */
  currency?: string
  /** Docs-shaped switches at start (also what /_sim/reset returns to); default all off. */
  shapes?: Partial<Shapes>
}

export interface RunningSimulator {
  url: string
  port: number
  close(): Promise<void>
  /** the live store (replaced by /_sim/reset, so read it through this property) */
  store: SimStore
}

export const DEFAULT_USER = 'demo@saleroom.test'
export const DEFAULT_PASSWORD = 'demo'

function resolve(opts: SimulatorOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    seed: opts.seed ?? 1,
    lots: opts.lots ?? 1200,
    clients: opts.clients ?? 400,
    user: opts.user ?? DEFAULT_USER,
    password: opts.password ?? DEFAULT_PASSWORD,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
    now: opts.now ?? Date.now,
    quiet: opts.quiet ?? false,
    currency: currencyFor(opts.currency ?? 'GBP'),
    shapes: mergeShapes(DEFAULT_SHAPES, (opts.shapes ?? {}) as Parameters<typeof mergeShapes>[1])
  }
  if (!isLoopbackHost(r.host))
    throw new Error(`Circuit simulator only binds to loopback (127.0.0.1, ::1, localhost), not "${r.host}".`)
  const ints: [string, number, number][] = [
    ['port', r.port, 0],
    ['seed', r.seed, -2147483648],
    ['lots', r.lots, 2],
    ['clients', r.clients, 10],
    ['tokenTtlSeconds', r.tokenTtlSeconds, 1]
  ]
  for (const [name, value, min] of ints) {
    if (!Number.isSafeInteger(value) || value < min)
      throw new Error(`SimulatorOptions.${name} must be an integer >= ${min}.`)
  }
  if (r.port > 65535) throw new Error('SimulatorOptions.port must be <= 65535.')
  return r
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const resolved = resolve(opts)
  const server = new SimServer(resolved)
  const port = await server.listen()
  const hostPart = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host
  const url = `http://${hostPart}:${port}`
  return {
    url,
    port,
    close: () => server.close(),
    get store() {
      return server.store
    }
  }
}
