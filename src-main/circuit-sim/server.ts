// The HTTP server: routing of /api (versioned or not), auth, faults, the
// control API and the request counters.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { TokenStore } from './auth'
import {
  handleApiRequest,
  sendError,
  sendReply,
  VERSIONED_PATH,
  wrongCredentials,
  type ApiBackend
} from '../circuit-server/api-server'
import type { Currency } from './currency'
import { Faults } from './faults'
import { HttpError, parseJsonBody, parseQuery, readBody, type Reply } from '../circuit-server/http'
import { Router, type Ctx } from './sim-router'
import { registerBidders } from './routes/bidders'
import { registerClients } from './routes/clients'
import { registerConsignments } from './routes/consignments'
import { controlRouter, type SimRuntime } from './routes/control'
import { registerItems } from './routes/items'
import { registerOrders } from './routes/orders'
import { registerReference } from './routes/reference'
import { registerSales } from './routes/sales'
import { registerShipping } from './routes/shipping'
import { chequeFile, registerTransactions } from './routes/transactions'
import { seedStore } from './seed'
import type { Shapes } from './shapes'
import { SimStore } from './store'

export interface ResolvedOptions {
  port: number
  host: string
  seed: number
  lots: number
  clients: number
  user: string
  password: string
  tokenTtlSeconds: number
  now: () => number
  quiet: boolean
  currency: Currency
  /** The docs-shaped switches at start (and after /_sim/reset). */
  shapes: Shapes
}

const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host)
}

function isLoopbackAddress(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'))
}

export function buildStore(opts: ResolvedOptions): SimStore {
  const store = new SimStore(opts.now)
  store.currency = opts.currency
  store.shapes = { ...opts.shapes }
  seedStore(store, { seed: opts.seed, lots: opts.lots, clients: opts.clients, user: opts.user })
  // The log is of changes made through the API; the seed's own past results are not among them.
  store.clerkingLog.length = 0
  return store
}

function apiRouter(): Router {
  const r = new Router()
  registerSales(r)
  registerItems(r)
  registerClients(r)
  registerBidders(r)
  registerOrders(r)
  registerTransactions(r)
  registerReference(r)
  registerConsignments(r)
  registerShipping(r)
  return r
}

export class SimServer implements SimRuntime {
  store: SimStore
  readonly faults: Faults
  readonly tokens: TokenStore
  readonly stats = new Map<string, number>()
  private readonly api = apiRouter()
  private readonly control: Router
  readonly http: Server
  private readonly sockets = new Set<Socket>()

