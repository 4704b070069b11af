// The core's own cost over raw SQLite: a look-up through the dispatcher
// (schema validation, the look-up's own work, the statement cache) against
// the very SQL the look-up ran, with its parameters, straight on
// better-sqlite3 (caught as the look-up runs it, so the baseline follows any
// change to the look-up's query); and an audited write against a bare INSERT.
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { measure, measurePair, ratioLine, size, type BenchOptions } from './harness'
import { tempDir, testCore } from '../test/helpers'
import { lotSortKey, parseLot } from '../src-shared/lots'
import { lookupLots } from '../src-main/lookup/lookup'
import type { Compilable } from 'kysely'
import { Replica, type Prepared } from '../src-main/db/replica'

/** The one statement (and its parameters) that `run` sends through the replica's prepared queries. */
function sqlOf(run: () => unknown): { sql: string; params: unknown[] } {
  const seen: { sql: string; params: unknown[] }[] = []
  const prepared = Object.getOwnPropertyDescriptor(Replica.prototype, 'prepared')!.value as Replica['prepared']
  Replica.prototype.prepared = function <A extends object, R>(
    this: Replica,
    build: (q: Replica['q'], a: A) => Compilable<R>
  ): Prepared<A, R> {
    const p = (prepared as (this: Replica, b: typeof build) => Prepared<A, R>).call(this, build)
    return {
      ...p,
      all: (a) => {
        seen.push({ sql: p.sql, params: p.params(a) })
        return p.all(a)
      }
    }
  }
  try {
    run()
  } finally {
    Replica.prototype.prepared = prepared
  }
  if (seen.length !== 1) throw new Error(`expected the look-up to run one query, it ran ${seen.length}`)
  return seen[0]
}

export async function replicaBench(lines: string[], o: BenchOptions): Promise<void> {
  const t = tempDir('saleroom-bench-')
  try {
    const core = await testCore(t.dir)
    const raw = core.replica()!.raw
    const LOTS = size(o, 20_000, 300)
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
    const db = core.replica()!
    const byNumber = sqlOf(() => lookupLots(db, '412', undefined, 50))
    const exact = direct.prepare(byNumber.sql)
    const pair = { ms: size(o, 200, 10), rounds: size(o, 7, 1) }
    const [viaCore, base] = await measurePair(
      ['lookup.lots "412" via dispatch', () => core.dispatch('lookup.lots', { q: '412' })],
      ['raw SQLite: the same query', () => exact.all(...byNumber.params)],
      pair
    )
    lines.push(ratioLine(viaCore, base, 1.2))

    const byWords = sqlOf(() => lookupLots(db, 'silver sauce', undefined, 50))
    const fts = direct.prepare(byWords.sql)
    const [ftsCore, ftsBase] = await measurePair(
      ['lookup.lots "silver sauce" via dispatch', () => core.dispatch('lookup.lots', { q: 'silver sauce' })],
      ['raw SQLite: the same FTS query', () => fts.all(...byWords.params)],
      pair
    )
    lines.push(ratioLine(ftsCore, ftsBase, 1.2))
    lines.push(
      `lookup.lots over ${LOTS} lots: ${viaCore.meanMicros.toFixed(0)} µs by number, ${ftsCore.meanMicros.toFixed(0)} µs by words (target < 50,000 µs)`
    )

    let n = 0
    const bare = raw.prepare('INSERT INTO audit_log (at, actor, station, action) VALUES (?, ?, ?, ?)')
    const ms = size(o, 800, 20)
    const insertBase = await measure('raw SQLite INSERT (autocommit)', () => bare.run(n++, 'a', 'b', 'c'), ms)
    const write = await measure(
      'settings.update via dispatch (tx + audit)',
      () => core.dispatch('settings.update', { stationName: `S${n++}` }),
      ms
    )
    lines.push(ratioLine(write, insertBase))
    direct.close()
    await core.close()
  } finally {
    t.cleanup()
  }
}
