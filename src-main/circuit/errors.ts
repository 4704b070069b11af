// Typed errors of the Circuit client. Every error extends CircuitError and
// carries a `kind` discriminator, `retryable`, and an `outcome` telling the
// outbox what the server may have done with the request:
//   not-sent  – the request never reached the server (safe to resend)
//   rejected  – the server answered and did not apply it (4xx, 429)
//   unknown   – it may or may not have been applied (mutation lost after sending);
//               the caller must reconcile before resending (no idempotency keys)
//   applied   – the server answered 2xx but the answer could not be decoded
//   none      – a read, or an error raised before any request (config, auth)

export type CircuitOutcome = 'not-sent' | 'rejected' | 'unknown' | 'applied' | 'none'

export type CircuitErrorKind =
  'config' | 'auth-required' | 'http' | 'rate-limited' | 'network' | 'unknown-outcome' | 'decode' | 'bad-response'

export interface RequestInfo {
  /** Endpoint key from the table, or 'login' for the auth calls. */
  endpoint?: string
  method?: string
  /** URL with any token redacted. */
  url?: string
}

export abstract class CircuitError extends Error {
  abstract readonly kind: CircuitErrorKind
  abstract readonly retryable: boolean
  abstract readonly outcome: CircuitOutcome
  readonly endpoint: string | undefined
  readonly method: string | undefined
  readonly url: string | undefined

  constructor(message: string, info: RequestInfo = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.endpoint = info.endpoint
    this.method = info.method
    this.url = info.url
  }
}

/** Bad client configuration or arguments (non-https base URL, unknown endpoint, bad money input). */
export class CircuitConfigError extends CircuitError {
  readonly kind = 'config' as const
  readonly retryable = false
  readonly outcome = 'none' as const
}

/** Credentials are needed: none available, or the server said 401. Never retried automatically. */
export class CircuitAuthRequired extends CircuitError {
  readonly kind = 'auth-required' as const
  readonly retryable = false
  readonly outcome = 'none' as const
  /** 401 detail from the server, when there was one. */
  readonly detail: string | null
  constructor(message: string, info: RequestInfo = {}, detail: string | null = null) {
    super(message, info)
    this.detail = detail
  }
}

export interface HttpErrorInit {
  status: number
  title: string
  detail: string | null
  fieldErrors: Record<string, string[]>
  /** The HTTP status line when it differs from `status` (a 200 carrying an error body). */
  transportStatus: number
  mutating: boolean
  body: unknown
}

/** The server answered with an error (documented body `{title,status,detail,errors}`). */
export class CircuitHttpError extends CircuitError {
  readonly kind = 'http' as const
  readonly status: number
  readonly title: string
  readonly detail: string | null
  readonly fieldErrors: Record<string, string[]>
  readonly transportStatus: number
  readonly body: unknown
  readonly retryable: boolean
  readonly outcome: CircuitOutcome

  constructor(init: HttpErrorInit, info: RequestInfo = {}) {
    const where = info.endpoint ? `${info.endpoint}: ` : ''
    super(`${where}HTTP ${init.status} ${init.title}${init.detail ? ` – ${init.detail}` : ''}`, info)
    this.status = init.status
    this.title = init.title
    this.detail = init.detail
    this.fieldErrors = init.fieldErrors
    this.transportStatus = init.transportStatus
    this.body = init.body
    const serverSide = init.status >= 500 || init.status === 408
    this.retryable = serverSide
    // A 5xx after a mutation may have been partially applied (Drupal commits
    // before some post-save hooks run); 4xx means the server refused it.
    this.outcome = serverSide ? (init.mutating ? 'unknown' : 'none') : 'rejected'
  }
}

/** 429. `retryAt` is epoch ms computed with the injected clock. */
export class CircuitRateLimited extends CircuitError {
  readonly kind = 'rate-limited' as const
  readonly retryable = true
  readonly outcome = 'rejected' as const
  readonly retryAt: number
  constructor(message: string, retryAt: number, info: RequestInfo = {}) {
    super(message, info)
    this.retryAt = retryAt
  }
}

