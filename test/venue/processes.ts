// Venue stations as real processes: `node --import tsx src-main/web/cli.ts`
// (what `npm run serve` runs), each with its own data folder and web port,
// driven through its web host's /rpc with its token. A hub hosts the venue
// (--hub-port, --hub-host) and prints its line; the others join it
// (--join, --code) with Circuit credentials from the environment. Any of
// them can be SIGKILLed and started again on the same folder and ports.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { replicaPath } from '../../src-main/app/boot'
import type { RpcResult } from '../../src-shared/rpc'

export const ROOT = join(__dirname, '../..')
export const EMAIL = 'demo@saleroom.test'
export const PASSWORD = 'demo'

/** A port free right now on loopback (the station keeps it across restarts). */
/** Ports handed out in this process: the system may offer a closed one again, and two stations then collide. */
const handedOut = new Set<number>()

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((ok, fail) => {
      const s = createServer()
      s.once('error', fail)
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port
        s.close(() => ok(p))
      })
    })
    if (handedOut.has(port)) continue
    handedOut.add(port)
    return port
  }
}

export interface HubAddress {
  url: string
  pairingCode: string
}

export type StationRole = { kind: 'hub'; simUrl: string; hubPort: number } | { kind: 'joined'; hub: HubAddress }

export interface StationProcess {
  readonly name: string
  readonly dataDir: string
  readonly webPort: number
  /** Running now. */
  readonly up: boolean
  /** The hub's address and pairing code, as it printed them (a hub only). */
  readonly hub: HubAddress | null
  /** The address it printed to open its screens (with this launch's token). */
  readonly url: string
  /** Everything the process printed, since it was last started. */
  output(): string
  /**
   * Follow the web host's event stream (`/events`, what the UI listens to): `on` is called with each
   * event's name as it arrives. Answers a function that stops following.
   */
  follow(on: (event: string) => void): Promise<() => void>
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  send(name: string, input?: unknown): Promise<RpcResult<unknown>>
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>
  /** Start again on the same data folder and ports (after a kill or a stop). */
  start(): Promise<void>
  /** SIGTERM (a clean close), and wait. */
  stop(): Promise<void>
  /** Read the replica (read-only, WAL-safe) while the process runs or after. */
  read<T>(fn: (db: BetterSqlite3.Database) => T): T
}

const STARTED = /Saleroom at (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))/
const HUB_LINE = /Venue hub at (https:\/\/\S+) — pairing code ([0-9A-Z]{4}-[0-9A-Z]{4})/

export function stationProcess(
  name: string,
  dataDir: string,
  webPort: number,
  role: StationRole,
  /** Extra environment (a test's sender tuning). */
  env: Record<string, string> = {}
): StationProcess {
  let proc: ChildProcess | null = null
  let out = ''
  let token = ''
  let hub: HubAddress | null = null

  const args = () => {
    const base = ['--import', 'tsx', 'src-main/web/cli.ts', '--data-dir', dataDir, '--port', String(webPort)]
    return role.kind === 'hub'
      ? [...base, '--hub-port', String(role.hubPort), '--hub-host', '127.0.0.1']
      : [...base, '--join', role.hub.url, '--code', role.hub.pairingCode]
  }
  const processEnv = () => ({
    ...process.env,
    SALEROOM_DEMO: '0',
    CIRCUIT_URL: role.kind === 'hub' ? role.simUrl : '',
    CIRCUIT_EMAIL: EMAIL,
    CIRCUIT_PASSWORD: PASSWORD,
    ...env
  })

  const self: StationProcess = {
    name,
    dataDir,
    webPort,
    get up() {
      return proc !== null && proc.exitCode === null && proc.signalCode === null
    },
    get hub() {
      return hub
    },
    get url() {
      return `http://127.0.0.1:${webPort}/?token=${token}`
    },
    output: () => out,
    async follow(on) {
      const abort = new AbortController()
      const res = await fetch(`http://127.0.0.1:${webPort}/events?token=${token}`, { signal: abort.signal })
      if (!res.ok || !res.body) throw new Error(`${name}: /events answered ${res.status}`)
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      void (async () => {
        let buffer = ''
        try {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return
            buffer += decoder.decode(value, { stream: true })
            for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
              const m = /^event: (.+)$/m.exec(buffer.slice(0, i))
              buffer = buffer.slice(i + 2)
              if (m) on(m[1])
            }
          }
        } catch {
          // stopped
        }
      })()
      return () => abort.abort()
    },
    async start() {
      if (self.up) throw new Error(`${name} is running already`)
      out = ''
      const p = spawn(process.execPath, args(), { cwd: ROOT, env: processEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
      proc = p
      p.stdout!.on('data', (d) => (out += d))
      p.stderr!.on('data', (d) => (out += d))
      await new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`${name} did not start:\n${out}`)), 60_000)
        const check = () => {
          const m = STARTED.exec(out)
          if (!m) return
          clearTimeout(timer)
          token = m[2]
          const h = HUB_LINE.exec(out)
          if (h) hub = { url: h[1], pairingCode: h[2] }
          p.stdout!.off('data', check)
          ok()
        }
        p.stdout!.on('data', check)
        p.once('exit', (code, signal) => {
          clearTimeout(timer)
          fail(new Error(`${name} exited (${code ?? signal}) while starting:\n${out}`))
        })
      })
    },
    async kill() {
      const p = proc
      if (!p || p.exitCode !== null || p.signalCode !== null) return
      await new Promise<void>((ok) => {
        p.once('exit', () => ok())
        p.kill('SIGKILL')
      })
    },
    async stop() {
      const p = proc
      if (!p || p.exitCode !== null || p.signalCode !== null) return
      await new Promise<void>((ok) => {
        p.once('exit', () => ok())
        p.kill('SIGTERM')
      })
    },
    async send(method, input = {}) {
      if (!self.up) throw new Error(`${name} is not running (${method})`)
      const res = await fetch(`http://127.0.0.1:${webPort}/rpc/${method}`, {
        method: 'POST',
        headers: { 'x-saleroom-token': token, 'content-type': 'application/json' },
        body: JSON.stringify(input)
      })
      return (await res.json()) as RpcResult<unknown>
    },
    async call<T>(method: string, input: unknown = {}) {
      const r = await self.send(method, input)
      if (!r.ok) throw new Error(`${name} ${method}: ${r.error.code} ${r.error.message}`)
      return r.data as T
    },
    read(fn) {
      const db = new BetterSqlite3(replicaPath(dataDir), { readonly: true, fileMustExist: true })
      try {
        db.pragma('busy_timeout = 5000')
        return fn(db)
      } finally {
        db.close()
      }
    }
  }
  return self
}

/** Open (pull) a sale on a station and wait until the replica holds it whole. */
export async function pullSale(s: StationProcess, saleId: string): Promise<void> {
  await s.call('sale.open', { saleId })
  for (;;) {
    const sales = await s.call<{ id: string; complete: boolean }[]>('sales.list')
    if (sales.find((x) => x.id === saleId)?.complete) return
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Poll until `check` answers true (or throw after the test's own budget runs out). */
export async function until(what: string, check: () => boolean | Promise<boolean>, budgetMs = 60_000): Promise<void> {
  const end = Date.now() + budgetMs
  for (;;) {
    if (await check()) return
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
