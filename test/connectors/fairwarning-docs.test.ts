// The FairWarning item page's own sample and its contradictions, each read
// the way fairwarning/README.md decides, and the mapping to a Circuit lot.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  decodeItem,
  decodeItemsPage,
  searchBody,
  type FairWarningItem
} from '../../src-main/connectors/fairwarning/client'
import {
  descriptionOf,
  lotOf,
  mapItem,
  moneyOf,
  type MappingTables
} from '../../src-main/connectors/fairwarning/mapping'
import { credentialsFor, pageWindow, secondSegment, splitKeyPair } from '../../src-main/connectors/fairwarning/protocol'

/** The 200 answer exactly as the page prints it (placeholders and all). */
const SAMPLE = readFileSync(join(__dirname, 'fixtures/fairwarning-items-200.txt'), 'utf8').trim()

/** Fill the page's placeholders with values of the types its field table gives. */
function filled(sample: string, values: Record<string, string>): string {
  return sample
    .replace(/<(\w+)>/g, (_m, name: string) => {
      if (!(name in values)) throw new Error(`no value for <${name}>`)
      return values[name]
    })
    .replace(/\[url-base\]/g, '"https://img.example.test/"')
    .replace(/\[url-addition\]/g, '"i/77-full.jpg"')
}

const VALUES: Record<string, string> = {
  item_id: '77',
  receipt_id: '4410',
  office_id: '82',
  storage_id: '3',
  auction_id: '901',
  status_id: '1',
  category_id_1: '59',
  category_id_2: '60',
  category_id_3: 'null',
  web_category_id_1: '59',
  web_category_id_2: 'null',
  web_category_id_3: 'null',
  item_advertise: 'true',
  item_lot: '269',
  department_id: '2',
  item_consignor_numbers: '"C-12"',
  item_lot_suffix: '"A"',
  item_buy_it_now: '1500.5',
  item_timed_auction_start: '"2027-01-14 10:00:00"',
  item_timed_auction_end: '"2027-01-20 19:00:00"',
  item_low_estimate: '400',
  item_high_estimate: '600.25',
  item_reserve: '320',
  item_hammer_price: '0',
  bidder_id: '0',
  item_width: '18.5',
  item_height: '30',
  item_depth: '12.25',
  item_weight: '4.5',
  item_overnight_required: 'false',
  item_quantity: '2',
  item_shippable: 'true',
  item_shelf_location: '"B3"',
  item_provenance: '"The Ashcombe collection"',
  item_title: '"George III silver sauceboat"',
  item_slug: '"george-iii-silver-sauceboat"',
  item_description: '"London 1768, by William Skeen."',
  item_condition: '"Small dent to the foot."',
  item_comments_to_consignor: 'null',
  high_bid: '0',
  next_bid: '200',
  bid_increment: '10',
  record_count: '1'
}

const TABLES: MappingTables = {
  categories: { '59': '51' },
  consignors: {},
  consignmentsByNumber: { 'A-1': '900' },
  dimensionUnit: 'in'
}

const decoded = (raw: unknown): FairWarningItem => {
  const d = decodeItem(raw)
  if (!d.ok) throw new Error(d.unreadable.problem)
  return d.item
}

