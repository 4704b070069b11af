// Access tokens: GET /api/login-token (HTTP Basic) and legacy POST bo_auth.
// Tokens are accepted as `Authorization: Bearer`, an `access-token` header or
// `?access_token=` (the latter two are what Circuit's own clients send).

import { randomBytes } from 'node:crypto'
import { tokenExpired, wrongCredentials } from '../circuit-server/api-server'

export interface Token {
  id: string
  token: string
  uid: string
  /** epoch ms */
  expire: number
}

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
