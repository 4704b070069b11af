// Stations at a venue for tests: a hub (a real core hosting the venue on
// loopback over TLS) and stations joined to it with its pairing code, each a
// real core with its own SQLite file, against one simulator over HTTP.
import { bootCore, type Core } from '../../src-main/app/boot'
import { circuitSide } from '../../src-main/app/host-setup'
import { createMemorySecretStore } from '../../src-main/circuit'
import { systemClock } from '../../src-main/core/clock'
import { sequentialIds } from '../../src-main/core/ids'
import { silentLogger } from '../../src-main/core/ports'
import type { VenueStatus } from '../../src-shared/contract'
import type { PullProgress } from '../../src-shared/events'
import type { RpcResult } from '../../src-shared/rpc'

export const EMAIL = 'demo@saleroom.test'
export const PASSWORD = 'demo'

export interface VenueStation {
  name: string
  core: Core
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  send(name: string, input?: unknown): Promise<RpcResult<unknown>>
  pull(saleId: string): Promise<void>
  /** Drain the outbox until nothing sendable waits. */
  settle(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

async function station(name: string, core: Core): Promise<VenueStation> {
  const r = await core.dispatch('settings.update', { stationName: name })
  if (!r.ok) throw new Error(r.error.message)
  const send = (n: string, input: unknown = {}) => core.dispatch(n, input)
  const call = async <T>(n: string, input: unknown = {}): Promise<T> => {
    const res = await send(n, input)
    if (!res.ok) throw new Error(`${name} ${n}: ${res.error.code} ${res.error.message}`)
    return res.data as T
  }
  return {
    name,
    core,
    call,
    send,
    async pull(saleId) {
      const done = new Promise<void>((ok, fail) => {
        const off = core.events.subscribe((ev, payload) => {
          const p = payload as PullProgress
          if (ev !== 'pull.progress' || p.saleId !== saleId || !p.done) return
          off()
          if (p.phase === 'done') ok()
          else fail(new Error(`${name}: pull failed: ${p.error}`))
        })
      })
      const r = await call<{ started: boolean }>('sale.open', { saleId })
      if (r.started) await done
    },
    async settle(timeoutMs = 20_000) {
      const pusher = core.pusher()!
      const until = Date.now() + timeoutMs
      for (;;) {
        await pusher.drain()
        const sendable = core
          .replica()!
          .raw.prepare(
            `SELECT count(*) AS n FROM outbox o WHERE o.state IN ('pending', 'unknown', 'in_flight')
               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_type = o.entity_type
                 AND p.entity_id = o.entity_id AND p.seq < o.seq AND p.state IN ('conflict', 'needs_attention'))`
          )
          .get() as { n: number }
        if (sendable.n === 0) return
        if (Date.now() > until) throw new Error(`${name}: outbox did not drain`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    close: () => core.close()
  }
}

const pusherTuning = { backoffBaseMs: 5, backoffCapMs: 40, tickMs: 200, random: () => 0.5 }

/** A station hosting the venue on loopback; answers with its status (url, pairing code). */
export async function startHub(
  dataDir: string,
  simUrl: string,
  name = 'PODIUM-1',
  creds = { email: EMAIL, password: PASSWORD },
  /** The hub's port (0: any free one). */
  port = 0
): Promise<{ station: VenueStation; venue: VenueStatus }> {
  const s = await directStation(dataDir, simUrl, name, creds)
  const venue = await s.call<VenueStatus>('venue.host', { port, host: '127.0.0.1' })
  return { station: s, venue }
}

/** A station straight on Circuit (the simulator), neither hosting nor joined to a hub. */
export async function directStation(
  dataDir: string,
  simUrl: string,
  name: string,
  creds = { email: EMAIL, password: PASSWORD }
): Promise<VenueStation> {
  const core = await bootCore({
    dataDir,
    clock: systemClock,
    ids: sequentialIds(name),
    host: 'web',
    version: '0.0.0-test',
    printer: { print: async () => {}, list: async () => [] },
    log: silentLogger,
    connect: circuitSide({
      env: { url: simUrl, ...creds },
      secrets: () => createMemorySecretStore(),
      demo: false,
      probeIntervalMs: 50,
      pusher: pusherTuning
    })
  })
  return station(name, core)
}

/** A station joined to the hub with its pairing code (credentials as from the environment). */
export async function joinHub(
  dataDir: string,
  hub: { url: string; pairingCode: string },
  name: string,
  creds = { email: EMAIL, password: PASSWORD }
): Promise<VenueStation> {
  const core = await bootCore({
    dataDir,
    clock: systemClock,
    ids: sequentialIds(name),
    host: 'web',
    version: '0.0.0-test',
    printer: { print: async () => {}, list: async () => [] },
    log: silentLogger,
    connect: circuitSide({
      env: creds,
      secrets: () => createMemorySecretStore(),
      demo: false,
      probeIntervalMs: 50,
      join: { url: hub.url, code: hub.pairingCode },
      pusher: pusherTuning
    })
  })
  return station(name, core)
}
