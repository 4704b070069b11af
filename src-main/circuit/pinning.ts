// Talking to a Circuit-API server whose certificate is pinned: the venue
// hub. Its certificate is self-signed; a station trusts exactly the
// certificate it paired with (the one whose fingerprint gave the pairing code
// the user typed), and nothing else — not a CA, not a look-alike on the
// Wi-Fi. Plain http to a hub is refused.
import { request } from 'node:https'
import { connect, type PeerCertificate } from 'node:tls'
import { Readable } from 'node:stream'
import { X509Certificate, createHash } from 'node:crypto'
import type { FetchFn } from './http'

// Crockford's base32: no I, L, O or U, so a code read aloud is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The certificate's SHA-256 fingerprint (hex) from its PEM. */
export function fingerprintOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')
}

/** Eight base32 characters (40 bits) of the fingerprint, as XXXX-XXXX. */
export function pairingCodeOf(fingerprint: string): string {
  const bytes = Buffer.from(fingerprint.slice(0, 10), 'hex')
  let bits = 0n
  for (const b of bytes) bits = (bits << 8n) | BigInt(b)
  let code = ''
  for (let i = 7; i >= 0; i--) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** A code as typed: upper case, dashes and spaces ignored, O read as 0, I and L as 1. */
export function normaliseCode(typed: string): string {
  const c = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c
}

export class PairingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PairingError'
  }
}

function hubUrl(raw: string): URL {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new PairingError(`"${raw}" is not an address. Give the hub's address, e.g. https://192.168.1.20:5443.`)
  }
  if (u.protocol !== 'https:') {
    throw new PairingError('A venue hub is reached over https only; plain http is refused.')
  }
  return u
}

function pemOf(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`
}

/**
 * Connect, read the certificate the hub presents, and check it against the
 * pairing code the user typed. Nothing is sent over the connection. Answers
 * the certificate to pin.
 */
export async function fetchHubCertificate(
  url: string,
  code: string,
  timeoutMs = 5_000
): Promise<{ certPem: string; fingerprint: string }> {
  const u = hubUrl(url)
  return new Promise((ok, fail) => {
    const socket = connect({
      host: u.hostname,
      port: Number(u.port || 443),
      rejectUnauthorized: false,
      servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname
    })
    const timer = setTimeout(() => {
      socket.destroy()
      fail(new PairingError(`The hub at ${u.host} did not answer.`))
    }, timeoutMs)
    socket.once('secureConnect', () => {
      clearTimeout(timer)
      const cert = socket.getPeerCertificate(false) as PeerCertificate & { raw?: Buffer }
      socket.end()
      if (!cert?.raw) return fail(new PairingError(`The hub at ${u.host} presented no certificate.`))
      const certPem = pemOf(cert.raw)
      const fingerprint = fingerprintOf(certPem)
      if (pairingCodeOf(fingerprint) !== normaliseCode(code)) {
        return fail(
          new PairingError(
            `The pairing code does not match the hub at ${u.host}: check the code shown on the hub (Settings → Venue), or that this is the right address.`
          )
        )
      }
      ok({ certPem, fingerprint })
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      fail(new PairingError(`Could not reach the hub at ${u.host}: ${err.message}`))
    })
  })
}

/**
 * A fetch for the Circuit client that trusts only the pinned certificate:
 * the TLS handshake itself refuses any other, before a byte of the request
 * (or a password) is sent.
 */
export function pinnedFetch(
  pin: { certPem: string; fingerprint: string },
  /** Sent on every request (a station's name, which signs the hub's audit); read at each request. */
  extraHeaders: () => Record<string, string> = () => ({})
): FetchFn {
  const expected = pin.fingerprint.toLowerCase()
  return (input, init) =>
    new Promise<Response>((ok, fail) => {
      let u: URL
      try {
        u = hubUrl(input)
      } catch (err) {
        fail(new TypeError((err as Error).message))
        return
      }
      const headers: Record<string, string> = { ...extraHeaders() }
      new Headers(init.headers).forEach((v, k) => (headers[k] = v))
      // Its length, always: Node sends a DELETE's body neither chunked nor sized unless told, and the
      // hub would read the body as the start of another request (a phone card's DELETE answered 400).
      const body = typeof init.body === 'string' ? Buffer.from(init.body) : null
      if (body) headers['content-length'] = String(body.length)
      const req = request(
        {
          host: u.hostname,
          port: Number(u.port || 443),
          path: u.pathname + u.search,
          method: init.method ?? 'GET',
          headers,
          ca: [pin.certPem],
          // The hub is reached by address, not by a name on its certificate: identity is the pin.
          checkServerIdentity: (_host, cert) => {
            const got = createHash('sha256').update(cert.raw).digest('hex')
            if (got === expected) return undefined
            // Classified like any certificate refusal: nothing was sent.
            return Object.assign(new Error('The venue hub presented another certificate than the one paired with.'), {
              code: 'ERR_TLS_CERT_ALTNAME_INVALID'
            })
          }
        },
        (res) => {
          const out = new Headers()
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) out.append(k, x)
            else if (v !== undefined) out.set(k, v)
          }
          const status = res.statusCode ?? 0
          const body = status === 204 || status === 304 ? null : (Readable.toWeb(res) as ReadableStream)
          ok(new Response(body, { status, headers: out }))
        }
      )
      const abort = () => req.destroy(new DOMException('The operation was aborted.', 'AbortError'))
      if (init.signal) {
        if (init.signal.aborted) return abort()
        init.signal.addEventListener('abort', abort, { once: true })
      }
      // Node's fetch raises TypeError on a transport failure; the client classifies it the same way.
      req.on('error', (err) =>
        fail(err.name === 'AbortError' ? err : Object.assign(new TypeError('fetch failed'), { cause: err }))
      )
      req.end(body ?? undefined)
    })
}
