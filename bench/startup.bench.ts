// Start-up on a large replica: from nothing to the first `sales.list` answer
// (the replica opened and checked, the services built), on a data folder of
// 100,000 rows (60,000 lots in six sales and 40,000 clients, each with its
// raw JSON as a pull keeps it). Goal: under 300 ms. The baseline is a bare
// better-sqlite3 open of the same file answering the same question. Also
// measured: the full-text index check at that size, which start-up pays only
// after an unclean shutdown, and a start after one.
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { markOpen } from '../src-main/safety-net/data-folder'
import { lotSortKey, parseLot } from '../src-shared/lots'
import { tempDir, testCore } from '../test/helpers'
import { median, size, type BenchOptions } from './harness'

const WORDS = ['silver', 'sauceboat', 'Meissen', 'figure', 'oak', 'bureau', 'clock', 'bronze', 'vase', 'painting']

async function fill(dir: string, lots: number, clients: number): Promise<void> {
  const core = await testCore(dir)
  const raw = core.replica()!.raw
  const perSale = Math.ceil(lots / 6)
  raw.transaction(() => {
    const sale = raw.prepare(
      `INSERT INTO sales (id, label, status, sale_date, raw, lots_locked) VALUES (?, ?, 'published', ?, '{}', 0)`
    )
    for (let s = 1; s <= 6; s++) sale.run(`s${s}`, `Sale ${s}`, `2026-0${s}-15`)
    const item = raw.prepare(
      `INSERT INTO items (id, sale_id, lot, lot_number, lot_letter, lot_sort, title, description, status, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'available', ?)`
    )
    for (let i = 0; i < lots; i++) {
      const lot = String((i % perSale) + 1)
      const p = parseLot(lot)
      const title = `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} lot ${lot}`
      const description = `A ${WORDS[(i * 3) % 10]} ${WORDS[(i * 9) % 10]}, with the marks and wear of its age, lot ${lot}.`
      item.run(
        `i${i}`,
        `s${Math.floor(i / perSale) + 1}`,
        lot,
        p.number,
        p.letter,
        lotSortKey(lot),
        title,
        description,
        JSON.stringify({ id: `i${i}`, lot, title, description, estimate_low: '100.00', estimate_high: '150.00' })
      )
    }
    const client = raw.prepare(
      `INSERT INTO clients (id, first_name, last_name, display_name, email, customer_number, status, raw)
       VALUES (?, ?, ?, ?, ?, ?, 'approved', ?)`
    )
    for (let i = 0; i < clients; i++) {
      const [first, last] = [`Ada${i}`, `Lovelace${i % 997}`]
      const email = `ada${i}@example.com`
      client.run(
        `c${i}`,
        first,
        last,
        `${last}, ${first}`,
        email,
        `C${10000 + i}`,
        JSON.stringify({ id: `c${i}`, first_name: first, last_name: last, email })
      )
    }
  })()
  await core.close()
}

/** From nothing to the first sales.list answer, in ms. */
async function startToSales(dir: string): Promise<number> {
  const started = performance.now()
  const core = await testCore(dir)
  try {
    const r = await core.dispatch('sales.list', {})
    const ms = performance.now() - started
    if (!r.ok || (r.data as unknown[]).length !== 6) throw new Error('sales.list did not answer the six sales')
    return ms
  } finally {
    await core.close()
  }
}

export async function startupBench(lines: string[], o: BenchOptions): Promise<void> {
  const LOTS = size(o, 60_000, 600)
  const CLIENTS = size(o, 40_000, 400)
  const RUNS = size(o, 5, 1)
  const t = tempDir('saleroom-bench-start-')
  try {
    await fill(t.dir, LOTS, CLIENTS)
    const file = join(t.dir, 'saleroom.db')

    const bare: number[] = []
    const clean: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now()
      const raw = new BetterSqlite3(file)
      raw.prepare('SELECT * FROM sales ORDER BY sale_date DESC').all()
      bare.push(performance.now() - started)
      raw.close()
      clean.push(await startToSales(t.dir))
    }

    // The check itself, on its own connection.
    const raw = new BetterSqlite3(file)
    const ftsCheck: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now()
      for (const table of ['items_fts', 'clients_fts']) {
        raw.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('integrity-check', 1)`).run()
      }
      ftsCheck.push(performance.now() - started)
    }
    raw.close()

    // After an unclean shutdown: the open marker of a session that never closed (its -wal is not
    // lost: the last close checkpointed it, so there was none to lose).
    const unclean: number[] = []
    for (let i = 0; i < RUNS; i++) {
      markOpen(file, Date.now())
      unclean.push(await startToSales(t.dir))
    }

    const rows = LOTS + CLIENTS
    const ms = (x: number) => `${x.toFixed(0)} ms`
    const ready = median(clean)
    lines.push(
      `start-up on a ${rows}-row replica, ready to answer sales.list: median ${ms(ready)} over ${RUNS} starts (goal < 300 ms: ${ready < 300 ? 'met' : 'not met'}) vs a bare better-sqlite3 open and the same query ${ms(median(bare))} → ${(ready / median(bare)).toFixed(1)}×`
    )
    lines.push(
      `the full-text index check (items and clients) at that size: median ${ms(median(ftsCheck))}; paid at start only after an unclean shutdown: such a start ${ms(median(unclean))}`
    )
  } finally {
    t.cleanup()
  }
}