describe("the docs' 200 sample", () => {
  it('as printed is not JSON: record_count sits inside the items list as a bare key', () => {
    expect(() => JSON.parse(filled(SAMPLE, VALUES))).toThrow()
  })

  // Reading decided: record_count is the field table's top-level field; the
  // sample's place for it is also read when it comes as its own element.
  it('reads record_count beside the list (the field table) and as an element of the list (the sample)', () => {
    const top = filled(
      SAMPLE.replace(/\}, "record_count" : <record_count> \]\}$/, '} ], "record_count" : <record_count> }'),
      VALUES
    )
    const inList = filled(
      SAMPLE.replace(/\}, "record_count" : <record_count> \]\}$/, '}, { "record_count" : <record_count> } ]}'),
      VALUES
    )
    for (const text of [top, inList]) {
      const page = decodeItemsPage(JSON.parse(text), 'sample')
      expect(page.recordCount).toBe(1)
      expect(page.items).toHaveLength(1)
      expect(page.items[0].ok).toBe(true)
    }
  })

  it('reads the sample item: the duplicated item_lot once, item_start_price as its own field, doubles as their decimal text', () => {
    // The sample lists "item_lot" twice and gives item_start_price the placeholder <item_high_estimate>.
    expect(SAMPLE.match(/"item_lot":/g)).toHaveLength(2)
    expect(SAMPLE).toContain('"item_start_price": <item_high_estimate>')
    const text = filled(
      SAMPLE.replace(/\}, "record_count" : <record_count> \]\}$/, '} ], "record_count" : <record_count> }'),
      VALUES
    )
    const page = decodeItemsPage(JSON.parse(text), 'sample')
    const item = (page.items[0] as { ok: true; item: FairWarningItem }).item
    expect(item.itemId).toBe('77')
    expect(item.lot).toBe('269')
    expect(item.lotSuffix).toBe('A')
    expect(item.highEstimate).toBe('600.25')
    // As printed, the start price carries the high estimate's value: read as the start price it says it is.
    expect(item.startPrice).toBe('600.25')
    expect(item.buyItNow).toBe('1500.5')
    expect(item.imageUrl).toBe('https://img.example.test/i/77-full.jpg')
  })

  it('maps the sample item to lot 269A with its money in minor units and lists what has no counterpart', () => {
    const text = filled(
      SAMPLE.replace(/\}, "record_count" : <record_count> \]\}$/, '} ], "record_count" : <record_count> }'),
      VALUES
    )
    const item = decodeItemsPage(JSON.parse(text), 'sample').items[0]
    if (!item.ok) throw new Error('unreadable')
    const m = mapItem(item.item, { ...TABLES, consignors: { 'C-12': '900' } })
    if (!m.ok) throw new Error(m.reason)
    expect(m.fields).toMatchObject({
      lot: '269A',
      lotNumber: 269,
      lotLetter: 'A',
      title: 'George III silver sauceboat',
      estimateLow: 40000,
      estimateHigh: 60025,
      opening: 60025,
      reserve: 32000,
      categoryId: '51',
      consignmentId: '900',
      dimensions: { height: '30', width: '18.5', depth: '12.25', weight: '4.5', unit: 'in' }
    })
    expect(m.fields.description).toBe(
      'London 1768, by William Skeen.\n\nCondition: Small dent to the foot.\nProvenance: The Ashcombe collection\nQuantity: 2 pieces'
    )
    const w = m.warnings.join('\n')
    expect(w).toMatch(/buy-it-now 1500.5/)
    expect(w).toMatch(/timed bidding 2027-01-14 10:00:00 to 2027-01-20 19:00:00/)
    expect(w).toMatch(/shelf location "B3"/)
    expect(w).toMatch(/image not attached.*https:\/\/img\.example\.test\/i\/77-full\.jpg/)
    // Hammer 0 and bidder 0 mean none: not listed.
    expect(w).not.toMatch(/hammer|bidder/)
  })

  it('spells the advertise flag item_advertise (the table says "iitem_advertise")', () => {
    expect(decoded({ item_id: 1, item_advertise: 1 })).toBeTruthy()
    const bad = decodeItem({ item_id: 1, item_advertise: 'yes' })
    expect(bad.ok).toBe(false)
  })

  it('refuses an item whose types do not match the field table, naming the field', () => {
    const d = decodeItem({ item_id: 5, item_lot: 12, item_low_estimate: 'about 400' })
    expect(d).toEqual({
      ok: false,
      unreadable: { itemId: '5', lot: '12', problem: 'item_low_estimate: expected a number' }
    })
  })
})

