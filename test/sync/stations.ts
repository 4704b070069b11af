// Stations for outbox tests: real cores (real SQLite files in their own data
// folders) talking to one simulator over real HTTP.
import { bootCore, type Core } from '../../src-main/app/boot'
import { circuitSide } from '../../src-main/app/host-setup'
import { createMemorySecretStore } from '../../src-main/circuit'
import { systemClock } from '../../src-main/core/clock'
import { sequentialIds } from '../../src-main/core/ids'
import { noPrinter, silentLogger, type Printer } from '../../src-main/core/ports'
import type { PullProgress } from '../../src-shared/events'
import type { RpcResult } from '../../src-shared/rpc'

export interface Station {
  core: Core
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  /** The raw envelope, for calls expected to fail. */
  send(name: string, input?: unknown): Promise<RpcResult<unknown>>
  /** Open (pull) a sale and wait until it is in the replica. */
  pull(saleId: string): Promise<void>
  /** Drain the outbox until nothing is waiting (or the time runs out). */
  settle(timeoutMs?: number): Promise<void>
  openEntries(): { state: string; n: number }[]
  close(): Promise<void>
}

export async function startStation(
  dataDir: string,
  simUrl: string,
  o: {
    name?: string
    /** The id series (by default the name's): boots of one data folder each need their own. */
    ids?: string
    random?: () => number
    tickMs?: number
    printer?: Printer
  } = {}
): Promise<Station> {
  const core = await bootCore({
    dataDir,
    clock: systemClock,
    ids: sequentialIds(o.ids ?? o.name ?? 'st'),
    host: 'web',
    version: '0.0.0-test',
    printer: o.printer ?? noPrinter,
    log: silentLogger,
    connect: circuitSide({
      env: { url: simUrl, email: 'demo@saleroom.test', password: 'demo' },
      secrets: () => createMemorySecretStore(),
      demo: false,
      probeIntervalMs: 50,
      pusher: { backoffBaseMs: 5, backoffCapMs: 40, tickMs: o.tickMs ?? 0, random: o.random ?? (() => 0.5) }
    })
  })
  if (o.name) await core.dispatch('settings.update', { stationName: o.name })

  const send = (name: string, input: unknown = {}) => core.dispatch(name, input)
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const r = await send(name, input)
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
    return r.data as T
  }
  const openEntries = () =>
    core
      .replica()!
      .raw.prepare(
        `SELECT state, count(*) AS n FROM outbox WHERE state NOT IN ('done', 'discarded') GROUP BY state ORDER BY state`
      )
      .all() as { state: string; n: number }[]

  return {
    core,
    call,
    send,
    openEntries,
    async pull(saleId) {
      const done = new Promise<void>((ok, fail) => {
        const off = core.events.subscribe((name, payload) => {
          const p = payload as PullProgress
          if (name !== 'pull.progress' || p.saleId !== saleId || !p.done) return
          off()
          if (p.phase === 'done') ok()
          else fail(new Error(`pull failed: ${p.error}`))
        })
      })
      await call('sale.open', { saleId })
      await done
    },
    async settle(timeoutMs = 20_000) {
      const pusher = core.pusher()!
      const until = Date.now() + timeoutMs
      for (;;) {
        await pusher.drain()
        // Waiting entries behind a conflict or a needs-attention entry of the same record stay put by design.
        const sendable = core
          .replica()!
          .raw.prepare(
            `SELECT count(*) AS n FROM outbox o WHERE o.state IN ('pending', 'unknown', 'in_flight')
               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.entity_type = o.entity_type
                 AND p.entity_id = o.entity_id AND p.seq < o.seq AND p.state IN ('conflict', 'needs_attention'))`
          )
          .get() as { n: number }
        if (sendable.n === 0) return
        if (Date.now() > until) throw new Error(`outbox did not drain: ${JSON.stringify(openEntries())}`)
        // Entries wait out their (short) back-off or a 429 pause.
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    close: () => core.close()
  }
}
