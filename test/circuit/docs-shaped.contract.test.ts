// The client against a simulator shaped like the API docs (issue 18 §7):
// /me at either documented path, credit notes without our `credit_note_for`
// found from what the docs show, and payments voided with DELETE and read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim/index'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { CircuitHttpError } from '../../src-main/circuit/errors'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'
import { circuitSide, fileSecrets } from '../../src-main/app/host-setup'
import { tempDir, testCore } from '../helpers'
import { caught, json, LOGIN_OK, startServer } from './helpers'

const T0 = Date.UTC(2026, 10, 26, 9, 0)
const clock = { t: T0 }
let sim: RunningSimulator
/** Every URL the client asked, token redacted. */
const asked: string[] = []

function client(url = sim.url): CircuitApiClient {
  return createCircuitClient({
    baseUrl: url,
    now: () => clock.t,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    timeoutMs: 5000,
    fetch: (input, init) => {
      asked.push(`${init.method} ${decodeURIComponent(new URL(input).pathname + new URL(input).search)}`)
      return fetch(input, init)
    }
  })
}

const control = async (method: string, path: string, body?: unknown) =>
  (
    await fetch(`${sim.url}/_sim/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
  ).json()

beforeAll(async () => {
  sim = await startSimulator({ lots: 60, clients: 40, now: () => clock.t, quiet: true })
})
afterAll(() => sim.close())

describe('/me: /api/v1.0/me first, /api/me on a 404, remembered', () => {
  it('a server with only /api/me (api-me.html)', async () => {
    await control('POST', 'shapes', { meNotFound: 'versioned' })
    const c = client()
    asked.length = 0
    const me = await c.me()
    expect(me).toMatchObject({ id: '1', currency: { code: 'GBP', decimals: 2 } })
    expect(asked.filter((u) => u.includes('/me'))).toEqual(['GET /api/v1.0/me', 'GET /api/me'])
    asked.length = 0
    await c.me()
    expect(asked).toEqual(['GET /api/me'])
  })

  it('a server with only /api/v1.0/me (README.txt)', async () => {
    await control('POST', 'shapes', { meNotFound: 'unversioned' })
    const c = client()
    asked.length = 0
    expect((await c.me()).id).toBe('1')
    await c.me()
    expect(asked.filter((u) => u.includes('/me'))).toEqual(['GET /api/v1.0/me', 'GET /api/v1.0/me'])
    await control('POST', 'shapes', { meNotFound: null })
  })

  it('a 404 at both is the 404, not a guess', async () => {
    const server = await startServer((req, res) =>
      req.path === '/api/login-token'
        ? json(res, 200, LOGIN_OK())
        : json(res, 404, { title: 'Resource not found', status: 404 })
    )
    try {
      const e = await caught(client(server.url).me())
      expect(e).toBeInstanceOf(CircuitHttpError)
      expect(e.status).toBe(404)
      expect(server.seen.map((r) => r.path).slice(-2)).toEqual(['/api/v1.0/me', '/api/me'])
    } finally {
      await server.close()
    }
  })

  it.each(['versioned', 'unversioned'] as const)(
    'the app is online against a server whose /me is only at one path (%s path missing)',
    async (missing) => {
      const docs = await startSimulator({ lots: 20, clients: 20, quiet: true, shapes: { meNotFound: missing } })
      const t = tempDir()
      const core = await testCore(t.dir, {
        connect: circuitSide({
          env: { url: docs.url, email: 'demo@saleroom.test', password: 'demo' },
          secrets: fileSecrets,
          probeIntervalMs: 0
        })
      })
      try {
        await expect
          .poll(async () => {
            const r = await core.dispatch('app.status', {})
            return r.ok ? (r.data as { connection: string }).connection : 'error'
          })
          .toBe('online')
      } finally {
        await core.close()
        await docs.close()
        t.cleanup()
      }
    }
  )
})

describe('credit notes from what the docs show (no credit_note_for)', () => {
  it('lists credit notes by type, owner, sale and created-from; rows carry created and the lots', async () => {
    await control('POST', 'shapes', { omitCreditNoteFor: true })
    const c = client()
    const finished = (await c.orders.findAll({ type: 'bidder', sale: '2', status: 'finished' })).find(
      (o) => o.lines.length >= 2
    )!
    const firstSend = clock.t
    clock.t += 60_000
    const itemIds = [finished.lines[1].itemId]
    const made = await c.orders.createCreditNote(finished.id, itemIds)

    asked.length = 0
    const notes = await c.orders.findAll({
      type: 'credit_note',
      owner: finished.clientId!,
      sale: '2',
      createdFrom: firstSend
    })
    // The docs' filters went to Circuit; the day before the instant, then compared exactly here.
    expect(asked[0]).toContain('filter[type]=credit_note')
    expect(asked[0]).toContain(`filter[owner]=${finished.clientId}`)
    expect(asked[0]).toContain('filter[sale]=2')
    expect(asked[0]).toContain('filter[created][value][from]=2026-11-25')
    expect(notes.map((n) => n.id)).toEqual([made.creditNoteOrderId])
    const note = notes[0]
    expect(note).toMatchObject({ type: 'credit_note', saleId: '2', clientId: finished.clientId, itemIds })
    expect(Date.parse(note.created!)).toBe(firstSend + 60_000)
    expect(note.raw).not.toHaveProperty('credit_note_for')
    // Made before the instant asked for: not the one.
    expect(
      await c.orders.findAll({ type: 'credit_note', owner: finished.clientId!, createdFrom: clock.t + 1000 })
    ).toEqual([])
    // An ISO instant works as well as epoch ms.
    expect(
      (
        await c.orders.findAll({
          type: 'credit_note',
          owner: finished.clientId!,
          createdFrom: new Date(firstSend).toISOString()
        })
      ).length
    ).toBe(1)
    await control('POST', 'shapes', { omitCreditNoteFor: false })
  })
})

describe('phone cards without our staff extension', () => {
  it('a card posted with staff decodes without it (staff: null) when Circuit drops the field', async () => {
    await control('POST', 'shapes', { dropPhoneCardStaff: true })
    try {
      const c = client()
      const session = (await c.sessions.forSale('1')).rows[0]
      const phoneBidder = [...sim.store.bidders.values()].find((b) => b.saleId === '1' && b.type === 'phone')!
      const card = await c.phoneCards.upsert({
        sale_id: '1',
        client_id: phoneBidder.clientId,
        session_id: session.id,
        paddle_number: phoneBidder.number,
        lots: [],
        staff: '3'
      })
      expect(card).toMatchObject({ clientId: phoneBidder.clientId, sessionId: session.id, staff: null })
      expect(card!.raw).not.toHaveProperty('staff')
      const listed = await c.phoneCards.list({ saleId: '1', sessionId: session.id })
      expect(listed.rows.every((r) => r.staff === null)).toBe(true)
    } finally {
      await control('POST', 'shapes', { dropPhoneCardStaff: false })
    }
  })
})

describe('voiding a payment: DELETE transactions/{id}, read back', () => {
  it('find tells a present payment from a gone one (404); a second DELETE is a 404', async () => {
    const c = client()
    const order = (await c.orders.list({ filter: { status: 'new', type: 'bidder' } })).rows[0]
    const t = await c.transactions.create({
      order: order.id,
      transaction_type: 'cash',
      amount: 4321,
      transaction_date: '2026-11-26'
    })
    expect(await c.transactions.find(t.id)).toMatchObject({ id: t.id, amount: 4321 })
    expect(await c.transactions.get(t.id)).toMatchObject({ id: t.id, orderId: order.id })
    expect(await c.transactions.delete(t.id)).toMatchObject({ ok: true, raw: null })
    expect(await c.transactions.find(t.id)).toBeNull()
    expect(await c.transactions.find(t.id, order.id)).toBeNull()
    const again = await caught(c.transactions.delete(t.id))
    expect(again).toBeInstanceOf(CircuitHttpError)
    expect(again).toMatchObject({ status: 404, outcome: 'rejected' })
    expect(await caught(c.transactions.get(t.id))).toMatchObject({ status: 404 })
  })

  it('other failures are not "gone": a 500 throws', async () => {
    const c = client()
    const order = (await c.orders.list({ filter: { status: 'new', type: 'bidder' } })).rows[0]
    const t = await c.transactions.create({
      order: order.id,
      transaction_type: 'cash',
      amount: 100,
      transaction_date: '2026-11-26'
    })
    await control('POST', 'faults', { error500Rate: 1 })
    try {
      expect(await caught(c.transactions.find(t.id, order.id))).toMatchObject({ kind: 'http', status: 500 })
    } finally {
      await control('POST', 'faults', { error500Rate: 0 })
    }
    await c.transactions.delete(t.id)
  })

  it('with the order given, a server without GET transactions/{id} still finds the payment in the documented list', async () => {
    const server = await startServer((req, res) => {
      if (req.path === '/api/login-token') return json(res, 200, LOGIN_OK())
      if (req.path === '/api/v1.0/transactions' && req.query.get('filter[order]') === '789')
        return json(res, 200, {
          data: [
            { id: '901', order: '789', transaction_type: 'Payment', amount: '500.00', transaction_date: '2025-10-15' }
          ],
          count: 1
        })
      json(res, 404, { title: 'Not Found', status: 404, detail: `No route for ${req.method} ${req.path}` })
    })
    try {
      const c = client(server.url)
      expect(await c.transactions.find('901', '789')).toMatchObject({ id: '901', amount: 50000 })
      expect(await c.transactions.find('902', '789')).toBeNull()
      expect(await c.transactions.find('901')).toBeNull() // without the order, a 404 is all there is
    } finally {
      await server.close()
    }
  })
})
