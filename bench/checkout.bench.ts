// The cashier's invoice view for a buyer with 200 lots (checkout.invoice via
// the dispatcher: validation, the order's lines, charges and payments, our
// totals by the shared invoice maths and the comparison with Circuit's)
// against reading the same rows with raw SQLite (the buyer, the orders, their
// lines with the lots', charges and payments, the sale's premium rule and the
// tax types). And the cashier's queue (checkout.queue) for a sale of 200
// buyers and 2,000 lots, against reading every order's lines, charges and
// payments of the sale raw and adding them up in JavaScript.
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { measurePair, ratioLine, size, type BenchOptions } from './harness'
import { tempDir, testCore } from '../test/helpers'
import { lotSortKey } from '../src-shared/lots'

export async function checkoutBench(lines: string[], o: BenchOptions): Promise<void> {
  const LOTS = size(o, 200, 10)
  const t = tempDir('saleroom-bench-checkout-')
  try {
    const core = await testCore(t.dir)
    const raw = core.replica()!.raw
    raw.transaction(() => {
      raw.exec(`INSERT INTO sales (id, label, status, raw, lots_locked, buyers_premium)
                VALUES ('s1', 'Bench sale', 'published', '{}', 0, '25% up to 5000, 20% thereafter')`)
      raw.exec(`INSERT INTO clients (id, first_name, last_name, display_name, status, raw)
                VALUES ('c1', 'Ada', 'Lovelace', 'Lovelace, Ada', 'approved', '{}')`)
      raw.exec(
        `INSERT INTO sale_bidders (id, sale_id, client_id, paddle, bidder_type, raw) VALUES ('b1', 's1', 'c1', '101', 'floor', '{}')`
      )
      raw.exec(`INSERT INTO reference_terms (vocabulary, id, label, attrs, raw)
                VALUES ('tax_types', '31', 'Margin scheme', '{"vat_on":"premium","rate":"20.00"}', '{}')`)
      raw.exec(`INSERT INTO orders (id, server_id, order_number, type, status, sale_id, client_id, grand_total, raw)
                VALUES ('o1', 'o1', '25001', 'bidder', 'new', 's1', 'c1', NULL, '{}')`)
      const item = raw.prepare(
        `INSERT INTO items (id, sale_id, lot, lot_number, lot_letter, lot_sort, title, status, hammer, raw)
         VALUES (?, 's1', ?, ?, '', ?, ?, 'sold', ?, '{}')`
      )
      const line = raw.prepare(
        `INSERT INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax) VALUES ('o1', ?, ?, ?, ?, ?, '31', ?)`
      )
      for (let i = 1; i <= LOTS; i++) {
        const hammer = 10_000 + i * 1_250
        item.run(`i${i}`, String(i), i, lotSortKey(String(i)), `Lot ${i}: a Georgian silver sauceboat`, hammer)
        line.run(
          `i${i}`,
          String(i),
          `Lot ${i}: a Georgian silver sauceboat`,
          hammer,
          Math.round(hammer / 4),
          Math.round(hammer / 20)
        )
      }
      raw.exec(`INSERT INTO order_charges (order_id, label, amount, tax) VALUES ('o1', 'Shipping', 2500, 525)`)
      for (let p = 1; p <= 3; p++) {
        raw
          .prepare(
            `INSERT INTO transactions (id, server_id, order_id, type, amount, date) VALUES (?, ?, 'o1', 'card', 10000, '2026-11-30')`
          )
          .run(`t${p}`, `t${p}`)
      }
    })()

    const direct = new BetterSqlite3(join(t.dir, 'saleroom.db'), { readonly: true })
    const rows = {
      bidder: direct.prepare(
        `SELECT client_id, paddle FROM sale_bidders WHERE sale_id = ? AND upper(paddle) = upper(?)`
      ),
      orders: direct.prepare(`SELECT * FROM orders WHERE sale_id = ? AND client_id = ?`),
      lines: direct.prepare(
        `SELECT l.*, i.lot AS i_lot, i.title FROM order_lines l LEFT JOIN items i ON i.id = l.item_id WHERE l.order_id = ?`
      ),
      charges: direct.prepare(`SELECT * FROM order_charges WHERE order_id = ?`),
      payments: direct.prepare(`SELECT * FROM transactions WHERE order_id = ?`),
      // What the view reads besides: the buyer's name, the sale's premium rule, the tax types.
      client: direct.prepare(`SELECT id, display_name, customer_number FROM clients WHERE id = ?`),
      sale: direct.prepare(`SELECT buyers_premium FROM sales WHERE id = ?`),
      taxTypes: direct.prepare(`SELECT id, label, attrs FROM reference_terms WHERE vocabulary = 'tax_types'`)
    }
    const [view, base] = await measurePair(
      [
        `checkout.invoice for a buyer with ${LOTS} lots via dispatch`,
        () => core.dispatch('checkout.invoice', { saleId: 's1', paddle: '101' })
      ],
      [
        `raw SQLite: the same rows (${LOTS} lines)`,
        () => {
          const b = rows.bidder.get('s1', '101') as { client_id: string }
          rows.client.get(b.client_id)
          for (const order of rows.orders.all('s1', b.client_id) as { id: string }[]) {
            rows.sale.get('s1')
            rows.taxTypes.all()
            rows.lines.all(order.id)
            rows.charges.all(order.id)
            rows.payments.all(order.id)
          }
        }
      ],
      { ms: size(o, 200, 10), rounds: size(o, 7, 1) }
    )
    lines.push(ratioLine(view, base, 1.5))
    direct.close()
    await core.close()
  } finally {
    t.cleanup()
  }
  await queueBench(lines, o)
}

