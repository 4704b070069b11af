// Circuit's answers are read with limits (issue 16 F16): a size cap enforced
// while the body streams in, a nesting limit, and no internal text from a
// malformed answer. A tiny real HTTP server sends the bad answers.
import http from 'node:http'
import { gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CircuitBadResponse, CircuitError } from '../../src-main/circuit/errors'
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_JSON_DEPTH, nestsDeeperThan } from '../../src-main/circuit/http'
import { caught, LOGIN_OK, makeClient } from './helpers'

type Answer = (req: http.IncomingMessage, res: http.ServerResponse) => void
let answer: Answer
let server: http.Server
let url: string
/** Bytes the server managed to hand to the socket for the last streamed answer. */
let streamed = 0
let streamClosed: Promise<void> = Promise.resolve()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/login-token')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(LOGIN_OK()))
      return
    }
    answer(req, res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

/** An answer that never ends: 64 KB chunks of a JSON string, as long as the client reads. */
function endlessAnswer(): Answer {
  return (_req, res) => {
    streamed = 0
    let done!: () => void
    streamClosed = new Promise<void>((r) => (done = r))
    res.writeHead(200, { 'content-type': 'application/json' }) // no content-length: chunked
    const chunk = Buffer.alloc(64 * 1024, 'a')
    res.write('{"data":[{"id":"1","title":"')
    const pump = (): void => {
      while (!res.destroyed) {
        streamed += chunk.length
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
    }
    res.on('close', () => done())
    pump()
  }
}

describe('a size cap on answers, enforced while streaming', () => {
  it('the default cap is 32 MB', () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024)
  })

  it('an endless answer is cut at the cap: a clear error, and the download stops there', async () => {
    answer = endlessAnswer()
    const cap = 2 * 1024 * 1024
    const { client } = makeClient(url, { maxResponseBytes: cap, timeoutMs: 30_000 })
    const e = await caught(client.sales.list())
    expect(e).toBeInstanceOf(CircuitBadResponse)
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-large', retryable: false, endpoint: 'sales.list' })
    expect(e.message).toContain("Circuit's answer is larger than 2 MB")
    // The client hung up: the server could not push much beyond the cap (socket buffers only).
    await streamClosed
    expect(streamed).toBeGreaterThan(cap / 2)
    expect(streamed).toBeLessThan(cap + 16 * 1024 * 1024)
  })

  it('a declared 700 MB answer is refused before any of it is read (default cap)', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(700 * 1024 * 1024) })
      res.write('{"data":[')
    }
    const { client } = makeClient(url)
    const e = await caught(client.items.list())
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-large' })
    expect(e.message).toContain('larger than 32 MB')
  })

  it('on a mutation the outcome of a too-large answer is unknown (the change may be applied)', async () => {
    answer = endlessAnswer()
    const { client } = makeClient(url, { maxResponseBytes: 1024 * 1024, timeoutMs: 30_000 })
    const e = await caught(
      client.transactions.create({ order: '1', transaction_type: 'cash', amount: 100, transaction_date: '2026-11-26' })
    )
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-large', outcome: 'unknown' })
  })

  it('an answer under the cap is read whole', async () => {
    const title = 'x'.repeat(900 * 1024)
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ data: [{ id: '1', label: title, status: 'published' }], count: 1 }))
    }
    const { client } = makeClient(url, { maxResponseBytes: 1024 * 1024 })
    const page = await client.sales.list()
    expect(page.rows[0].label).toHaveLength(900 * 1024)
  })

  it('an answer with its length declared, under the cap, is read whole', async () => {
    const body = JSON.stringify({ data: [{ id: '1', label: 'Fine Art', status: 'published' }], count: 1 })
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
      res.end(body)
    }
    const { client } = makeClient(url, { maxResponseBytes: 1024 * 1024 })
    expect((await client.sales.list()).rows.map((r) => r.label)).toEqual(['Fine Art'])
  })

  it('a compressed answer whose small declared length unpacks past the cap is refused as too large', async () => {
    // 4 MB of JSON gzipped to a few KB: the declared length is the packed one.
    const packed = gzipSync(JSON.stringify({ data: [{ id: '1', label: 'x'.repeat(4 * 1024 * 1024) }], count: 1 }))
    answer = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(packed.length)
      })
      res.end(packed)
    }
    const { client } = makeClient(url, { maxResponseBytes: 1024 * 1024 })
    const e = await caught(client.sales.list())
    expect(packed.length).toBeLessThan(1024 * 1024)
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-large' })
  })

  it('a cap below 1 KB is a configuration error', () => {
    expect(() => makeClient(url, { maxResponseBytes: 10 })).toThrow(/maxResponseBytes/)
  })
})

