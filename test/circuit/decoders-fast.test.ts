// The hot decoders (lots, clients, paddles, phone cards, sessions, sales,
// payments, staff) read a row by their fields' own functions first and go
// through zod only when something is wrong. The two must agree on every row:
// the same record, or the same first problem with the same path. Checked on
// random rows — a valid row of each kind with up to four fields changed to
// values Circuit might send (text, numbers, decimals, dates in several forms,
// references, lists, null, nothing), in three currencies' decimals — and on
// inputs that are no record at all.
import { describe, expect, it } from 'vitest'
import {
  bidderDecoder,
  clientDecoder,
  itemDecoder,
  phoneCardDecoder,
  saleDecoder,
  sessionDecoder,
  staffDecoder,
  transactionDecoder,
  type CheckedRowDecoder
} from '../../src-main/circuit/decoders'

/** A small deterministic generator, so a failure is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  '0',
  '12',
  '12A',
  ' 269a ',
  '-3',
  '1250.50',
  '1,250.50',
  '1250.505',
  '1250.500',
  '1,5',
  '99999999999999999999.00',
  'abc',
  'sold',
  'SOLD',
  'passed',
  'not_sold',
  'withdrawn',
  'floor',
  'phone',
  'absentee',
  'internet',
  'true',
  'false',
  '1',
  '2025-10-15T14:30:00Z',
  '2025-10-15 14:30:00',
  '2025-10-15T14:30:00.123+02:00',
  '2025-10-15',
  '2025-13-45',
  '1760538600',
  '21.00',
  '15%',
  0,
  1,
  7,
  -5,
  12.5,
  1250.5,
  0.1 + 0.2,
  1e21,
  1760538600,
  1760538600000,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  {},
  { id: '5', label: 'Five' },
  { id: 5 },
  { value: 'sold', label: 'Sold' },
  { target_id: '9' },
  { id: '3', bidder_number: '204', label: 'Ada' },
  { id: null },
  { value: 1250.5, formatted: '£1,250.50' },
  { street: '1 High St', city: 'Lewes', postal_code: 'BN7 1AB', country: 'GB' },
  { thoroughfare: 'Mill Rise', locality: 'Hove', name_line: 'A' },
  { street: 5 },
  [],
  ['1', '2'],
  [{ id: '1' }, { id: 2 }],
  [{}],
  ['x', { value: 'y' }]
]

interface Kind {
  decoder: CheckedRowDecoder<unknown>
  keys: string[]
  valid: () => Record<string, unknown>
}

const KINDS: Record<string, Kind> = {
  item: {
    decoder: itemDecoder,
    keys: [
      'id',
      'sale',
      'sale_id',
      'lot',
      'lot_number',
      'lot_letter',
      'title',
      'label',
      'description',
      'estimate_low',
      'estimate_high',
      'reserve_price',
      'reserve',
      'opening_price',
      'hammer_price',
      'sold_for',
      'status',
      'sold_status',
      'withdrawn',
      'winner',
      'winner_bidder',
      'bidder_number',
      'bidder_alias',
      'consignment',
      'consignor_name',
      'category',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '120',
      sale: { id: '1', label: 'Fine Art' },
      lot: '12A',
      title: 'A Georgian silver sauceboat',
      description: 'London, 1760',
      estimate_low: '100.00',
      estimate_high: '150.00',
      reserve_price: '90.00',
      status: 'active',
      sold_status: 'sold',
      hammer_price: '250.00',
      winner: { id: '7', bidder_number: '204', label: 'Ada' },
      consignment: { id: '3', label: 'A-1' },
      category: { id: '4', label: 'Silver' },
      updated: '2025-10-15T14:30:00Z'
    })
  },
  client: {
    decoder: clientDecoder,
    keys: [
      'id',
      'uuid',
      'first_name',
      'last_name',
      'company',
      'company_name',
      'email',
      'mail',
      'phone',
      'mobile',
      'philaworksplace_id',
      'customer_number',
      'status',
      'address',
      'balance',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '7',
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      customer_number: 'C10204',
      status: { value: 'approved', label: 'Approved' },
      address: { street: '1 High St', city: 'Lewes', postal_code: 'BN7 1AB', country: 'GB' },
      balance: { value: 1250.5, formatted: '£1,250.50' },
      changed: 1760538600
    })
  },
  bidder: {
    decoder: bidderDecoder,
    keys: [
      'id',
      'sale',
      'sale_id',
      'client',
      'client_id',
      'bidder_number',
      'number',
      'bidder_type',
      'live_credit',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '30',
      sale: { id: '1', label: 'Fine Art' },
      client: { id: '7', label: 'Ada' },
      bidder_number: '204',
      bidder_type: 'floor',
      live_credit: '0.00',
      updated: '2025-10-15 14:30:00'
    })
  },
  phoneCard: {
    decoder: phoneCardDecoder,
    keys: [
      'id',
      'sale_id',
      'sale',
      'session_id',
      'session',
      'client_id',
      'client',
      'paddle_number',
      'bidder_number',
      'phone',
      'lots',
      'staff',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '44',
      sale_id: '1',
      session_id: '2',
      client_id: '7',
      paddle_number: '501',
      phone: '+44 1273 000000',
      lots: ['120', 121],
      staff: { id: '9', name: 'Tom' }
    })
  },
  session: {
    decoder: sessionDecoder,
    keys: [
      'id',
      'sale',
      'sale_id',
      'session_date',
      'date',
      'session_number',
      'number',
      'item_range_start',
      'item_range_end',
      'first_lot',
      'last_lot',
      'auctioneer',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '2',
      sale: { id: '1', label: 'Fine Art' },
      session_date: '2025-10-15',
      session_number: '1',
      item_range_start: '1',
      item_range_end: '250',
      auctioneer: { id: '9', name: 'Tom' }
    })
  },
  sale: {
    decoder: saleDecoder,
    keys: [
      'id',
      'label',
      'title',
      'sale_number',
      'sale_date',
      'live_sale_date_from',
      'status',
      'item_count',
      'venue',
      'lots_locked',
      'buyers_premium',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '1',
      label: 'Fine Art',
      sale_number: '2501',
      sale_date: '2025-10-15T10:00:00Z',
      status: 'published',
      item_count: 250,
      lots_locked: 0,
      buyers_premium: '25% up to 5000, 20% thereafter'
    })
  },
  transaction: {
    decoder: transactionDecoder,
    keys: [
      'id',
      'order',
      'order_id',
      'transaction_type',
      'amount',
      'transaction_date',
      'credit_card_type',
      'cc_type',
      'credit_card_last_4_digits',
      'cc_last_4_digit',
      'cheque_number',
      'cheque_date',
      'bank',
      'bank_account_number',
      'bank_branch',
      'info',
      'created',
      'updated',
      'changed'
    ],
    valid: () => ({
      id: '88',
      order: { id: '25001', label: 'Invoice 25001' },
      transaction_type: 'Payment',
      amount: '120.00',
      transaction_date: '2025-10-15',
      credit_card_type: 'VISA',
      credit_card_last_4_digits: '4242',
      info: '[saleroom:t1]'
    })
  },
  staff: {
    decoder: staffDecoder,
    keys: ['id', 'name', 'label', 'full_name', 'roles'],
    valid: () => ({ id: '9', name: 'Tom', roles: ['clerk', { value: 'cashier' }] })
  }
}

const CONTEXTS = [{ decimals: 2 }, { decimals: 0 }, { decimals: 3 }]

describe('the hot decoders agree with zod on every row', () => {
  for (const [name, kind] of Object.entries(KINDS)) {
    it(`${name}: random rows decode the same by the fast path and by zod alone`, () => {
      expect(kind.decoder.hasFastPath()).toBe(true)
      const rand = prng(name.length * 7919)
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
      let decoded = 0
      let refused = 0
      for (let i = 0; i < 4_000; i++) {
        const row = kind.valid()
        const changes = Math.floor(rand() * 5)
        for (let c = 0; c < changes; c++) {
          const key = pick(kind.keys)
          const value = pick(VALUES)
          if (value === undefined) delete row[key]
          else row[key] = value
        }
        const ctx = pick(CONTEXTS)
        const fast = kind.decoder.decode(row, ctx)
        expect(fast, JSON.stringify({ row, ctx })).toStrictEqual(kind.decoder.decodeByZod(row, ctx))
        if (fast.ok) decoded++
        else refused++
      }
      // Both sides of the comparison were exercised.
      expect(decoded).toBeGreaterThan(400)
      expect(refused).toBeGreaterThan(400)
    })

    it(`${name}: what is no record at all is refused the same way`, () => {
      for (const input of [null, undefined, 0, 'row', true, [], [kind.valid()], new Date(0)]) {
        expect(kind.decoder.decode(input)).toStrictEqual(kind.decoder.decodeByZod(input))
        expect(kind.decoder.decode(input).ok).toBe(false)
      }
    })
  }
})
