// Deterministic demo data. Everything is derived from the seed (separate PRNG
// streams per area) and a fixed anchor date, never from the wall clock, so the
// same seed and sizes always produce the same store.

import { formatMoney } from './money'
import { mulberry32, subSeed, type Rng } from './prng'
import { SimStore } from './store'
import type {
  AddressFields,
  BidderType,
  Client,
  ClientStatus,
  Item,
  PremiumTier,
  Sale,
  SaleSession,
  TaxonomyName,
  Term
} from './types'

export interface SeedOptions {
  seed: number
  lots: number
  clients: number
  user: string
}

/** All seeded timestamps hang off this instant (2026-11-16 09:00 UTC). */
export const SEED_ANCHOR = Date.UTC(2026, 10, 16, 9, 0, 0)
const DAY = 86_400_000
const MIN = 60_000

/** Sale 1 premium: 25% of the hammer up to 5,000.00, 20% of the part above (marginal, see invoice.ts). */
const SALE1_PREMIUM: PremiumTier[] = [
  { upTo: 500_000, rateBp: 2500 },
  { upTo: null, rateBp: 2000 }
]

// ---- word lists -------------------------------------------------------------

const FIRST = [
  'James',
  'Oliver',
  'Charlotte',
  'Amelia',
  'George',
  'Harriet',
  'Edward',
  'Sophie',
  'William',
  'Eleanor',
  'Thomas',
  'Isabel',
  'Henry',
  'Margaret',
  'Arthur',
  'Beatrice',
  'Frederick',
  'Clara',
  'Hugo',
  'Rosalind',
  'Daniel',
  'Grace',
  'Samuel',
  'Lucy',
  'Robert',
  'Alice',
  'Patrick',
  'Fiona',
  'Marco',
  'Giulia',
  'Pierre',
  'Camille',
  'Klaus',
  'Anneliese',
  'Sean',
  'Niamh',
  'Rajesh',
  'Priya',
  'Wei',
  'Mei',
  'David',
  'Hannah',
  'Michael',
  'Emma',
  'Richard',
  'Victoria',
  'Andrew',
  'Catherine',
  'Jonathan',
  'Philippa',
  'Nicholas',
  'Imogen',
  'Benedict',
  'Rebecca',
  'Anthony',
  'Helen',
  'Christopher',
  'Joanna',
  'Felix',
  'Matilda'
]
const LAST = [
  'Ashworth',
  'Bramley',
  'Carrington',
  'Davenport',
  'Ellison',
  'Fairbairn',
  'Greaves',
  'Hallett',
  'Ingram',
  'Jessop',
  'Kingsley',
  'Lockwood',
  'Marsden',
  'Norbury',
  'Oakley',
  'Pemberton',
  'Quarles',
  'Radcliffe',
  'Sutcliffe',
  'Thornton',
  'Underwood',
  'Vickers',
  'Whitfield',
  'Yardley',
  'Abbott',
  'Bennett',
  'Chandler',
  'Dawson',
  'Everett',
  'Fletcher',
  'Gibbs',
  'Harding',
  'Jennings',
  'Knowles',
  'Lambert',
  'Mercer',
  'Newman',
  'Osborne',
  'Palmer',
  'Rowe',
  'Sinclair',
  'Turner',
  'Walsh',
  'Young',
  'Rossi',
  'Bianchi',
  'Moreau',
  'Lefebvre',
  'Schneider',
  'Fischer',
  "O'Brien",
  'Murphy',
  'Patel',
  'Shah',
  'Chen',
  'Wong',
  'Okafor',
  'Mensah',
  'Kowalski',
  'Novak'
]
const COMPANY_A = [
  'Hallett',
  'Pemberton',
  'Ashworth',
  'Kingsley',
  'Marsden',
  'Fairbairn',
  'Radcliffe',
  'Lockwood',
  'Thornton',
  'Whitfield',
  'Bramley',
  'Davenport'
]
const COMPANY_B = [
  'Fine Art Ltd',
  'Antiques',
  '& Sons',
  'Gallery',
  'Silver Ltd',
  'Interiors',
  'Collections LLP',
  'Trading Co.',
  'Rare Books',
  'Clocks'
]
const PLACES: { city: string; area: string; postcode: string; country: string }[] = [
  { city: 'London', area: 'Greater London', postcode: 'SW1A', country: 'GB' },
  { city: 'London', area: 'Greater London', postcode: 'W8', country: 'GB' },
  { city: 'Bath', area: 'Somerset', postcode: 'BA1', country: 'GB' },
  { city: 'York', area: 'North Yorkshire', postcode: 'YO1', country: 'GB' },
  { city: 'Edinburgh', area: 'Midlothian', postcode: 'EH3', country: 'GB' },
  { city: 'Cheltenham', area: 'Gloucestershire', postcode: 'GL50', country: 'GB' },
  { city: 'Harrogate', area: 'North Yorkshire', postcode: 'HG1', country: 'GB' },
  { city: 'Norwich', area: 'Norfolk', postcode: 'NR2', country: 'GB' },
  { city: 'Oxford', area: 'Oxfordshire', postcode: 'OX2', country: 'GB' },
  { city: 'Ludlow', area: 'Shropshire', postcode: 'SY8', country: 'GB' },
  { city: 'Manchester', area: 'Greater Manchester', postcode: 'M2', country: 'GB' },
  { city: 'Dublin', area: 'Dublin', postcode: 'D02', country: 'IE' },
  { city: 'Paris', area: 'Île-de-France', postcode: '75006', country: 'FR' },
  { city: 'Milan', area: 'Lombardy', postcode: '20121', country: 'IT' },
  { city: 'Munich', area: 'Bavaria', postcode: '80331', country: 'DE' },
  { city: 'New York', area: 'NY', postcode: '10021', country: 'US' }
]
const STREETS = [
  'High Street',
  'Church Lane',
  'Park Road',
  'Victoria Road',
  'The Crescent',
  'Market Place',
  'Mill Lane',
  'Station Road',
  'Kings Road',
  'Queen Street',
  'Manor Close',
  'Orchard Way'
]
const EMAIL_DOMAINS = ['example.co.uk', 'example.com', 'mail.example.org', 'example.ie']

