// One HTTP exchange: send with a time-out, classify transport failures, read
// and parse the JSON body, and turn error bodies into typed errors. No auth
// and no retries here (see auth.ts / client.ts).

import {
  type CircuitError,
  CircuitBadResponse,
  CircuitConfigError,
  CircuitHttpError,
  CircuitNetworkError,
  CircuitRateLimited,
  CircuitUnknownOutcome,
  type RequestInfo
} from './errors'

export type FetchFn = (input: string, init: RequestInit) => Promise<Response>

export interface HttpRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  /** POST/PATCH/DELETE: a lost answer means "unknown outcome", not "failed". */
  mutating: boolean
  info: RequestInfo
  /** Largest answer body read, in bytes; a bigger one is refused while it streams in. */
  maxBytes: number
}

export interface HttpResponse {
  status: number
  headers: Headers
  /** Parsed JSON, or null for an empty body (204). */
  body: unknown
}

// ------------------------------------------------------------ base URL rule

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1'])

/**
 * Plain http only for `localhost` and literal loopback addresses. Not for
 * `*.localhost`: that name can fall through to DNS and would send Basic
 * credentials off the machine.
 */
function isLoopback(hostname: string): boolean {
  if (LOOPBACK_HOSTS.has(hostname)) return true
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname)
  return m !== null && m.slice(1).every((p) => Number(p) <= 255)
}

/**
 * Validate and normalise the base URL: https only, plain http only for
 * loopback (127.0.0.0/8, ::1, localhost). Returns the site root without a
 * trailing slash; a trailing "/api/v1.0" (as in the docs' "Base URL") is
 * stripped because endpoint paths are absolute ("/api/v1.0/…", "/api/me").
 */
export function normaliseBaseUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new CircuitConfigError(`Circuit base URL is not a URL: ${JSON.stringify(raw)}`)
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    throw new CircuitConfigError(
      `Circuit base URL must use https (plain http is allowed only for loopback): ${u.origin}`
    )
  }
  if (u.username || u.password) throw new CircuitConfigError('Circuit base URL must not contain credentials')
  if (u.search || u.hash) throw new CircuitConfigError('Circuit base URL must not contain a query or fragment')
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(/\/api\/v1\.0$/, '')
    .replace(/\/api$/, '')
  return u.origin + path
}

/** Remove tokens from URLs before they go into error messages or logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1***')
}

// ------------------------------------------------------------ transport errors

// Failures that happen before any byte of the request reached the server.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_INVALID_URL'
])

function causeCode(e: unknown): { code: string | null; message: string } {
  let cur: unknown = e
  let message = e instanceof Error ? e.message : String(e)
  for (let depth = 0; depth < 5 && cur; depth++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof c.code === 'string')
      return { code: c.code, message: typeof c.message === 'string' ? c.message : message }
    if (typeof c.message === 'string') message = c.message
    cur = c.cause
  }
  return { code: null, message }
}

/**
 * Node's fetch (undici) failure → typed error. ECONNREFUSED/DNS/TLS: not sent.
 * UND_ERR_SOCKET ("other side closed"), ECONNRESET, EPIPE, header/body
 * time-outs and our own time-out: the request may have been processed, so a
 * mutation becomes CircuitUnknownOutcome and a read a retryable network error.
 */
