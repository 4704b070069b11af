// The FairWarning client against its simulator over HTTP: the documented key
// errors, each key transport, both readings of [limit] on both sides, where
// record_count sits, the search body on a GET, and 500s with their text.
import { afterEach, describe, expect, it } from 'vitest'
import type { FairWarningKeyTransport, LimitMeaning } from '../../src-shared/contract'
import { generatedCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { createFairWarningClient } from '../../src-main/connectors/fairwarning/client'
import {
  startFairWarningSimulator,
  type FairWarningSimOptions,
  type RunningFairWarningSim
} from '../../src-main/connectors/fairwarning/simulator'
import { ConnectorError, sendJson } from '../../src-main/connectors/http'

let sims: RunningFairWarningSim[] = []
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()))
  sims = []
})

const ITEMS = generatedCatalogue(57)

async function sim(o: Partial<FairWarningSimOptions> = {}) {
  const s = await startFairWarningSimulator({ key: 'pub:priv', items: ITEMS, ...o })
  sims.push(s)
  return s
}

const client = (
  url: string,
  o: { key?: string; transport?: FairWarningKeyTransport; limit?: LimitMeaning; pageSize?: number } = {}
) =>
  createFairWarningClient({
    baseUrl: url,
    key: o.key ?? 'pub:priv',
    keyTransport: o.transport ?? 'key-headers',
    limitMeaning: o.limit ?? 'end',
    pageSize: o.pageSize ?? 10,
    attempts: 4,
    sleep: async () => {}
  })

async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p
  } catch (err) {
    if (err instanceof ConnectorError) return err
    throw err
  }
  throw new Error('expected a failure')
}

describe('keys', () => {
  it("401 for keys that are wrong, 403 for keys that are missing, each with the docs' text and what to do", async () => {
    const s = await sim()
    const wrong = await failure(client(s.url, { key: 'pub:nope' }).listAll({}))
    expect(wrong).toMatchObject({ kind: 'auth', status: 401 })
    expect(wrong.message).toMatch(
      /invalid \(401: The API keys provided are invalid\)\. Check the key in Connectors \(F8\)/
    )
    // Sent another way than the server reads them: to it, the keys are missing.
    const missing = await failure(client(s.url, { transport: 'x-api-key' }).listAll({}))
    expect(missing).toMatchObject({ kind: 'auth', status: 403 })
    expect(missing.message).toMatch(/missing \(403: API keys are missing\)/)
  })

  it.each(['key-headers', 'x-api-key', 'bearer', 'query', 'body'] as const)(
    'travel by %s when both sides agree',
    async (t) => {
      const s = await sim({ keyTransport: t, key: 'k-1:k-2' })
      const r = await client(s.url, { key: 'k-1:k-2', transport: t }).listAll({})
      expect(r.items).toHaveLength(ITEMS.length)
    }
  )

  it('never puts the key in an error message, even when it travels in the query', async () => {
    const s = await sim({ keyTransport: 'query', key: 'secret-key-123' })
    const e = await failure(client(s.url, { key: 'secret-key-124', transport: 'query' }).listAll({}))
    expect(e.message).not.toContain('secret-key')
  })
})

describe('paging', () => {
  it.each([
    ['end', 'end'],
    ['count', 'count'],
    ['end', 'count']
  ] as const)('client reads [limit] as %s, server as %s: every item once, stopping at record_count', async (c, srv) => {
    const s = await sim({ limitMeaning: srv })
    const r = await client(s.url, { limit: c }).listAll({})
    expect(r.items.map((i) => i.itemId)).toEqual(ITEMS.map((i) => String(i.item_id)))
    expect(r.recordCount).toBe(ITEMS.length)
    // A count-reading server sends overlapping pages to an end-reading client: de-duplicated on item_id.
    expect(r.duplicates > 0).toBe(c === 'end' && srv === 'count')
  })

  it('a client reading [limit] as a count against a server reading it as an end index says which setting to change', async () => {
    const s = await sim({ limitMeaning: 'end' })
    const e = await failure(client(s.url, { limit: 'count' }).listAll({}))
    expect(e.kind).toBe('bad-response')
    expect(e.message).toMatch(/says 57 items match but sent none from record 11 on.*as an end index.*Connectors \(F8\)/)
  })

  it.each(['top', 'in-array'] as const)('reads record_count %s', async (placement) => {
    const s = await sim({ recordCount: placement })
    const r = await client(s.url).listAll({})
    expect(r.recordCount).toBe(57)
    expect(r.items).toHaveLength(57)
  })

  it('sends the search as a JSON body on the GET, as the docs do', async () => {
    const s = await sim()
    const r = await client(s.url).listAll({ categoryId: 11, lotFrom: 510, lotTo: 540 })
    const want = ITEMS.filter((i) => i.category_id_1 === 11 && Number(i.item_lot) >= 510 && Number(i.item_lot) <= 540)
    expect(want.length).toBeGreaterThan(2)
    expect(r.items.map((i) => i.itemId).sort()).toEqual(want.map((i) => String(i.item_id)).sort())
  })

  it('through 500s and lost answers, reads every page (reads are safe to repeat)', async () => {
    const s = await sim()
    await fetch(`${s.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ error500Rate: 0.3, dropAfterApplyRate: 0.3 })
    })
    const c = createFairWarningClient({
      baseUrl: s.url,
      key: 'pub:priv',
      keyTransport: 'key-headers',
      limitMeaning: 'end',
      pageSize: 10,
      sleep: async () => {}
    })
    const r = await c.listAll({})
    expect(r.items).toHaveLength(57)
  })

  it("a 500 that does not go away fails with FairWarning's own error text", async () => {
    const s = await sim()
    await fetch(`${s.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ error500Rate: 1 }) })
    const e = await failure(client(s.url).listAll({}))
    expect(e).toMatchObject({ kind: 'http', status: 500 })
    expect(e.message).toBe('FairWarning failed (500): Simulated server error (fault injection); nothing was read.')
  })

  it("an unknown search operator is the docs' 500 with its error text, not a crash", async () => {
    const s = await sim()
    const r = await sendJson({
      method: 'GET',
      url: `${s.url}/items/0/10`,
      headers: { 'public-key': 'pub', 'private-key': 'priv' },
      body: { item_lot: { operator: 'between', value: 1 } },
      timeoutMs: 5000,
      mutating: false,
      what: 'search'
    })
    expect(r).toMatchObject({ status: 500, body: { error: 'Unknown search operator "between".' } })
  })
})
