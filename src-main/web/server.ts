// The web host: the same core and the same built renderer in plain Node, for
// headless runs and end-to-end tests. Bound to 127.0.0.1 only.
//
// How a request is authenticated: the per-launch token travels in a header
// (x-saleroom-token, or Authorization: Bearer) on every call, and in the query
// of the event stream (an EventSource cannot set headers). No cookie is ever
// set: cookies are not bound to a port, so every other server on 127.0.0.1
// would receive it. Calls must be JSON and may not come from another origin,
// so no other local page can post a form or a text/plain fetch to them. The
// built renderer itself (HTML, scripts, styles) holds no data and is served
// without the token; the page keeps the token from its ?token= address in
// sessionStorage, which is per origin (and so per port).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { calls, CALL_NAMES, EVENT_NAMES } from '../../src-shared/contract'
import type { Core } from '../app/boot'

export interface WebHostOptions {
  core: Core
  /** The built renderer (out/renderer). */
  rendererDir: string
  port?: number
  token?: string
}

export interface WebHost {
  url: string
  /** The address to open: url + ?token=… */
  openUrl: string
  port: number
  token: string
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.ico': 'image/x-icon'
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src blob:; object-src blob:; frame-ancestors 'none'"

const MAX_BODY = 1024 * 1024

function sameSecret(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff'
  })
  res.end(text)
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        fail(new BodyTooLarge())
        return
      }
      chunks.push(c)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}

const HTTP_STATUS: Record<string, number> = { invalid_input: 400, unknown_call: 404, internal: 500 }

/** The contract as the web host lists it at GET /rpc. */
export function describeContract() {
  return {
    calls: CALL_NAMES.map((name) => ({
      name,
      mutates: calls[name].mutates,
      summary: calls[name].summary,
      input: z.toJSONSchema(calls[name].input, { io: 'input' })
    })),
    events: EVENT_NAMES
  }
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const root = resolve(opts.rendererDir)
  const sseClients = new Set<ServerResponse>()
  let port = 0

  const unsubscribe = opts.core.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const res of sseClients) res.write(frame)
  })
  const heartbeat = setInterval(() => {
    for (const res of sseClients) res.write(': ping\n\n')
  }, 15_000)
  heartbeat.unref()

  const server = createServer(async (req, res) => {
    try {
      // DNS-rebinding guard: only our own loopback names may address us.
      const host = req.headers.host ?? ''
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
        sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Wrong host.' } })
        return
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
      const isRpc = url.pathname === '/rpc' || url.pathname.startsWith('/rpc/')
      const isEvents = url.pathname === '/events'
      if (isRpc || isEvents) {
        // Another page's requests carry its own Origin: only ours may call.
        const origin = req.headers.origin
        if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
          sendJson(res, 403, {
            ok: false,
            error: { code: 'forbidden', message: 'Calls from another origin are refused.' }
          })
          return
        }
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
        const presented =
          (req.headers['x-saleroom-token'] as string | undefined) ??
          bearer ??
          (isEvents ? url.searchParams.get('token') : null)
        if (!presented || !sameSecret(presented, token)) {
          sendJson(res, 401, {
            ok: false,
            error: {
              code: 'forbidden',
              message:
                'Missing or wrong token: send it in the x-saleroom-token header (the address Saleroom printed at start has it).'
            }
          })
          return
        }
      }

      if (url.pathname === '/rpc' && req.method === 'GET') {
        sendJson(res, 200, describeContract())
        return
      }
      if (url.pathname.startsWith('/rpc/')) {
        if (req.method !== 'POST') {
          sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST to call a method.' } })
          return
        }
        if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
          sendJson(res, 415, {
            ok: false,
            error: { code: 'invalid_input', message: 'Calls must be sent as Content-Type: application/json.' }
          })
          return
        }
        const name = decodeURIComponent(url.pathname.slice('/rpc/'.length))
        let input: unknown
        try {
          const body = await readBody(req)
          input = body.trim() === '' ? {} : JSON.parse(body)
        } catch (err) {
          if (err instanceof BodyTooLarge) {
            // Answer first, then close: the caller reads why instead of a reset connection.
            res.setHeader('connection', 'close')
            sendJson(res, 413, {
              ok: false,
              error: { code: 'invalid_input', message: `The request body is over ${MAX_BODY / 1024 / 1024} MB.` }
            })
            req.resume()
            return
          }
          sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request body is not JSON.' } })
          return
        }
        // One key per user action (as in Stripe's API): a repeat answers the first result and changes nothing.
        const key = req.headers['idempotency-key']
        const result = await opts.core.dispatch(name, input, typeof key === 'string' ? { idempotencyKey: key } : {})
        sendJson(res, result.ok ? 200 : (HTTP_STATUS[result.error.code] ?? 200), result)
        return
      }
      if (url.pathname === '/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive'
        })
        res.write(': connected\n\n')
        sseClients.add(res)
        req.on('close', () => sseClients.delete(res))
        const status = await opts.core.dispatch('app.status', {})
        if (status.ok) res.write(`event: status\ndata: ${JSON.stringify(status.data)}\n\n`)
        return
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Method not allowed.' } })
        return
      }
      await serveStatic(url.pathname, res)
    } catch (err) {
      // A malformed address (bad percent-encoding) is the caller's mistake; anything else is ours,
      // and its text stays in the log, never in the answer.
      if (err instanceof URIError) {
        if (!res.headersSent)
          sendJson(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The address is malformed.' } })
        else res.end()
        return
      }
      console.error(JSON.stringify({ level: 'error', msg: 'web host request failed', error: String(err) }))
      if (!res.headersSent)
        sendJson(res, 500, {
          ok: false,
          error: { code: 'internal', message: 'Something went wrong inside Saleroom; see its log.' }
        })
      else res.end()
    }
  })

  async function serveStatic(pathname: string, res: ServerResponse) {
    let rel = normalize(decodeURIComponent(pathname))
    if (rel.endsWith('/') || rel === '.') rel = join(rel, 'index.html')
    const file = join(root, rel)
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end()
      return
    }
    try {
      const body = await readFile(file)
      const headers: Record<string, string> = {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'x-content-type-options': 'nosniff',
        'content-security-policy': CSP,
        'cache-control': 'no-store'
      }
      res.writeHead(200, headers).end(body)
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`
  return {
    url,
    openUrl: `${url}?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      clearInterval(heartbeat)
      for (const res of sseClients) res.end()
      sseClients.clear()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    }
  }
}
