// The simulator's currency (SimulatorOptions.currency, CLI --currency): every
// wire amount is written and read with its decimals — 2 for GBP, 0 for JPY,
// 3 for KWD — while rates stay percentages with two decimals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../src-main/circuit-sim/index'
import { availableLots, paddle, startApi, type Api } from './helpers'

/** Minor units as decimal text with `d` decimals, by string slicing (no floats): 1250 → "12.50" / "1250" / "1.250". */
const decimalText = (minor: number, d: number): string => {
  const digits = String(minor).padStart(d + 1, '0')
  return d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`
}

const cases = [
  { code: 'GBP', decimals: 2, wire: (minor: number) => decimalText(minor, 2), bad: '12.505' },
  { code: 'JPY', decimals: 0, wire: (minor: number) => decimalText(minor, 0), bad: '12.5' },
  { code: 'KWD', decimals: 3, wire: (minor: number) => decimalText(minor, 3), bad: '1.2505' }
] as const

describe.each(cases)('circuit-sim in $code', ({ code, decimals, wire, bad }) => {
  let api: Api
  beforeAll(async () => {
    api = await startApi({ lots: 60, clients: 40, currency: code, now: () => Date.UTC(2026, 10, 26, 15, 0, 0) })
  })
  afterAll(() => api.sim.close())

  it('/me names the currency and its decimals; sales carry the code', async () => {
    const me = (await api.get('me')).data[0]
    expect(me.config.currency).toMatchObject({ key: code.toLowerCase(), decimal_amount: decimals })
    expect((await api.get('datatable-sales/1')).data[0].currency).toBe(code)
  })

  it('writes amounts with the decimals: items, orders, terms', async () => {
    const item = (await api.get('datatable-items?filter[sale]=1&range=1')).data[0]
    const stored = api.sim.store.items.get(item.id)!
    expect(item.estimate_low).toBe(wire(stored.estimateLow))
    const order = [...api.sim.store.orders.values()].find((o) => o.saleId === '2' && o.type === 'bidder')!
    const row = (await api.get(`orders/${order.id}`)).data[0]
    const totals = api.sim.store.orderTotals(order)
    expect(row.grand_total).toBe(wire(totals.grandTotal))
    expect(row.invoice_data.totals.premium).toBe(wire(totals.premium))
    const steps = (await api.get('bid_steps')).data[0].ranges
    expect(steps[1]).toEqual({ from: wire(10_000), increment: wire(1_000) })
    const charge = (await api.get('additional_charges')).data.find((t: { id: string }) => t.id === '14')
    expect(charge).toMatchObject({ default_amount: wire(850), default_vat: '20.00' })
  })

  it('reads amounts with the decimals: more decimals than the currency has are refused', async () => {
    const p = await paddle(api, '101')
    const [lot] = await availableLots(api, 1, 10)
    const sold = await api.call('PATCH', `datatable-items/${lot.id}`, {
      field_sold_for_amount: 123456, // minor units in any currency
      field_winner_bidder: p.clientId,
      field_sold_status: 'sold'
    })
    expect(sold.body.data[0].hammer_price).toBe(wire(123456))
    const orderId = sold.body.data[0].current_order
    const pay = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'cash',
      amount: wire(1250),
      transaction_date: '2026-11-26'
    })
    expect(pay.status).toBe(201)
    expect(api.sim.store.transactions.get(pay.body.data[0].id)!.amount).toBe(1250)
    const refused = await api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'cash',
      amount: bad,
      transaction_date: '2026-11-26'
    })
    expect(refused.status).toBe(422)
    expect(refused.body.errors.amount[0]).toContain(`at most ${decimals} decimals`)
    // A charge: its amount in the currency, its VAT rate a percentage.
    const charged = await api.call('PATCH', `orders/${orderId}`, {
      additional_charges: [{ term: '11', amount: wire(2500), tax: '20.00' }]
    })
    expect(charged.body.data[0].additional_charges[0]).toMatchObject({ amount: wire(2500), tax: '20.00' })
    expect(api.sim.store.orders.get(orderId)!.charges[0]).toMatchObject({ amount: 2500, taxBp: 2000 })
    // Money filters read the same way.
    const found = await api.get(`transactions?filter[order]=${orderId}&filter[amount]=${wire(1250)}`)
    expect(found.count).toBe(1)
  })
})

describe('currency option', () => {
  it('an unknown currency is refused at start, naming the known ones', async () => {
    await expect(startSimulator({ currency: 'XYZ', quiet: true })).rejects.toThrow(
      /Unknown currency "XYZ".*GBP.*JPY.*KWD/
    )
  })

  it('the seed is the same in every currency: only the wire text differs', async () => {
    const [gbp, jpy] = [
      await startSimulator({ lots: 30, clients: 20, quiet: true }),
      await startSimulator({ lots: 30, clients: 20, currency: 'jpy', quiet: true })
    ]
    try {
      const strip = (s: typeof gbp.store) => [...s.items.values()].map((i) => [i.id, i.estimateLow, i.hammer])
      expect(strip(jpy.store)).toEqual(strip(gbp.store))
      expect(jpy.store.currency.code).toBe('JPY')
    } finally {
      await gbp.close()
      await jpy.close()
    }
  })
})
