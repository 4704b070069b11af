// A delta pull asks from Circuit's own `updated` stamps (never this station's
// clock), and a periodic full pull removes what Circuit deleted — except a row
// with a change of ours still on its way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../src-main/core/clock'
import { readCursor } from '../../src-main/sync/sale-pull'
import { pullFixture, type PullFixture } from './pull-fixture'

let f: PullFixture
// Circuit's clock runs a day behind this station's.
let simNow = Date.UTC(2026, 10, 24, 9, 0, 0)
const stationClock = manualClock(Date.UTC(2026, 10, 25, 9, 0, 0))
beforeEach(async () => {
  f = await pullFixture({ seed: 4, lots: 80, clients: 40, now: () => simNow })
})
afterEach(() => f.close())

const puller = async (fullPullEveryMs?: number) =>
  (await f.puller({ clock: stationClock, pageSize: 30, fullPullEveryMs })).pull
const simItems = () => [...f.sim.store.items.values()].filter((i) => i.saleId === '1')
const title = (id: string) =>
  (f.db.raw.prepare('SELECT title FROM items WHERE id = ?').get(id) as { title: string } | undefined)?.title

describe('delta and full pulls', () => {
  it("a delta pull asks from Circuit's own stamps, so a station clock a day ahead misses nothing", async () => {
    const pull = await puller()
    await pull.open('1')
    await pull.wait('1')
    const stamp = readCursor(f.db, '1')!.newestByPhase!.items!
    expect(Date.parse(stamp)).toBeLessThan(stationClock.now() - 12 * 3_600_000) // Circuit's time, not ours

    simNow += 60_000
    const item = simItems()[5]
    await fetch(`${f.sim.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'edit-item', item: item.id, fields: { title: 'Edited on Circuit' } })
    })
    stationClock.advance(60_000)
    f.proxy.log.length = 0
    await pull.open('1')
    await pull.wait('1')
    expect(title(item.id)).toBe('Edited on Circuit')
    const itemRequests = f.proxy.log.filter((l) => l.includes('datatable-items'))
    expect(itemRequests.length).toBeGreaterThan(0)
    expect(itemRequests.every((l) => l.includes(`filter[updated][value][from]=${stamp}`))).toBe(true)
    expect(readCursor(f.db, '1')).toMatchObject({ complete: true, full: false })
  })

  it('a full pull every so often removes lots Circuit deleted, but keeps one with a change of ours waiting', async () => {
    const pull = await puller(0) // every pull is a full one
    await pull.open('1')
    await pull.wait('1')
    const [gone, goneButPending] = simItems().slice(10, 12)
    expect(title(gone.id)).toBeTruthy()
    f.db.exec(
      `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_version, next_attempt_at, created_at)
       VALUES ('op-1', 'item', ?, 'clerk.pass', '{}', 1, 0, 0)`,
      goneButPending.id
    )
    for (const i of [gone, goneButPending]) {
      f.sim.store.items.delete(i.id)
      const list = f.sim.store.itemsBySale.get('1')!
      list.splice(list.indexOf(i.id), 1)
    }
    await pull.open('1')
    await pull.wait('1')
    expect(title(gone.id)).toBeUndefined()
    expect(title(goneButPending.id)).toBeTruthy()
    const count = (f.db.raw.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get() as { n: number }).n
    expect(count).toBe(simItems().length + 1)
    expect(f.db.raw.prepare('SELECT count(*) AS n FROM pull_seen').get()).toEqual({ n: 0 })
  })

  it('a full pull cut off midway removes nothing', async () => {
    const pull = await puller(0)
    await pull.open('1')
    await pull.wait('1')
    const before = (f.db.raw.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get() as { n: number }).n
    const victim = simItems()[3]
    f.sim.store.items.delete(victim.id)
    const list = f.sim.store.itemsBySale.get('1')!
    list.splice(list.indexOf(victim.id), 1)
    // The second page of lots never arrives.
    let itemPages = 0
    f.proxy.rule = (path) => (path.includes('datatable-items') && ++itemPages === 2 ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(f.db, '1')).toMatchObject({ complete: false, phase: 'items' })
    expect((f.db.raw.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get() as { n: number }).n).toBe(
      before
    )
  })
})
