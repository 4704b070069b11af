// The venue hub's list reads, asked over its real HTTPS API after it pulled two
// sales from the Circuit simulator: filters (an IN list, "not", a change stamp
// range, a date range ending on a bare day), sorts, paging by the `next` link,
// an unknown filter or sort refused with a 400, and a record by its id. What a
// filtered or sorted list should hold is worked out here from the whole list.
import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { EMAIL, PASSWORD, startHub, type VenueStation } from './stations'

let sim: RunningSimulator
let hub: VenueStation
let hubUrl: URL
let token: string
const cleanups: (() => void)[] = []

function get(path: string, auth: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: hubUrl.hostname,
        port: hubUrl.port,
        path,
        method: 'GET',
        headers: auth,
        // The hub's certificate is its own; what is tested here is what it answers.
        rejectUnauthorized: false
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }))
      }
    )
    req.on('error', fail)
    req.end()
  })
}

const api = (path: string) => get(`/api/v1.0/${path}`, { authorization: `Bearer ${token}` })

/** A list's records (its answer must be a 200). */
async function list(path: string): Promise<{ data: any[]; count: number; next?: { href: string } }> {
  const r = await api(path)
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200)
  return r.body
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, lots: 60, clients: 40, quiet: true })
  const d = tempDir('saleroom-hub-reads-')
  cleanups.push(d.cleanup)
  const h = await startHub(d.dir, sim.url)
  hub = h.station
  hubUrl = new URL(h.venue.hosting!.url)
  await hub.pull('1')
  await hub.pull('2')
  const basic = `Basic ${Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64')}`
  const login = await get('/api/login-token', { authorization: basic })
  expect(login.status).toBe(200)
  token = login.body.data[0].token
}, 60_000)

