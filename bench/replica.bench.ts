// The core's own cost over raw SQLite: a look-up through the dispatcher (schema
// validation + Kysely-built SQL + statement cache) against the same SQL run
// directly on better-sqlite3; and an audited write against a bare INSERT.
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { measure, ratioLine } from './harness'
import { tempDir, testCore } from '../test/helpers'
import { lotSortKey, parseLot } from '../src-shared/lots'
import { LOT_COLUMNS, LOT_FROM } from '../src-main/lookup/lookup'

export async function replicaBench(lines: string[]): Promise<void> {
  const t = tempDir('saleroom-bench-')
  try {
    const core = await testCore(t.dir)
    const raw = core.replica()!.raw
    const LOTS = 20_000
    raw.transaction(() => {
      raw
        .prepare(
          "INSERT INTO sales (id, label, status, raw, lots_locked) VALUES ('s1', 'Bench sale', 'published', '{}', 0)"
        )
        .run()
      const ins = raw.prepare(
        `INSERT INTO items (id, sale_id, lot, lot_number, lot_letter, lot_sort, title, status, raw)
         VALUES (?, 's1', ?, ?, ?, ?, ?, 'available', '{}')`
      )
      const words = ['silver', 'sauceboat', 'Meissen', 'figure', 'oak', 'bureau', 'clock', 'bronze', 'vase', 'painting']
      for (let i = 1; i <= LOTS; i++) {
        const lot = String(i)
        const p = parseLot(lot)
        ins.run(`i${i}`, lot, p.number, p.letter, lotSortKey(lot), `${words[i % 10]} ${words[(i * 7) % 10]} lot ${i}`)
      }
    })()

    const direct = new BetterSqlite3(join(t.dir, 'saleroom.db'), { readonly: true })
    // The same SQL the look-up runs, straight on better-sqlite3.
    const exact = direct.prepare(
      `SELECT ${LOT_COLUMNS} ${LOT_FROM} WHERE i.lot >= ? AND i.lot < ? ORDER BY (i.lot = ?) DESC, s.sale_date DESC, i.sale_id, i.lot_sort LIMIT ?`
    )
    const base = await measure('raw SQLite lot query', () => exact.all('412', '412\uffff', '412', 50))
    const viaCore = await measure('lookup.lots "412" via dispatch', () => core.dispatch('lookup.lots', { q: '412' }))
    lines.push(ratioLine(viaCore, base))

    const fts = direct.prepare(
      `SELECT ${LOT_COLUMNS} ${LOT_FROM} JOIN items_fts f ON f.rowid = i.rowid WHERE items_fts MATCH ? ORDER BY f.rank, i.lot_sort LIMIT ?`
    )
    const ftsBase = await measure('raw SQLite FTS query', () => fts.all('"silver"* AND "sauce"*', 50))
    const ftsCore = await measure('lookup.lots "silver sauce" via dispatch', () =>
      core.dispatch('lookup.lots', { q: 'silver sauce' })
    )
    lines.push(ratioLine(ftsCore, ftsBase))
    lines.push(
      `lookup.lots over ${LOTS} lots: ${viaCore.meanMicros.toFixed(0)} µs by number, ${ftsCore.meanMicros.toFixed(0)} µs by words (target < 50,000 µs)`
    )

    let n = 0
    const bare = raw.prepare('INSERT INTO audit_log (at, actor, station, action) VALUES (?, ?, ?, ?)')
    const insertBase = await measure('raw SQLite INSERT (autocommit)', () => bare.run(n++, 'a', 'b', 'c'))
    const write = await measure('settings.update via dispatch (tx + audit)', () =>
      core.dispatch('settings.update', { stationName: `S${n++}` })
    )
    lines.push(ratioLine(write, insertBase))
    direct.close()
    await core.close()
  } finally {
    t.cleanup()
  }
}