export function classifyFetchError(
  e: unknown,
  req: HttpRequest,
  timedOut: boolean,
  phase: 'request' | 'body'
): CircuitError {
  const info = req.info
  if (timedOut) {
    return req.mutating
      ? new CircuitUnknownOutcome(
          `${req.method} ${info.endpoint ?? ''} timed out after ${req.timeoutMs} ms; it may have been applied`,
          'timeout',
          'TIMEOUT',
          info,
          e
        )
      : new CircuitNetworkError(
          `${req.method} ${info.endpoint ?? ''} timed out after ${req.timeoutMs} ms`,
          'none',
          'TIMEOUT',
          info,
          e
        )
  }
  const { code, message } = causeCode(e)
  const notSent =
    (code !== null && NOT_SENT_CODES.has(code)) ||
    (phase === 'request' && /bad port|invalid url|unknown scheme/i.test(message))
  if (notSent) return new CircuitNetworkError(`could not reach Circuit (${code ?? message})`, 'not-sent', code, info, e)
  if (!req.mutating)
    return new CircuitNetworkError(`connection to Circuit lost (${code ?? message})`, 'none', code, info, e)
  return new CircuitUnknownOutcome(
    `${req.method} ${info.endpoint ?? ''}: connection lost after sending (${code ?? message}); it may have been applied`,
    phase === 'body' ? 'body-lost' : 'connection-lost',
    code,
    info,
    e
  )
}

// ------------------------------------------------------------ send

/** The default cap on one answer (one page of a list): 32 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

/**
 * Deeper than any Circuit record (an order is about 6 levels deep). Deeper
 * JSON parses, but recursive code that reads it afterwards (JSON.stringify,
 * validation) overflows the stack, so it is refused at the door.
 */
export const MAX_JSON_DEPTH = 64

const megabytes = (n: number): string => `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`

function tooLarge(req: HttpRequest, status: number): CircuitBadResponse {
  return new CircuitBadResponse(
    `${req.info.endpoint ?? req.method}: Circuit's answer is larger than ${megabytes(req.maxBytes)} (the limit for one answer); ` +
      'nothing of it was used. Ask for fewer rows per page, or raise maxResponseBytes.',
    status,
    '',
    req.mutating,
    req.info,
    'too-large'
  )
}

/** The body as text, stopped (and the connection dropped) as soon as it passes `req.maxBytes`. */
async function readCapped(res: Response, req: HttpRequest): Promise<string> {
  const declared = res.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > req.maxBytes) {
    await res.body?.cancel().catch(() => undefined)
    throw tooLarge(req, res.status)
  }
  if (!res.body) return ''
  // A declared length within the cap, not compressed, is what undici reads and no more (it
  // refuses a body that runs past its Content-Length): read it whole, without a reader loop.
  // A compressed body may grow past the cap as it is unpacked: that one is counted as it comes.
  const encoding = res.headers.get('content-encoding')
  if (declared !== null && /^\d+$/.test(declared.trim()) && (encoding === null || /^\s*identity\s*$/i.test(encoding))) {
    return res.text()
  }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > req.maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(req, res.status)
    }
    chunks.push(value)
  }
  return UTF8.decode(Buffer.concat(chunks))
}

const UTF8 = new TextDecoder()

/** Send one request and return status + parsed JSON body (not interpreted). */
export async function send(fetchFn: FetchFn, req: HttpRequest): Promise<HttpResponse> {
  const ac = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    ac.abort()
  }, req.timeoutMs)
  try {
    let res: Response
    try {
      res = await fetchFn(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: ac.signal,
        redirect: 'manual'
      })
    } catch (e) {
      throw classifyFetchError(e, req, timedOut, 'request')
    }
    let text: string
    try {
      text = await readCapped(res, req)
    } catch (e) {
      if (e instanceof CircuitBadResponse) {
        ac.abort() // do not keep downloading what will not be read
        throw e
      }
      throw classifyFetchError(e, req, timedOut, 'body')
    }
    return { status: res.status, headers: res.headers, body: parseJsonBody(res.status, res.headers, text, req) }
  } finally {
    clearTimeout(timer)
  }
}

/** True when brackets outside strings nest deeper than `limit`. One pass, no recursion. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      // Most of a page is text inside strings: jump to the closing quote, one that no odd run of
      // backslashes escapes, rather than reading the string a character at a time.
      for (;;) {
        const q = text.indexOf('"', i + 1)
        if (q < 0) return false
        let slashes = 0
        for (let b = q - 1; text.charCodeAt(b) === 92 /* backslash */; b--) slashes++
        i = q
        if (slashes % 2 === 0) break
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--
  }
  return false
}