describe('lot numbers', () => {
  const lot = (l: string | null, s: string | null) => lotOf({ lot: l, lotSuffix: s })
  it('joins item_lot and a one-letter suffix', () => {
    expect(lot('269', 'A')).toMatchObject({ ok: true, lot: '269A' })
    expect(lot('269', 'a')).toMatchObject({ ok: true, lot: '269A' })
    expect(lot('269', '')).toMatchObject({ ok: true, lot: '269' })
    expect(lot('269', null)).toMatchObject({ ok: true, lot: '269' })
  })
  it('refuses a suffix longer than one character, a suffix that is not a letter, and no lot at all, with a reason', () => {
    expect(lot('269', 'BIS')).toMatchObject({ ok: false, reason: expect.stringMatching(/longer than one character/) })
    expect(lot('269', '2')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a letter/) })
    expect(lot(null, 'A')).toMatchObject({ ok: false, reason: expect.stringMatching(/no lot number/) })
    expect(lot('0', '')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a positive/) })
  })
})

describe('money: doubles to minor units by their decimal text, never by float arithmetic', () => {
  it('converts exactly', () => {
    expect(moneyOf('1234.5', 'x')).toEqual({ ok: true, value: 123450 })
    expect(moneyOf('0.07', 'x')).toEqual({ ok: true, value: 7 })
    expect(moneyOf('19.99', 'x')).toEqual({ ok: true, value: 1999 })
    expect(moneyOf('250.100', 'x')).toEqual({ ok: true, value: 25010 })
    // 0 and absent are "none".
    expect(moneyOf('0', 'x')).toEqual({ ok: true, value: null })
    expect(moneyOf(null, 'x')).toEqual({ ok: true, value: null })
  })
  it('a JSON double is read through its shortest text: 1.15 is 115, where 1.15 * 100 would be 114.99999999999999', () => {
    expect(1.15 * 100).not.toBe(115)
    expect(decoded({ item_id: 1, item_low_estimate: 1.15 }).lowEstimate).toBe('1.15')
    expect(moneyOf('1.15', 'x')).toEqual({ ok: true, value: 115 })
  })
  it('refuses more than two decimals and negative amounts rather than rounding', () => {
    expect(moneyOf('250.125', 'low estimate')).toEqual({
      ok: false,
      reason: 'low estimate 250.125 has more than two decimals'
    })
    expect(moneyOf(String(0.1 + 0.2), 'reserve')).toEqual({
      ok: false,
      reason: 'reserve 0.30000000000000004 has more than two decimals'
    })
    expect(moneyOf('-5', 'reserve')).toEqual({ ok: false, reason: 'reserve -5 is negative' })
  })
})

