// Access-token lifecycle.
//  - documented flow: GET /api/login-token with HTTP Basic → {data:[{token, expire}]}
//  - legacy flow:     POST /api/v1.0/bo_auth {username,password} → {data:{access_token,user}}
// The token is kept in memory and in the injected SecretStore; the password
// is only ever held for the duration of one login call.
// Logins are single-flight: concurrent callers that need a token share one
// login request.

import { Buffer } from 'node:buffer'
import { CircuitAuthRequired, CircuitDecodeError, type RequestInfo } from './errors'
import {
  errorBodyStatus,
  type FetchFn,
  httpErrorFrom,
  type HttpRequest,
  rateLimitedFrom,
  redactUrl,
  send
} from './http'
import { parseEpochMs } from './decode-primitives'
import type { SecretStore } from './secret-store'
import { withQuery } from './query'

export type AuthFlow = 'login-token' | 'bo_auth'
/** bearer: `Authorization: Bearer` (docs); access-token-header: `access-token:` (Circuit's React UI); query: `?access_token=` (clerk app, /api/me docs). */
export type TokenTransport = 'bearer' | 'access-token-header' | 'query'

export interface Credentials {
  email: string
  password: string
}
export type CredentialsProvider = () => Promise<Credentials | null> | Credentials | null

export interface AccessToken {
  token: string
  /** Epoch ms; null when the server did not say (bo_auth): then only a 403 "expired" renews it. */
  expiresAt: number | null
}

export interface TokenManagerOptions {
  baseUrl: string
  /** Largest login answer read (the client's maxResponseBytes). */
  maxResponseBytes: number
  fetch: FetchFn
  now: () => number
  secrets: SecretStore
  credentials: CredentialsProvider
  authFlow: AuthFlow
  timeoutMs: number
  refreshMarginMs: number
}

export class TokenManager {
  private current: AccessToken | null = null
  private loading: Promise<void> | null = null
  private inflight: Promise<AccessToken> | null = null
  readonly storageKey: string

  constructor(private readonly o: TokenManagerOptions) {
    this.storageKey = `circuit.access-token:${o.baseUrl}`
  }

  private fresh(t: AccessToken | null): t is AccessToken {
    return t !== null && (t.expiresAt === null || this.o.now() < t.expiresAt - this.o.refreshMarginMs)
  }

  /** Read the stored token once; concurrent first callers share the read. */
  private loadStored(): Promise<void> {
    this.loading ??= this.readStored()
    return this.loading
  }

  private async readStored(): Promise<void> {
    const raw = await this.o.secrets.get(this.storageKey)
    if (this.current) return // a login finished while we were reading
    if (!raw) return
    try {
      const v = JSON.parse(raw) as Partial<AccessToken>
      if (typeof v.token === 'string' && v.token !== '' && (v.expiresAt === null || typeof v.expiresAt === 'number')) {
        this.current = { token: v.token, expiresAt: v.expiresAt ?? null }
      }
    } catch {
      /* unreadable entry: ignore, a login replaces it */
    }
  }

  /** A token that is valid for at least the refresh margin; logs in (once, shared) if needed. */
  async token(): Promise<AccessToken> {
    await this.loadStored()
    if (this.fresh(this.current)) return this.current
    return this.loginWithProvider()
  }

  /**
   * The server said 403 "Access token expired" for `stale`. If another caller
   * already replaced it, use the replacement; otherwise log in once.
   */
  async renewAfterExpired(stale: string): Promise<AccessToken> {
    if (this.inflight) return this.inflight
    if (this.current && this.current.token !== stale && this.fresh(this.current)) return this.current
    this.current = null
    return this.loginWithProvider()
  }

  /** 401 on an API call: forget the token; the caller raises CircuitAuthRequired. */
  async forget(): Promise<void> {
    this.current = null
    this.loading = Promise.resolve()
    await this.o.secrets.delete(this.storageKey)
  }

  /** Explicit login from the Settings screen. Only the token is stored. */
  async login(email: string, password: string): Promise<AccessToken> {
    const p = this.performLogin({ email, password })
    this.inflight = p
    try {
      return await p
    } finally {
      if (this.inflight === p) this.inflight = null
    }
  }

  private loginWithProvider(): Promise<AccessToken> {
    if (this.inflight) return this.inflight
    const p = (async () => {
      const creds = await this.o.credentials()
      if (!creds) throw new CircuitAuthRequired('Circuit credentials are required', { endpoint: 'login' })
      return this.performLogin(creds)
    })()
    this.inflight = p
    const clear = (): void => {
      if (this.inflight === p) this.inflight = null
    }
    p.then(clear, clear)
    return p
  }

