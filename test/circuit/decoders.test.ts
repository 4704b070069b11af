// The documented JSON examples, served over real HTTP and decoded by the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, json, makeClient, startServer, type TestServer } from './helpers'
import {
  formatMinor,
  parseBool,
  parseDateOnly,
  parseDateTime,
  parseMoneyCents,
  parseMoneyMajor
} from '../../src-main/circuit/decode-primitives'

const routes: Record<string, string> = {
  'GET /api/me': 'me.json',
  'GET /api/v1.0/me': 'me-legacy.json',
  'GET /api/v1.0/datatable-clients': 'clients-list.json',
  'GET /api/v1.0/datatable-clients/123': 'client-get.json',
  'POST /api/v1.0/datatable-clients': 'client-create.json',
  'GET /api/v1.0/client-address': 'client-address-list.json',
  'POST /api/v1.0/client-address': 'client-address-create.json',
  'DELETE /api/v1.0/client-address/501': 'client-address-delete.json',
  'GET /api/v1.0/orders': 'orders-list.json',
  'GET /api/v1.0/orders/789': 'order-get.json',
  'PATCH /api/v1.0/order-split': 'order-split.json',
  'POST /api/v1.0/order-create-credit-note/789': 'order-credit-note.json',
  'POST /api/v1.0/order-cancel-and-reissue/789': 'order-cancel-reissue.json',
  'GET /api/v1.0/datatable-items': 'items-list.json',
  'GET /api/v1.0/items-lots': 'items-lots.json',
  'DELETE /api/v1.0/delete-winning-bid/345': 'delete-winning-bid.json',
  'GET /api/v1.0/datatable-sales': 'sales-list.json',
  'GET /api/v1.0/sale-sessions': 'sale-sessions.json',
  'GET /api/v1.0/transactions': 'transactions-list.json',
  'POST /api/v1.0/generate-cheque': 'generate-cheque-legacy.json',
  'GET /api/v1.0/additional_charges': 'additional-charges.json',
  'GET /api/v1.0/datatable-consignments': 'consignments-list.json',
  'GET /api/v1.0/legacy/datatable-consignments': 'consignments-list-legacy.json',
  'GET /api/v1.0/datatable-consignment-statements': 'consignment-statements-legacy.json',
  'GET /api/v1.0/shipping-areas': 'shipping-areas.json'
}

let server: TestServer
let client: ReturnType<typeof makeClient>['client']
let meV1Missing = false

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.path === '/api/login-token') return json(res, 200, fixture('login-token.json'))
    const f = meV1Missing && req.path === '/api/v1.0/me' ? undefined : routes[`${req.method} ${req.path}`]
    if (!f) return json(res, 404, { title: 'Not found', status: 404 })
    json(res, 200, fixture(f))
  })
  ;({ client } = makeClient(server.url, { now: () => 1_735_000_000_000 }))
})
afterAll(() => server.close())

