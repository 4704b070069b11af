// FairWarning catalogues for the simulator: the demo's (for the Circuit demo's
// "Winter Interiors" sale, lots 1–40 there) and a generated one of any size
// for tests and benchmarks. Items are in the docs' wire form.
import type { WireItem } from './simulator'

/** The demo's FairWarning categories → the Circuit demo's categories; 99 is left out on purpose. */
export const DEMO_CATEGORY_MAP: Record<string, string> = { '10': '53', '11': '52', '12': '54', '13': '51' }
export const DEMO_FAIRWARNING_KEY = 'demo-public:demo-private'

const PIECES: [string, number][] = [
  ['Pair of George III mahogany hall chairs', 10],
  ['Victorian walnut Davenport desk', 10],
  ['Regency rosewood sofa table', 10],
  ['Edwardian satinwood display cabinet', 10],
  ['Oak refectory table, 17th century style', 10],
  ['Pair of Chinese famille rose vases', 11],
  ['Meissen porcelain figure of a shepherdess', 11],
  ['Delft blue and white charger', 11],
  ['Moorcroft pomegranate pattern bowl', 11],
  ['English school, river landscape, oil on canvas', 12],
  ['Portrait of a lady, pastel, gilt frame', 12],
  ['Coastal scene with fishing boats, watercolour', 12],
  ['George III silver coffee pot, London 1772', 13],
  ['Pair of Victorian silver candlesticks', 13],
  ['Silver-mounted cut glass claret jug', 13]
]
const CONDITIONS = [
  'Minor wear consistent with age.',
  'Small chip to the rim, restored.',
  'Good original condition.',
  'Surface scratches; one handle loose.'
]
const PROVENANCE = ['The Ashcombe House collection', 'A private collection, Ludlow', 'By descent in the family']
const CONSIGNORS = ['A1', 'B1', 'C1']

function base(id: number, lot: number, suffix: string, n: number): WireItem {
  const [title, category] = PIECES[n % PIECES.length]
  const low = [80, 120, 150, 200, 250, 300, 400, 600, 800, 1200][n % 10]
  return {
    item_id: id,
    receipt_id: 7000 + (n % 12),
    office_id: 82,
    storage_id: 3,
    auction_id: 4410,
    status_id: 1,
    category_id_1: category,
    category_id_2: null,
    category_id_3: null,
    web_category_id_1: category,
    web_category_id_2: null,
    web_category_id_3: null,
    item_advertise: n % 4 === 0,
    department_id: 2,
    item_consignor_numbers: CONSIGNORS[n % CONSIGNORS.length],
    item_lot: lot,
    item_lot_suffix: suffix,
    item_buy_it_now: null,
    item_timed_auction_start: null,
    item_timed_auction_end: null,
    item_low_estimate: low,
    item_high_estimate: (low * 3) / 2,
    item_start_price: low / 2,
    item_reserve: n % 3 === 0 ? null : (low * 4) / 5,
    item_hammer_price: null,
    bidder_id: null,
    item_width: n % 2 === 0 ? 18.5 + (n % 7) : null,
    item_height: n % 2 === 0 ? 30 + (n % 11) : null,
    item_depth: n % 2 === 0 ? 12.25 : null,
    item_weight: n % 2 === 0 ? 4.5 : null,
    item_overnight_required: false,
    item_quantity: n % 5 === 0 ? 2 : 1,
    item_shippable: true,
    item_shelf_location: null,
    item_provenance: n % 4 === 1 ? PROVENANCE[n % PROVENANCE.length] : null,
    item_title: title,
    item_slug: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    item_description: `${title}. ${['Good colour and patina.', 'Of fine quality.', 'A handsome example.'][n % 3]}`,
    item_condition: CONDITIONS[n % CONDITIONS.length],
    item_comments_to_consignor: null,
    primary_image:
      n % 3 === 0
        ? {
            base: 'https://images.example-auctions.test/items/',
            parts: {
              full: `${id}-full.jpg`,
              large: `${id}-large.jpg`,
              medium: `${id}-medium.jpg`,
              thumb: `${id}-thumb.jpg`
            }
          }
        : null,
    bid_info: { high_bid: 0, next_bid: low / 2, bid_increment: 10 }
  }
}

/** `count` mappable items numbered from `firstLot`; the 5th and every 25th after it get an "A" lot after them. */
export function generatedCatalogue(count: number, firstLot = 501, firstId = 90001): WireItem[] {
  const out: WireItem[] = []
  let lot = firstLot
  for (let n = 0; out.length < count; n++) {
    out.push(base(firstId + out.length, lot, '', n))
    if (out.length < count && n % 25 === 4) out.push(base(firstId + out.length, lot, 'A', n + 1))
    lot++
  }
  return out
}

/**
 * The demo: lots 501–530 (with 505A) that fit, and eight that the preview
 * refuses or flags — two collide with Circuit lots 38 and 40, a suffix too
 * long, a category not in the table, an estimate with three decimals, a
 * consignor with no consignment, a lot number FairWarning holds twice, and
 * estimates the wrong way round.
 */
export function demoCatalogue(): WireItem[] {
  const items = generatedCatalogue(31, 501, 88001)
  const extra = (id: number, lot: number, suffix: string, n: number, patch: Partial<WireItem>): WireItem => ({
    ...base(id, lot, suffix, n),
    ...patch
  })
  items[2] = {
    ...items[2],
    item_buy_it_now: 450,
    item_timed_auction_start: '2027-01-14 10:00:00',
    item_timed_auction_end: '2027-01-20 19:00:00',
    item_shelf_location: 'Bay 4, shelf B'
  }
  items[6] = { ...items[6], item_hammer_price: 320, bidder_id: 5521 }
  items.push(
    extra(88101, 38, '', 3, {}),
    extra(88102, 40, '', 4, {}),
    extra(88103, 531, 'BIS', 5, {}),
    extra(88104, 532, '', 6, { category_id_1: 99 }),
    extra(88105, 533, '', 7, { item_low_estimate: 250.125 }),
    extra(88106, 534, '', 8, { item_consignor_numbers: 'Z9' }),
    extra(88107, 520, '', 9, { item_title: 'Second item numbered 520 in FairWarning' }),
    extra(88108, 535, '', 10, { item_low_estimate: 800, item_high_estimate: 600 })
  )
  return items
}
