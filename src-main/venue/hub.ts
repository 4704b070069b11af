// The venue hub: this station serves, over TLS on the venue's LAN, the same
// Circuit API subset a station's client already uses, from its own replica
// (src-main/circuit-server/ is the one API layer, shared with the simulator).
// Other stations point their client, pull and outbox at it; it forwards to
// Circuit through its own outbox. Under the API it also serves Saleroom's
// own `saleroom-collections` (releases at the collection desk, which Circuit
// has no field for). Besides the API it serves two small things of its own: `/saleroom/status` (who it is, whether Circuit answers it) and
// `/saleroom/events`, a live feed of what changed, so a hammer at the podium
// is on the checkout desk's invoice a moment later.
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { X509Certificate } from 'node:crypto'
import type { DataChanged } from '../../src-shared/events'
import type { RpcResult } from '../../src-shared/rpc'
import {
  handleApiRequest,
  presentedToken,
  sendError,
  sendReply,
  wrongCredentials,
  type ApiBackend,
  type IssuedToken
} from '../circuit-server/api-server'
import { HttpError, type JsonObject } from '../circuit-server/http'
import { Router, type RouteContext } from '../circuit-server/router'
import type { Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { Logger } from '../core/ports'
import type { Replica } from '../db/replica'
import { changesSince, lastChange, unwatchChanges, watchChanges } from './changes'
import { advertiseHub, type Advertisement } from './discovery'
import { registerReads } from './hub-reads'
import { registerWrites } from './hub-writes'
import { loadOrCreateHubIdentity, type HubIdentity } from './identity'
import { HubLogins, type UpstreamCheck } from './logins'

export interface HubCtx extends RouteContext {
  who: { email: string; station: string }
  /** The hub's own call, on the station's behalf (its action path: rows, outbox, audit). */
  dispatch(name: string, input: unknown): Promise<RpcResult<unknown>>
}

export interface HubDeps {
  db: Replica
  dataDir: string
  clock: Clock
  events: EventBus
  log: Logger
  /** The hub station's core, as its own screens call it. */
  dispatch(
    name: string,
    input: unknown,
    meta?: { onBehalfOf?: { actor: string; station: string } }
  ): Promise<RpcResult<unknown>>
  /** This station's name (the hub's name on the LAN and in the status line). */
  station(): string
  /** Whether Circuit answers the hub right now. */
  circuitOnline(): boolean
  /** A person's Circuit credentials, checked against Circuit (or 'unreachable'). */
  checkUpstream: UpstreamCheck
}

export interface HubOptions {
  port: number
  /** Default: every interface. */
  host?: string
  /** Advertise by DNS-SD (default on). */
  advertise?: boolean
}

export interface RunningHub {
  url: string
  port: number
  host: string
  pairingCode: string
  fingerprint: string
  /** "Venue hub at https://ADDR:H — pairing code XXXX-XXXX" */
  line: string
  close(): Promise<void>
}

const STATION_HEADER = 'x-saleroom-station'
const NAME = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]{1,60}$/u

/** The name a station gives itself on its requests (it signs the hub's audit). */
function stationOf(req: IncomingMessage): string {
  const h = req.headers[STATION_HEADER]
  const v = typeof h === 'string' ? decodeURIComponent(h).trim() : ''
  return NAME.test(v) ? v : 'a venue station'
}

/** The first LAN address, for the line the hub prints (it listens on every interface by default). */
async function lanAddress(): Promise<string> {
  const { networkInterfaces } = await import('node:os')
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return '127.0.0.1'
}