  constructor(readonly opts: ResolvedOptions) {
    this.store = buildStore(opts)
    this.faults = new Faults(opts.seed, opts.now)
    this.tokens = new TokenStore(opts.tokenTtlSeconds * 1000, opts.now)
    this.control = controlRouter(this)
    this.http = createServer((req, res) => void this.handle(req, res))
    this.http.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  /** Back to the seeded data, faults off, counters cleared. Tokens stay valid. */
  reset(): void {
    this.store = buildStore(this.opts)
    this.faults.reset()
    this.stats.clear()
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(this.opts.port, this.opts.host, () => resolve((this.http.address() as AddressInfo).port))
    })
  }

  shutdown(): void {
    // Let the answer go out first.
    setTimeout(() => void this.close(), 20).unref()
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve())
      for (const s of this.sockets) s.destroy()
    })
  }

  /** The simulator behind the shared Circuit-API layer: its store, its one user, its faults and counters. */
  private readonly backend: ApiBackend<Ctx, string> = {
    router: this.api,
    login: (user, password) => this.tokens.issue(this.checkPassword(user, password)),
    boAuth: (user, password) => this.boAuth(user, password),
    authenticate: (token) => this.tokens.verify(token),
    context: (base, uid) => ({ ...base, store: this.store, uid }),
    before: async (_req, method, resource, url, headers) => {
      const key = `${method} ${url.pathname}`
      this.stats.set(key, (this.stats.get(key) ?? 0) + 1)
      const rate = this.faults.countRequest()
      headers['X-RateLimit-Limit'] = String(rate.limit)
      headers['X-RateLimit-Remaining'] = String(rate.remaining)
      headers['X-RateLimit-Reset'] = String(rate.reset)
      const faults = this.faults.config
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs))
      if (rate.exceeded || this.faults.roll(faults.rate429)) {
        const retry = rate.exceeded
          ? Math.max(1, rate.reset - Math.floor(this.opts.now() / 1000))
          : faults.retryAfterSeconds
        throw new HttpError(
          429,
          'Rate limit exceeded',
          'Too many requests. Please try again later.',
          undefined,
          { retry_after: retry },
          { 'Retry-After': String(retry) }
        )
      }
      if (this.faults.roll(faults.error500Rate)) {
        throw new HttpError(
          500,
          'Internal Server Error',
          'Simulated server error (fault injection); the request was not applied.'
        )
      }
      // A docs-shaped server has /me at one of its two documented paths only.
      const hideMe = this.store.shapes.meNotFound
      if (resource === 'me' && hideMe !== null && (hideMe === 'versioned') === VERSIONED_PATH.test(url.pathname))
        throw new HttpError(404, 'Resource not found', `No route for ${method} ${url.pathname}`)
    },
    // The change is applied; now maybe "lose" the answer.
    after: () => (this.faults.roll(this.faults.config.dropAfterApplyRate) ? 'drop' : undefined),
    onInternalError: (err) => {
      if (!this.opts.quiet) console.error('[circuit-sim] unhandled error', err)
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${this.opts.host}`}`)
    try {
      if (url.pathname.startsWith('/_sim/')) {
        await this.handleControl(req, res, method, url)
        return
      }
      if (method === 'GET' && url.pathname.startsWith('/files/')) {
        const file = chequeFile(this.store, url.pathname.slice('/files/'.length))
        if (!file) throw new HttpError(404, 'Resource not found', `No file ${url.pathname}`)
        sendReply(res, { status: 200, raw: file })
        return
      }
      if (await handleApiRequest(this.backend, req, res, url)) return
      throw new HttpError(404, 'Resource not found', `No route for ${method} ${url.pathname}`)
    } catch (err) {
      sendError(res, err, {}, this.backend.onInternalError)
    }
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    if (!isLoopbackAddress(req.socket.remoteAddress))
      throw new HttpError(403, 'Forbidden', 'The control API only answers loopback clients.')
    const body = MUTATING.has(method) ? parseJsonBody(await readBody(req)) : undefined
    const path = url.pathname.slice('/_sim/'.length).replace(/\/+$/, '')
    const match = this.control.match(method, path)
    if (!match) throw new HttpError(404, 'Resource not found', `No control route ${method} ${url.pathname}`)
    if ('methodNotAllowed' in match)
      throw new HttpError(405, 'Method Not Allowed', `${method} is not allowed on /_sim/${path}.`)
    sendReply(
      res,
      await match.handler({
        method,
        path,
        params: match.params,
        query: parseQuery(url.searchParams),
        url,
        body,
        req,
        store: this.store,
        uid: null
      })
    )
  }

  private boAuth(username: string, password: string): Reply {
    const uid = this.checkPassword(username, password)
    const t = this.tokens.issue(uid)
    const me = this.store.staff.get(uid)!
    return {
      status: 200,
      body: {
        data: {
          access_token: t.token,
          expire: Math.floor(t.expire / 1000),
          user: { id: me.id, name: me.name, email: me.email, roles: [...me.roles] }
        }
      }
    }
  }

  /** One configured user (staff id "1"). */
  private checkPassword(user: string, password: string): string {
    if (user.toLowerCase() !== this.opts.user.toLowerCase() || password !== this.opts.password) throw wrongCredentials()
    return '1'
  }
}