const MONARCHS: [string, number, number][] = [
  ['George II', 1727, 1760],
  ['George III', 1760, 1820],
  ['George IV', 1820, 1830],
  ['William IV', 1830, 1837],
  ['Victorian', 1837, 1901],
  ['Edwardian', 1901, 1910]
]
const SILVER_OBJ = [
  'silver sauceboat',
  'silver teapot',
  'silver cream jug',
  'silver salver',
  'pair of silver candlesticks',
  'silver tankard',
  'silver mustard pot',
  'set of six silver teaspoons',
  'silver sugar caster',
  'silver inkstand',
  'silver snuff box',
  'silver christening mug',
  'silver cake basket',
  'silver tea caddy'
]
const ASSAY = ['London', 'Birmingham', 'Sheffield', 'Chester', 'Exeter', 'Edinburgh', 'Newcastle']
const CERAMIC_MAKERS = [
  'Meissen',
  'Worcester',
  'Derby',
  'Chelsea',
  'Wedgwood',
  'Minton',
  'Royal Doulton',
  'Moorcroft',
  'Sèvres',
  'Coalport',
  'Spode',
  'Bow'
]
const CERAMIC_OBJ = [
  'figures of gallants',
  'figures of shepherdesses',
  'vases and covers',
  'dessert plates',
  'sauce tureens',
  'figures emblematic of the Seasons'
]
const CERAMIC_SINGLE = [
  'vase',
  'tea bowl and saucer',
  'dish',
  'jug',
  'teapot and cover',
  'figure of a shepherdess',
  'charger',
  'punch bowl'
]
const PERIODS = [
  'George III',
  'Regency',
  'William IV',
  'Victorian',
  'Edwardian',
  'Queen Anne',
  'Louis XV style',
  'Arts and Crafts'
]
const WOODS = ['mahogany', 'oak', 'walnut', 'rosewood', 'satinwood', 'elm', 'burr walnut', 'fruitwood']
const FURNITURE = [
  'breakfast table',
  'bureau',
  'chest of drawers',
  'bookcase',
  'pair of side chairs',
  'longcase clock',
  'writing desk',
  'sofa table',
  'linen press',
  'wine cooler',
  'corner cabinet',
  'dining table'
]
const SCHOOLS = [
  'English School',
  'Dutch School',
  'Continental School',
  'Scottish School',
  'Follower of John Constable',
  'Circle of Thomas Gainsborough',
  'Manner of Canaletto'
]
const SUBJECTS = [
  'a river landscape with cattle',
  'portrait of a gentleman',
  'still life of flowers',
  'a coastal scene at dusk',
  'horses in a stable',
  'a view of Venice',
  'figures on a frozen river',
  'a hunting party'
]
const JEWEL_METAL = ['18ct gold', '9ct gold', 'platinum', 'silver and paste', '15ct gold']
const JEWEL_STONE = ['diamond', 'sapphire and diamond', 'emerald', 'ruby and diamond', 'opal', 'pearl', 'garnet']
const JEWEL_OBJ = ['cluster ring', 'brooch', 'bracelet', 'pendant necklace', 'pair of earrings', 'half-hoop ring']
const ASIAN = [
  'Chinese blue and white ginger jar',
  'Chinese famille rose vase',
  'Japanese Satsuma bowl',
  'Chinese celadon dish',
  'Japanese bronze incense burner',
  'Chinese jade carving of a horse',
  'Japanese Imari charger'
]
const DYNASTY = [
  'Kangxi period',
  'Qianlong mark and period',
  'Meiji period',
  '19th century',
  'late Qing dynasty',
  'Edo period'
]
const CATEGORY_LABELS = [
  'Silver',
  'Ceramics',
  'Furniture',
  'Paintings',
  'Jewellery',
  'Asian Art',
  'Clocks & Watches',
  'Glass',
  'Books & Manuscripts',
  'Coins & Medals'
]
const CONDITION = [
  'Good overall condition.',
  'Minor wear commensurate with age.',
  'Some light scratches and rubbing.',
  'Small chip to the rim, restored.',
  'Old repairs visible under UV.',
  'Excellent condition throughout.'
]
const ESTIMATES_GBP = [
  40, 60, 80, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 8000, 12000,
  20000
]

