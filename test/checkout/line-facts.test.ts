// The tax type a hammer's line on the buyer's order takes (checkout/order-mirror.ts
// lineFigures): the one Circuit put on the sale's own lines, else on any of
// Circuit's lines, else none. It runs on every hammer, so for each of Circuit's
// orders it probes only the lines that have a tax type (the partial index of
// migration 14), never walking the lines of an order.
import { afterEach, describe, expect, it } from 'vitest'
import type { Replica } from '../../src-main/db/replica'
import { SALE_LINE_FACTS, lineFigures } from '../../src-main/checkout/order-mirror'
import { writeSale } from '../../src-main/records/adapters'
import type { CircuitSale } from '../../src-main/circuit/types'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

const sale = (id: string): CircuitSale => ({
  id,
  label: `Sale ${id}`,
  saleNumber: null,
  saleDate: '2026-11-23T10:00:00Z',
  status: 'published',
  itemCount: null,
  venue: null,
  lotsLocked: false,
  buyersPremium: null,
  updated: null,
  raw: {}
})

async function replica(): Promise<Replica> {
  const db = await tempReplica(cleanups)
  db.tx(() => {
    writeSale(db, sale('1'))
    writeSale(db, sale('2'))
  })
  return db
}

/** An order with `lines` lines, Circuit's (a server id) or made here, the lines with `taxId` or none. */
function order(db: Replica, id: string, saleId: string, o: { circuit: boolean; lines: number; taxId?: string }) {
  db.tx(() => {
    db.exec(
      `INSERT INTO orders (id, server_id, type, status, sale_id, client_id) VALUES (?, ?, 'bidder', 'new', ?, 'c1')`,
      id,
      o.circuit ? `s-${id}` : null,
      saleId
    )
    for (let i = 0; i < o.lines; i++) {
      db.exec(
        `INSERT INTO order_lines (order_id, item_id, lot, hammer, premium, tax_id) VALUES (?, ?, ?, 1000, 0, ?)`,
        id,
        `${id}-item-${i}`,
        String(i + 1),
        o.taxId ?? null
      )
    }
  })
}

describe("the tax type of a hammer's line", () => {
  it("is the one on the sale's own Circuit lines, else on any Circuit line, else none; never one made here", async () => {
    const db = await replica()
    order(db, 'mine', '1', { circuit: false, lines: 3, taxId: 'made-here' })
    expect(lineFigures(db, '1', 10_000).taxId).toBeNull()
    order(db, 'other-sale', '2', { circuit: true, lines: 2, taxId: 'tax-2' })
    expect(lineFigures(db, '1', 10_000).taxId).toBe('tax-2')
    order(db, 'untaxed', '1', { circuit: true, lines: 5 })
    expect(lineFigures(db, '1', 10_000).taxId).toBe('tax-2')
    order(db, 'own', '1', { circuit: true, lines: 2, taxId: 'tax-1' })
    expect(lineFigures(db, '1', 10_000).taxId).toBe('tax-1')
  })

  it('probes only lines that carry a tax type: both lookups search the partial index', async () => {
    const db = await replica()
    order(db, 'untaxed', '1', { circuit: true, lines: 50 })
    const plan = db.raw
      .prepare(`EXPLAIN QUERY PLAN ${SALE_LINE_FACTS}`)
      .all('1')
      .map((r) => (r as { detail: string }).detail)
    const onLines = plan.filter((d) => d.startsWith('SEARCH l ') || d.startsWith('SCAN l '))
    expect(onLines.length).toBe(2)
    for (const d of onLines) expect(d).toMatch(/^SEARCH l USING COVERING INDEX order_lines_taxed \(order_id=\?/)
    expect(lineFigures(db, '1', 10_000)).toEqual({ premium: 0, tax: 0, taxId: null })
  })
})