function parseJsonBody(status: number, headers: Headers, text: string, req: HttpRequest): unknown {
  if (text.trim() === '') return null
  const ct = headers.get('content-type') ?? ''
  const snippet = text.slice(0, 200)
  const looksHtml = /html/i.test(ct) || /^\s*</.test(text)
  const where = req.info.endpoint ?? req.url
  if (looksHtml) {
    throw new CircuitBadResponse(
      `${where}: expected JSON, got an HTML page (HTTP ${status})`,
      status,
      snippet,
      req.mutating,
      req.info,
      'html'
    )
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new CircuitBadResponse(
      `${where}: Circuit's answer could not be read: its data is nested more than ${MAX_JSON_DEPTH} levels deep (HTTP ${status}, ${text.length} bytes)`,
      status,
      snippet,
      req.mutating,
      req.info,
      'too-deep'
    )
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new CircuitBadResponse(
      `${where}: response is not valid JSON (truncated or malformed, HTTP ${status}, ${text.length} bytes)`,
      status,
      snippet,
      req.mutating,
      req.info,
      'not-json'
    )
  }
}

// ------------------------------------------------------------ error bodies

function asRecord(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
}

function numericStatus(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^\d{3}$/.test(v)) return Number(v)
  return null
}

/** `{title, status >= 400, …}` without `data`: an error even when sent with HTTP 200. */
export function errorBodyStatus(body: unknown): number | null {
  const o = asRecord(body)
  if (!o || 'data' in o || typeof o.title !== 'string') return null
  const s = numericStatus(o.status)
  return s !== null && s >= 400 ? s : null
}

export function httpErrorFrom(
  status: number,
  transportStatus: number,
  body: unknown,
  req: HttpRequest
): CircuitHttpError {
  const o = asRecord(body) ?? {}
  const fieldErrors: Record<string, string[]> = {}
  const errs = asRecord(o.errors)
  if (errs) {
    for (const [k, v] of Object.entries(errs)) {
      fieldErrors[k] = Array.isArray(v) ? v.map(String) : [String(v)]
    }
  }
  return new CircuitHttpError(
    {
      status,
      title: typeof o.title === 'string' ? o.title : `HTTP ${status}`,
      detail: typeof o.detail === 'string' ? o.detail : null,
      fieldErrors,
      transportStatus,
      mutating: req.mutating,
      body
    },
    req.info
  )
}

/**
 * 429 → retryAt (epoch ms on the injected clock). Precedence: body
 * `retry_after` (seconds), `Retry-After` header (seconds or HTTP date),
 * `X-RateLimit-Reset` (unix seconds; values below 1e9 are read as a delta),
 * else one minute.
 */
export function rateLimitedFrom(res: HttpResponse, req: HttpRequest, now: number): CircuitRateLimited {
  const o = asRecord(res.body) ?? {}
  const num = (v: unknown): number | null => {
    if (typeof v === 'number' && Number.isFinite(v)) return v
    if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v)
    return null
  }
  let retryAt: number | null = null
  const bodySecs = num(o.retry_after)
  if (bodySecs !== null) retryAt = now + Math.round(bodySecs * 1000)
  if (retryAt === null) {
    const h = res.headers.get('retry-after')
    if (h !== null) {
      const secs = num(h)
      if (secs !== null) retryAt = now + Math.round(secs * 1000)
      else {
        const t = Date.parse(h)
        if (!Number.isNaN(t)) retryAt = t
      }
    }
  }
  if (retryAt === null) {
    const reset = num(res.headers.get('x-ratelimit-reset'))
    if (reset !== null) retryAt = reset < 1e9 ? now + reset * 1000 : reset < 1e11 ? reset * 1000 : reset
  }
  if (retryAt === null) retryAt = now + 60_000
  const detail = typeof o.detail === 'string' ? ` – ${o.detail}` : ''
  return new CircuitRateLimited(`${req.info.endpoint ?? ''}: rate limited${detail}`, Math.max(retryAt, now), req.info)
}
