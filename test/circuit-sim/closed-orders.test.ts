// The simulator keeps a finished or locked order's figures when the sale's
// premium changes afterwards (Circuit's invoices do not change once closed);
// an open order follows the sale's premium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'

let sim: RunningSimulator
beforeAll(async () => {
  sim = await startSimulator({ seed: 4, lots: 200, clients: 60, quiet: true })
})
afterAll(async () => {
  await sim.close()
})

describe('closed orders keep their figures', () => {
  it("a premium change moves open orders' totals, not finished or locked ones", () => {
    const orders = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.lines.length
    )
    const pick = (s: string) => orders.find((o) => o.status === s)!
    const [open, finished, locked] = [pick('new') ?? pick('in_process'), pick('finished'), pick('locked')]
    const before = [open, finished, locked].map((o) => sim.store.orderTotals(o).grandTotal)
    sim.store.sales.get('2')!.premium = [{ upTo: null, rateBp: 3_500 }]
    const after = [open, finished, locked].map((o) => sim.store.orderTotals(o).grandTotal)
    expect(after[0]).toBeGreaterThan(before[0])
    expect(after[1]).toBe(before[1])
    expect(after[2]).toBe(before[2])
    // Back to in process: the order follows the sale's premium again.
    sim.store.setOrderStatus(finished, 'in_process')
    expect(sim.store.orderTotals(finished).grandTotal).toBeGreaterThan(before[1])
  })
})
