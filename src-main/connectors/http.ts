// One JSON exchange with another platform's API (FairWarning, Bidlogix):
// time-out, transport failures told apart (never sent / answer lost), the
// body parsed. node:http rather than fetch: FairWarning's item search is a GET
// with a JSON body ("raw post data"), which fetch refuses to send.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'

export type ConnectorErrorKind = 'config' | 'auth' | 'http' | 'network' | 'unknown-outcome' | 'bad-response'

/** Every failure of a connector's client. The message is for people and never carries a key. */
export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The parsed error body, for callers that read a documented error shape. */
    readonly body: unknown = null
  ) {
    super(message)
    this.name = 'ConnectorError'
  }

  /** Worth trying again: the network, a 5xx, an answer that did not parse. */
  get retryable(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'unknown-outcome' ||
      this.kind === 'bad-response' ||
      (this.kind === 'http' && this.status !== null && this.status >= 500)
    )
  }
}

export interface JsonRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: unknown
  timeoutMs: number
  /** POST: a lost answer means "may have been applied", not "failed". */
  mutating: boolean
  /** Names the call in messages ("FairWarning items 0–100"). */
  what: string
}

export interface JsonResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Parsed JSON, or null for an empty body. */
  body: unknown
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

/**
 * Check an address typed in Settings or given by the environment: https, or
 * plain http on this machine only (the simulators). Answers it without a
 * trailing slash.
 */
export function checkBaseUrl(raw: string, platform: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new ConnectorError('config', `The ${platform} address is not an address: "${raw.slice(0, 80)}".`)
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.test(u.hostname)))
    throw new ConnectorError(
      'config',
      `The ${platform} address must start with https:// (plain http only for this machine): ${u.origin}`
    )
  if (u.username || u.password || u.search || u.hash)
    throw new ConnectorError('config', `The ${platform} address must not carry a user, a query or a fragment.`)
  return u.origin + u.pathname.replace(/\/+$/, '')
}

// Failures before any byte of the request left this machine.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])

export function sendJson(req: JsonRequest): Promise<JsonResponse> {
  const url = new URL(req.url)
  const text = req.body === undefined ? undefined : JSON.stringify(req.body)
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
  if (text !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(text))
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<JsonResponse>((resolve, reject) => {
    let written = false
    let settled = false
    const fail = (err: ConnectorError) => {
      if (settled) return
      settled = true
      reject(err)
    }
    const r = send(url, { method: req.method, headers, timeout: req.timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', () => fail(lost(req)))
      res.on('aborted', () => fail(lost(req)))
      res.on('end', () => {
        if (settled) return
        const raw = Buffer.concat(chunks).toString('utf8')
        let body: unknown = null
        if (raw.trim() !== '') {
          try {
            body = JSON.parse(raw)
          } catch {
            return fail(
              new ConnectorError(
                'bad-response',
                `${req.what}: the answer is not JSON (HTTP ${res.statusCode ?? '?'}, ${raw.length} bytes).`,
                res.statusCode ?? null
              )
            )
          }
        }
        settled = true
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    r.on('finish', () => (written = true))
    r.on('timeout', () => {
      r.destroy()
      fail(
        req.mutating
          ? new ConnectorError(
              'unknown-outcome',
              `${req.what}: no answer within ${req.timeoutMs / 1000} s; it may have been applied.`
            )
          : new ConnectorError('network', `${req.what}: no answer within ${req.timeoutMs / 1000} s.`)
      )
    })
    r.on('error', (e: NodeJS.ErrnoException) => {
      if (!written || (e.code && NOT_SENT.has(e.code)))
        return fail(new ConnectorError('network', `${req.what}: could not reach ${url.host} (${e.code ?? e.message}).`))
      fail(lost(req))
    })
    r.end(text)
  })
}

function lost(req: JsonRequest): ConnectorError {
  return req.mutating
    ? new ConnectorError(
        'unknown-outcome',
        `${req.what}: the connection dropped after sending; it may have been applied.`
      )
    : new ConnectorError('network', `${req.what}: the connection dropped before the answer arrived.`)
}

/** Try a read (or a write whose repeat is harmless) again after network trouble and 5xx, a few times. */
export async function withRetries<T>(
  fn: () => Promise<T>,
  o: { attempts: number; delayMs: (attempt: number) => number; sleep?: (ms: number) => Promise<void> }
): Promise<T> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof ConnectorError) || !err.retryable || attempt >= o.attempts) throw err
      await sleep(o.delayMs(attempt))
    }
  }
}