  private async performLogin(creds: Credentials): Promise<AccessToken> {
    const base = this.o.baseUrl
    let req: HttpRequest
    if (this.o.authFlow === 'login-token') {
      const basic = Buffer.from(`${creds.email}:${creds.password}`, 'utf8').toString('base64')
      const url = `${base}/api/login-token`
      req = {
        method: 'GET',
        url,
        headers: { accept: 'application/json', authorization: `Basic ${basic}` },
        timeoutMs: this.o.timeoutMs,
        mutating: false,
        maxBytes: this.o.maxResponseBytes,
        info: { endpoint: 'login-token', method: 'GET', url: redactUrl(url) }
      }
    } else {
      const url = `${base}/api/v1.0/bo_auth`
      req = {
        method: 'POST',
        url,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ username: creds.email, password: creds.password }),
        // A login creates at most a token; losing its answer is harmless.
        timeoutMs: this.o.timeoutMs,
        mutating: false,
        maxBytes: this.o.maxResponseBytes,
        info: { endpoint: 'bo_auth', method: 'POST', url: redactUrl(url) }
      }
    }
    const res = await send(this.o.fetch, req)
    const errStatus = errorBodyStatus(res.body)
    const status = res.status >= 400 ? res.status : (errStatus ?? res.status)
    if (status === 401 || status === 403) {
      await this.forget()
      const detail = (res.body as { detail?: unknown } | null)?.detail
      throw new CircuitAuthRequired(
        `Circuit rejected the credentials${typeof detail === 'string' ? `: ${detail}` : ''}`,
        req.info,
        typeof detail === 'string' ? detail : null
      )
    }
    if (status === 429) throw rateLimitedFrom(res, req, this.o.now())
    if (status >= 400) throw httpErrorFrom(status, res.status, res.body, req)
    const token = decodeLoginBody(res.body, req.info)
    this.current = token
    this.loading = Promise.resolve()
    await this.o.secrets.set(this.storageKey, JSON.stringify(token))
    return token
  }
}

/** Accepts `{data:[{token,expire}]}`, `{data:{token|access_token,expire?}}` and top-level `{access_token|token, expire?}`. */
function decodeLoginBody(body: unknown, info: RequestInfo): AccessToken {
  const endpoint = info.endpoint ?? 'login'
  const top = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : null
  if (!top) throw new CircuitDecodeError(endpoint, null, '', 'expected a JSON object with a token', false, info)
  let rec: Record<string, unknown> = top
  let path = ''
  if (Array.isArray(top.data)) {
    rec = (top.data[0] ?? null) as Record<string, unknown>
    path = 'data[0]'
    if (!rec || typeof rec !== 'object')
      throw new CircuitDecodeError(endpoint, null, 'data', 'expected a token record, got an empty list', false, info)
  } else if (top.data && typeof top.data === 'object') {
    rec = top.data as Record<string, unknown>
    path = 'data'
  }
  const token = rec.token ?? rec.access_token
  if (typeof token !== 'string' || token === '') {
    throw new CircuitDecodeError(
      endpoint,
      null,
      `${path ? `${path}.` : ''}token`,
      'expected a token string',
      false,
      info
    )
  }
  const exp = rec.expire ?? rec.expires ?? rec.expires_at
  let expiresAt: number | null = null
  if (exp !== undefined && exp !== null) {
    const r = parseEpochMs(exp)
    if (!r.ok) throw new CircuitDecodeError(endpoint, null, `${path ? `${path}.` : ''}expire`, r.message, false, info)
    expiresAt = r.value
  }
  return { token, expiresAt }
}

/** Put the token on a request according to the transport setting. */
export function applyToken(
  url: string,
  headers: Record<string, string>,
  token: string,
  transport: TokenTransport
): string {
  switch (transport) {
    case 'bearer':
      headers.authorization = `Bearer ${token}`
      return url
    case 'access-token-header':
      headers['access-token'] = token
      return url
    case 'query': {
      // Appended by hand (not URLSearchParams) so the rest of the query keeps its literal brackets.
      const stripped = url
        .replace(/([?&])access_token=[^&#]*(&|$)/g, (_m, lead: string, tail: string) => (tail ? lead : ''))
        .replace(/[?&]$/, '')
      return withQuery(stripped, `access_token=${encodeURIComponent(token)}`)
    }
  }
}