describe('documented examples decode to normalised records', () => {
  it('orders list: decimal strings → minor units', async () => {
    const page = await client.orders.list({ filter: { bidder_ids: '12345' }, range: 50 })
    expect(page.count).toBe(42)
    const o = page.rows[0]
    expect(o).toMatchObject({
      id: '789',
      orderNumber: '12345',
      type: 'bidder',
      status: 'new',
      saleId: '456',
      clientId: '123',
      customerNumber: 'C12345'
    })
    expect(o.grandTotal).toBe(125000)
    expect(o.amountDue).toBe(125000)
    expect(o.paymentReceived).toBe(0)
    expect(o.lines).toEqual([])
    expect(o.created).toBe('2025-10-01T10:00:00.000Z')
    expect(o.updated).toBe('2025-10-15T14:30:00.000Z')
  })

  it('single order: invoice lines and additional charges', async () => {
    const o = await client.orders.get('789')
    expect(o.lines).toEqual([
      {
        itemId: '345',
        lot: '1234',
        description: 'Beautiful antique vase',
        hammer: 25000,
        premium: 5000,
        tax: null,
        taxId: '6',
        consignmentNumber: 'A-100'
      }
    ])
    expect(o.charges).toEqual([
      {
        termId: '5',
        label: 'Shipping Fee',
        amount: 2500,
        // README.txt's "tax": "21.00" on "amount": "25.00" is a rate: 21 % of 25.00 = 5.25.
        taxRateBp: 2100,
        taxAmount: 525,
        description: 'Standard shipping',
        date: '2025-10-01'
      }
    ])
    expect(o.customerNumber).toBe('C12345')
    // What the invoice prints from Circuit: numbers and its totals as displayed.
    expect(o.invoice).toEqual({
      buyerAddress: [],
      shippingAddress: [],
      invoiceNumber: '12345',
      customerNumber: 'C12345',
      bidderNumber: '12345',
      vatNumber: '123-45-6789',
      totalsForDisplay: [
        { label: 'Subtotal', value: '$1,000.00' },
        { label: "Buyer's Premium", value: '$200.00' },
        { label: 'Tax', value: '$50.00' },
        { label: 'Grand Total', value: '$1,250.00' }
      ]
    })
    expect((o.raw as { id: string }).id).toBe('789')
  })

  it('order commands: split, credit note, cancel-and-reissue', async () => {
    expect(await client.orders.split('789', ['345', '346', '347'])).toEqual({
      newOrderId: '890',
      originalOrderId: '789',
      movedItems: ['345', '346', '347']
    })
    expect(JSON.parse(server.seen.at(-1)!.body)).toEqual({ order: '789', items: ['345', '346', '347'] })
    expect(await client.orders.createCreditNote('789', ['345'])).toEqual({ creditNoteOrderId: '891' })
    expect(await client.orders.cancelAndReissue('789')).toEqual({ newOrderId: '892', creditNoteId: '893' })
  })

  it('items list', async () => {
    const page = await client.items.list({ filter: { sale: '456', category: '10' }, range: 100 })
    const it0 = page.rows[0]
    expect(it0).toMatchObject({
      id: '345',
      saleId: '456',
      lot: '1234',
      lotNumber: 1234,
      lotLetter: '',
      title: 'Item #1234',
      estimateLow: 10000,
      estimateHigh: 20000,
      reserve: 8000,
      hammer: 25000,
      status: 'sold',
      winnerClientId: '123',
      winnerPaddle: '12345',
      consignmentId: '234',
      category: '10'
    })
    // the client asks for an explicit field list (Circuit's default is display_id,lot,status)
    expect(server.seen.at(-1)!.query.get('fields')).toContain('estimate_low')
  })

  it('items-lots and delete-winning-bid (legacy)', async () => {
    const lots = await client.items.lots('456')
    expect(lots.rows.map((r) => [r.id, r.lot, r.position])).toEqual([
      ['345', '1234', 1],
      ['346', '1235', 2]
    ])
    expect(server.seen.at(-1)!.query.get('sale')).toBe('456')
    expect(await client.items.deleteWinningBid('345')).toEqual({
      success: true,
      itemId: '345',
      previousWinner: '12345',
      previousHammer: 25000
    })
  })

  it('clients list: balance float 1250.50 → 125050', async () => {
    const page = await client.clients.list({ range: 25, sort: '-updated' })
    expect(page.count).toBe(342)
    expect(page.rows[0]).toMatchObject({
      id: '123',
      uuid: 'abc-def-123',
      firstName: 'John',
      lastName: 'Doe',
      phone: '+1-555-0123',
      customerNumber: 'C12345',
      status: 'approved',
      balance: 125050,
      address: { street: '123 Main St', city: 'New York', state: 'NY', postalCode: '10001', country: 'US' }
    })
  })

  it('single client and create', async () => {
    expect(await client.clients.get('123')).toMatchObject({
      id: '123',
      firstName: 'John',
      lastName: 'Doe',
      status: '',
      balance: null
    })
    const created = await client.clients.create({ first_name: 'Jane', last_name: 'Smith' })
    expect(created).toMatchObject({ id: '456', customerNumber: 'C12348', status: 'new' })
  })

  it('client addresses: list, create, delete', async () => {
    const page = await client.addresses.forClient('123')
    expect(page.rows[0]).toMatchObject({
      id: '501',
      clientId: '123',
      isDefault: true,
      types: ['billing', 'shipping'],
      address: {
        street: '123 Main St',
        city: 'New York',
        state: 'NY',
        postalCode: '10001',
        country: 'US',
        nameLine: 'John Doe'
      }
    })
    expect(server.seen.at(-1)!.url).toContain('filter[client]=123')
    expect(await client.addresses.create({ client: '123' })).toMatchObject({
      id: '502',
      address: { premise: 'Apt 4B' }
    })
    expect(await client.addresses.delete('501')).toMatchObject({ ok: true })
  })

  it('transactions: "500.00" → 50000, docs vocabulary "Payment" with card → card', async () => {
    const page = await client.transactions.forOrder('789')
    expect(page.rows[0]).toMatchObject({
      id: '901',
      orderId: '789',
      type: 'card',
      amount: 50000,
      date: '2025-10-15',
      cardType: 'Visa',
      cardLast4: '4567',
      chequeNumber: null,
      bankId: '5',
      info: 'Online payment',
      created: '2025-10-15T10:30:00.000Z'
    })
    expect(page.count).toBeNull()
  })

  it("generate-cheque: the seed's body {id} by default, the newer {transaction_id} on request; legacy answer shape", async () => {
    const r = await client.cheques.generate('901')
    expect(r.transactionId).toBe('901')
    expect(r.chequeUrl).toMatch(/cheque-901\.pdf$/)
    expect(JSON.parse(server.seen.at(-1)!.body)).toEqual({ id: '901' })
    await client.cheques.generate('901', { current: true })
    expect(JSON.parse(server.seen.at(-1)!.body)).toEqual({ transaction_id: '901' })
  })

  it('sales and sessions', async () => {
    const sales = await client.sales.list({ filter: { status: 'published' }, sort: '-sale_date' })
    expect(sales.rows[0]).toMatchObject({
      id: '456',
      label: 'Summer Auction 2025',
      saleDate: '2025-06-15T19:00:00.000Z',
      status: 'published',
      itemCount: 250,
      venue: 'Main Auction House',
      lotsLocked: false
    })
    const sessions = await client.sessions.forSale('456')
    expect(sessions.rows[0]).toMatchObject({
      id: '501',
      saleId: '456',
      number: 1,
      firstLot: '1',
      lastLot: '125',
      auctioneer: 'Jane Auctioneer',
      date: '2025-06-15T19:00:00.000Z'
    })
  })

  it('consignments: cents fields per datatable-consignments page', async () => {
    const page = await client.consignments.list({ params: { sale_id: 123 } })
    const c = page.rows[0]
    expect(c).toMatchObject({
      id: '789',
      consignmentNumber: 'CON-2025-001',
      saleId: '123',
      ownerId: '456',
      status: 'active',
      estimated: 500000,
      insuranceValue: 750000
    })
    expect(c.commissionSteps).toEqual([
      { from: 0, commission: '15%', rateBp: 1500 },
      { from: 10000, commission: '12%', rateBp: 1200 }
    ])
    // The rate of the first step, the payment instructions and the owner's name.
    expect(c).toMatchObject({
      commissionBp: 1500,
      paymentInstructions: 'Wire transfer to account ending in 1234',
      ownerName: 'John Smith'
    })
    expect(c.charges).toEqual([
      {
        termId: '5',
        label: 'Photography',
        amount: 5000,
        taxRateBp: 1000,
        taxAmount: 500,
        description: 'Professional catalog photography',
        date: null
      }
    ])
    expect(server.seen.at(-1)!.query.get('sale_id')).toBe('123')
  })

  it('consignments: legacy README shape', async () => {
    const raw = fixture('consignments-list-legacy.json')
    const { consignmentDecoder } = await import('../../src-main/circuit/decoders')
    const r = consignmentDecoder.decode((raw as { data: unknown[] }).data[0])
    expect(r.ok && r.value).toMatchObject({
      consignmentNumber: 'A1',
      totalHammer: 1500000,
      itemCount: 25,
      status: 'active',
      // "consignor_commission": "15.00" is a rate: 15 % = 1500 basis points.
      commissionBp: 1500,
      paymentInstructions: 'Wire transfer to account...',
      ownerName: 'Art Gallery LLC'
    })
  })

  it('consignment statements: the legacy README row', async () => {
    const page = await client.consignmentStatements.list({ filter: { customer_number: '12345' }, range: 50 })
    expect(page.count).toBe(1)
    expect(page.rows[0]).toMatchObject({
      consignmentId: '123',
      customerNumber: '12345',
      consignorLabel: 'John Doe',
      orderNumber: '456',
      status: 'finished',
      total: 500000,
      actuallyPaid: 450000,
      receivedFromBuyers: 500000,
      saleId: null,
      ownerId: null
    })
  })

  it('shipping areas: base rates in minor units', async () => {
    const areas = await client.shippingAreas.all()
    expect(areas.map((a) => [a.id, a.label, a.description, a.baseRate])).toEqual([
      ['10', 'Local', 'Within 50 miles', 1000],
      ['11', 'National', 'Within country', 2500],
      ['12', 'International', 'Outside country', 5000]
    ])
  })

  it('taxonomy terms: money attributes normalised', async () => {
    const page = await client.terms.list('additional_charges')
    expect(page.rows[0]).toMatchObject({
      id: '5',
      label: 'Shipping Fee',
      attrs: { default_amount: 2500, default_vat: '21.00' }
    })
  })

  it("README.txt's /api/v1.0/me is asked first; without config its currency is unknown (null)", async () => {
    const me = await client.me()
    expect(me).toMatchObject({ id: '1', name: 'John Admin', roles: ['administrator'], currency: null })
    expect(server.seen.at(-1)!.path).toBe('/api/v1.0/me')
    // Nothing known about the currency: money keeps being read with two decimals.
    expect(client.currencyDecimals()).toBe(2)
  })

  it('/api/me with currency config, when /api/v1.0/me is not there (404); the answering path is kept', async () => {
    meV1Missing = true
    const { client } = makeClient(server.url, { now: () => 1_735_000_000_000 })
    const me = await client.me()
    expect(me).toMatchObject({
      id: '1',
      name: 'John Admin',
      email: 'admin@example.com',
      roles: ['administrator', 'clerk']
    })
    expect(me.currency).toEqual({
      code: 'EUR',
      symbol: '€',
      template: '@amount @symbol',
      decimalSign: ',',
      thousandsSign: '.',
      decimals: 2
    })
    expect(server.seen.slice(-2).map((r) => r.path)).toEqual(['/api/v1.0/me', '/api/me'])
    await client.me()
    expect(server.seen.at(-1)!.path).toBe('/api/me')
    meV1Missing = false
  })
})

