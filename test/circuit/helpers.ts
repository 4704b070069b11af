// Test helpers: a tiny real HTTP server on 127.0.0.1:0 and a client factory.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCircuitClient, type CircuitClientOptions } from '../../src-main/circuit/client'
import { createMemorySecretStore, type SecretStore } from '../../src-main/circuit/secret-store'

export interface Seen {
  method: string
  url: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

export type Handler = (req: Seen, res: http.ServerResponse) => void | Promise<void>

export interface TestServer {
  url: string
  seen: Seen[]
  close(): Promise<void>
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x')
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: u.pathname,
        query: u.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      seen.push(s)
      Promise.resolve(handler(s, res)).catch((e: unknown) => {
        res.statusCode = 599
        res.end(String(e))
      })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}

export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'))

export const LOGIN_OK = (token = 'tok-1', expire = 2_000_000_000) => ({
  data: [{ id: '1', token, type: 'access_token', uid: '2', expire }]
})

export interface TestClock {
  t: number
  now: () => number
}
export function clock(t = 1_700_000_000_000): TestClock {
  const c = { t, now: () => c.t }
  return c
}

export function makeClient(url: string, over: Partial<CircuitClientOptions> & { secrets?: SecretStore } = {}) {
  const c = clock()
  const client = createCircuitClient({
    baseUrl: url,
    now: c.now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    timeoutMs: 2000,
    ...over
  })
  return { client, clock: c }
}

/** Await a promise expected to reject, and return the error (loosely typed: tests read class-specific fields). */

export async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}