afterAll(async () => {
  await hub?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

describe("the venue hub's list reads", () => {
  it('an IN list, compared in lower case', async () => {
    const all = await list('datatable-items?range=500')
    const want = all.data.filter((i) => i.status === 'sold' || i.status === 'available')
    expect(want.length).toBeGreaterThan(0)
    expect(want.length).toBeLessThan(all.count)
    const got = await list('datatable-items?filter[status][0]=SOLD&filter[status][1]=Available&range=500')
    expect(got.count).toBe(want.length)
    expect(ids(got.data)).toEqual(ids(want))
    // The same with the operator spelled out, and its opposite.
    const inList = await list(
      'datatable-items?filter[status][operator]=IN&filter[status][value][0]=sold&filter[status][value][1]=available&range=500'
    )
    expect(ids(inList.data)).toEqual(ids(want))
    const notIn = await list(
      'datatable-items?filter[status][operator]=NOT%20IN&filter[status][value][0]=sold&filter[status][value][1]=available&range=500'
    )
    expect(ids(notIn.data)).toEqual(ids(all.data.filter((i) => !want.includes(i))))
  })

  it('"not" (<>), compared in lower case', async () => {
    // A status as Circuit might spell it, so that a compare which is not in lower case would show.
    const finished = (await list('orders?range=500')).data.find((o) => o.status.id === 'finished')
    hub.core.replica()!.raw.prepare(`UPDATE orders SET status = 'Finished' WHERE id = ?`).run(finished.id)
    const all = await list('orders?range=500')
    expect(all.data.find((o) => o.id === finished.id).status.id).toBe('Finished')
    const want = all.data.filter((o) => o.status.id.toLowerCase() !== 'finished')
    expect(want.length).toBeGreaterThan(0)
    expect(want.length).toBeLessThan(all.count)
    const got = await list('orders?filter[status][operator]=%3C%3E&filter[status][value]=FINISHED&range=500')
    expect(got.count).toBe(want.length)
    expect(ids(got.data)).toEqual(ids(want))
  })

  it('a range of change stamps ("updated"): from, and from and to', async () => {
    const all = await list('datatable-items?range=500')
    const stamps = [...new Set(all.data.map((i) => i.updated as string))].sort().reverse()
    expect(stamps.length).toBeGreaterThan(3)
    const [second, third] = [stamps[1], stamps[2]]
    const from = await list(`datatable-items?filter[updated][value][from]=${encodeURIComponent(third)}&range=500`)
    expect(ids(from.data)).toEqual(ids(all.data.filter((i) => i.updated >= third)))
    expect(from.count).toBeGreaterThanOrEqual(3)
    const between = await list(
      `datatable-items?filter[updated][value][from]=${encodeURIComponent(third)}&filter[updated][value][to]=${encodeURIComponent(second)}&range=500`
    )
    expect(ids(between.data)).toEqual(ids(all.data.filter((i) => i.updated >= third && i.updated <= second)))
    // A stamp takes a range only.
    const eq = await api(`datatable-items?filter[updated]=${encodeURIComponent(third)}`)
    expect(eq.status).toBe(400)
    expect(eq.body.detail).toBe('Filter "updated" takes a range (from/to).')
  })

  it('a date range whose end is a bare day takes the whole of that day', async () => {
    const all = await list('orders?range=500')
    const created = all.data.map((o) => o.created as string | null).filter((c): c is string => c !== null)
    const day = created.sort()[0].slice(0, 10)
    const want = all.data.filter((o) => o.created !== null && o.created.slice(0, 10) === day)
    expect(want.length).toBeGreaterThan(0)
    // Each of them was made after midnight: a plain text compare with the bare day would miss it.
    expect(want.every((o) => o.created > day)).toBe(true)
    const got = await list(`orders?filter[created][value][from]=${day}&filter[created][value][to]=${day}&range=500`)
    expect(got.count).toBe(want.length)
    expect(ids(got.data)).toEqual(ids(want))
  })

  it('sorts: descending, by number where the id is one, and on a second field for ties', async () => {
    const all = await list('datatable-clients?range=500')
    const desc = await list('datatable-clients?sort=-id&range=500')
    expect(ids(desc.data)).toEqual(ids(all.data).sort((a, b) => Number(b) - Number(a)))
    const orders = await list('orders?range=500')
    const byCreated = [...orders.data].sort((a, b) => {
      const [x, y] = [a.created ?? '', b.created ?? '']
      return x === y ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : x < y ? 1 : -1
    })
    const sorted = await list('orders?sort=-created,id&range=500')
    expect(ids(sorted.data)).toEqual(ids(byCreated))
  })

  it('pages follow the next link to the end, and add up to the whole list', async () => {
    const all = await list('datatable-items?filter[sale]=1&range=500')
    expect(all.count).toBeGreaterThan(7 * 2)
    const seen: string[] = []
    let path: string | null = 'datatable-items?filter[sale]=1&range=7'
    let pages = 0
    while (path) {
      const p = await list(path)
      expect(p.count).toBe(all.count)
      expect(p.data.length).toBeLessThanOrEqual(7)
      seen.push(...ids(p.data))
      pages++
      if (p.next) {
        const next = new URL(p.next.href)
        expect(next.searchParams.get('page')).toBe(String(pages))
        expect(next.searchParams.get('range')).toBe('7')
        path = `${next.pathname.replace('/api/v1.0/', '')}${next.search}`
      } else path = null
    }
    expect(pages).toBe(Math.ceil(all.count / 7))
    expect(seen).toEqual(ids(all.data))
    // Without a range the next link names the default one.
    const first = await list('datatable-items')
    expect(first.data).toHaveLength(25)
    expect(new URL(first.next!.href).searchParams.get('range')).toBe('25')
    // A page past the end is empty, with the count.
    const past = await list('datatable-items?page=100')
    expect(past.data).toEqual([])
    expect(past.count).toBe((await list('datatable-items?range=1')).count)
    expect(past.next).toBeUndefined()
  })

  it('refuses an unknown filter, an unknown sort and an operator it cannot take (400)', async () => {
    const filter = await api('datatable-items?filter[nope]=1')
    expect(filter.status).toBe(400)
    expect(filter.body).toMatchObject({
      status: 400,
      detail: 'The filter "nope" is not allowed for datatable-items.',
      errors: { 'filter[nope]': ['Unknown filter field. Allowed: id, sale, lot, status, updated'] }
    })
    const sort = await api('orders?sort=-nope')
    expect(sort.status).toBe(400)
    expect(sort.body.detail).toBe('Unknown sort field "nope" for orders.')
    const op = await api('orders?filter[status][operator]=LIKE&filter[status][value]=new')
    expect(op.status).toBe(400)
    expect(op.body.detail).toBe('The operator on "status" is not supported here.')
    const range = await api('orders?range=0')
    expect(range.status).toBe(400)
    expect(range.body.detail).toBe('Parameter "range" must be at least 1.')
  })

  it('a record by its id is the one the list holds; an unknown id is a 404', async () => {
    for (const resource of ['datatable-items', 'orders', 'datatable-clients', 'datatable-sales']) {
      const all = await list(`${resource}?range=500`)
      const pick = all.data[Math.floor(all.data.length / 2)]
      const one = await api(`${resource}/${encodeURIComponent(pick.id)}`)
      expect(one.status, resource).toBe(200)
      expect(one.body.data).toEqual([pick])
      // The same record found by an id filter.
      expect((await list(`${resource}?filter[id]=${encodeURIComponent(pick.id)}`)).data).toEqual([pick])
    }
    const missing = await api('datatable-items/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.detail).toBe('Item with ID nope does not exist')
  })
})