/**
 * The request failed at the network level. `not-sent`: connection refused,
 * DNS, TLS, bad port – nothing reached the server. `none`: a read (GET) that
 * was lost after sending – harmless, retry it.
 */
export class CircuitNetworkError extends CircuitError {
  readonly kind = 'network' as const
  readonly retryable = true
  readonly outcome: 'not-sent' | 'none'
  readonly code: string | null
  constructor(
    message: string,
    outcome: 'not-sent' | 'none',
    code: string | null,
    info: RequestInfo = {},
    cause?: unknown
  ) {
    super(message, info, { cause })
    this.outcome = outcome
    this.code = code
  }
}

/**
 * A mutation was sent but no answer arrived (time-out, connection dropped).
 * It may have been applied. NOT a failure: the outbox must look at the server
 * state before deciding to resend (Circuit has no idempotency keys).
 */
export class CircuitUnknownOutcome extends CircuitError {
  readonly kind = 'unknown-outcome' as const
  readonly retryable = false
  readonly outcome = 'unknown' as const
  readonly reason: 'timeout' | 'connection-lost' | 'body-lost'
  readonly code: string | null
  constructor(
    message: string,
    reason: 'timeout' | 'connection-lost' | 'body-lost',
    code: string | null,
    info: RequestInfo = {},
    cause?: unknown
  ) {
    super(message, info, { cause })
    this.reason = reason
    this.code = code
  }
}

/** A JSON response that does not match the expected shape. Message: `endpoint[index].path: problem`. */
export class CircuitDecodeError extends CircuitError {
  readonly kind = 'decode' as const
  /** Resource name used in the message ("datatable-items"); `endpoint` is the table key when known. */
  readonly resource: string
  readonly retryable = false
  readonly outcome: 'applied' | 'none'
  readonly index: number | null
  readonly path: string
  readonly problem: string
  constructor(
    endpoint: string,
    index: number | null,
    path: string,
    problem: string,
    mutating: boolean,
    info: RequestInfo = {}
  ) {
    const at = `${endpoint}${index === null ? '' : `[${index}]`}${path ? (path.startsWith('[') ? path : `.${path}`) : ''}`
    super(`${at}: ${problem}`, { ...info, endpoint: info.endpoint ?? endpoint })
    this.resource = endpoint
    this.index = index
    this.path = path
    this.problem = problem
    this.outcome = mutating ? 'applied' : 'none'
  }
}

/**
 * Why an answer could not be used:
 *   html       – an HTML page (a proxy's or the server's error page)
 *   not-json   – truncated or malformed JSON
 *   too-large  – bigger than the client's `maxResponseBytes` (read stopped at the limit)
 *   too-deep   – JSON nested deeper than any Circuit record (would break the code reading it)
 *   unreadable – JSON that could not be decoded for another reason
 *   redirect   – an unexpected 3xx
 *   paging     – list paging that does not terminate
 */
export type BadResponseReason = 'html' | 'not-json' | 'too-large' | 'too-deep' | 'unreadable' | 'redirect' | 'paging'

// The same answer comes back when asked again: retrying does not help.
const DETERMINISTIC: ReadonlySet<BadResponseReason> = new Set(['too-large', 'too-deep', 'unreadable'])

/** Not usable as an answer (HTML error page from a proxy, truncated body, too large, too deeply nested). */
export class CircuitBadResponse extends CircuitError {
  readonly kind = 'bad-response' as const
  readonly status: number
  readonly snippet: string
  readonly reason: BadResponseReason
  readonly retryable: boolean
  readonly outcome: CircuitOutcome
  constructor(
    message: string,
    status: number,
    snippet: string,
    mutating: boolean,
    info: RequestInfo = {},
    reason: BadResponseReason = 'not-json'
  ) {
    super(message, info)
    this.status = status
    this.snippet = snippet
    this.reason = reason
    // An HTML page from a proxy is usually transient for reads; for a
    // mutation we cannot tell whether the backend applied it.
    this.retryable = !mutating && !DETERMINISTIC.has(reason)
    this.outcome = mutating ? 'unknown' : 'none'
  }
}

export function isCircuitError(e: unknown): e is CircuitError {
  return e instanceof CircuitError
}
