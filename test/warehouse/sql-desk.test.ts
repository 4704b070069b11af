// What the collection desk's queries answer where the SQL decides it: a lot or
// paddle typed in any case, a buyer's paddles shortest first (the first one on
// a release), the latest change of a shipment that is still on its way, and a
// lot released twice at the same moment (the lower release id is the one shown).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Actions } from '../../src-main/core/action'
import { manualClock } from '../../src-main/core/clock'
import { EventBus } from '../../src-main/core/event-bus'
import { sequentialIds } from '../../src-main/core/ids'
import type { BalanceSource } from '../../src-main/core/ports'
import type { Replica } from '../../src-main/db/replica'
import { collectionsOfSale, deskBuyer, deskShipment, findAtDesk } from '../../src-main/warehouse/desk'
import { release } from '../../src-main/warehouse/release'
import { lotSortKey } from '../../src-shared/lots'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
let db: Replica
// No orders: every lot is unpaid and on no invoice, which the desk asks about (and release takes with confirm).
const balances: BalanceSource = { buyer: () => ({ outstanding: 0, orders: [] }), order: () => null }

const lot = (id: string, lot: string, winner: string | null, paddle: string | null) =>
  db.raw
    .prepare(
      `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, winner_client_id, winner_paddle, raw)
       VALUES (?, '1', ?, ?, ?, ?, ?, ?, '{}')`
    )
    .run(id, lot, lotSortKey(lot), `Title of ${lot}`, winner ? 'sold' : 'available', winner, paddle)
const entry = (seq: number, entityId: string, state: string, lastError: string | null = null) =>
  db.raw
    .prepare(
      `INSERT INTO outbox (seq, op_id, entity_type, entity_id, op, payload, payload_version, state, last_error,
         next_attempt_at, created_at)
       VALUES (?, ?, 'shipment', ?, 'shipment.create', '{}', 1, ?, ?, 0, 0)`
    )
    .run(seq, `op-${seq}`, entityId, state, lastError)
const collection = (itemId: string, lot: string, releaseId: string, by: string, at: number) =>
  db.raw
    .prepare(
      `INSERT INTO collections (item_id, sale_id, release_id, client_id, paddle, lot, collected_by, released_by,
         station, at)
       VALUES (?, '1', ?, 'c1', NULL, ?, ?, 'Ada', 'Desk', ?)`
    )
    .run(itemId, releaseId, lot, by, at)

beforeAll(async () => {
  db = await tempReplica(cleanups)
  db.raw.exec(`
    INSERT INTO sales (id, label, status, raw) VALUES ('1', 'Spring sale', 'open', '{}');
    INSERT INTO clients (id, first_name, last_name, display_name, status, raw)
      VALUES ('c1', 'Jo', 'Bloggs', 'Jo Bloggs', 'active', '{}'), ('c2', 'Al', 'Smith', 'Al Smith', 'active', '{}');
    INSERT INTO sale_bidders (id, sale_id, client_id, paddle, bidder_type, raw) VALUES
      ('b1', '1', 'c1', '10', 'floor', '{}'), ('b2', '1', 'c1', 'B', 'floor', '{}'),
      ('b3', '1', 'c1', '100', 'floor', '{}'), ('b4', '1', 'c1', '9', 'floor', '{}'),
      ('b5', '1', 'c2', 'P7', 'floor', '{}');
  `)
  lot('i1', '269A', 'c1', '10')
  lot('i2', '12', 'c1', null)
  lot('i3', '13', null, null)
  lot('i4', '14', 'c2', 'P7')
  lot('i5', '15', 'c2', 'P7')
  lot('i6', '16', 'c2', 'P7')
})
afterAll(() => {
  for (const c of cleanups) c()
})

describe("the collection desk's queries", () => {
  it('finds a scanned lot and a typed paddle in any case', () => {
    expect(findAtDesk({ db, balances }, '1', '269a', true)).toEqual([
      expect.objectContaining({ kind: 'lot', itemId: 'i1', clientId: 'c1' })
    ])
    expect(findAtDesk({ db, balances }, '1', 'p7', false)).toEqual([
      expect.objectContaining({ kind: 'paddle', label: 'Paddle P7 — Al Smith', clientId: 'c2' })
    ])
  })

  it("lists a buyer's paddles shortest first, then in text order; a release takes the first", () => {
    expect(deskBuyer({ db, balances }, '1', 'c1').paddles).toEqual(['9', 'B', '10', '100'])
    const actions = new Actions({ db, clock: manualClock(), ids: sequentialIds(), events: new EventBus() })
    // Lot 12 was sold with no paddle recorded: the release names the buyer's first paddle.
    const r = release({ db, balances, actions }, { itemIds: ['i2'], collectedBy: 'Jo', confirm: true })
    expect(r.collections).toEqual([expect.objectContaining({ itemId: 'i2', paddle: '9' })])
  })

  it("says how far a shipment's latest change is: one still on its way before any done, the newest first", () => {
    db.raw.exec(`
      INSERT INTO shipments (id, order_id, method, created_at) VALUES
        ('s1', 'o1', 'Courier', 1), ('s2', 'o1', 'Courier', 2), ('s3', 'o1', 'Courier', 3);
    `)
    // s1: an older change waits although a newer one is done; a discarded one does not count.
    entry(1, 's1', 'pending')
    entry(2, 's1', 'done')
    entry(3, 's1', 'discarded', 'gone')
    // s2: the newest of the changes on their way.
    entry(4, 's2', 'needs_attention', 'Circuit refused it')
    entry(5, 's2', 'pending')
    // s3: done, and a later change discarded.
    entry(6, 's3', 'done')
    entry(7, 's3', 'discarded', 'gone')
    expect(deskShipment(db, 's1')).toMatchObject({ state: 'waiting', problem: null })
    expect(deskShipment(db, 's2')).toMatchObject({ state: 'waiting', problem: null })
    expect(deskShipment(db, 's3')).toMatchObject({ state: 'on_circuit', problem: null })
    entry(8, 's2', 'conflict')
    expect(deskShipment(db, 's2')).toMatchObject({
      state: 'needs_attention',
      problem: 'It needs attention on the Sync screen (F4).'
    })
  })

  it('shows each lot gone out once, with its first release (the lower release id at the same moment), in time order', () => {
    collection('i4', '14', 'rel-b', 'Second at the same moment', 5_000)
    collection('i4', '14', 'rel-a', 'First at the same moment', 5_000)
    collection('i5', '15', 'rel-c', 'Earlier', 4_000)
    // Lot 16 went out at the same moment as lot 14, on a lower release id: lot order decides; its
    // later release, on a lower id still, is not the one shown.
    collection('i6', '16', 'rel-00', 'Same time, later lot', 5_000)
    collection('i6', '16', 'rel-0', 'Released again later', 6_000)
    const out = collectionsOfSale(db, '1').filter((c) => ['i4', 'i5', 'i6'].includes(c.itemId))
    expect(out.map((c) => [c.lot, c.collectedBy])).toEqual([
      ['15', 'Earlier'],
      ['14', 'First at the same moment'],
      ['16', 'Same time, later lot']
    ])
  })
})
