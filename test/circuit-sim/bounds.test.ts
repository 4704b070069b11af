// Sane bounds (issue 16 F7, F10): amounts beyond 10^11 minor units, impossible
// dates and unknown banks are refused with 422 like Circuit does, changing
// nothing, and no amount that gets in can break a listing. Payments are
// deleted as documented: 204 without a body, then 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_AMOUNT } from '../../src-main/circuit-sim/money'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim bounds', () => {
  let api: Api
  let orderId: string
  let lotId: string
  let clientId: string
  beforeAll(async () => {
    api = await startApi({ now: () => Date.UTC(2026, 10, 26, 15, 0, 0) })
    const p = await paddle(api, '120')
    clientId = p.clientId
    const [lot] = await availableLots(api, 1, 100)
    lotId = lot.id
    const r = await api.call('PATCH', `datatable-items/${lot.id}`, {
      field_sold_for_amount: 10000,
      field_winner_bidder: p.clientId,
      field_sold_status: 'sold'
    })
    orderId = r.body.data[0].current_order
  })
  afterAll(() => api.sim.close())

  const pay = (fields: Record<string, unknown>) =>
    api.call('POST', 'transactions', {
      order: orderId,
      transaction_type: 'cash',
      amount: '10.00',
      transaction_date: '2026-11-26',
      ...fields
    })
  const orderListOk = async () => (await api.call('GET', 'orders?filter[sale]=1&range=500')).status

  it('the bound is 10^11 minor units (1,000,000,000.00)', () => {
    expect(MAX_AMOUNT).toBe(100_000_000_000)
  })

  it('a payment beyond the bound is refused; one at the bound is taken', async () => {
    const before = api.sim.store.transactions.size
    for (const amount of ['1000000000.01', '99999999999.00', '-1000000000.01', 90071992547409.91]) {
      const r = await pay({ amount })
      expect(r.status, String(amount)).toBe(422)
      expect(r.body.errors.amount[0]).toContain('cannot exceed 1000000000.00')
    }
    expect((await pay({ transferred_amount: '1000000000.01' })).status).toBe(422)
    expect(api.sim.store.transactions.size).toBe(before)
    const atBound = await pay({ amount: '1000000000.00' })
    expect(atBound.status).toBe(201)
    expect(await orderListOk()).toBe(200)
    expect((await api.call('DELETE', `transactions/${atBound.body.data[0].id}`)).status).toBe(204)
  })

  it('a charge beyond the bound, or a VAT rate above 100 %, is refused and the order listing keeps working', async () => {
    const huge = await api.call('PATCH', `orders/${orderId}`, {
      additional_charges: [{ term: '11', amount: '90000000000000.00', tax: '20.00' }]
    })
    expect(huge.status).toBe(422)
    expect(huge.body.errors['additional_charges.0.amount']).toBeDefined()
    const rate = await api.call('PATCH', `orders/${orderId}`, {
      additional_charges: [{ term: '11', amount: '25.00', tax: '1000000000000.00' }]
    })
    expect(rate.status).toBe(422)
    expect(rate.body.errors['additional_charges.0.tax']).toBeDefined()
    expect((await api.get(`orders/${orderId}`)).data[0].additional_charges).toEqual([])
    // The biggest charge allowed, VAT on top: every order still lists.
    const max = await api.call('PATCH', `orders/${orderId}`, {
      additional_charges: [{ term: '11', amount: '1000000000.00', tax: '100.00' }]
    })
    expect(max.status).toBe(200)
    expect(await orderListOk()).toBe(200)
    await api.call('PATCH', `orders/${orderId}`, { additional_charges: [] })
  })

  it('a hammer beyond the bound is refused; the lot keeps its result', async () => {
    for (const body of [
      { field_sold_for_amount: MAX_AMOUNT + 1, field_winner_bidder: clientId, field_sold_status: 'sold' },
      { field_sold_for_amount: 9_007_199_254_740_991, field_winner_bidder: clientId, field_sold_status: 'sold' }
    ]) {
      const r = await api.call('PATCH', `datatable-items/${lotId}`, body)
      expect(r.status).toBe(422)
      expect(r.body.errors.field_sold_for_amount).toBeDefined()
    }
    expect((await api.call('PATCH', `datatable-items/${lotId}`, { estimate_high: '1000000000.01' })).status).toBe(422)
    const station = await api.control('POST', 'station-edit', {
      op: 'sell',
      item: lotId,
      paddle: '120',
      price: '1000000000.01'
    })
    expect(station.status).toBe(400)
    expect((await api.get(`datatable-items/${lotId}`)).data[0]).toMatchObject({
      hammer_price: '100.00',
      status: 'sold'
    })
    expect(await orderListOk()).toBe(200)
  })

  it('impossible dates and unknown banks are refused like Circuit does', async () => {
    const before = api.sim.store.transactions.size
    const feb30 = await pay({ transaction_date: '2026-02-30' })
    expect(feb30.status).toBe(422)
    expect(Object.keys(feb30.body.errors)).toEqual(['transaction_date'])
    const cheque = await pay({
      transaction_type: 'Cheque',
      cheque_number: '000123',
      cheque_date: '2025-13-01',
      bank: '5'
    })
    expect(cheque.status).toBe(422)
    expect(Object.keys(cheque.body.errors)).toEqual(['cheque_date'])
    const bank = await pay({ transaction_type: 'Cheque', cheque_number: '000124', bank: '999' })
    expect(bank.status).toBe(422)
    expect(bank.body.errors.bank[0]).toContain('Unknown bank account')
    expect(api.sim.store.transactions.size).toBe(before)
    // PATCH keeps the same rules.
    const ok = await pay({})
    const id = ok.body.data[0].id
    const patched = await api.call('PATCH', `transactions/${id}`, { transaction_date: '2026-04-31', bank: '0' })
    expect(patched.status).toBe(422)
    expect(Object.keys(patched.body.errors).sort()).toEqual(['bank', 'transaction_date'])
    expect((await api.get(`transactions/${id}`)).data[0].transaction_date).toBe('2026-11-26')
    await api.call('DELETE', `transactions/${id}`)
  })

  it('DELETE transactions/{id} answers 204 without a body; a second DELETE is 404; the payment is gone', async () => {
    const created = await pay({ amount: '12.34' })
    const id = created.body.data[0].id
    const paidBefore = (await api.get(`orders/${orderId}`)).data[0].payment_received
    const res = await fetch(`${api.sim.url}/api/v1.0/transactions/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${api.token}` }
    })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    const again = await api.call('DELETE', `transactions/${id}`)
    expect(again.status).toBe(404)
    expect(again.body).toMatchObject({ title: 'Resource not found', status: 404 })
    expect((await api.call('GET', `transactions/${id}`)).status).toBe(404)
    const list = await api.get(`transactions?filter[order]=${orderId}`)
    expect(list.data.map((t: { id: string }) => t.id)).not.toContain(id)
    const paidAfter = (await api.get(`orders/${orderId}`)).data[0].payment_received
    const minor = (text: string) => Number(text.replace('.', ''))
    expect(minor(paidBefore) - minor(paidAfter)).toBe(1234)
  })
})
