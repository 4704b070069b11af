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

  it('a full pull removes the phone cards and payments Circuit deleted, but keeps a card with a change waiting and a payment not yet sent', async () => {
    // Sale 1 has the phone cards; sale 2 (the older one) has the payments.
    const pull = await puller(0)
    const pullBoth = async () => {
      for (const sale of ['1', '2']) {
        await pull.open(sale)
        await pull.wait(sale)
      }
    }
    await pullBoth()
    const rows = <T>(sql: string, ...p: unknown[]) => f.db.raw.prepare(sql).all(...p) as T[]
    const cards = rows<{ id: string; key: string }>(
      `SELECT id, sale_id || '/' || coalesce(session_id, '') || '/' || client_id AS key
         FROM phone_bidder_cards WHERE sale_id = '1' ORDER BY id LIMIT 2`
    )
    const payments = rows<{ id: string; order_id: string }>(
      `SELECT t.id, t.order_id FROM transactions t JOIN orders o ON o.id = t.order_id
        WHERE o.sale_id = '2' ORDER BY t.id LIMIT 2`
    )
    expect(cards).toHaveLength(2)
    expect(payments).toHaveLength(2)
    const waiting = (entityType: string, entityId: string, op: string) =>
      f.db.exec(
        `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_version, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, '{}', 1, 0, 0)`,
        `op-${entityId}`,
        entityType,
        entityId,
        op
      )
    // A card's entries are keyed by sale/session/client; a payment's by its id.
    waiting('phone_card', cards[1].key, 'phoneCard.save')
    waiting('transaction', payments[1].id, 'payment.void')
    const order = payments[0].order_id
    const payment = (id: string, serverId: string | null) =>
      f.db.exec(
        `INSERT INTO transactions (id, server_id, order_id, type, amount) VALUES (?, ?, ?, 'cash', 100)`,
        id,
        serverId,
        order
      )
    payment('local-desk-1', null) // taken here, its entry not yet written back: never known to Circuit
    payment('local-hub-7', 'local-hub-7') // served by a venue hub, which Circuit's list never had
    for (const c of cards) f.sim.store.phoneCards.delete(c.id)
    for (const p of payments) {
      f.sim.store.transactions.delete(p.id)
      f.sim.store.transactionsByOrder.get(p.order_id)?.delete(p.id)
    }

    await pullBoth()
    const ids = (table: 'phone_bidder_cards' | 'transactions', wanted: string[]) =>
      rows<{ id: string }>(
        `SELECT id FROM ${table} WHERE id IN (${wanted.map(() => '?').join(', ')}) ORDER BY id`,
        ...wanted
      ).map((r) => r.id)
    expect(
      ids(
        'phone_bidder_cards',
        cards.map((c) => c.id)
      )
    ).toEqual([cards[1].id])
    expect(ids('transactions', [...payments.map((p) => p.id), 'local-desk-1', 'local-hub-7'])).toEqual(
      [payments[1].id, 'local-desk-1'].sort()
    )
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