describe('the mapping', () => {
  const base = (patch: Record<string, unknown>) =>
    decoded({
      item_id: 9,
      item_lot: 512,
      item_lot_suffix: '',
      item_title: 'Oak coffer',
      item_description: 'Carved front.',
      category_id_1: 59,
      item_consignor_numbers: 'A1',
      item_low_estimate: 100,
      item_high_estimate: 150,
      ...patch
    })

  it("takes a consignor number equal to a consignment number of the sale, or the user's table first", () => {
    const m1 = mapItem(base({}), TABLES)
    expect(m1.ok && m1.fields.consignmentId).toBe('900')
    const m2 = mapItem(base({}), { ...TABLES, consignors: { A1: '901' } })
    expect(m2.ok && m2.fields.consignmentId).toBe('901')
    const m3 = mapItem(base({ item_consignor_numbers: null, receipt_id: 4410 }), {
      ...TABLES,
      consignors: { R4410: '902' }
    })
    expect(m3.ok && m3.fields.consignmentId).toBe('902')
    const m4 = mapItem(base({ item_consignor_numbers: 'Z9' }), { ...TABLES, consignors: { '*': '903' } })
    expect(m4.ok && m4.fields.consignmentId).toBe('903')
  })

  it('refuses with a reason: no consignment, several consignors, an unmapped category, estimates the wrong way round, no title', () => {
    const reason = (patch: Record<string, unknown>, t = TABLES) => {
      const m = mapItem(base(patch), t)
      return m.ok ? null : m.reason
    }
    expect(reason({ item_consignor_numbers: 'Z9' })).toMatch(/consignor Z9 has no consignment in this Circuit sale/)
    expect(reason({ item_consignor_numbers: 'A1, B1' })).toMatch(/several consignors \(A1, B1\)/)
    expect(reason({ category_id_1: 99 })).toMatch(/FairWarning category 99 has no Circuit category/)
    expect(reason({ item_low_estimate: 200, item_high_estimate: 100 })).toMatch(
      /low estimate 200 is above its high estimate 100/
    )
    expect(reason({ item_title: '  ' })).toMatch(/no title/)
    const m = mapItem(base({ category_id_1: 99 }), TABLES)
    expect(!m.ok && m.unmapped).toEqual({ category: '99' })
  })

  it('appends condition, provenance and quantity to the description', () => {
    expect(descriptionOf(base({ item_condition: 'Worn.', item_quantity: 1 }))).toBe(
      'Carved front.\n\nCondition: Worn.\nQuantity: 1 piece'
    )
    expect(descriptionOf(base({}))).toBe('Carved front.')
  })

  it('lists a hammer price and a bidder, which a result records rather than an import', () => {
    const m = mapItem(base({ item_hammer_price: 320, bidder_id: 5521 }), TABLES)
    expect(m.ok && m.warnings).toEqual([
      'hammer price 320 (a result is clerked, not imported)',
      'bidder 5521 (a result is clerked, not imported)'
    ])
  })
})

describe('the readings decided as settings', () => {
  it('[limit] as an end index (the prose: "starting record number and ending record number") or as a count (its name)', () => {
    expect(secondSegment(100, 100, 'end')).toBe(200)
    expect(secondSegment(100, 100, 'count')).toBe(100)
    // Both readings agree on the docs' default page, the first 50 records.
    expect(pageWindow(0, 50, 'end')).toEqual({ from: 0, to: 50 })
    expect(pageWindow(0, 50, 'count')).toEqual({ from: 0, to: 50 })
    expect(pageWindow(50, 100, 'end')).toEqual({ from: 50, to: 100 })
    expect(pageWindow(50, 100, 'count')).toEqual({ from: 50, to: 150 })
  })

  it('the keys: public-key and private-key headers by default, "public:private" in one setting; other transports', () => {
    expect(splitKeyPair('pub:priv')).toEqual({ publicKey: 'pub', privateKey: 'priv' })
    expect(splitKeyPair('one')).toEqual({ publicKey: 'one', privateKey: 'one' })
    expect(credentialsFor('pub:priv', 'key-headers').headers).toEqual({ 'public-key': 'pub', 'private-key': 'priv' })
    expect(credentialsFor('k', 'x-api-key').headers).toEqual({ 'x-api-key': 'k' })
    expect(credentialsFor('k', 'bearer').headers).toEqual({ authorization: 'Bearer k' })
    expect(credentialsFor('k', 'query').query).toEqual({ api_key: 'k' })
    expect(credentialsFor('k', 'body').body).toEqual({ api_key: 'k' })
  })

  it("the search body is the docs' form, sorted by lot and suffix", () => {
    expect(searchBody({ categoryId: 59, officeId: 82, lotFrom: 1, lotTo: 10 })).toEqual({
      category_id_1: { operator: 'equals', value: 59 },
      office_id: { operator: 'equals', value: 82 },
      item_lot: [
        { operator: 'greater_than_equal', value: 1 },
        { operator: 'less_than_equal', value: 10 }
      ],
      sort_by: { item_lot: 'asc', item_lot_suffix: 'asc' }
    })
  })
})