describe('primitives', () => {
  it('money in major units, exactly', () => {
    const v = (x: unknown) => {
      const r = parseMoneyMajor(x)
      return r.ok ? r.value : r.message
    }
    expect(v('250.00')).toBe(25000)
    expect(v('1250.50')).toBe(125050)
    expect(v(1250.5)).toBe(125050)
    expect(v(1250.505)).toBe(125051) // float: rounded on the decimal digits
    expect(v(0.1 + 0.2)).toBe(30)
    expect(v(19.99)).toBe(1999) // 19.99 * 100 would be 1998.9999999999998
    expect(v('1,250.50')).toBe(125050)
    expect(v('-3.5')).toBe(-350)
    expect(v('12')).toBe(1200)
    expect(v('1.250')).toBe(125)
    expect(v('1.255')).toMatch(/at most 2 decimals/)
    expect(v('1,5')).toMatch(/expected a money amount/)
    expect(v('abc')).toBe('expected a money amount, got "abc"')
    expect(v(1e21)).toMatch(/too large/)
    expect(v(1e-7)).toBe(0)
    expect(v(Number.NaN)).toMatch(/expected/)
  })

  it('money in cents', () => {
    const v = (x: unknown) => {
      const r = parseMoneyCents(x)
      return r.ok ? r.value : r.message
    }
    expect(v(50000)).toBe(50000)
    expect(v('50000')).toBe(50000)
    expect(v('500.00')).toBe(50000)
    expect(v(125.5)).toMatch(/integer amount in cents/)
  })

  it('formatMinor', () => {
    expect(formatMinor(125050)).toBe('1250.50')
    expect(formatMinor(5)).toBe('0.05')
    expect(formatMinor(-250)).toBe('-2.50')
    expect(() => formatMinor(1.5)).toThrow()
  })

  it('dates: ISO, seconds, ms, numeric strings', () => {
    const v = (x: unknown) => {
      const r = parseDateTime(x)
      return r.ok ? r.value : r.message
    }
    expect(v('2025-10-15T14:30:00Z')).toBe('2025-10-15T14:30:00.000Z')
    expect(v('2025-10-15T16:30:00+02:00')).toBe('2025-10-15T14:30:00.000Z')
    expect(v('2025-10-15 14:30:00')).toBe('2025-10-15T14:30:00.000Z')
    expect(v(1735689600)).toBe('2025-01-01T00:00:00.000Z')
    expect(v('1735689600')).toBe('2025-01-01T00:00:00.000Z')
    expect(v(1764691706000)).toBe('2025-12-02T16:08:26.000Z')
    expect(v('1764691706000')).toBe('2025-12-02T16:08:26.000Z')
    expect(v('2025-10-15')).toBe('2025-10-15T00:00:00.000Z')
    expect(v(null)).toBeNull()
    expect(v(0)).toBeNull()
    expect(v('yesterday')).toMatch(/expected a date/)
    const d = parseDateOnly(1735689600)
    expect(d.ok && d.value).toBe('2025-01-01')
  })

  it('booleans', () => {
    for (const t of [true, 1, '1']) expect(parseBool(t)).toEqual({ ok: true, value: true })
    for (const f of [false, 0, '0']) expect(parseBool(f)).toEqual({ ok: true, value: false })
    expect(parseBool('yes').ok).toBe(false)
  })
})
