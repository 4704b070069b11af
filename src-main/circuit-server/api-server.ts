// One server of Circuit's back-office API, whatever stands behind it. The
// simulator puts its in-memory store behind it; the venue hub puts a
// station's replica and its actions. Both answer through this one layer —
// the paths (`/api/…`, `/api/v1.0/…`, a language prefix), log-in by
// `login-token` (HTTP Basic) and the tokens it hands out (Bearer, the
// `access-token` header or `?access_token=`), the router, JSON bodies, the
// list engine's filters, range and page (query.ts), the envelopes and
// Circuit's error body — so a station's client reads either the same way,
// by construction.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HttpError, parseJsonBody, parseQuery, readBody, type Json, type Reply } from './http'
import type { RouteContext, Router } from './router'

/** `/api/<resource>`, `/api/v1.0/<resource>`, and either behind a language prefix (`/en/api/v1.0/…`). */
export const API_PATH = /^(?:\/[a-z]{2})?\/api(?:\/v1\.0)?\/(.+)$/
export const VERSIONED_PATH = /^(?:\/[a-z]{2})?\/api\/v1\.0\//
export const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])

const UNAUTHORIZED_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2'
const FORBIDDEN_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.4'

export const wrongCredentials = (): HttpError =>
  new HttpError(401, 'Unauthorized', 'Wrong credentials.', undefined, { type: UNAUTHORIZED_TYPE })
export const noCredentials = (): HttpError =>
  new HttpError(401, 'Unauthorized', 'No authentication credentials provided.', undefined, { type: UNAUTHORIZED_TYPE })
export const tokenExpired = (): HttpError =>
  new HttpError(403, 'Forbidden', 'Access token expired.', undefined, { type: FORBIDDEN_TYPE })

/** The token a request presents, in priority order Bearer > access-token header > ?access_token=. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim() || null
  const header = req.headers['access-token']
  if (typeof header === 'string' && header.trim()) return header.trim()
  const q = url.searchParams.get('access_token')
  return q && q.trim() ? q.trim() : null
}

/** Decode `Authorization: Basic base64(email:password)`; null when absent/malformed. */
export function basicCredentials(req: IncomingMessage): { user: string; password: string } | null {
  const auth = req.headers.authorization
  if (typeof auth !== 'string' || !/^Basic\s+/i.test(auth)) return null
  const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  if (i < 0) return null
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) }
}

/** A token as `GET /api/login-token` answers it (home.txt). */
export interface IssuedToken {
  id: string
  token: string
  uid: string
  /** epoch ms */
  expire: number
}

export function loginTokenReply(t: IssuedToken): Reply {
  return {
    status: 200,
    body: {
      data: [{ id: t.id, token: t.token, type: 'access_token', uid: t.uid, expire: Math.floor(t.expire / 1000) }]
    }
  }
}

/** What stands behind the API: how it logs people in, and its routes. */
export interface ApiBackend<C extends RouteContext, Principal> {
  router: Router<C>
  /** `GET login-token` with Basic credentials: a token, or an HttpError (401 wrong, 429 slow down…). */
  login(user: string, password: string, req: IncomingMessage): Promise<IssuedToken> | IssuedToken
  /** Legacy `POST bo_auth {username, password}`; absent where the backend does not offer it. */
  boAuth?(user: string, password: string): Promise<Reply> | Reply
  /** A presented token → who calls; throws 401 (unknown) or 403 (expired). */
  authenticate(token: string, req: IncomingMessage): Promise<Principal> | Principal
  /** The route context for one request. */
  context(base: RouteContext, principal: Principal): C
  /**
   * Before routing (rate limits, injected faults, 404 on a path this server
   * hides): may throw an HttpError, or add headers to the answer.
   */
  before?(
    req: IncomingMessage,
    method: string,
    resource: string,
    url: URL,
    headers: Record<string, string>
  ): Promise<void>
  /** After a mutating route ran: 'drop' closes the socket without answering (the simulator's lost answers). */
  after?(method: string): 'drop' | void
  /** Told of an error that is not an HttpError (a bug): logged by the backend, never sent. */
  onInternalError?(err: unknown): void
}

/** Write a reply: JSON (with its length), a raw file, or an empty 204. */
export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers }
  if (reply.raw) {
    res.writeHead(reply.status, {
      ...headers,
      'Content-Type': reply.raw.contentType,
      'Content-Length': String(reply.raw.data.length)
    })
    res.end(reply.raw.data)
    return
  }
  if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers)
    res.end()
    return
  }
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text))
  })
  res.end(text)
}

/** Circuit's error body for an HttpError; a bug answers a plain 500 without its text. */
export function sendError(
  res: ServerResponse,
  err: unknown,
  headers: Record<string, string>,
  onInternal?: (err: unknown) => void
): void {
  if (res.headersSent || res.destroyed) return
  if (err instanceof HttpError) {
    sendReply(res, { status: err.status, body: err.body(), headers: { ...headers, ...err.headers } })
    return
  }
  onInternal?.(err)
  sendReply(res, {
    status: 500,
    body: { title: 'Internal Server Error', status: 500, detail: 'The server could not complete the request.' },
    headers
  })
}

/**
 * Answer one `/api/…` request through a backend. Returns false when the path
 * is not an API path (the host serves it otherwise).
 */
export async function handleApiRequest<C extends RouteContext, P>(
  backend: ApiBackend<C, P>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL
): Promise<boolean> {
  const m = API_PATH.exec(url.pathname)
  if (!m) return false
  const method = (req.method ?? 'GET').toUpperCase()
  const resource = m[1].replace(/\/+$/, '')
  const headers: Record<string, string> = {}
  try {
    await backend.before?.(req, method, resource, url, headers)
    const body: Json | undefined = MUTATING.has(method) ? parseJsonBody(await readBody(req)) : undefined
    let reply: Reply
    if (resource === 'login-token' && method === 'GET') {
      const creds = basicCredentials(req)
      if (!creds) throw noCredentials()
      reply = loginTokenReply(await backend.login(creds.user, creds.password, req))
    } else if (resource === 'bo_auth' && method === 'POST' && backend.boAuth) {
      const b = body as { username?: unknown; password?: unknown } | undefined
      if (typeof b?.username !== 'string' || typeof b?.password !== 'string') throw noCredentials()
      reply = await backend.boAuth(b.username, b.password)
    } else {
      const token = presentedToken(req, url)
      if (!token) throw noCredentials()
      const principal = await backend.authenticate(token, req)
      const match = backend.router.match(method, resource)
      if (!match) throw new HttpError(404, 'Resource not found', `No route for ${method} ${url.pathname}`)
      if ('methodNotAllowed' in match) {
        throw new HttpError(
          405,
          'Method Not Allowed',
          `${method} is not allowed on ${resource}.`,
          undefined,
          undefined,
          {
            Allow: match.methodNotAllowed.join(', ')
          }
        )
      }
      const base: RouteContext = {
        method,
        path: resource,
        params: match.params,
        query: parseQuery(url.searchParams),
        url,
        body,
        req
      }
      reply = await match.handler(backend.context(base, principal))
      if (MUTATING.has(method) && backend.after?.(method) === 'drop') {
        req.socket.destroy()
        return true
      }
    }
    sendReply(res, { ...reply, headers: { ...headers, ...reply.headers } })
  } catch (err) {
    sendError(res, err, headers, backend.onInternalError)
  }
  return true
}
