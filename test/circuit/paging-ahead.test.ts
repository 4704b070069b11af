// listAll asks for the next page while it hands the current one to onPage
// (the pull writes it to the replica meanwhile), and for no page more than
// before: not past the last, not after a repeated next link. A page whose
// onPage fails stops the listing with that failure.
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { caught, json, LOGIN_OK, makeClient, startServer, type Seen, type TestServer } from './helpers'
import { CircuitBadResponse } from '../../src-main/circuit/errors'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const TOTAL = 7
const sale = (i: number) => ({ id: String(i), label: `Sale ${i}` })
const pageNo = (req: Seen) => Number(req.query.get('page') ?? 0)
const slice = (from: number, n: number) =>
  Array.from({ length: Math.max(0, Math.min(n, TOTAL - from)) }, (_, i) => sale(from + i + 1))

async function server(page: (req: Seen) => unknown): Promise<TestServer> {
  const s = await startServer((req, res) => {
    if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
    json(res, 200, page(req))
  })
  servers.push(s)
  return s
}
const apiPages = (s: TestServer) => s.seen.filter((r) => r.path !== '/api/login-token').map((r) => r.query.get('page'))

describe('listAll asks for the next page while the current one is written', () => {
  it('each page but the last is followed by the request for the next before onPage ends', async () => {
    // The server says when a page is asked for; onPage waits, while it "writes", for the next
    // page's request. Without the request ahead it would wait for ever (the test's time-out).
    const asked = new Map<number, () => void>()
    const arrived = new Map<number, Promise<void>>()
    for (const n of [0, 1, 2]) arrived.set(n, new Promise<void>((ok) => asked.set(n, ok)))
    const s = await server((req) => {
      asked.get(pageNo(req))?.()
      return { data: slice(pageNo(req) * 3, 3), count: TOTAL }
    })
    const { client } = makeClient(s.url)
    const handed: number[] = []
    await client.listAll(
      'sales.list',
      {},
      {
        range: 3,
        onPage: async (_rows, p) => {
          if (p.page < 2) await arrived.get(p.page + 1)
          handed.push(p.page)
        }
      }
    )
    expect(handed).toEqual([0, 1, 2])
    expect(apiPages(s)).toEqual(['0', '1', '2']) // nothing past the last page
  })

  it('with a synchronous onPage (a replica transaction holds the thread), the next request has reached the server before it ends', async () => {
    // The server runs on its own thread and marks each page's request as it arrives; onPage blocks
    // this thread, as the pull's transaction does, until the next page's mark is set. A request
    // that only goes out once onPage returns can never arrive in time: the wait runs out.
    const marks = new Int32Array(new SharedArrayBuffer(4 * 8))
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads')
       const http = require('node:http')
       const marks = new Int32Array(workerData)
       const server = http.createServer((req, res) => {
         const url = new URL(req.url, 'http://x')
         res.setHeader('content-type', 'application/json')
         if (url.pathname === '/api/login-token') {
           return res.end(JSON.stringify({ data: [{ id: '1', token: 't', type: 'access_token', uid: '2', expire: 2000000000 }] }))
         }
         const page = Number(url.searchParams.get('page') || 0)
         Atomics.store(marks, page, 1)
         Atomics.notify(marks, page)
         const rows = []
         for (let i = page * 3; i < Math.min(page * 3 + 3, ${TOTAL}); i++) rows.push({ id: String(i + 1), label: 'Sale ' + (i + 1) })
         res.end(JSON.stringify({ data: rows, count: ${TOTAL} }))
       })
       server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
       parentPort.on('message', () => server.close(() => process.exit(0)))`,
      { eval: true, workerData: marks.buffer }
    )
    try {
      const port = await new Promise<number>((ok, fail) => {
        worker.once('message', ok)
        worker.once('error', fail)
      })
      const { client } = makeClient(`http://127.0.0.1:${port}`)
      const reachedInTime: boolean[] = []
      await client.listAll(
        'sales.list',
        {},
        {
          range: 3,
          onPage: (_rows, p) => {
            if (p.page < 2) reachedInTime.push(Atomics.wait(marks, p.page + 1, 0, 5_000) !== 'timed-out')
          }
        }
      )
      expect(reachedInTime).toEqual([true, true])
      expect(Array.from(marks.slice(0, 4))).toEqual([1, 1, 1, 0]) // nothing past the last page
    } finally {
      worker.postMessage('close')
      await new Promise((ok) => worker.once('exit', ok))
    }
  })

  it('each page comes with the mark taken when it was asked for, not when it is handed over', async () => {
    // The mark stands for the sender's writes: onPage bumps it, as the sender would meanwhile.
    const s = await server((req) => ({ data: slice(pageNo(req) * 3, 3), count: TOTAL }))
    const { client } = makeClient(s.url)
    let writes = 0
    const marks: [number, number | undefined][] = []
    await client.listAll(
      'sales.list',
      {},
      {
        range: 3,
        markRequest: () => writes,
        onPage: (_rows, p) => {
          marks.push([p.page, p.mark])
          writes += 1
        }
      }
    )
    // Page 1 was asked for before page 0 was handed over; page 2 before page 1 was.
    expect(marks).toEqual([
      [0, 0],
      [1, 0],
      [2, 1]
    ])
  })

  it('a failing onPage stops the listing with its failure', async () => {
    const s = await server((req) => ({ data: slice(pageNo(req) * 3, 3), count: TOTAL }))
    const { client } = makeClient(s.url)
    const err = await caught(
      client.listAll(
        'sales.list',
        {},
        {
          range: 3,
          onPage: (_rows, p) => {
            if (p.page === 1) throw new Error('the disk is full')
          }
        }
      )
    )
    expect((err as Error).message).toBe('the disk is full')
  })

  it('a repeated next link: its page is still handed over, then the listing stops, asking nothing more', async () => {
    const s = await server((req) => ({
      data: slice(pageNo(req) * 3, 3),
      next: { href: `/api/v1.0/sales?range=3&page=1` }
    }))
    const { client } = makeClient(s.url)
    const handed: number[] = []
    const err = await caught(
      client.listAll('sales.list', {}, { range: 3, onPage: (_rows, p) => void handed.push(p.page) })
    )
    expect(err).toBeInstanceOf(CircuitBadResponse)
    expect((err as CircuitBadResponse).message).toMatch(/next.href repeated/)
    expect(handed).toEqual([0, 1])
    expect(apiPages(s)).toEqual(['0', '1'])
  })
})
