// Item creation on the Circuit side: POST datatable-items?sale_id= in the
// simulator (consignment required, money as cents or with a point, a lot
// number once per sale), item-dimensions, and the client's calls for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import {
  createCircuitClient,
  createMemorySecretStore,
  CircuitHttpError,
  type CircuitApiClient
} from '../../src-main/circuit'

let sim: RunningSimulator
let client: CircuitApiClient
let token = ''
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, lots: 40, clients: 20, quiet: true })
  client = createCircuitClient({
    baseUrl: sim.url,
    now: Date.now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' })
  })
  const login = await fetch(`${sim.url}/api/login-token`, {
    headers: { authorization: `Basic ${Buffer.from('demo@saleroom.test:demo').toString('base64')}` }
  })
  token = ((await login.json()) as { data: [{ token: string }] }).data[0].token
})
afterAll(() => sim?.close())

const consignmentOf = (saleId: string) => [...sim.store.consignments.values()].find((c) => c.saleId === saleId)!

async function post(path: string, body: unknown) {
  const r = await fetch(`${sim.url}/api/v1.0/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

describe('POST datatable-items?sale_id=', () => {
  it('creates a lot in the sale; the client sends money with a point, read as major units', async () => {
    const item = await client.itemCreation.create('3', {
      lotNumber: 501,
      lotLetter: '',
      title: 'Oak coffer',
      description: 'Carved front.',
      estimateLow: 10050,
      estimateHigh: 15000,
      opening: null,
      reserve: 8000,
      consignmentId: consignmentOf('3').id,
      categoryId: '53'
    })
    expect(item).toMatchObject({
      lot: '501',
      saleId: '3',
      title: 'Oak coffer',
      estimateLow: 10050,
      reserve: 8000,
      category: '53'
    })
    const lots = await client.listAll('items.list', { filter: { sale: '3', lot: '501' } })
    expect(lots.map((l) => l.id)).toEqual([item!.id])
  })

  it('takes integers as cents (items/create.html) and refuses a fractional number', async () => {
    const ok = await post('datatable-items?sale_id=3', {
      lot_number: 502,
      title: 'Pine box',
      consignment: consignmentOf('3').id,
      estimate_low: 45000
    })
    expect(ok.status).toBe(201)
    expect((ok.body.data as { estimate_low: string }[])[0].estimate_low).toBe('450.00')
    const bad = await post('datatable-items?sale_id=3', {
      lot_number: 503,
      title: 'x',
      consignment: consignmentOf('3').id,
      estimate_low: 4.5
    })
    expect(bad.status).toBe(422)
    expect(bad.body.errors).toHaveProperty('estimate_low')
  })

  it('requires sale_id and a consignment of that sale, and refuses a lot number the sale has', async () => {
    expect(
      (await post('datatable-items', { lot_number: 600, title: 'x', consignment: consignmentOf('3').id })).status
    ).toBe(422)
    const none = await post('datatable-items?sale_id=3', { lot_number: 600, title: 'x' })
    expect(none).toMatchObject({ status: 422, body: { errors: { consignment: ['A consignment is required.'] } } })
    const other = await post('datatable-items?sale_id=3', {
      lot_number: 600,
      title: 'x',
      consignment: consignmentOf('1').id
    })
    expect(other.body.errors).toHaveProperty('consignment')
    const dup = await post('datatable-items?sale_id=3', {
      lot_number: 12,
      title: 'x',
      consignment: consignmentOf('3').id
    })
    expect(dup).toMatchObject({ status: 422, body: { errors: { lot_number: ['Lot 12 already exists in sale 3.'] } } })
    expect((await post('datatable-items?sale_id=999', { lot_number: 1, title: 'x' })).status).toBe(404)
    const e = await client.itemCreation
      .create('3', {
        lotNumber: 12,
        lotLetter: '',
        title: 'x',
        description: '',
        estimateLow: null,
        estimateHigh: null,
        opening: null,
        reserve: null,
        consignmentId: consignmentOf('3').id,
        categoryId: null
      })
      .catch((err: unknown) => err)
    expect(e).toBeInstanceOf(CircuitHttpError)
    expect((e as CircuitHttpError).status).toBe(422)
  })
})

describe("item-dimensions and the sale's consignments", () => {
  it("reads and patches an item's dimensions; the list shows them with their unit", async () => {
    const lot = [...sim.store.items.values()].find((i) => i.saleId === '3' && i.lotNumber === 501)!
    const dims = await client.itemCreation.dimensionsOf(lot.id)
    expect(dims.rows).toHaveLength(1)
    const patched = await client.itemCreation.patchDimensions(dims.rows[0].id, {
      height: '30',
      width: '18.5',
      depth: '',
      weight: '4.5',
      unit: 'in'
    })
    expect(patched).toMatchObject({
      itemId: lot.id,
      height: '30in',
      width: '18.5in',
      depth: '',
      weight: '4.5',
      unit: 'in'
    })
    const row = (await client.items.list({ filter: { id: lot.id }, fields: ['id', 'lot', 'sale', 'dimensions'] }))
      .rows[0]
    expect((row.raw as { dimensions: unknown }).dimensions).toEqual({ height: '30in', width: '18.5in', depth: '' })
  })

  it("lists a sale's consignments by number", async () => {
    const cs = await client.listAll('consignments.list', { params: { sale_id: '3' } })
    // The page's consignment_id ("A-1"); a FairWarning consignor number "A1" is matched to it (mapping.ts).
    expect(cs.map((c) => c.consignmentNumber)).toEqual(['A-1', 'B-1', 'C-1'])
    expect(cs.every((c) => c.saleId === '3')).toBe(true)
    const cats = await client.categories.all()
    expect(cats.find((c) => c.id === '53')?.label).toBe('Furniture')
  })
})
