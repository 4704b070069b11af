// Auth flows, token transports, refresh, single-flight re-login, and the
// transport error taxonomy — all against real local HTTP servers.
import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { caught, json, LOGIN_OK, makeClient, startServer, type TestServer } from './helpers'
import { createCircuitClient } from '../../src-main/circuit/client'
import { createFileSecretStore, createMemorySecretStore } from '../../src-main/circuit/secret-store'
import {
  CircuitAuthRequired,
  CircuitConfigError,
  CircuitNetworkError,
  CircuitRateLimited,
  CircuitUnknownOutcome
} from '../../src-main/circuit/errors'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function server(h: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(h)
  servers.push(s)
  return s
}
const SALES = { data: [{ id: '1', label: 'Sale' }], count: 1 }
const logins = (s: TestServer) => s.seen.filter((r) => r.path === '/api/login-token').length
const apiCalls = (s: TestServer) => s.seen.filter((r) => r.path.startsWith('/api/v1.0/'))

describe('login', () => {
  it('sends a correct HTTP Basic header (UTF-8, colon in password) and then the Bearer token', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK('tok-basic'))
      json(res, 200, SALES)
    })
    const { client } = makeClient(s.url, {
      credentials: () => ({ email: 'clerk@saleroom.test', password: 'pä:ss wörd' })
    })
    await client.sales.list()
    const login = s.seen[0]
    expect(login.method).toBe('GET')
    const b64 = String(login.headers.authorization).replace(/^Basic /, '')
    expect(login.headers.authorization).toMatch(/^Basic [A-Za-z0-9+/=]+$/)
    expect(Buffer.from(b64, 'base64').toString('utf8')).toBe('clerk@saleroom.test:pä:ss wörd')
    expect(s.seen[1].headers.authorization).toBe('Bearer tok-basic')
  })

  it('explicit login stores the token, never the password; logout forgets it', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK('tok-x', 1_800_000_000))
      json(res, 200, SALES)
    })
    const secrets = createMemorySecretStore()
    const { client } = makeClient(s.url, { secrets, credentials: () => null })
    const r = await client.login('a@b.c', 'hunter2-secret')
    expect(r.expiresAt).toBe(1_800_000_000_000)
    const key = `circuit.access-token:${client.baseUrl}`
    const stored = await secrets.get(key)
    expect(stored).toContain('tok-x')
    expect(stored).not.toContain('hunter2')
    await client.sales.list() // uses the stored token even though credentials() returns null
    expect(s.seen.at(-1)!.headers.authorization).toBe('Bearer tok-x')
    await client.logout()
    expect(await secrets.get(key)).toBeNull()
    expect(await caught(client.sales.list())).toBeInstanceOf(CircuitAuthRequired)
  })

  it('wrong credentials → CircuitAuthRequired; no credentials → CircuitAuthRequired without a request', async () => {
    const s = await server((req, res) =>
      json(res, 401, { title: 'Unauthorized', status: 401, detail: 'Wrong credentials.' })
    )
    const { client } = makeClient(s.url)
    const e = await caught(client.sales.list())
    expect(e).toBeInstanceOf(CircuitAuthRequired)
    expect(e.detail).toBe('Wrong credentials.')
    expect(s.seen).toHaveLength(1)
    const { client: c2 } = makeClient(s.url, { credentials: async () => null })
    expect(await caught(c2.sales.list())).toMatchObject({ kind: 'auth-required', retryable: false })
    expect(s.seen).toHaveLength(1)
  })

  it('legacy bo_auth flow', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/v1.0/bo_auth')
        return json(res, 200, {
          data: { access_token: 'eyJ-legacy', user: { id: '1', name: 'J', email: 'j@x', roles: [] } }
        })
      json(res, 200, SALES)
    })
    const { client } = makeClient(s.url, { authFlow: 'bo_auth' })
    await client.sales.list()
    expect(s.seen[0].method).toBe('POST')
    expect(JSON.parse(s.seen[0].body)).toEqual({ username: 'demo@saleroom.test', password: 'demo' })
    expect(s.seen[1].headers.authorization).toBe('Bearer eyJ-legacy')
  })
})

describe('token transports', () => {
  it.each([
    [
      'bearer',
      (r: { headers: http.IncomingHttpHeaders; query: URLSearchParams }) =>
        r.headers.authorization === 'Bearer T1' && !r.query.has('access_token')
    ],
    [
      'access-token-header',
      (r: { headers: http.IncomingHttpHeaders; query: URLSearchParams }) =>
        r.headers['access-token'] === 'T1' && r.headers.authorization === undefined
    ],
    [
      'query',
      (r: { headers: http.IncomingHttpHeaders; query: URLSearchParams }) =>
        r.query.get('access_token') === 'T1' && r.headers.authorization === undefined
    ]
  ] as const)('%s', async (transport, check) => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK('T1'))
      json(res, 200, SALES)
    })
    const { client } = makeClient(s.url, { tokenTransport: transport })
    await client.sales.list({ filter: { status: 'published' } })
    const api = apiCalls(s)[0]
    expect(check(api)).toBe(true)
    expect(api.query.get('filter[status]')).toBe('published')
  })
})

