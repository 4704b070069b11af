// Look-ups over a real replica file, filled through the same apply functions
// the pull uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { openReplica, type Replica } from '../../src-main/db/replica'
import { writeItem as applyItem } from '../../src-main/clerking/item-sync'
import {
  writeBidder as applyBidder,
  writeClient as applyClient,
  writeSale as applySale
} from '../../src-main/records/adapters'
import { buyerLots, ftsQuery, lookupBuyers, lookupLots } from '../../src-main/lookup/lookup'
import { lookupHandlers } from '../../src-main/lookup/handlers'
import { calls } from '../../src-shared/contract'
import { parseLot } from '../../src-shared/lots'
import type { CircuitClient, CircuitItem, CircuitSale } from '../../src-main/circuit/types'
import { tempDir } from '../helpers'

let db: Replica
let cleanup: () => void

const sale = (id: string, label: string, date: string): CircuitSale => ({
  id,
  label,
  saleNumber: null,
  saleDate: date,
  status: 'published',
  itemCount: null,
  venue: null,
  lotsLocked: false,
  buyersPremium: null,
  updated: null,
  raw: {}
})
const item = (
  id: string,
  saleId: string,
  lot: string,
  title: string,
  extra: Partial<CircuitItem> = {}
): CircuitItem => ({
  id,
  saleId,
  lot,
  lotNumber: parseLot(lot).number,
  lotLetter: parseLot(lot).letter,
  title,
  description: '',
  estimateLow: 10000,
  estimateHigh: 15000,
  reserve: null,
  openingPrice: null,
  hammer: null,
  status: 'available',
  winnerClientId: null,
  winnerPaddle: null,
  consignmentId: null,
  consignorName: null,
  category: null,
  updated: null,
  raw: {},
  ...extra
})
const client = (
  id: string,
  firstName: string,
  lastName: string,
  customerNumber: string,
  company: string | null = null
): CircuitClient => ({
  id,
  uuid: null,
  firstName,
  lastName,
  company,
  email: `${firstName.toLowerCase()}@example.test`,
  phone: null,
  customerNumber,
  status: 'approved',
  address: null,
  updated: null,
  raw: {}
})

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
  db.tx(() => {
    applySale(db, sale('old', 'Last week', '2026-11-16T10:00:00Z'))
    applySale(db, sale('new', 'Today', '2026-11-23T10:00:00Z'))
    applyClient(db, client('c1', 'Laura', 'Marchetti', 'C10008'))
    applyClient(db, client('c2', 'José', 'Núñez', 'C20204', 'Núñez Antiques Ltd'))
    applyClient(db, client('c3', 'Ann', 'Lee', 'C30001'))
    // The name three times over: a relevance ranking would put her first.
    applyClient(db, client('c4', 'Zoe', 'Marchetti', 'C40001', 'Marchetti Marchetti Restauro'))
    applyBidder(db, { id: 'b1', saleId: 'new', clientId: 'c1', paddle: '204', type: 'floor', updated: null, raw: {} })
    applyBidder(db, { id: 'b2', saleId: 'new', clientId: 'c2', paddle: '2045', type: 'phone', updated: null, raw: {} })
    applyBidder(db, { id: 'b3', saleId: 'old', clientId: 'c1', paddle: '118', type: 'floor', updated: null, raw: {} })
    for (const [id, lot, title] of [
      ['i27', '27', 'Pair of Meissen figures'],
      ['i269', '269', 'George III silver sauceboat, London 1768'],
      ['i269a', '269A', 'Matching silver sauceboat'],
      ['i270', '270', 'Oak bureau'],
      ['i412', '412', 'Victorian silver crown'],
      ['i4120', '4120', 'Brass lantern'],
      // Added out of catalogue order, as a pull's pages can arrive: lot order must not depend on it.
      ['i30', '30', 'Silver vesta case'],
      ['i3', '3', 'Silver christening mug']
    ])
      applyItem(db, item(id, 'new', lot, title))
    applyItem(
      db,
      item('o412', 'old', '412', 'Carriage clock', {
        status: 'sold',
        hammer: 85000,
        winnerClientId: 'c1',
        winnerPaddle: '118'
      })
    )
    applyItem(
      db,
      item('o7', 'old', '7', 'Café au lait bowl', {
        status: 'sold',
        hammer: 1200,
        winnerClientId: 'c1',
        winnerPaddle: '118'
      })
    )
  })
})
/** An item added after the others (a later page of a pull). */
function applyItemOnce(id: string, saleId: string, lot: string, title: string) {
  if (db.sql('SELECT 1 FROM items WHERE id = ?', id).length === 0)
    db.tx(() => applyItem(db, item(id, saleId, lot, title)))
}

afterAll(() => {
  db.close()
  cleanup()
})

