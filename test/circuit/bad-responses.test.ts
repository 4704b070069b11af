// Responses that must not decode: each gives a typed error that names the
// endpoint / record / field, and nothing is returned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caught, fixture, json, LOGIN_OK, makeClient, startServer, type TestServer } from './helpers'
import { CircuitBadResponse, CircuitDecodeError, CircuitHttpError } from '../../src-main/circuit/errors'

let server: TestServer
let reply: (path: string, res: import('node:http').ServerResponse) => void

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
    reply(req.path, res)
  })
})
afterAll(() => server.close())

const items = (rows: unknown[]) => ({ data: rows, count: rows.length })
const okItem = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  sale: { id: '456', label: 'S' },
  lot: id,
  status: 'available',
  estimate_low: '10.00',
  ...extra
})

describe('bad responses', () => {
  it('a wrong money type names endpoint, record index and field', async () => {
    reply = (_p, res) =>
      json(res, 200, items([okItem('1'), okItem('2'), okItem('3'), okItem('4', { estimate_low: 'abc' })]))
    const { client } = makeClient(server.url)
    const e = await caught(client.items.list({ filter: { sale: '456' } }))
    expect(e).toBeInstanceOf(CircuitDecodeError)
    expect(e.message).toBe('datatable-items[3].estimate_low: expected a money amount, got "abc"')
    expect(e).toMatchObject({
      kind: 'decode',
      index: 3,
      path: 'estimate_low',
      retryable: false,
      endpoint: 'items.list'
    })
  })

  it('a missing required field', async () => {
    reply = (_p, res) => json(res, 200, { data: [{ id: '901', order: '789', amount: '5.00' }] })
    const { client } = makeClient(server.url)
    const e = await caught(client.transactions.list())
    expect(e).toBeInstanceOf(CircuitDecodeError)
    expect(e.message).toBe('transactions[0].transaction_type: required field is missing')
  })

  it('wrong structural types (nested)', async () => {
    const bad = fixture('order-get.json') as {
      data: [{ invoice_data: { items: Record<string, { hammer_price: unknown }[]> } }]
    }
    bad.data[0].invoice_data.items['12345'][0].hammer_price = { amount: 1 }
    reply = (_p, res) => json(res, 200, bad)
    const { client } = makeClient(server.url)
    const e = await caught(client.orders.get('789'))
    expect(e.message).toBe(
      'orders[0].invoice_data.items.12345[0].hammer_price: expected a money amount, got {"amount":1}'
    )
    reply = (_p, res) => json(res, 200, { data: [{ id: '1', label: 'S', lots_locked: 'maybe' }] })
    const e2 = await caught(client.sales.get('1'))
    expect(e2.message).toMatch(/^datatable-sales\[0\]\.lots_locked: expected a boolean/)
    reply = (_p, res) => json(res, 200, { data: 'nope', count: 1 })
    const e3 = await caught(client.sales.list())
    expect(e3.message).toBe('datatable-sales.data: expected a list, got "nope"')
  })

  it('an HTML error page', async () => {
    reply = (_p, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
    }
    const { client } = makeClient(server.url)
    const e = await caught(client.items.list())
    expect(e).toBeInstanceOf(CircuitBadResponse)
    expect(e).toMatchObject({ kind: 'bad-response', status: 502, retryable: true })
    expect(e.message).toMatch(/items\.list: expected JSON, got an HTML page/)
    // a 200 HTML page (e.g. a login redirect target) is no better
    reply = (_p, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end('<!DOCTYPE html><title>Log in</title>')
    }
    const e2 = await caught(client.orders.patch('1', { status: 'finished' }))
    expect(e2).toMatchObject({ kind: 'bad-response', outcome: 'unknown', retryable: false })
  })

  it('truncated JSON', async () => {
    const full = JSON.stringify(fixture('items-list.json'))
    reply = (_p, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(full.slice(0, full.length - 40))
    }
    const { client } = makeClient(server.url)
    const e = await caught(client.items.list())
    expect(e).toBeInstanceOf(CircuitBadResponse)
    expect(e.message).toMatch(/not valid JSON \(truncated or malformed/)
  })

  it('a 200 carrying an error body', async () => {
    reply = (_p, res) =>
      json(res, 200, { title: 'Resource not found', status: 404, detail: 'Order with ID 999 does not exist' })
    const { client } = makeClient(server.url)
    const e = await caught(client.orders.get('999'))
    expect(e).toBeInstanceOf(CircuitHttpError)
    expect(e).toMatchObject({
      status: 404,
      transportStatus: 200,
      title: 'Resource not found',
      detail: 'Order with ID 999 does not exist',
      outcome: 'rejected'
    })
  })

  it('the documented validation error body', async () => {
    reply = (_p, res) => json(res, 422, fixture('error-validation.json'))
    const { client } = makeClient(server.url)
    const e = await caught(client.clients.create({ first_name: 'x' }))
    expect(e).toBeInstanceOf(CircuitHttpError)
    expect(e).toMatchObject({
      kind: 'http',
      status: 422,
      title: 'Validation error',
      detail: "The field 'email' is required",
      fieldErrors: { email: ['This field is required'] },
      retryable: false
    })
  })

  it('a 500 on a mutation is an unknown outcome, on a read a retryable error', async () => {
    reply = (_p, res) => json(res, 500, { title: 'Internal Server Error', status: 500 })
    const { client } = makeClient(server.url)
    expect(await caught(client.orders.split('1', ['2']))).toMatchObject({
      kind: 'http',
      status: 500,
      outcome: 'unknown',
      retryable: true
    })
    expect(await caught(client.orders.get('1'))).toMatchObject({
      kind: 'http',
      status: 500,
      outcome: 'none',
      retryable: true
    })
  })

  it('a page with one bad row returns nothing from listAll', async () => {
    reply = (_p, res) => json(res, 200, { data: [okItem('1'), { ...okItem('2'), status: 'exploded' }], count: 2 })
    const { client } = makeClient(server.url)
    const got: unknown[] = []
    const e = await caught(client.listAll('items.list', {}, { onPage: (rows) => void got.push(...rows) }))
    expect(e.message).toMatch(/^datatable-items\[1\]\.status: expected an item status/)
    expect(got).toEqual([])
  })
})
