// What the phone-card queries answer where the SQL decides it: a card's paddle
// (the client's phone paddle before any other, then the shortest), a range of
// lots that takes the last lot's lettered lots, a card pending or in conflict
// by its open outbox entries, the podium's bids per lot, shortest paddle
// first, and Circuit's card written over the station's (one with no session
// too, and its removal).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Actions } from '../../src-main/core/action'
import { manualClock } from '../../src-main/core/clock'
import { EventBus } from '../../src-main/core/event-bus'
import { sequentialIds } from '../../src-main/core/ids'
import type { Replica } from '../../src-main/db/replica'
import type { CircuitPhoneCard } from '../../src-main/circuit/types'
import { saveCard, type PhoneCardDeps } from '../../src-main/phone-cards/actions'
import { localCardState, writeServerCard } from '../../src-main/phone-cards/card-state'
import { cardById, podiumPhoneBids } from '../../src-main/phone-cards/cards'
import { lotSortKey } from '../../src-shared/lots'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
let db: Replica
let deps: PhoneCardDeps

beforeAll(async () => {
  db = await tempReplica(cleanups)
  db.raw.exec(`
    INSERT INTO sales (id, label, status, raw) VALUES ('1', 'Spring sale', 'open', '{}');
    INSERT INTO sale_sessions (id, sale_id, number, raw) VALUES ('s1', '1', 1, '{}');
    INSERT INTO clients (id, first_name, last_name, display_name, status, raw) VALUES
      ('c1', 'Jo', 'Bloggs', 'Jo Bloggs', 'active', '{}'), ('c2', 'Al', 'Smith', 'Al Smith', 'active', '{}'),
      ('c3', 'Bo', 'Jones', 'Bo Jones', 'active', '{}');
    INSERT INTO sale_bidders (id, sale_id, client_id, paddle, bidder_type, raw) VALUES
      ('b1', '1', 'c1', '5', 'floor', '{}'), ('b2', '1', 'c1', '300', 'phone', '{}'),
      ('b3', '1', 'c1', '301', 'phone', '{}'), ('b4', '1', 'c2', '40', 'floor', '{}'),
      ('b5', '1', 'c3', '1000', 'phone', '{}');
  `)
  const item = db.raw.prepare(
    `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES (?, '1', ?, ?, ?, 'available', '{}')`
  )
  for (const lot of ['14', '15', '16', '18', '18A', '19']) item.run(`i${lot}`, lot, lotSortKey(lot), `Title ${lot}`)
  deps = {
    db,
    actions: new Actions({ db, clock: manualClock(), ids: sequentialIds(), events: new EventBus() }),
    ids: sequentialIds('card')
  }
})
afterAll(() => {
  for (const c of cleanups) c()
})

describe('phone-card queries', () => {
  it("gives a card the client's phone paddle (the shortest) and a range's lettered lots of its last lot", () => {
    const card = saveCard(deps, { sessionId: 's1', clientId: 'c1', lots: ['15-18'] })
    expect(card.paddle).toBe('300')
    expect(card.lots.map((l) => l.lot)).toEqual(['15', '16', '18', '18A'])
    expect(saveCard(deps, { sessionId: 's1', clientId: 'c2', lots: ['18a'] }).lots.map((l) => l.lot)).toEqual(['18A'])
  })

  it('is pending while a change waits, in conflict only when one is', () => {
    const card = saveCard(deps, { sessionId: 's1', clientId: 'c3', lots: ['14'] })
    expect(cardById(db, card.id)).toMatchObject({ pending: true, conflict: false })
    db.raw.prepare(`UPDATE outbox SET state = 'done' WHERE entity_id = '1/s1/c3'`).run()
    expect(cardById(db, card.id)).toMatchObject({ pending: false, conflict: false })
    db.raw.prepare(`UPDATE outbox SET state = 'conflict' WHERE entity_id = '1/s1/c3'`).run()
    expect(cardById(db, card.id)).toMatchObject({ pending: true, conflict: true })
  })

  it("answers the podium each lot's bidders, the shortest paddle first, a client not on the station by id", () => {
    db.raw.exec(`
      INSERT INTO phone_bidder_cards (id, sale_id, session_id, client_id, paddle, raw)
        VALUES ('x1', '1', 's1', 'c9', '2', '{}');
      INSERT INTO phone_card_lots (card_id, item_id) VALUES ('x1', 'i18A');
    `)
    const bids = podiumPhoneBids(db, '1')
    expect(bids.i18A.map((b) => [b.paddle, b.clientName])).toEqual([
      ['2', 'Client c9'],
      ['40', 'Al Smith'],
      ['300', 'Jo Bloggs']
    ])
    expect(bids.i14.map((b) => b.paddle)).toEqual(['1000'])
  })

  it("writes Circuit's card over the station's: a local card's id still finds it; no session is a session ''", () => {
    const circuit = (id: string, o: Partial<CircuitPhoneCard> = {}): CircuitPhoneCard => ({
      id,
      saleId: '1',
      sessionId: 's1',
      clientId: 'c2',
      paddle: '40',
      phone: null,
      lots: ['i19'],
      staff: null,
      updated: '2026-11-23T09:00:00Z',
      raw: null,
      ...o
    })
    const local = cardById(db, saveCard(deps, { sessionId: 's1', clientId: 'c2', lots: ['19'] }).id)
    expect(local.id).toMatch(/^local-/)
    writeServerCard(db, '1/s1/c2', circuit('77'))
    expect(cardById(db, local.id)).toMatchObject({ id: '77', clientId: 'c2' })
    expect(db.raw.prepare(`SELECT local_id, server_id FROM id_map WHERE entity_type = 'phone_card'`).all()).toEqual([
      { local_id: local.id, server_id: '77' }
    ])

    // A card with no session: written again under a new id, it replaces the row; its caller is the station's.
    const rows = () =>
      db.raw.prepare(`SELECT id, staff FROM phone_bidder_cards WHERE client_id = 'c3' AND session_id IS NULL`).all()
    writeServerCard(db, '1//c3', circuit('80', { sessionId: null, clientId: 'c3', staff: '4' }))
    writeServerCard(db, '1//c3', circuit('81', { sessionId: null, clientId: 'c3' }))
    expect(rows()).toEqual([{ id: '81', staff: '4' }])
    expect(localCardState(db, '1//c3')).toEqual({ paddle: '40', phone: null, staffId: '4', itemIds: ['i19'] })
    // Circuit has none: the station's row goes.
    writeServerCard(db, '1//c3', null)
    expect(rows()).toEqual([])
    expect(localCardState(db, '1//c3')).toBeNull()
  })
})
