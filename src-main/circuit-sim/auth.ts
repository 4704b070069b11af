// Access tokens: GET /api/login-token (HTTP Basic) and legacy POST bo_auth.
// Tokens are accepted as `Authorization: Bearer`, an `access-token` header or
// `?access_token=` (the latter two are what Circuit's own clients send).

import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http'

export interface Token {
  id: string
  token: string
  uid: string
  /** epoch ms */
  expire: number
}

const UNAUTHORIZED_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.2'
const FORBIDDEN_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.4'

export const wrongCredentials = (): HttpError =>
  new HttpError(401, 'Unauthorized', 'Wrong credentials.', undefined, { type: UNAUTHORIZED_TYPE })
export const noCredentials = (): HttpError =>
  new HttpError(401, 'Unauthorized', 'No authentication credentials provided.', undefined, { type: UNAUTHORIZED_TYPE })
export const tokenExpired = (): HttpError =>
  new HttpError(403, 'Forbidden', 'Access token expired.', undefined, { type: FORBIDDEN_TYPE })

export class TokenStore {
  private byToken = new Map<string, Token>()
  private counter = 0

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number
  ) {}

  /** Reuse the user's unexpired token, else mint a new one (documented login-token behaviour). */
  issue(uid: string): Token {
    const now = this.now()
    for (const t of this.byToken.values()) if (t.uid === uid && t.expire > now) return t
    const token: Token = {
      id: String(++this.counter),
      token: randomBytes(24).toString('hex'),
      uid,
      expire: now + this.ttlMs
    }
    this.byToken.set(token.token, token)
    return token
  }

  /**
   * Resolve a presented token to its user. Expired tokens stay known and keep
   * answering 403 (the real server deletes them on use, after which they would
   * answer 401; either way the client has to log in again).
   */
  verify(token: string): string {
    const t = this.byToken.get(token)
    if (!t) throw wrongCredentials()
    if (t.expire <= this.now()) throw tokenExpired()
    return t.uid
  }

  expireAll(): number {
    const now = this.now()
    let n = 0
    for (const t of this.byToken.values()) {
      if (t.expire > now) n++
      t.expire = Math.min(t.expire, now)
    }
    return n
  }

  clear(): void {
    this.byToken.clear()
  }
}

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