describe('refresh and expiry', () => {
  it('logs in again before `expire` (margin, injected clock)', async () => {
    let n = 0
    const t0 = 1_700_000_000_000
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK(`tok-${++n}`, t0 / 1000 + 3600))
      json(res, 200, SALES)
    })
    const { client, clock } = makeClient(s.url, { refreshMarginMs: 60_000 })
    clock.t = t0
    await client.sales.list()
    clock.t = t0 + 3_500_000 // 100 s before expiry: still outside the 60 s margin
    await client.sales.list()
    expect(logins(s)).toBe(1)
    clock.t = t0 + 3_550_000 // 50 s before expiry: inside the margin
    await client.sales.list()
    expect(logins(s)).toBe(2)
    expect(apiCalls(s).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2'])
  })

  it('403 "Access token expired" → one single-flight login shared by concurrent requests', async () => {
    let n = 0
    const valid = new Set<string>()
    const s = await server(async (req, res) => {
      if (req.path === '/api/login-token') {
        await new Promise((r) => setTimeout(r, 50))
        const t = `fresh-${++n}`
        valid.add(t)
        return json(res, 200, LOGIN_OK(t))
      }
      const tok = String(req.headers.authorization).replace('Bearer ', '')
      if (!valid.has(tok)) return json(res, 403, { title: 'Forbidden', status: 403, detail: 'Access token expired.' })
      json(res, 200, SALES)
    })
    const secrets = createMemorySecretStore()
    const { client } = makeClient(s.url, { secrets })
    await secrets.set(`circuit.access-token:${client.baseUrl}`, JSON.stringify({ token: 'stale', expiresAt: null }))
    const results = await Promise.all(Array.from({ length: 6 }, () => client.sales.list()))
    expect(results.every((r) => r.rows[0].id === '1')).toBe(true)
    expect(logins(s)).toBe(1)
    expect(apiCalls(s).filter((r) => r.headers.authorization === 'Bearer stale')).toHaveLength(6)
    expect(apiCalls(s).filter((r) => r.headers.authorization === 'Bearer fresh-1')).toHaveLength(6)
  })

  it('a 403 that is not "expired" is a plain HTTP error (no re-login)', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      json(res, 403, {
        title: 'Access denied',
        status: 403,
        detail: 'You do not have permission to perform this action'
      })
    })
    const { client } = makeClient(s.url)
    expect(await caught(client.orders.get('1'))).toMatchObject({ kind: 'http', status: 403, outcome: 'rejected' })
    expect(logins(s)).toBe(1)
  })

  it('401 on an API call → CircuitAuthRequired, token forgotten, never retried', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      json(res, 401, { title: 'Unauthorized', status: 401, detail: 'No authentication credentials provided.' })
    })
    const secrets = createMemorySecretStore()
    const { client } = makeClient(s.url, { secrets })
    const e = await caught(client.items.patch('1', { field_withdrawn: true }))
    expect(e).toBeInstanceOf(CircuitAuthRequired)
    expect(logins(s)).toBe(1)
    expect(apiCalls(s)).toHaveLength(1)
    expect(await secrets.get(`circuit.access-token:${client.baseUrl}`)).toBeNull()
  })
})

describe('rate limiting', () => {
  it('retryAt from body retry_after (seconds) and from X-RateLimit-Reset / Retry-After', async () => {
    let mode = 'body'
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      if (mode === 'body')
        return json(res, 429, {
          title: 'Rate limit exceeded',
          status: 429,
          detail: 'Too many requests.',
          retry_after: 60
        })
      if (mode === 'reset')
        return json(
          res,
          429,
          { title: 'Rate limit exceeded', status: 429 },
          { 'x-ratelimit-reset': '1700000120', 'x-ratelimit-remaining': '0' }
        )
      json(res, 429, { title: 'Rate limit exceeded', status: 429 }, { 'retry-after': '7' })
    })
    const { client, clock } = makeClient(s.url)
    clock.t = 1_700_000_000_000
    const e = await caught(client.sales.list())
    expect(e).toBeInstanceOf(CircuitRateLimited)
    expect(e).toMatchObject({ retryAt: 1_700_000_060_000, retryable: true, outcome: 'rejected' })
    mode = 'reset'
    expect((await caught(client.sales.list())).retryAt).toBe(1_700_000_120_000)
    mode = 'header'
    expect((await caught(client.sales.list())).retryAt).toBe(1_700_000_007_000)
  })
})

