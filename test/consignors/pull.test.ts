// What a sale pull brings for the consignors: the consignor orders with their
// payments, the consignments, and Circuit's consignment statements — replaced
// whole at each pull (they carry no `updated`), removed by a full pull when
// Circuit no longer has them, and a server without the legacy statements list
// still pulls the sale (the statement then checks against Circuit's order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consignorStatement } from '../../src-main/consignors/statement'
import { pullFixture, type PullFixture } from '../sync/pull-fixture'

let f: PullFixture
beforeAll(async () => {
  f = await pullFixture({ seed: 4, lots: 60, clients: 40 })
})
afterAll(() => f.close())

const rows = (sql: string, ...args: unknown[]) => f.db.raw.prepare(sql).all(...args) as Record<string, unknown>[]

describe('pulling a sale for its consignors', () => {
  it('brings consignor orders and their cheques, consignments and statements; a full pull drops what Circuit dropped', async () => {
    const { pull } = await f.puller({ fullPullEveryMs: 0 })
    await pull.open('2')
    await pull.wait('2')
    const store = f.sim.store
    const orders = [...store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'consignor')
    expect(
      rows(`SELECT id FROM orders WHERE sale_id = '2' AND type = 'consignor' ORDER BY id`).map((r) => r.id)
    ).toEqual(orders.map((o) => o.id).sort())
    // A settled consignor's cheque came with the orders' payments.
    const settled = orders.find((o) => o.status === 'finished')!
    expect(rows('SELECT type, amount FROM transactions WHERE order_id = ?', settled.id)).toEqual([
      { type: 'cheque', amount: store.orderTotals(settled).paymentReceived }
    ])
    const consignments = [...store.consignments.values()].filter((c) => c.saleId === '2')
    expect(rows(`SELECT id, commission_bp, owner_id FROM consignments WHERE sale_id = '2' ORDER BY id`)).toEqual(
      consignments
        .map((c) => ({ id: c.id, commission_bp: c.commissionBp, owner_id: c.ownerId }))
        .sort((a, b) => a.id.localeCompare(b.id))
    )
    expect(rows(`SELECT consignment_id FROM consignment_statements WHERE sale_id = '2'`)).toHaveLength(
      consignments.length
    )

    // Circuit drops a consignment and the statements change: the next (full) pull follows.
    const gone = consignments.at(-1)!
    store.consignments.delete(gone.id)
    store.reindexConsignments()
    await pull.open('2')
    await pull.wait('2')
    expect(rows('SELECT id FROM consignments WHERE id = ?', gone.id)).toEqual([])
    expect(rows('SELECT consignment_id FROM consignment_statements WHERE consignment_id = ?', gone.id)).toEqual([])
  })

  it("a server without the statements list still pulls the sale; the statement checks against Circuit's order total", async () => {
    const { pull } = await f.puller()
    f.proxy.rule = (path) =>
      path.includes('datatable-consignment-statements')
        ? { status: 404, body: JSON.stringify({ title: 'Not Found', status: 404, detail: 'No route' }) }
        : 'pass'
    try {
      await pull.open('2')
      await pull.wait('2')
    } finally {
      f.proxy.rule = () => 'pass'
    }
    expect(rows(`SELECT * FROM consignment_statements WHERE sale_id = '2'`)).toEqual([])
    const o = [...f.sim.store.orders.values()].find(
      (x) => x.saleId === '2' && x.type === 'consignor' && x.status === 'new'
    )!
    const s = consignorStatement(f.db, () => [], '2', o.ownerId)
    expect(s.circuitTotal).toBe(f.sim.store.orderTotals(o).grandTotal)
    expect(s.total).toBe(s.circuitTotal)
    expect(s.difference).toBeNull()
  })
})