function title(rng: Rng, category: number): string {
  switch (category) {
    case 0: {
      const [name, from, to] = rng.pick(MONARCHS)
      return `${name} ${rng.pick(SILVER_OBJ)}, ${rng.pick(ASSAY)} ${rng.int(from, to)}`
    }
    case 1:
      return rng.chance(0.4)
        ? `Pair of ${rng.pick(CERAMIC_MAKERS)} ${rng.pick(CERAMIC_OBJ)}, c.${rng.int(1750, 1900)}`
        : `${rng.pick(CERAMIC_MAKERS)} ${rng.pick(CERAMIC_SINGLE)}, c.${rng.int(1750, 1930)}`
    case 2:
      return `${rng.pick(PERIODS)} ${rng.pick(WOODS)} ${rng.pick(FURNITURE)}`
    case 3:
      return `${rng.pick(SCHOOLS)}, ${rng.pick(SUBJECTS)}, oil on canvas`
    case 4:
      return `${rng.pick(JEWEL_METAL)} ${rng.pick(JEWEL_STONE)} ${rng.pick(JEWEL_OBJ)}`
    case 5:
      return `${rng.pick(ASIAN)}, ${rng.pick(DYNASTY)}`
    case 6:
      return `${rng.pick(PERIODS)} ${rng.pick(WOODS)} bracket clock by ${rng.pick(LAST)} of ${rng.pick(ASSAY)}`
    case 7:
      return `Set of ${rng.int(4, 12)} Georgian cut-glass ${rng.pick(['wine glasses', 'tumblers', 'decanters', 'rummers'])}`
    case 8:
      return `${rng.pick(['Dickens, Charles', 'Austen, Jane', 'Scott, Walter', 'Darwin, Charles', 'Hardy, Thomas'])}. First edition, ${rng.int(1810, 1900)}`
    default: {
      const [name, from, to] = rng.pick(MONARCHS)
      return `${name} ${rng.pick(['gold sovereign', 'silver crown', 'half-guinea', 'gold half-sovereign'])}, ${rng.int(from, to)}`
    }
  }
}

function term(id: string, label: string, extra: Record<string, Term[string]> = {}): Term {
  return { id, label, ...extra }
}

/**
 * The vocabularies. Money attributes are written from minor units in the
 * simulator's currency (2500 -> "25.00" in GBP, "2500" in JPY, "2.500" in KWD),
 * so they always read back exactly; rates stay percentages ("20.00").
 */