describe('network failures', () => {
  async function closedPort(): Promise<number> {
    const srv = http.createServer()
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const { port } = srv.address() as AddressInfo
    await new Promise((r) => srv.close(r))
    return port
  }
  const withToken = () => {
    const secrets = createMemorySecretStore()
    return secrets
  }

  it('ECONNREFUSED → CircuitNetworkError, not sent', async () => {
    const port = await closedPort()
    const secrets = withToken()
    const { client } = makeClient(`http://127.0.0.1:${port}`, { secrets })
    await secrets.set(`circuit.access-token:${client.baseUrl}`, JSON.stringify({ token: 't', expiresAt: null }))
    const e = await caught(client.orders.create({ type: 'bidder', sale: '1', owner: '2', items: ['3'] }))
    expect(e).toBeInstanceOf(CircuitNetworkError)
    expect(e).toMatchObject({ outcome: 'not-sent', code: 'ECONNREFUSED', retryable: true })
  })

  it('socket destroyed after reading a PATCH → CircuitUnknownOutcome; a GET → retryable network error', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      res.socket?.destroy()
    })
    const { client } = makeClient(s.url)
    const e = await caught(
      client.items.patch('345', { field_sold_for_amount: 25000, field_winner_bidder: '123', field_sold_status: 'sold' })
    )
    expect(e).toBeInstanceOf(CircuitUnknownOutcome)
    expect(e).toMatchObject({ outcome: 'unknown', retryable: false, reason: 'connection-lost', code: 'UND_ERR_SOCKET' })
    const patch = apiCalls(s)[0]
    expect(patch.method).toBe('PATCH')
    expect(JSON.parse(patch.body)).toEqual({
      field_sold_for_amount: 25000,
      field_winner_bidder: '123',
      field_sold_status: 'sold'
    })
    const g = await caught(client.items.get('345'))
    expect(g).toBeInstanceOf(CircuitNetworkError)
    expect(g).toMatchObject({ outcome: 'none', retryable: true })
  })

  it('time-out on a POST → unknown outcome; on a GET → retryable network error', async () => {
    const s = await server((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      setTimeout(() => json(res, 200, { data: [] }), 1500)
    })
    const { client } = makeClient(s.url, { timeoutMs: 150 })
    const e = await caught(
      client.transactions.create({
        order: '789',
        transaction_type: 'Payment',
        amount: 50000,
        transaction_date: '2025-10-15'
      })
    )
    expect(e).toBeInstanceOf(CircuitUnknownOutcome)
    expect(e).toMatchObject({ reason: 'timeout', outcome: 'unknown' })
    expect(JSON.parse(apiCalls(s)[0].body)).toMatchObject({ amount: '500.00' })
    const g = await caught(client.sales.list())
    expect(g).toMatchObject({ kind: 'network', code: 'TIMEOUT', retryable: true })
  })
})

describe('base URL rule', () => {
  const make = (baseUrl: string) => () =>
    createCircuitClient({ baseUrl, now: () => 0, secrets: createMemorySecretStore(), credentials: () => null })
  it('https required; plain http only for loopback', () => {
    expect(make('http://backoffice.example.com')).toThrow(CircuitConfigError)
    expect(make('http://10.0.0.5:8080')).toThrow(/must use https/)
    expect(make('ftp://example.com')).toThrow(CircuitConfigError)
    expect(make('not a url')).toThrow(CircuitConfigError)
    expect(make('https://user:pw@example.com')).toThrow(CircuitConfigError)
    expect(make('http://127.0.0.1:9000')).not.toThrow()
    expect(make('http://127.8.9.10')).not.toThrow()
    expect(make('http://localhost:3000')).not.toThrow()
    expect(make('http://[::1]:3000')).not.toThrow()
    expect(make('https://backoffice.example.com/api/v1.0/')().baseUrl).toBe('https://backoffice.example.com')
  })

  it('money inputs must be integer minor units', async () => {
    const { client } = makeClient('http://127.0.0.1:9')
    await expect(async () =>
      client.transactions.create({ order: '1', transaction_type: 'cash', amount: 12.5, transaction_date: '2025-01-01' })
    ).rejects.toThrow(CircuitConfigError)
    await expect(async () => client.items.patch('1', { field_sold_for_amount: 250.5 })).rejects.toThrow(/integer cents/)
  })
})

describe('file secret store', () => {
  it('writes a 0600 JSON file atomically and round-trips', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'circuit-secrets-'))
    const path = join(dir, 'nested', 'secrets.json')
    const store = createFileSecretStore(path)
    expect(await store.get('a')).toBeNull()
    await Promise.all([store.set('a', '1'), store.set('b', '2'), store.set('c', '3')])
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: '1', b: '2', c: '3' })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await store.delete('b')
    expect(await createFileSecretStore(path).get('b')).toBeNull()
    expect(await createFileSecretStore(path).get('c')).toBe('3')
    expect((await readdir(join(dir, 'nested'))).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