async function queueBench(lines: string[], o: BenchOptions): Promise<void> {
  const BUYERS = size(o, 200, 10)
  const LOTS_EACH = 10
  const t = tempDir('saleroom-bench-queue-')
  try {
    const core = await testCore(t.dir)
    const raw = core.replica()!.raw
    raw.transaction(() => {
      raw.exec(`INSERT INTO sales (id, label, status, raw, lots_locked, buyers_premium)
                VALUES ('s1', 'Bench sale', 'published', '{}', 0, '25%')`)
      const client = raw.prepare(`INSERT INTO clients (id, first_name, last_name, display_name, status, raw)
                                  VALUES (?, 'Ada', ?, ?, 'approved', '{}')`)
      const bidder = raw.prepare(
        `INSERT INTO sale_bidders (id, sale_id, client_id, paddle, bidder_type, raw) VALUES (?, 's1', ?, ?, 'floor', '{}')`
      )
      const order =
        raw.prepare(`INSERT INTO orders (id, server_id, order_number, type, status, sale_id, client_id, grand_total, created, raw)
                                 VALUES (?, ?, ?, 'bidder', 'new', 's1', ?, NULL, ?, '{}')`)
      const item = raw.prepare(
        `INSERT INTO items (id, sale_id, lot, lot_number, lot_letter, lot_sort, title, status, hammer, raw)
         VALUES (?, 's1', ?, ?, '', ?, 'A lot', 'sold', ?, '{}')`
      )
      const line = raw.prepare(
        `INSERT INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax) VALUES (?, ?, ?, 'A lot', ?, ?, NULL, 0)`
      )
      const sold = raw.prepare(`INSERT INTO audit_log (at, actor, station, action, entity_type, entity_id, sale_id)
                                VALUES (?, 'Clerk', 'PODIUM', 'clerking.sell', 'item', ?, 's1')`)
      const pay = raw.prepare(
        `INSERT INTO transactions (id, server_id, order_id, type, amount, date) VALUES (?, ?, ?, 'card', 5000, '2026-11-30')`
      )
      let lot = 0
      for (let b = 1; b <= BUYERS; b++) {
        client.run(`c${b}`, `Buyer ${b}`, `Buyer ${b}, Ada`)
        bidder.run(`b${b}`, `c${b}`, String(100 + b))
        order.run(`o${b}`, `o${b}`, String(25000 + b), `c${b}`, '2026-11-30T10:00:00Z')
        for (let i = 0; i < LOTS_EACH; i++) {
          lot++
          item.run(`i${lot}`, String(lot), lot, lotSortKey(String(lot)), 10_000 + lot)
          line.run(`o${b}`, `i${lot}`, String(lot), 10_000 + lot, 2_500)
          sold.run(1_700_000_000_000 + lot * 1000, `i${lot}`)
        }
        if (b % 3 === 0) pay.run(`t${b}`, `t${b}`, `o${b}`)
      }
    })()

    const direct = new BetterSqlite3(join(t.dir, 'saleroom.db'), { readonly: true })
    const read = {
      orders: direct.prepare(`SELECT id, client_id, grand_total, server_basis FROM orders WHERE sale_id = ?`),
      lines: direct.prepare(`SELECT item_id, hammer, premium, tax FROM order_lines WHERE order_id = ?`),
      charges: direct.prepare(`SELECT amount, tax FROM order_charges WHERE order_id = ?`),
      payments: direct.prepare(`SELECT amount FROM transactions WHERE order_id = ? AND voided_at IS NULL`),
      names: direct.prepare(`SELECT id, display_name FROM clients`),
      paddles: direct.prepare(`SELECT client_id, paddle FROM sale_bidders WHERE sale_id = ?`)
    }
    type Money = { amount: number; tax: number | null }
    type Line = { item_id: string; hammer: number; premium: number; tax: number }
    const [queue, base] = await measurePair(
      [
        `checkout.queue for ${BUYERS} buyers, ${BUYERS * LOTS_EACH} lots via dispatch`,
        () => core.dispatch('checkout.queue', { saleId: 's1' })
      ],
      [
        `raw SQLite: every order's rows, summed in JS`,
        () => {
          const owed = new Map<string, number>()
          for (const ord of read.orders.all('s1') as { id: string; client_id: string }[]) {
            let due = 0
            for (const l of read.lines.all(ord.id) as Line[]) due += l.hammer + l.premium + l.tax
            for (const c of read.charges.all(ord.id) as Money[]) due += c.amount + (c.tax ?? 0)
            for (const p of read.payments.all(ord.id) as Money[]) due -= p.amount
            owed.set(ord.client_id, (owed.get(ord.client_id) ?? 0) + due)
          }
          read.names.all()
          read.paddles.all('s1')
        }
      ],
      { ms: size(o, 200, 10), rounds: size(o, 7, 1) }
    )
    lines.push(ratioLine(queue, base))
    direct.close()
    await core.close()
  } finally {
    t.cleanup()
  }
}