describe('a malformed answer never leaks internal text', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  const internal = /maximum call stack|rangeerror|typeerror|cannot read|undefined is not/i

  it('a deeply nested list (100,000 levels) is "could not be read", not a stack overflow', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"data":[${deep(100_000)}],"count":1}`)
    }
    const { client } = makeClient(url)
    const e = await caught(client.items.list())
    expect(e).toBeInstanceOf(CircuitError)
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-deep', retryable: false })
    expect(e.message).toContain("Circuit's answer could not be read")
    expect(e.message).not.toMatch(internal)
  })

  it('a valid record carrying a deeply nested extra field is refused too (its raw JSON could not be kept)', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"data":[{"id":"1","label":"S","status":"published","extra":${deep(50_000)}}]}`)
    }
    const { client } = makeClient(url)
    const e = await caught(client.sales.get('1'))
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-deep' })
    expect(e.message).not.toMatch(internal)
  })

  it('a deeply nested data that is not a list, on a command', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"data":${'{"a":'.repeat(80_000)}1${'}'.repeat(80_000)}}`)
    }
    const { client } = makeClient(url)
    const e = await caught(client.orders.split('1', ['2']))
    expect(e).toMatchObject({ kind: 'bad-response', reason: 'too-deep', outcome: 'unknown' })
    expect(e.message).not.toMatch(internal)
  })

  it('ordinary nesting (a Circuit order) passes; brackets inside strings do not count', () => {
    expect(nestsDeeperThan('{"data":[{"invoice_data":{"items":{"12":[{"nid":"1"}]}}}]}', MAX_JSON_DEPTH)).toBe(false)
    expect(nestsDeeperThan(JSON.stringify({ t: '['.repeat(500) }), MAX_JSON_DEPTH)).toBe(false)
    expect(nestsDeeperThan(JSON.stringify({ t: '\\"[[[' }), 2)).toBe(false)
    expect(nestsDeeperThan(deep(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false)
    expect(nestsDeeperThan(deep(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true)
  })

  it('skipping over strings decides as reading every character does, on random text with quotes and backslashes', () => {
    // The plain reading, character by character: the reference the quicker scan must agree with.
    const reference = (text: string, limit: number) => {
      let depth = 0
      let inString = false
      for (let i = 0; i < text.length; i++) {
        const c = text[i]
        if (inString) {
          if (c === '\\') i++
          else if (c === '"') inString = false
        } else if (c === '"') inString = true
        else if (c === '[' || c === '{') {
          if (++depth > limit) return true
        } else if (c === ']' || c === '}') depth--
      }
      return false
    }
    const alphabet = ['[', ']', '{', '}', '"', '\\', 'a', ',', ':']
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let k = 0; k < 20_000; k++) {
      let text = ''
      for (let j = Math.floor(random() * 30); j > 0; j--) text += alphabet[Math.floor(random() * alphabet.length)]
      const limit = Math.floor(random() * 4)
      expect(nestsDeeperThan(text, limit), JSON.stringify(text)).toBe(reference(text, limit))
    }
  })
})
