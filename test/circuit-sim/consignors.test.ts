// Consignments, consignor orders and consignment statements (FIELD-NOTES §2.6,
// §2.9; datatable-consignments.txt; README.txt's legacy statements): every
// seeded lot's consignment has a commission rate, every consignor of sales 1
// and 2 has a consignor order, and the statements follow
// hammer − commission − charges, with cheques paid to the consignor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableLots, paddle, startApi, type Api } from './helpers'

/** Commission on one lot: rate in basis points, half away from zero, integers only. */
const commission = (hammer: number, bp: number): number => Math.floor((hammer * bp + 5000) / 10000)
/** 123450 → "1234.50" (GBP), by string slicing. */
const text = (n: number): string => {
  const digits = String(n).padStart(3, '0')
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`
}
/** "1234.50" → 123450 (GBP, two decimals), by string slicing. */
const minor = (text: string): number => {
  const [whole, frac = ''] = text.replace('-', '').split('.')
  const n = Number(whole + frac.padEnd(2, '0'))
  return text.startsWith('-') ? -n : n
}

describe('circuit-sim consignors', () => {
  let api: Api
  let now = Date.UTC(2026, 10, 26, 15, 0, 0)
  beforeAll(async () => {
    api = await startApi({ now: () => now })
  })
  afterAll(() => api.sim.close())

  const all = async (path: string): Promise<any[]> => {
    const out: any[] = []
    for (let page = 0; ; page++) {
      const r = await api.get(`${path}${path.includes('?') ? '&' : '?'}range=500&page=${page}`)
      out.push(...r.data)
      if (!r.next) return out
    }
  }

  it("every seeded lot's consignment exists, with a commission rate, payment instructions and an owner", async () => {
    const store = api.sim.store
    for (const item of store.items.values()) {
      const c = store.consignments.get(item.consignmentId)
      expect(c, `lot ${item.id}`).toBeDefined()
      expect(c!.saleId).toBe(item.saleId)
      expect(c!.commissionBp).toBeGreaterThan(0)
    }
    const rows = await all('datatable-consignments?sale_id=2')
    expect(rows.length).toBe([...store.consignments.values()].filter((c) => c.saleId === '2').length)
    for (const row of rows) {
      const c = store.consignments.get(row.id)!
      expect(row).toMatchObject({
        sale: { id: '2' },
        owner: { id: c.ownerId, label: expect.any(String) },
        consignor_commission: expect.stringMatching(/^\d+\.\d{2}$/),
        consignor_commission_steps: [{ step_from: 0, consignor_commission: expect.stringMatching(/%$/) }],
        payment_instructions: expect.any(String),
        total_hammer_price: expect.stringMatching(/^\d+\.\d{2}$/),
        symbol: c.symbol
      })
      expect(minor(row.consignor_commission)).toBe(c.commissionBp)
      const sold = [...store.items.values()].filter((i) => i.consignmentId === c.id && i.status === 'sold')
      expect(minor(row.total_hammer_price)).toBe(sold.reduce((s, i) => s + i.hammer!, 0))
    }
    // The documented filters.
    const one = rows[0]
    expect((await api.get(`datatable-consignments?filter[owner]=${one.owner.id}&filter[sale]=2`)).data[0].id).toBe(
      one.id
    )
  })

  it('each consignor of sales 1 and 2 has one consignor order', async () => {
    const store = api.sim.store
    for (const sale of ['1', '2']) {
      const consignors = new Set(
        [...store.consignments.values()].filter((c) => c.saleId === sale).map((c) => c.ownerId)
      )
      const orders = await all(`orders?filter[type]=consignor&filter[sale]=${sale}`)
      expect(orders.map((o) => o.owner.id).sort()).toEqual([...consignors].sort())
      expect(orders.every((o) => o.type === 'consignor')).toBe(true)
    }
    // Seeded consignors do not bid in the sale they consign to.
    for (const c of store.consignments.values())
      if (c.saleId !== '3') expect(store.paddlesOf(c.saleId, c.ownerId)).toEqual([])
  })

  it('statements and consignor orders follow hammer − commission − charges, and cheques paid', async () => {
    const store = api.sim.store
    const statements = await all('datatable-consignment-statements?filter[sale]=2')
    expect(statements.length).toBe([...store.consignments.values()].filter((c) => c.saleId === '2').length)
    const byOrder = new Map<string, any[]>()
    for (const s of statements) {
      const c = store.consignments.get(s.consignment_id)!
      const lots = (await all(`datatable-items?filter[consignment]=${c.id}&filter[status]=sold`)).map((i) =>
        minor(i.hammer_price)
      )
      const hammer = lots.reduce((a, b) => a + b, 0)
      const commissions = lots.reduce((a, h) => a + commission(h, c.commissionBp), 0)
      const order = (await all(`orders?filter[type]=consignor&filter[sale]=2&filter[owner]=${c.ownerId}`))[0]
      const first = store.consignmentsOf('2', c.ownerId)[0].id === c.id
      const charges = first ? order.additional_charges.reduce((a: number, ch: any) => a + minor(ch.amount), 0) : 0
      expect(minor(s.total), `consignment ${c.id}`).toBe(hammer - commissions - charges)
      expect(s).toMatchObject({ order_id: order.order_id, status: order.status.id, owner: { id: c.ownerId } })
      expect(minor(s.received_from_buyers)).toBeLessThanOrEqual(hammer)
      byOrder.set(order.id, [...(byOrder.get(order.id) ?? []), s])
    }
    let settled = 0
    for (const [orderId, rows] of byOrder) {
      const o = (await api.get(`orders/${orderId}`)).data[0]
      const total = rows.reduce((a, s) => a + minor(s.total), 0)
      const paid = rows.reduce((a, s) => a + minor(s.actually_paid), 0)
      expect(minor(o.grand_total)).toBe(total)
      expect(minor(o.payment_received)).toBe(paid)
      expect(minor(o.amount_due)).toBe(total - paid)
      // A consignor order's lines are the consignor's sold lots, commission as `commission`.
      expect(o.item_count).toBe(o.items.length)
      if (o.status.id === 'finished') {
        settled++
        const tx = await api.get(`transactions?filter[order]=${orderId}`)
        expect(tx.data[0]).toMatchObject({ transaction_type: 'Cheque', bank: { id: '6' } })
        expect(o.amount_due).toBe('0.00')
      }
    }
    expect(settled).toBeGreaterThan(0)
    const finished = await api.get('datatable-consignment-statements?filter[sale]=2&filter[status]=finished')
    expect(finished.count).toBeGreaterThan(0)
    expect(finished.recordsTotal).toBeGreaterThanOrEqual(finished.count)
  })

  it('a hammer at the podium puts the lot on its consignor order and changes the statement', async () => {
    const store = api.sim.store
    const [lot] = await availableLots(api, 1, 150)
    const c = store.consignments.get(store.items.get(lot.id)!.consignmentId)!
    const order = store.consignorOrderFor('1', c.ownerId)!
    const before = (await api.get(`orders/${order.id}`)).data[0]
    const p = await paddle(api, '140')
    now = Date.UTC(2026, 10, 26, 15, 40, 0)
    await api.call('PATCH', `datatable-items/${lot.id}`, {
      field_sold_for_amount: 123400,
      field_winner_bidder: p.clientId,
      field_sold_status: 'sold'
    })
    const after = (await api.get(`orders/${order.id}`)).data[0]
    expect(after.items).toContain(lot.id)
    const line = Object.values(after.invoice_data.items as Record<string, any[]>)
      .flat()
      .find((l) => l.nid === lot.id)
    expect(line).toMatchObject({
      hammer_price: '1234.00',
      commission: text(commission(123400, c.commissionBp))
    })
    expect(minor(after.grand_total) - minor(before.grand_total)).toBe(123400 - commission(123400, c.commissionBp))
    // Delta sync sees the consignor order and the consignment change.
    const since = 'filter[updated][value][from]=2026-11-26T15:30:00Z'
    expect((await api.get(`orders?filter[type]=consignor&${since}`)).data.map((o: any) => o.id)).toContain(order.id)
    expect((await api.get(`datatable-consignments?${since}`)).data.map((x: any) => x.id)).toContain(c.id)
  })

  it('a Cheque on a consignor order pays the consignor', async () => {
    const order = (await api.get('orders?filter[type]=consignor&filter[sale]=2&filter[status]=in_process')).data.find(
      (o: any) => minor(o.amount_due) > 1000
    )
    const cheque = await api.call('POST', 'transactions', {
      order: order.id,
      transaction_type: 'Cheque',
      amount: '10.00',
      bank: '6',
      cheque_number: '300999',
      cheque_date: '2026-11-26',
      transaction_date: '2026-11-26'
    })
    expect(cheque.status).toBe(201)
    const after = (await api.get(`orders/${order.id}`)).data[0]
    expect(minor(after.amount_due)).toBe(minor(order.amount_due) - 1000)
    const rows = (await api.get(`datatable-consignment-statements?filter[owner]=${order.owner.id}&filter[sale]=2`)).data
    expect(rows.reduce((a: number, s: any) => a + minor(s.actually_paid), 0)).toBe(minor(after.payment_received))
  })

  it("Circuit's rules: one consignor order per consignor and sale, no lots sent, no split or credit note", async () => {
    const c = [...api.sim.store.consignments.values()].find((x) => x.saleId === '2')!
    const twice = await api.call('POST', 'orders', { type: 'consignor', sale: '2', owner: c.ownerId })
    expect(twice.status).toBe(422)
    const buyer = await paddle(api, '101')
    expect((await api.call('POST', 'orders', { type: 'consignor', sale: '2', owner: buyer.clientId })).status).toBe(422)
    const sale3 = [...api.sim.store.consignments.values()].find((x) => x.saleId === '3')!
    const withLots = await api.call('POST', 'orders', {
      type: 'consignor',
      sale: '3',
      owner: sale3.ownerId,
      items: ['1']
    })
    expect(withLots.status).toBe(422)
    const made = await api.call('POST', 'orders', { type: 'consignor', sale: '3', owner: sale3.ownerId })
    expect(made.status).toBe(201)
    expect(made.body.data[0]).toMatchObject({ type: 'consignor', grand_total: '0.00', items: [] })
    const order = [...api.sim.store.orders.values()].find(
      (o) => o.type === 'consignor' && o.status === 'in_process' && api.sim.store.orderLines(o).length >= 2
    )!
    const lines = api.sim.store.orderLines(order)
    expect((await api.call('PATCH', 'order-split', { order: order.id, items: [lines[0].itemId] })).status).toBe(422)
    expect((await api.call('POST', `order-create-credit-note/${order.id}`, { items: [lines[0].itemId] })).status).toBe(
      422
    )
  })
})