function taxonomies(currencyCode: string, decimals: number): Record<TaxonomyName, Term[]> {
  const m = (minor: number): string => formatMoney(minor, decimals)
  const range = (from: number, increment: number) => ({ from: m(from), increment: m(increment) })
  return {
    payment_types: [
      term('1', 'Cash', { machine_name: 'cash', letter: 'CA' }),
      term('2', 'Credit Card', { machine_name: 'credit_card', letter: 'CC' }),
      term('3', 'Cheque', { machine_name: 'cheque', letter: 'CH' }),
      term('4', 'Bank Transfer', { machine_name: 'bank_transfer', letter: 'BT' }),
      term('5', 'PayPal', { machine_name: 'paypal', letter: 'PP' })
    ],
    bank_accounts: [
      term('5', 'Main Bank', {
        name: 'Main Bank',
        bank_name: 'Barclays Bank plc',
        account_number: '****1234',
        sort_code: '20-00-00',
        currency: currencyCode,
        cheque_payee: 'Saleroom Auctioneers Ltd'
      }),
      term('6', 'Client Account', {
        name: 'Client Account',
        bank_name: 'Lloyds Bank plc',
        account_number: '****5678',
        sort_code: '30-00-00',
        currency: currencyCode,
        cheque_payee: 'Saleroom Auctioneers Ltd Client Account'
      }),
      term('7', 'Euro Account', {
        name: 'Euro Account',
        bank_name: 'Bank of Ireland',
        account_number: '****9012',
        sort_code: null,
        currency: 'EUR',
        cheque_payee: 'Saleroom Auctioneers Ltd'
      })
    ],
    additional_charges: [
      term('11', 'Shipping Fee', { default_amount: m(2500), default_vat: '20.00' }),
      term('12', 'Insurance', { default_amount: m(1500), default_vat: '20.00' }),
      term('13', 'Storage', { default_amount: m(1000), default_vat: '20.00' }),
      term('14', 'Packing', { default_amount: m(850), default_vat: '20.00' }),
      term('15', 'Card surcharge', { default_amount: m(0), default_vat: '0.00' })
    ],
    bid_steps: [
      term('21', 'Standard', {
        ranges: [
          range(0, 500),
          range(10_000, 1_000),
          range(20_000, 2_000),
          range(50_000, 5_000),
          range(100_000, 10_000),
          range(200_000, 20_000),
          range(500_000, 50_000),
          range(1_000_000, 100_000)
        ]
      }),
      term('22', 'Coins', {
        ranges: [range(0, 200), range(5_000, 500), range(20_000, 1_000), range(100_000, 5_000)]
      })
    ],
    tax_types: [
      term('31', 'Margin scheme (VAT on premium)', { machine_name: 'margin', vat_on: 'premium', rate: '20.00' }),
      term('32', 'Standard (VAT on hammer and premium)', {
        machine_name: 'standard',
        vat_on: 'hammer_and_premium',
        rate: '20.00'
      }),
      term('33', 'Zero rated (export)', { machine_name: 'zero', vat_on: 'none', rate: '0.00' })
    ],
    vat_amounts: [
      term('41', 'Standard 20%', { rate: '20.00' }),
      term('42', 'Reduced 5%', { rate: '5.00' }),
      term('43', 'Zero 0%', { rate: '0.00' })
    ],
    categories: CATEGORY_LABELS.map((label, i) => term(String(51 + i), label, { parent: null, weight: i })),
    client_sources: ['Website', 'Walk-in', 'Referral', 'Catalogue mailing'].map((label, i) =>
      term(String(71 + i), label)
    ),
    // README.txt "Shipping Areas": {id, label, description, base_rate}.
    shipping_areas: [
      term('81', 'Local', { description: 'Within 50 miles', base_rate: m(1000) }),
      term('82', 'National', { description: 'Within country', base_rate: m(2500) }),
      term('83', 'International', { description: 'Outside country', base_rate: m(5000) })
    ]
  }
}

/** The house's commission on a consignment, by its place in the sale (no PRNG draw, so the seed streams stay as they were). */
const COMMISSION_BP = [1500, 1200, 1000, 1750, 2000, 1250]

