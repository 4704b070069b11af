// listAll / fetchPage against servers with different paging conventions.
import { afterEach, describe, expect, it } from 'vitest'
import { caught, json, LOGIN_OK, makeClient, startServer, type Seen, type TestServer } from './helpers'
import { CircuitBadResponse } from '../../src-main/circuit/errors'
import { encodeQuery } from '../../src-main/circuit/query'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const sale = (i: number) => ({ id: String(i), label: `Sale ${i}` })
const TOTAL = 7

async function salesServer(page: (req: Seen) => unknown): Promise<TestServer> {
  const s = await startServer((req, res) => {
    if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
    json(res, 200, page(req))
  })
  servers.push(s)
  return s
}
const range = (req: Seen) => Number(req.query.get('range') ?? 25)
const pageNo = (req: Seen) => Number(req.query.get('page') ?? 0)
const slice = (from: number, n: number) =>
  Array.from({ length: Math.max(0, Math.min(n, TOTAL - from)) }, (_, i) => sale(from + i + 1))
const apiPages = (s: TestServer) =>
  s.seen.filter((r) => r.path !== '/api/login-token').map((r) => r.query.get('page') ?? r.query.get('cursor'))

describe('listAll', () => {
  it('0-based server', async () => {
    const s = await salesServer((req) => ({ data: slice(pageNo(req) * range(req), range(req)), count: TOTAL }))
    const { client } = makeClient(s.url)
    const progress: [number, number | null, number][] = []
    const rows = await client.listAll(
      'sales.list',
      {},
      { range: 3, onPage: (r, p) => void progress.push([p.fetched, p.total, p.page]) }
    )
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7'])
    expect(progress).toEqual([
      [3, 7, 0],
      [6, 7, 1],
      [7, 7, 2]
    ])
    expect(apiPages(s)).toEqual(['0', '1', '2']) // stopped when count was reached
  })

  it('1-based server (page 0 and page 1 are the same page)', async () => {
    const s = await salesServer((req) => ({
      data: slice((Math.max(1, pageNo(req)) - 1) * range(req), range(req)),
      count: TOTAL
    }))
    const { client } = makeClient(s.url)
    const pages: number[] = []
    const rows = await client.listAll('sales.list', {}, { range: 3, onPage: (_r, p) => void pages.push(p.page) })
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7'])
    expect(apiPages(s)).toEqual(['0', '1', '2', '3'])
    expect(pages).toEqual([0, 2, 3])
  })

  it('1-based server that answers page 0 with nothing', async () => {
    const s = await salesServer((req) => ({
      data: pageNo(req) === 0 ? [] : slice((pageNo(req) - 1) * range(req), range(req)),
      count: TOTAL
    }))
    const { client } = makeClient(s.url)
    const rows = await client.listAll('sales.list', {}, { range: 4 })
    expect(rows).toHaveLength(7)
    expect(apiPages(s)).toEqual(['0', '1', '2'])
  })

  it('follows a same-origin next.href (relative, with a language prefix)', async () => {
    const s = await salesServer((req) => {
      const cursor = Number(req.query.get('cursor') ?? 0)
      const more = cursor + 2 < TOTAL
      return {
        data: slice(cursor, 2),
        count: TOTAL,
        ...(more
          ? { next: { title: 'Next', href: `/en/api/v1.0/datatable-sales?cursor=${cursor + 2}&access_token=leak` } }
          : {})
      }
    })
    const { client } = makeClient(s.url, { tokenTransport: 'query' })
    const rows = await client.listAll('sales.list', { filter: { status: 'published' } }, { range: 2 })
    expect(rows).toHaveLength(7)
    expect(apiPages(s)).toEqual(['0', '2', '4', '6'])
    const followed = s.seen.filter((r) => r.query.has('cursor'))
    expect(followed[0].path).toBe('/en/api/v1.0/datatable-sales')
    // our token replaces the echoed one; exactly one access_token
    expect(
      followed.every((r) => r.query.getAll('access_token').length === 1 && r.query.get('access_token') === 'tok-1')
    ).toBe(true)
  })

  it('ignores a foreign next.href and pages by number instead', async () => {
    const s = await salesServer((req) => ({
      data: slice(pageNo(req) * range(req), range(req)),
      count: TOTAL,
      next: { href: 'https://evil.example.com/steal' }
    }))
    const { client } = makeClient(s.url)
    const page = await client.fetchPage('sales.list', {}, 0, 5)
    expect(page.nextHref).toBeNull()
    expect(await client.listAll('sales.list', {}, { range: 5 })).toHaveLength(7)
  })

  it('no count: stops on a short page or an empty page', async () => {
    const s = await salesServer((req) => ({ data: slice(pageNo(req) * range(req), range(req)) }))
    const { client } = makeClient(s.url)
    expect(await client.listAll('sales.list', {}, { range: 3 })).toHaveLength(7)
    expect(apiPages(s)).toEqual(['0', '1', '2'])
    s.seen.length = 0
    expect(await client.listAll('sales.list', {}, { range: 7 })).toHaveLength(7)
    expect(apiPages(s)).toEqual(['0', '1']) // full page, then an empty one
  })

  it('resumes from a saved page', async () => {
    const s = await salesServer((req) => ({ data: slice(pageNo(req) * range(req), range(req)), count: TOTAL }))
    const { client } = makeClient(s.url)
    const rows = await client.listAll('sales.list', {}, { range: 3, startPage: 1 })
    expect(rows.map((r) => r.id)).toEqual(['4', '5', '6', '7'])
    expect(apiPages(s)).toEqual(['1', '2'])
  })

  it('guards against a server that ignores `page`', async () => {
    const s = await salesServer(() => ({ data: slice(0, 3), count: 100 }))
    const { client } = makeClient(s.url)
    const e = await caught(client.listAll('sales.list', {}, { range: 3 }))
    expect(e).toBeInstanceOf(CircuitBadResponse)
    expect(e.message).toMatch(/paging did not terminate/)
    expect(s.seen.length).toBeLessThan(6)
  })

  it('guards against a next.href loop', async () => {
    let n = 0
    const s = await salesServer(() => ({
      data: [sale(++n)],
      count: 1000,
      next: { href: '/api/v1.0/datatable-sales?cursor=same' }
    }))
    const { client } = makeClient(s.url)
    const e = await caught(client.listAll('sales.list', {}, { range: 1 }))
    expect(e.message).toMatch(/next\.href repeated/)
  })

  it('guards with maxPages when rows keep coming', async () => {
    let n = 0
    const s = await salesServer(() => ({ data: [sale(++n)] }))
    const { client } = makeClient(s.url)
    const e = await caught(client.listAll('sales.list', {}, { range: 1, maxPages: 20 }))
    expect(e.message).toMatch(/more than 20 pages/)
  })
})

