// What the FairWarning and Bidlogix simulators share: a loopback HTTP server
// that reads JSON (also on a GET, as FairWarning's search does), seeded fault
// injection with the same switches as the Circuit simulator's
// (`POST /_sim/faults {error500Rate, dropAfterApplyRate}`), and replies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface FaultConfig {
  /** 0..1: answer 500 without applying the request. */
  error500Rate: number
  /** 0..1: apply the request, then drop the connection without answering. */
  dropAfterApplyRate: number
}

/** mulberry32: small, seeded, the same faults for the same requests every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class Faults {
  config: FaultConfig = { error500Rate: 0, dropAfterApplyRate: 0 }
  private next: () => number

  constructor(private readonly seed: number) {
    this.next = prng(seed)
  }

  /** Merge a partial config; the PRNG starts again so a test sees the same faults every run. */
  update(body: unknown): FaultConfig | { errors: Record<string, string> } {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return { errors: { body: 'Must be a JSON object such as {"error500Rate": 0.1}.' } }
    const errors: Record<string, string> = {}
    const next = { ...this.config }
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k !== 'error500Rate' && k !== 'dropAfterApplyRate')
        errors[k] = 'Unknown: use error500Rate, dropAfterApplyRate.'
      else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
        errors[k] = 'Must be a number from 0 to 1.'
      else next[k] = v
    }
    if (Object.keys(errors).length) return { errors }
    this.config = next
    this.next = prng(this.seed)
    return this.config
  }

  roll(rate: number): boolean {
    if (rate <= 0) return false
    if (rate >= 1) return true
    return this.next() < rate
  }
}

export interface Reply {
  status: number
  body?: unknown
}

export interface SimRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** Parsed JSON body (GET included); undefined when empty. */
  body: unknown
  /** The body was there but was not JSON. */
  badJson: boolean
}

export interface RunningSim {
  url: string
  port: number
  close(): Promise<void>
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * A loopback server. `api` answers the platform's own paths; `/_sim/faults` is
 * handled here; other `/_sim/…` paths go to `control`. `applies(req)` says
 * which requests a lost answer applies to (after the handler ran).
 */
export async function startJsonServer(o: {
  name: string
  port: number
  host: string
  faults: Faults
  api: (req: SimRequest) => Reply
  control: (req: SimRequest) => Reply | null
  /** The platform's own error body for an injected 500. */
  error500: () => unknown
}): Promise<RunningSim> {
  if (!LOOPBACK_HOSTS.has(o.host)) throw new Error(`The ${o.name} simulator only binds to loopback, not "${o.host}".`)
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => void handle(req, res))
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sim')
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    let badJson = false
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text)
      } catch {
        badJson = true
      }
    }
    const sreq: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      badJson
    }
    if (url.pathname.startsWith('/_sim/')) {
      if (url.pathname === '/_sim/faults') {
        if (sreq.method === 'GET') return send(res, { status: 200, body: o.faults.config })
        const r = o.faults.update(body)
        return send(res, 'errors' in r ? { status: 400, body: r } : { status: 200, body: r })
      }
      return send(res, o.control(sreq) ?? { status: 404, body: { error: `No control route ${url.pathname}` } })
    }
    if (o.faults.roll(o.faults.config.error500Rate)) return send(res, { status: 500, body: o.error500() })
    let reply: Reply
    try {
      reply = o.api(sreq)
    } catch (err) {
      reply = { status: 500, body: o.error500() }
      console.error(`[${o.name} simulator]`, err)
    }
    // Applied; now maybe lose the answer.
    if (o.faults.roll(o.faults.config.dropAfterApplyRate)) {
      req.socket.destroy()
      return
    }
    send(res, reply)
  }

  function send(res: ServerResponse, r: Reply) {
    const text = r.body === undefined ? '' : JSON.stringify(r.body)
    res.writeHead(r.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text))
    })
    res.end(text)
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(o.port, o.host, () => ok())
  })
  const port = (server.address() as AddressInfo).port
  const host = o.host.includes(':') ? `[${o.host}]` : o.host
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok())
        for (const s of sockets) s.destroy()
      })
  }
}

/** `--port N --key K` style arguments (also `--port=N`); flags without a value are "true". */
export function parseFlags(argv: string[], known: Record<string, 'string' | 'boolean'>): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`)
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    const kind = known[name]
    if (!kind) throw new Error(`Unknown option --${name}`)
    if (kind === 'boolean') out[name] = 'true'
    else {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value`)
      out[name] = value
    }
  }
  return out
}

/** Stop on SIGINT/SIGTERM, closing the server first. */
export function stopOnSignals(name: string, sim: RunningSim): void {
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`Received ${signal}, stopping the ${name} simulator`)
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}