describe('look-ups from the replica', () => {
  it('finds a lot by number: the exact lot first, newest sale first, then lots that start with it', () => {
    expect(lookupLots(db, '412', undefined, 10).map((l) => `${l.saleId}:${l.lot}`)).toEqual([
      'new:412',
      'old:412',
      'new:4120'
    ])
    expect(lookupLots(db, '412', 'old', 10).map((l) => l.title)).toEqual(['Carriage clock'])
    expect(lookupLots(db, '269a', undefined, 10).map((l) => l.lot)).toEqual(['269A'])
    expect(lookupLots(db, '26', undefined, 10).map((l) => l.lot)).toEqual(['269', '269A'])
  })

  it('finds lots by words in the title, prefixes and accents forgiven', () => {
    expect(
      lookupLots(db, 'silver sauce', undefined, 10)
        .map((l) => l.lot)
        .sort()
    ).toEqual(['269', '269A'])
    expect(lookupLots(db, 'cafe', undefined, 10).map((l) => l.lot)).toEqual(['7'])
    expect(lookupLots(db, 'meiss', undefined, 10)[0]).toMatchObject({ lot: '27', saleLabel: 'Today' })
    expect(lookupLots(db, 'unicorn', undefined, 10)).toEqual([])
  })

  it('lists lots found by words in lot order, newest sale first, however well each word matches', () => {
    applyItemOnce('o30', 'old', '30', 'Silver silver silver salver')
    expect(lookupLots(db, 'silver', undefined, 10).map((l) => `${l.saleId}:${l.lot}`)).toEqual([
      'new:3',
      'new:30',
      'new:269',
      'new:269A',
      'new:412',
      'old:30'
    ])
    expect(lookupLots(db, 'silver', 'new', 3).map((l) => l.lot)).toEqual(['3', '30', '269'])
    // One or two letters take the first matches found, shown in lot order all the same.
    const short = lookupLots(db, 'si', 'new', 10).map((l) => l.lot)
    expect(short).toEqual(['3', '30', '269', '269A', '412'])
  })

  it('answers the look-up screen with lots and buyers in one call', () => {
    const search = lookupHandlers(db)['lookup.search']
    const answer = search(calls['lookup.search'].input.parse({ q: '204' })) as ReturnType<typeof search>
    expect(answer).toMatchObject({ q: '204', lots: [] })
    expect((answer as { buyers: { clientId: string }[] }).buyers.map((b) => b.clientId)).toEqual(['c1', 'c2'])
    const words = search(calls['lookup.search'].input.parse({ q: 'sauceboat', buyerLimit: 5 })) as {
      lots: { lot: string }[]
      buyers: unknown[]
    }
    expect(words.lots.map((l) => l.lot)).toEqual(['269', '269A'])
    expect(words.buyers).toEqual([])
  })

  it('shows who bought a lot', () => {
    expect(lookupLots(db, '7', 'old', 1)[0]).toMatchObject({
      hammer: 1200,
      winnerPaddle: '118',
      winnerName: 'Marchetti, Laura'
    })
  })

  it('finds buyers by paddle (exact first), name, company or customer number', () => {
    expect(lookupBuyers(db, '204', 'new', 10).map((b) => b.clientId)).toEqual(['c1', 'c2'])
    expect(lookupBuyers(db, '204', 'new', 10)[0].paddles).toEqual([{ saleId: 'new', paddle: '204', type: 'floor' }])
    expect(lookupBuyers(db, 'marchetti', undefined, 10)[0]).toMatchObject({ clientId: 'c1', customerNumber: 'C10008' })
    expect(lookupBuyers(db, 'nunez antiques', undefined, 10).map((b) => b.clientId)).toEqual(['c2'])
    expect(lookupBuyers(db, 'C30001', undefined, 10).map((b) => b.clientId)).toEqual(['c3'])
    expect(lookupBuyers(db, '30001', undefined, 10).map((b) => b.clientId)).toEqual(['c3'])
  })

  it('lists buyers found by words by name, as a card index reads (added in another order)', () => {
    // Every fixture client's e-mail is at example.test.
    expect(lookupBuyers(db, 'example', undefined, 10).map((b) => b.name)).toEqual([
      'Lee, Ann',
      'Marchetti, Laura',
      'Marchetti, Zoe',
      'Núñez, José'
    ])
    expect(lookupBuyers(db, 'marchetti', undefined, 10).map((b) => b.name)).toEqual([
      'Marchetti, Laura',
      'Marchetti, Zoe'
    ])
  })

  it("lists a buyer's lots, newest sale first", () => {
    expect(buyerLots(db, 'c1', undefined).map((l) => `${l.saleId}:${l.lot}`)).toEqual(['old:7', 'old:412'])
    expect(buyerLots(db, 'c3', undefined)).toEqual([])
  })

  it('treats search text as words, never as FTS syntax', () => {
    expect(ftsQuery('silver "OR" NEAR(')).toBe('"silver"* AND "OR"* AND "NEAR"*')
    expect(ftsQuery('  ---  ')).toBeNull()
    for (const q of ['"', '*', 'AND', '(', 'a:b', "'; DROP TABLE items; --"]) {
      expect(() => lookupLots(db, q, undefined, 5)).not.toThrow()
      expect(() => lookupBuyers(db, q, undefined, 5)).not.toThrow()
    }
  })
})