describe('query encoder', () => {
  it('filters, IN, ranges, operators, fields, multi-sort, range/page, global_search', () => {
    const qs = encodeQuery({
      filter: {
        sale: '456',
        uuid: { in: ['abc123', 'def456'] },
        updated: { from: '2025-01-01', to: '2025-12-31' },
        status: { value: 'canceled', operator: '<>' },
        description: { value: 'vase.*ming', operator: 'REGEXP' },
        has_email: true,
        skipped: undefined
      },
      fields: ['id', 'uuid', 'first_name'],
      sort: ['-updated', 'id'],
      range: 25,
      page: 0,
      globalSearch: 'john & jane',
      params: { sale_id: 123 }
    })
    expect(qs).toBe(
      'filter[sale]=456' +
        '&filter[uuid][value][0]=abc123&filter[uuid][value][1]=def456&filter[uuid][operator]=IN' +
        '&filter[updated][value][from]=2025-01-01&filter[updated][value][to]=2025-12-31' +
        '&filter[status][value]=canceled&filter[status][operator]=%3C%3E' +
        '&filter[description][value]=vase.*ming&filter[description][operator]=REGEXP' +
        '&filter[has_email]=1' +
        '&fields=id%2Cuuid%2Cfirst_name&sort=-updated%2Cid&range=25&page=0&global_search=john%20%26%20jane&sale_id=123'
    )
    const parsed = new URLSearchParams(qs)
    expect(parsed.get('filter[uuid][value][1]')).toBe('def456')
    expect(parsed.get('sort')).toBe('-updated,id')
  })
})