export async function startHub(deps: HubDeps, opts: HubOptions): Promise<RunningHub> {
  const { db, clock, log } = deps
  const identity: HubIdentity = await loadOrCreateHubIdentity(
    deps.dataDir,
    clock.now(),
    `Saleroom hub ${deps.station()}`
  )
  // The hub's "updated" is its change number counted in milliseconds from its certificate's
  // birth: one clock (the hub's order of changes), stable across restarts of the same hub.
  const epoch = Date.parse(new X509Certificate(identity.certPem).validFrom)
  const stampOf = (seq: number | null) => new Date(epoch + (seq ?? 0)).toISOString()
  const seqOf = (iso: string) => {
    const t = Date.parse(iso)
    if (Number.isNaN(t)) throw new HttpError(400, 'Bad Request', `"${iso}" is not a date.`)
    return Math.max(0, t - epoch)
  }
  watchChanges(db)
  // A verifier kept or dropped: the stations fetch them again (any of them may have to take over).
  const logins = new HubLogins(deps.dataDir, clock, deps.checkUpstream, () => {
    for (const f of feeds) f.res.write(`event: verifiers\ndata: {}\n\n`)
  })

  const router = new Router<HubCtx>()
  const serializers = registerReads(router, { db, stampOf, seqOf })
  registerWrites(router, { db, ...serializers })

  const backend: ApiBackend<HubCtx, { email: string; station: string }> = {
    router,
    login: async (user, password, req): Promise<IssuedToken> => {
      const outcome = await logins.login(user, password, req.socket.remoteAddress ?? 'unknown')
      if (outcome.ok)
        return { id: outcome.token.slice(0, 8), token: outcome.token, uid: user, expire: outcome.expiresAt }
      if (outcome.reason === 'slow-down') {
        const after = Math.ceil(outcome.retryAfterMs / 1000)
        throw new HttpError(
          429,
          'Rate limit exceeded',
          outcome.message,
          undefined,
          { retry_after: after },
          {
            'Retry-After': String(after)
          }
        )
      }
      if (outcome.reason === 'unreachable') throw new HttpError(401, 'Unauthorized', outcome.message)
      throw wrongCredentials()
    },
    authenticate: (token, req) => {
      const s = logins.session(token)
      if (!s) throw wrongCredentials()
      return { email: s.email, station: stationOf(req) }
    },
    context: (base, who) => ({
      ...base,
      who,
      dispatch: (name, input) => deps.dispatch(name, input, { onBehalfOf: { actor: who.email, station: who.station } })
    }),
    onInternalError: (err) =>
      log.error('venue hub request failed', { error: err instanceof Error ? err.stack : String(err) })
  }

  // The live feed: each station reads what changed after the change number it has.
  const feeds = new Set<{ res: ServerResponse; since: number }>()
  const hello = () => ({
    hub: identity.fingerprint,
    seq: lastChange(db),
    circuit: deps.circuitOnline() ? 'online' : 'offline'
  })
  const push = () => {
    for (const f of feeds) {
      for (;;) {
        const batch = changesSince(db, f.since)
        if (batch.upTo === f.since) break
        f.res.write(`id: ${batch.upTo}\nevent: changes\ndata: ${JSON.stringify(batch)}\n\n`)
        f.since = batch.upTo
      }
    }
  }
  let pushing: NodeJS.Immediate | null = null
  const schedulePush = () => {
    pushing ??= setImmediate(() => {
      pushing = null
      try {
        push()
      } catch (err) {
        log.warn('venue hub feed failed', { error: String(err) })
      }
    })
  }
  // Catching up with Circuit: once the hub has sent everything it held, the sales with provisional
  // orders of the venue are pulled again (a delta), so Circuit's orders — its numbers, its totals —
  // take their place for every station. Stations cannot ask Circuit themselves: the hub is their
  // window. Once per drain (something queued since the last one), not per change.
  let owed = true
  let checking: NodeJS.Timeout | null = null
  const catchUp = () => {
    checking = null
    if (!owed || !deps.circuitOnline()) return
    const open =
      db.first(
        db.q
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', 'in', ['pending', 'in_flight', 'unknown'])
      )?.n ?? 0
    if (open > 0) return
    owed = false
    const sales = db
      .all(
        db.q
          .selectFrom('orders as o')
          .innerJoin('sales as s', 's.id', 'o.sale_id')
          .select('o.sale_id')
          .distinct()
          .where('o.server_id', 'is', null)
          .where('s.pulled_at', 'is not', null)
      )
      .map((r) => r.sale_id)
    for (const saleId of sales) {
      log.info('venue hub: everything sent; pulling the sale again for Circuit’s orders', { saleId })
      void deps.dispatch('sale.open', { saleId })
    }
  }
  const scheduleCatchUp = () => {
    checking ??= setTimeout(catchUp, 100)
  }
  let lastCircuit = deps.circuitOnline()
  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name === 'data.changed') {
      schedulePush()
      if ((payload as DataChanged).entity === 'outbox') owed = true
      scheduleCatchUp()
    }
    if (name === 'status') {
      const now = deps.circuitOnline()
      if (now !== lastCircuit) {
        lastCircuit = now
        for (const f of feeds) f.res.write(`event: status\ndata: ${JSON.stringify(hello())}\n\n`)
      }
      scheduleCatchUp()
    }
  })
  const heartbeat = setInterval(() => {
    for (const f of feeds) f.res.write(': ping\n\n')
  }, 15_000)
  heartbeat.unref()

  async function own(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/saleroom/')) return false
    const token = presentedToken(req, url)
    if (!token || !logins.session(token)) throw wrongCredentials()
    if (url.pathname === '/saleroom/status' && req.method === 'GET') {
      sendReply(res, { status: 200, body: { data: { ...hello(), station: deps.station() } } })
      return true
    }
    if (url.pathname === '/saleroom/verifiers' && req.method === 'GET') {
      // For a handover: salted scrypt verifiers (never a password), to the joined stations only.
      sendReply(res, { status: 200, body: { data: logins.verifiersToShare() as unknown as JsonObject } })
      return true
    }
    if (url.pathname === '/saleroom/events' && req.method === 'GET') {
      const fromHeader = Number(req.headers['last-event-id'] ?? url.searchParams.get('since') ?? 0)
      const since = Number.isSafeInteger(fromHeader) && fromHeader >= 0 ? fromHeader : 0
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(`event: hello\ndata: ${JSON.stringify(hello())}\n\n`)
      const feed = { res, since }
      feeds.add(feed)
      req.on('close', () => feeds.delete(feed))
      schedulePush()
      return true
    }
    throw new HttpError(404, 'Resource not found', `No route for ${req.method} ${url.pathname}`)
  }

  const sockets = new Set<Socket>()
  const server: Server = createServer({ cert: identity.certPem, key: identity.keyPem }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://hub.invalid')
    try {
      if (await own(req, res, url)) return
      if (await handleApiRequest(backend, req, res, url)) return
      throw new HttpError(404, 'Resource not found', `No route for ${req.method} ${url.pathname}`)
    } catch (err) {
      sendError(res, err, {}, backend.onInternalError)
    }
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const host = opts.host ?? '0.0.0.0'
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port, host, () => ok())
  })
  const port = (server.address() as AddressInfo).port
  const shown = host === '0.0.0.0' || host === '::' ? await lanAddress() : host
  const url = `https://${shown}:${port}`
  let ad: Advertisement | null = null
  if (opts.advertise !== false) {
    try {
      ad = advertiseHub({ name: `Saleroom ${deps.station()}`, port, station: deps.station() })
    } catch (err) {
      log.warn('venue hub not advertised on the LAN (join by its address)', { error: String(err) })
    }
  }
  const line = `Venue hub at ${url} — pairing code ${identity.pairingCode}`
  log.info('venue hub started', { url, pairingCode: identity.pairingCode })
  return {
    url,
    port,
    host: shown,
    pairingCode: identity.pairingCode,
    fingerprint: identity.fingerprint,
    line,
    close: async () => {
      unsubscribe()
      clearInterval(heartbeat)
      if (pushing) clearImmediate(pushing)
      if (checking) clearTimeout(checking)
      for (const f of feeds) f.res.end()
      feeds.clear()
      await ad?.stop()
      for (const s of sockets) s.destroy()
      await new Promise<void>((ok) => server.close(() => ok()))
      unwatchChanges(db)
    }
  }
}