function seedClients(store: SimStore, rng: Rng, count: number): Client[] {
  const out: Client[] = []
  const lauraIndex = count > 7 ? 7 : 0
  const statuses: ClientStatus[] = [
    'approved',
    'approved',
    'approved',
    'approved',
    'approved',
    'approved',
    'new',
    'pending',
    'unapproved'
  ]
  for (let i = 0; i < count; i++) {
    const laura = i === lauraIndex
    const first = laura ? 'Laura' : rng.pick(FIRST)
    const last = laura ? 'Marchetti' : rng.pick(LAST)
    const hasCompany = !laura && rng.chance(0.15)
    const company = hasCompany ? `${rng.pick(COMPANY_A)} ${rng.pick(COMPANY_B)}` : null
    const place = laura ? PLACES[13] : rng.pick(PLACES)
    const created = SEED_ANCHOR - rng.int(30, 2000) * DAY
    const id = store.nextId()
    const phone =
      place.country === 'GB'
        ? `+44 7${rng.int(100, 999)} ${rng.int(100000, 999999)}`
        : `+${rng.int(30, 49)} ${rng.int(100, 999)} ${rng.int(1000000, 9999999)}`
    const client: Client = {
      id,
      uuid: `c0ffee00-${(i + 1).toString(16).padStart(4, '0')}-4000-8000-${id.padStart(12, '0')}`,
      firstName: first,
      lastName: last,
      company,
      email: `${first}.${last}${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + `@${rng.pick(EMAIL_DOMAINS)}`,
      phone,
      mobile: rng.chance(0.5) ? `+44 7${rng.int(100, 999)} ${rng.int(100000, 999999)}` : null,
      customerNumber: store.nextCustomerNumber(),
      status: laura ? 'approved' : rng.pick(statuses),
      taxId: hasCompany ? `GB${rng.int(100000000, 999999999)}` : null,
      defaultPaymentMethod: rng.pick(['1', '2', '3', '4', '2', '4']),
      sourceId: String(71 + rng.int(0, 3)),
      categories: rng.chance(0.4) ? [String(51 + rng.int(0, CATEGORY_LABELS.length - 1))] : [],
      created,
      updated: created + rng.int(0, 29) * DAY
    }
    store.addClient(client)
    const address: AddressFields = {
      country: place.country,
      administrative_area: place.area,
      locality: place.city,
      postal_code:
        place.country === 'GB'
          ? `${place.postcode} ${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`
          : place.postcode,
      thoroughfare: `${rng.int(1, 220)} ${rng.pick(STREETS)}`,
      premise: rng.chance(0.2) ? `Flat ${rng.int(1, 30)}` : '',
      first_name: first,
      last_name: last
    }
    store.addAddress({
      id: store.nextId(),
      clientId: id,
      address,
      types: ['billing', 'shipping'],
      isDefault: true,
      validated: true,
      created,
      updated: client.updated
    })
    out.push(client)
  }
  return out
}

interface SaleSpec {
  id: string
  label: string
  saleNumber: string
  date: number
  status: Sale['status']
  lots: number
  /** last lot number of every session but the final one */
  sessionEnds: number[]
  letterRate: number
}

function seedSale(
  store: SimStore,
  rng: Rng,
  spec: SaleSpec,
  clients: Client[],
  auctioneer: { id: string; name: string }
): { sale: Sale; sessions: SaleSession[]; items: Item[] } {
  const created = spec.date - 60 * DAY
  const sale: Sale = {
    id: spec.id,
    uuid: `5a1e0000-0000-4000-8000-${spec.id.padStart(12, '0')}`,
    label: spec.label,
    saleNumber: spec.saleNumber,
    saleDate: spec.date,
    status: spec.status,
    catalog: { id: `7${spec.id}`, label: `${spec.label} Catalogue` },
    venue: 'Saleroom, 12 Market Place, Ludlow',
    lotsLocked: spec.status === 'closed',
    premium: SALE1_PREMIUM,
    created,
    updated: Math.min(SEED_ANCHOR, spec.date)
  }
  store.sales.set(sale.id, sale)

  // consignments: one per ~30 lots, consigned by random clients
  const consignmentIds: string[] = []
  const nCons = Math.max(3, Math.floor(spec.lots / 30))
  for (let c = 0; c < nCons; c++) {
    const id = store.nextId()
    const symbol =
      c < 26
        ? String.fromCharCode(65 + c)
        : `${String.fromCharCode(65 + Math.floor(c / 26) - 1)}${String.fromCharCode(65 + (c % 26))}`
    store.consignments.set(id, {
      id,
      saleId: sale.id,
      symbol,
      subSymbol: '1',
      ownerId: rng.pick(clients).id,
      commissionBp: COMMISSION_BP[c % COMMISSION_BP.length],
      paymentInstructions: '',
      status: 'active',
      created,
      updated: created
    })
    consignmentIds.push(id)
  }

  const sessions: SaleSession[] = []
  const items: Item[] = []
  let lotNumber = 0
  let letterNext = false
  for (let pos = 1; pos <= spec.lots; pos++) {
    let letter = ''
    if (letterNext) letter = 'A'
    else lotNumber++
    // lot letters: an "A" lot after ~2% of lots, always after lot 269 (so "269A" exists)
    letterNext = letter === '' && (lotNumber === 269 || rng.chance(spec.letterRate))
    let sessionIndex = spec.sessionEnds.findIndex((end) => lotNumber <= end)
    if (sessionIndex < 0) sessionIndex = spec.sessionEnds.length
    const category = rng.int(0, CATEGORY_LABELS.length - 1)
    const t = title(rng, category)
    const low = rng.pick(ESTIMATES_GBP) * 100
    const high = Math.round((low * 3) / 2 / 1000) * 1000 || low + 2000
    items.push({
      id: store.nextId(),
      uuid: `17e00000-0000-4000-8000-${String(pos).padStart(6, '0')}${spec.id.padStart(6, '0')}`,
      saleId: sale.id,
      sessionId: String(sessionIndex), // replaced with the session id below
      position: pos,
      lotNumber,
      lotLetter: letter,
      title: t,
      description: `${t}. ${rng.pick(CONDITION)} ${rng.int(8, 90)}cm high.${rng.chance(0.3) ? ` Provenance: the ${rng.pick(LAST)} Collection.` : ''}`,
      categoryId: String(51 + category),
      consignmentId: consignmentIds[Math.floor(((pos - 1) / spec.lots) * consignmentIds.length)],
      estimateLow: low,
      estimateHigh: high,
      reserve: rng.chance(0.85) ? Math.round((low * 8) / 10 / 100) * 100 : null,
      opening: Math.round(low / 2 / 100) * 100,
      hammer: null,
      status: 'available',
      winnerId: null,
      bidderAlias: null,
      orderId: null,
      dimensions: { height: `${rng.int(5, 120)}cm`, width: `${rng.int(5, 90)}cm`, depth: `${rng.int(3, 60)}cm` },
      created,
      updated: SEED_ANCHOR - rng.int(0, 10) * DAY
    })
  }
  for (let i = 0; i <= spec.sessionEnds.length; i++) {
    const inSession = items.filter((it) => it.sessionId === String(i))
    if (inSession.length === 0) continue
    const first = inSession[0]
    const last = inSession[inSession.length - 1]
    const session: SaleSession = {
      id: store.nextId(),
      saleId: sale.id,
      number: i + 1,
      date: spec.date + i * DAY,
      rangeStart: `${first.lotNumber}${first.lotLetter}`,
      rangeEnd: `${last.lotNumber}${last.lotLetter}`,
      auctioneer,
      updated: sale.updated
    }
    store.sessions.set(session.id, session)
    sessions.push(session)
    for (const it of inSession) it.sessionId = session.id
  }
  for (const item of items) store.addItem(item)
  return { sale, sessions, items }
}

interface PaddlePlan {
  type: BidderType
  first: number
  count: number
}

function seedBidders(
  store: SimStore,
  rng: Rng,
  saleId: string,
  clients: Client[],
  plan: PaddlePlan[],
  laura?: Client
): void {
  const pool = clients.filter((c) => c !== laura)
  // Fisher-Yates with the seeded rng
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[pool[i], pool[j]] = [pool[j], pool[i]]
  }
  let next = 0
  const t = SEED_ANCHOR - 2 * DAY
  if (laura) {
    store.addBidder({
      id: store.nextId(),
      saleId,
      clientId: laura.id,
      number: '204',
      type: 'floor',
      liveCredit: 0,
      updated: t
    })
  }
  for (const p of plan) {
    for (let n = p.first; n < p.first + p.count && next < pool.length; n++) {
      if (laura && n === 204) continue
      const client = pool[next++]
      store.addBidder({
        id: store.nextId(),
        saleId,
        clientId: client.id,
        number: String(n),
        type: p.type,
        liveCredit: p.type === 'online' ? rng.pick([50000, 100000, 250000, 500000]) : 0,
        updated: t
      })
    }
  }
}

export function seedStore(store: SimStore, opts: SeedOptions): void {
  const rngClients = mulberry32(subSeed(opts.seed, 'clients'))
  const rngSale = mulberry32(subSeed(opts.seed, 'sale1'))
  const rngOther = mulberry32(subSeed(opts.seed, 'other-sales'))
  const rngBidders = mulberry32(subSeed(opts.seed, 'bidders'))
  const rngHistory = mulberry32(subSeed(opts.seed, 'history'))

  for (const [name, terms] of Object.entries(taxonomies(store.currency.code, store.decimals)))
    store.taxonomies.set(name as TaxonomyName, terms)
  const staff = [
    { id: '1', name: 'Demo Clerk', email: opts.user, roles: ['administrator', 'clerk'] },
    { id: '2', name: 'Sarah Whitfield', email: 'sarah@saleroom.test', roles: ['auctioneer'] },
    { id: '3', name: 'James Okafor', email: 'james@saleroom.test', roles: ['clerk', 'phone_staff'] },
    { id: '4', name: 'Priya Raman', email: 'priya@saleroom.test', roles: ['phone_staff'] },
    { id: '5', name: 'Tom Hallett', email: 'tom@saleroom.test', roles: ['phone_staff'] },
    { id: '6', name: 'Eleanor Price', email: 'eleanor@saleroom.test', roles: ['cashier'] }
  ]
  for (const s of staff) store.staff.set(s.id, s)
  const auctioneer = { id: '2', name: 'Sarah Whitfield' }

  const clientCount = Math.max(10, opts.clients)
  const clients = seedClients(store, rngClients, clientCount)
  const laura = clients.find((c) => c.firstName === 'Laura' && c.lastName === 'Marchetti')

  // Sale 1: the live sale, split over two sessions (lots 1-640 / 641-end at the default size).
  const lots = Math.max(2, opts.lots)
  // session 1 ends at lot 640 for the default 1,200 lots; scaled for other sizes
  const split1 = Math.max(1, Math.min(lots - 1, Math.round((lots * 640) / 1200)))
  const s1 = seedSale(
    store,
    rngSale,
    {
      id: '1',
      label: 'Fine Art, Silver & Antiques',
      saleNumber: '241',
      date: Date.UTC(2026, 10, 26, 10, 0),
      status: 'published',
      lots,
      sessionEnds: [split1],
      letterRate: 0.02
    },
    clients,
    auctioneer
  )
  const s2 = seedSale(
    store,
    rngOther,
    {
      id: '2',
      label: 'Autumn Collectors Sale',
      saleNumber: '240',
      date: Date.UTC(2026, 9, 8, 10, 0),
      status: 'closed',
      lots: 80,
      sessionEnds: [],
      letterRate: 0.02
    },
    clients,
    auctioneer
  )
  seedSale(
    store,
    rngOther,
    {
      id: '3',
      label: 'Winter Interiors',
      saleNumber: '242',
      date: Date.UTC(2027, 0, 21, 10, 0),
      status: 'published',
      lots: 40,
      sessionEnds: [],
      letterRate: 0
    },
    clients,
    auctioneer
  )

  // Paddles. Ranges follow Circuit's legacy import convention (phone 3xx, mail 1000+, web 4000+).
  const scale = Math.min(1, clientCount / 400)
  const sz = (n: number): number => Math.max(1, Math.round(n * scale))
  seedBidders(
    store,
    rngBidders,
    '1',
    clients,
    [
      { type: 'floor', first: 101, count: sz(160) },
      { type: 'phone', first: 301, count: sz(30) },
      { type: 'absentee', first: 1001, count: sz(50) },
      { type: 'online', first: 4001, count: sz(60) }
    ],
    laura
  )
  seedBidders(store, rngBidders, '2', clients, [
    { type: 'floor', first: 101, count: sz(30) },
    { type: 'phone', first: 301, count: sz(5) },
    { type: 'online', first: 4001, count: sz(10) }
  ])

  // Phone bidder cards: ~12 per session of sale 1, for phone paddles.
  const phoneBidders = [...store.bidders.values()].filter((b) => b.saleId === '1' && b.type === 'phone')
  const phoneStaff = ['3', '4', '5']
  for (const session of s1.sessions) {
    const sessionItems = s1.items.filter((i) => i.sessionId === session.id)
    const cards = Math.min(12, phoneBidders.length)
    for (let k = 0; k < cards; k++) {
      const bidder = phoneBidders[(k + session.number * 5) % phoneBidders.length]
      const client = store.clients.get(bidder.clientId)!
      const lotSet = new Set<string>()
      const want = rngBidders.int(1, Math.min(5, sessionItems.length))
      while (lotSet.size < want) lotSet.add(rngBidders.pick(sessionItems).id)
      const lots = [...lotSet].sort((a, b) => store.items.get(a)!.position - store.items.get(b)!.position)
      const id = store.nextId()
      store.phoneCards.set(id, {
        id,
        saleId: '1',
        sessionId: session.id,
        clientId: client.id,
        paddle: bidder.number,
        phone: client.phone ?? '',
        lots,
        staffId: rngBidders.pick(phoneStaff),
        created: SEED_ANCHOR - DAY,
        updated: SEED_ANCHOR - DAY
      })
    }
  }

  // Sale 2 history: ~65% sold through the normal hammer path (which creates the orders),
  // then orders moved along (finished / locked) and partly paid, one by cheque.
  let clock = s2.sale.saleDate
  const realNow = store.now
  store.now = () => clock
  const buyers = [...store.bidders.values()].filter((b) => b.saleId === '2')
  for (const item of s2.items) {
    clock += 2 * MIN
    if (rngHistory.chance(0.65)) {
      const buyer = rngHistory.pick(buyers)
      const hammer = Math.max(1000, Math.round((item.estimateLow * rngHistory.int(80, 180)) / 100 / 1000) * 1000)
      store.applyItemHistory(item.id, { hammer, winnerId: buyer.clientId, alias: buyer.number, soldStatus: 'sold' })
    } else {
      store.applyItemHistory(item.id, { soldStatus: 'unsold' })
    }
  }
  clock = s2.sale.saleDate + 3 * DAY
  const s2Orders = [...store.orders.values()]
    .filter((o) => o.saleId === '2')
    .sort((a, b) => Number(a.id) - Number(b.id))
  s2Orders.forEach((order, i) => {
    clock += 30 * MIN
    const totals = store.orderTotals(order)
    const kind = i % 4 // 0: locked+paid, 1: finished+paid by cheque, 2: in_process part paid, 3: new unpaid
    if (kind <= 2) {
      const amount = kind === 2 ? Math.floor(totals.grandTotal / 2) : totals.grandTotal
      const cheque = kind === 1
      const txDate = new Date(clock).toISOString().slice(0, 10)
      store.addTransaction({
        id: store.nextId(),
        orderId: order.id,
        type: cheque ? 'Cheque' : i % 8 === 0 ? 'Payment' : 'Wire Transfer',
        amount,
        transferredCurrency: store.currency.code,
        transferredAmount: amount,
        bankId: cheque || i % 8 !== 0 ? '5' : null,
        bankAccountNumber: cheque || i % 8 !== 0 ? `****${String(rngHistory.int(1000, 9999))}` : null,
        bankBranch: null,
        creditCardType: !cheque && i % 8 === 0 ? 'Visa' : null,
        creditCardLast4: !cheque && i % 8 === 0 ? String(rngHistory.int(1000, 9999)) : null,
        transactionDate: txDate,
        chequeNumber: cheque ? String(rngHistory.int(100000, 999999)) : null,
        chequeDate: cheque ? txDate : null,
        info: cheque ? 'Cheque payment' : 'Payment received',
        chequeUrl: null,
        created: clock,
        changed: clock,
        updated: clock
      })
    }
    store.setOrderStatus(order, kind === 0 ? 'locked' : kind === 1 ? 'finished' : kind === 2 ? 'in_process' : 'new')
    store.touchOrder(order)
  })

  seedConsignors(store, mulberry32(subSeed(opts.seed, 'consignors')), s2.sale.saleDate + 10 * DAY, (t) => (clock = t))
  store.now = realNow
}

/**
 * Consignors (after everything else, from their own PRNG stream, so the records
 * above keep their ids): payment instructions on every consignment, and a
 * consignor order for each consignor of sales 1 and 2. Sale 2 is over: about a
 * third of its consignors were paid by cheque (finished), some have an
 * insurance charge, the rest wait. Sale 1 has not been sold yet.
 */
function seedConsignors(store: SimStore, rng: Rng, settledAt: number, setClock: (t: number) => void): void {
  // Seeded consignors do not bid in the sale they consign to: a checkout by paddle
  // then never meets a consignor order (a consignor who also buys is left to tests
  // that make one on purpose).
  const clientIds = [...store.clients.keys()].sort((a, b) => Number(a) - Number(b))
  const withoutPaddle = new Map<string, string[]>()
  for (const c of store.consignments.values()) {
    if (store.paddlesOf(c.saleId, c.ownerId).length === 0) continue
    let free = withoutPaddle.get(c.saleId)
    if (!free) {
      free = clientIds.filter((id) => store.paddlesOf(c.saleId, id).length === 0)
      withoutPaddle.set(c.saleId, free)
    }
    if (free.length) c.ownerId = rng.pick(free)
  }
  store.reindexConsignments()
  for (const c of store.consignments.values()) {
    const owner = store.clients.get(c.ownerId)!
    c.paymentInstructions = rng.chance(0.6)
      ? `Cheque payable to ${store.clientLabel(owner)}`
      : `BACS to account ending ${rng.int(1000, 9999)}`
  }
  const ownersOf = (saleId: string): string[] =>
    [...new Set([...store.consignments.values()].filter((c) => c.saleId === saleId).map((c) => c.ownerId))].sort(
      (a, b) => Number(a) - Number(b)
    )

  setClock(SEED_ANCHOR - DAY)
  for (const ownerId of ownersOf('1')) store.createConsignorOrder('1', ownerId)

  let clock = settledAt
  let chequeNumber = 300100
  ownersOf('2').forEach((ownerId, i) => {
    clock += 20 * MIN
    setClock(clock)
    const order = store.createConsignorOrder('2', ownerId)
    if (rng.chance(0.4)) {
      order.charges = [
        { termId: '12', amount: rng.pick([1500, 2500, 5000]), taxBp: 0, description: 'Insurance', date: clock }
      ]
    }
    const kind = i % 3 // 0: settled by cheque, 1: in process, 2: new
    const due = store.orderTotals(order).grandTotal
    if (kind === 0 && due > 0) {
      const date = new Date(clock).toISOString().slice(0, 10)
      store.addTransaction({
        id: store.nextId(),
        orderId: order.id,
        type: 'Cheque',
        amount: due,
        transferredCurrency: store.currency.code,
        transferredAmount: due,
        bankId: '6',
        bankAccountNumber: null,
        bankBranch: null,
        creditCardType: null,
        creditCardLast4: null,
        transactionDate: date,
        chequeNumber: String(++chequeNumber),
        chequeDate: date,
        info: 'Consignor settlement',
        chequeUrl: null,
        created: clock,
        changed: clock,
        updated: clock
      })
      for (const c of store.consignmentsOf('2', ownerId)) c.status = 'closed'
    }
    store.setOrderStatus(order, kind === 0 ? 'finished' : kind === 1 ? 'in_process' : 'new')
    store.stamp(order)
  })
}
