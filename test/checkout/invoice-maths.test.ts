// Invoice maths (src-shared/invoice.ts, src-shared/premium.ts), checked by hand.
// Money is minor units (pence): 450.00 is written 45000. Every row shows its arithmetic.

import { describe, expect, it } from 'vitest'
import {
  applyRateBp,
  compareTotals,
  computeInvoice,
  formatPremium,
  lineTax,
  parsePremium,
  parseRate,
  premiumFor,
  type ChargeInput,
  type InvoiceInput,
  type InvoiceLineInput,
  type InvoiceTotals,
  type PremiumRule,
  type PremiumSource,
  type PremiumTier,
  type TaxMode
} from '../../src-shared/invoice'
import * as sim from '../../src-main/circuit-sim/invoice'

function rule(text: string): PremiumRule {
  const parsed = parsePremium(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.rule
}

const flat = (rateBp: number): PremiumRule => ({ tiers: [{ upTo: null, rateBp }] })
/** "20% up to $5000, 15% thereafter" (sales/create.html) */
const TIERED: PremiumRule = {
  tiers: [
    { upTo: 500000, rateBp: 2000 },
    { upTo: null, rateBp: 1500 }
  ]
}
const line = (lot: string, hammer: number, extra: Partial<InvoiceLineInput> = {}): InvoiceLineInput => ({
  itemId: `item-${lot}`,
  lot,
  hammer,
  ...extra
})

describe('parsePremium: every form the Circuit docs show', () => {
  const cases: [source: PremiumSource, tiers: PremiumTier[], where: string][] = [
    ['20%', [{ upTo: null, rateBp: 2000 }], 'sales/create.html buyers_premium "20%"'],
    ['20', [{ upTo: null, rateBp: 2000 }], 'bare number = percent'],
    ['25.5%', [{ upTo: null, rateBp: 2550 }], 'decimal percent: 25.5 × 100 bp'],
    ['15.00', [{ upTo: null, rateBp: 1500 }], 'README.txt consignor_commission "15.00"'],
    [' 20 % ', [{ upTo: null, rateBp: 2000 }], 'spaces around'],
    ['0%', [{ upTo: null, rateBp: 0 }], 'no premium'],
    ['100%', [{ upTo: null, rateBp: 10000 }], 'upper bound'],
    [15, [{ upTo: null, rateBp: 1500 }], 'JSON number, Bidlogix buyersPremium: 15'],
    [12.5, [{ upTo: null, rateBp: 1250 }], 'JSON number with a fraction'],
    [
      '20% up to $5000, 15% thereafter',
      [
        { upTo: 500000, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      'sales/create.html tiered example; $5000 = 500000 minor'
    ],
    [
      '25% up to 5000, 20% thereafter',
      [
        { upTo: 500000, rateBp: 2500 },
        { upTo: null, rateBp: 2000 }
      ],
      'the simulator’s own form (no currency sign)'
    ],
    [
      '20% up to 5,000 / 15% thereafter',
      [
        { upTo: 500000, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      'thousands comma, "/" separator'
    ],
    [
      '20% up to £5,000.50; 15% thereafter',
      [
        { upTo: 500050, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      '£, cents in the cap, ";" separator'
    ],
    [
      '20% Up To €5000,15% THEREAFTER',
      [
        { upTo: 500000, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      'any case, no space after the comma'
    ],
    [
      '25% up to 5000\n20% thereafter',
      [
        { upTo: 500000, rateBp: 2500 },
        { upTo: null, rateBp: 2000 }
      ],
      'one tier per line'
    ],
    [
      '25% up to 5000, 20% up to 10,000, 15% thereafter',
      [
        { upTo: 500000, rateBp: 2500 },
        { upTo: 1000000, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      'three tiers'
    ],
    [
      [
        { from: 0, rate: '15%' },
        { from: 10000, rate: '12%' }
      ],
      [
        { upTo: 10000, rateBp: 1500 },
        { upTo: null, rateBp: 1200 }
      ],
      'datatable-consignments.txt step list (step_from in cents)'
    ],
    [
      [{ from: 0, rate: '15.00' }],
      [{ upTo: null, rateBp: 1500 }],
      'README.txt {consignor_commission:"15.00",step_from}'
    ],
    [
      [
        { from: 0, rate: 20 },
        { from: 500000, rate: 15 }
      ],
      [
        { upTo: 500000, rateBp: 2000 },
        { upTo: null, rateBp: 1500 }
      ],
      'step list with numeric rates'
    ]
  ]
  it.each(cases)('%j → tiers (%#)', (source, tiers) => {
    expect(parsePremium(source)).toEqual({ ok: true, rule: { tiers } })
  })

  it('reads caps in the currency’s own minor digits', () => {
    // ¥5000 with 0 decimals is 5000 minor
    expect(parsePremium('20% up to 5000, 15% thereafter', { decimals: 0 })).toEqual({
      ok: true,
      rule: {
        tiers: [
          { upTo: 5000, rateBp: 2000 },
          { upTo: null, rateBp: 1500 }
        ]
      }
    })
  })

  const texts: [text: string, formatted: string][] = [
    ['20%', '20%'],
    ['25.5%', '25.5%'],
    ['20% up to $5,000, 15% thereafter', '20% up to 5000, 15% thereafter'],
    ['25% up to 5000.50, 20% thereafter', '25% up to 5000.5, 20% thereafter'],
    ['25% up to 5000, 20% up to 10000, 15% thereafter', '25% up to 5000, 20% up to 10000, 15% thereafter']
  ]
  it.each(texts)('formats %j back as %j, which parses to the same rule', (text, formatted) => {
    expect(formatPremium(rule(text))).toBe(formatted)
    expect(rule(formatted)).toEqual(rule(text))
  })
})

describe('parsePremium: text it cannot read is an error, never a guess', () => {
  const cases: [source: PremiumSource, error: RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['lots', /Cannot read buyer's premium "lots"/],
    ['20% of the hammer', /Cannot read buyer's premium/],
    ['-5%', /Cannot read buyer's premium/],
    ['120%', /120% is above 100%/],
    ['12.345%', /more than two decimal places/],
    ['25,5%', /decimal comma/],
    ['20% up to 5,000, 12,5% thereafter', /decimal comma/],
    ['20% up to 5000', /has a cap; end with "<rate>% thereafter"/],
    ['20% thereafter', /no tier before "thereafter"/],
    ['15% thereafter, 20% up to 5000', /"15% thereafter" must be the last tier/],
    ['20% up to 5000, 15% thereafter, 10% thereafter', /must be the last tier/],
    ['20% up to 5000, 15% up to 4000, 10% thereafter', /cap must be above 5000/],
    ['20% up to 0, 15% thereafter', /cap must be above 0/],
    ['20% up to 5000.001, 15% thereafter', /at most 2 decimals/],
    ['20%, 15% thereafter', /expected "<rate>% up to <amount>"/],
    ['20 up to 5000, 15 thereafter', /Cannot read tier "20 up to 5000"/],
    ['20% up to 5000, 15%', /Cannot read the last tier "15%"/],
    ['20% up to 5000 15% thereafter', /Cannot read buyer's premium/],
    ['20% up to 5000, 150% thereafter', /150% is above 100%/],
    [Number.NaN, /is not a percentage/],
    [-5, /is not a percentage/],
    [150, /above 100%/],
    [[], /step list is empty/],
    [[{ from: 100, rate: '15%' }], /starts at 100, not at 0/],
    [
      [
        { from: 0, rate: '15%' },
        { from: 0, rate: '12%' }
      ],
      /step 2 does not start above step 1/
    ],
    [[{ from: 0, rate: 'fifteen' }], /"fifteen" is not a percentage/]
  ]
  it.each(cases)('%j → error', (source, error) => {
    const parsed = parsePremium(source)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.error).toMatch(error)
  })
})

describe('parseRate: VAT and charge rates as Circuit sends them', () => {
  const cases: [value: string | number, rateBp: number | null, where: string][] = [
    ['21.00', 2100, 'README.txt additional charge tax "21.00"'],
    ['20%', 2000, 'with a percent sign'],
    [5, 500, 'JSON number, Bidlogix hammerTaxRate'],
    ['17.5', 1750, 'one decimal'],
    ['0.00', 0, 'zero-rated'],
    ['17.125', null, 'more precision than basis points'],
    ['twenty', null, 'not a number']
  ]
  it.each(cases)('%j → %j bp (%s)', (value, rateBp) => {
    expect(parseRate(value)).toEqual(rateBp === null ? { ok: false, error: expect.any(String) } : { ok: true, rateBp })
  })
})

describe('premiumFor: marginal tiers per lot', () => {
  const cases: [name: string, rule: PremiumRule, hammer: number, premium: number][] = [
    // 20% × 4,500.00 = 900.00
    ['below the boundary', TIERED, 450000, 90000],
    // 20% × 5,000.00 = 1,000.00; nothing above the cap
    ['exactly on the boundary', TIERED, 500000, 100000],
    // 20% × 5,000.00 + 15% × 0.01 = 1,000.0015 → 1,000.00 (minor×bp 1,000,001,500 / 10 000 = 100,000.15)
    ['one penny over the boundary', TIERED, 500001, 100000],
    // 20% × 5,000.00 + 15% × 1,000.00 = 1,000.00 + 150.00 = 1,150.00
    ['straddling the boundary', TIERED, 600000, 115000],
    // 25% × 5,000 + 20% × 5,000 + 15% × 2,000 = 1,250 + 1,000 + 300 = 2,550.00
    ['three tiers', rule('25% up to 5000, 20% up to 10000, 15% thereafter'), 1200000, 255000],
    // 25.5% × 100.00 = 25.50
    ['flat decimal rate', flat(2550), 10000, 2550],
    // 0 × anything = 0
    ['zero hammer', TIERED, 0, 0],
    // 17.5% × 1.80 = 0.315 → 31.5 minor → 32 (as a float 180 × 0.175 = 31.4999…, which would give 31)
    ['half a minor unit rounds up', flat(1750), 180, 32],
    // 25% × 0.02 = 0.5 minor → 1
    ['half a minor unit, tiny hammer', flat(2500), 2, 1],
    // 25.5% × 0.01 = 0.255 minor → 0
    ['under half a minor unit rounds down', flat(2550), 1, 0],
    // credit note: −(20% × 5,000 + 15% × 1,000) = −1,150.00
    ['negative hammer (credit note) mirrors', TIERED, -600000, -115000],
    // −(25% × 0.02) = −0.5 minor → −1 (away from zero)
    ['negative half rounds away from zero', flat(2500), -2, -1],
    // 20% × 5,000.00 + 15% × (10,000,000,000.00 − 5,000.00) = 1,000.00 + 1,499,999,250.00 = 1,500,000,250.00
    ['10^12 minor', TIERED, 1_000_000_000_000, 150_000_025_000],
    // a rule without tiers charges nothing
    ['no tiers', { tiers: [] }, 600000, 0]
  ]
  it.each(cases)('%s', (_name, r, hammer, premium) => {
    expect(premiumFor(hammer, r)).toBe(premium)
  })

  it('refuses a hammer that is not whole minor units', () => {
    expect(() => premiumFor(100.5, TIERED)).toThrow(RangeError)
  })
})

describe('applyRateBp: half away from zero, exact in integers', () => {
  const cases: [amount: number, rateBp: number, result: number, why: string][] = [
    [5, 5000, 3, '5 × 50% = 2.5 → 3'],
    [-5, 5000, -3, '−5 × 50% = −2.5 → −3'],
    [4, 5000, 2, '4 × 50% = 2'],
    [1, 4999, 0, '1 × 49.99% = 0.4999 → 0'],
    [1, 5000, 1, '1 × 50% = 0.5 → 1'],
    [12550, 2000, 2510, '125.50 × 20% = 25.10'],
    [1250, 500, 63, '12.50 × 5% = 0.625 → 0.63'],
    [0, 2000, 0, '0'],
    [1_000_000_000_000, 10000, 1_000_000_000_000, '10^12 × 100%'],
    // product 9,007,199,254,740,994,000 is far past 2^53; done in BigInt
    [4_503_599_627_370_497, 2000, 900_719_925_474_099, '(2^52 + 1) × 20% = 900,719,925,474,099.4 → …099']
  ]
  it.each(cases)('%d × %d bp = %d (%s)', (amount, rateBp, result) => {
    expect(applyRateBp(amount, rateBp)).toBe(result)
  })

  it('refuses fractional amounts and negative or fractional rates', () => {
    expect(() => applyRateBp(1.5, 2000)).toThrow(RangeError)
    expect(() => applyRateBp(100, -1)).toThrow(RangeError)
    expect(() => applyRateBp(100, 12.5)).toThrow(RangeError)
  })
})

describe('lineTax: by tax type', () => {
  const cases: [
    mode: TaxMode,
    rateBp: number,
    hammer: number,
    premium: number,
    hammerTax: number,
    premiumTax: number
  ][] = [
    // 20% × 100.00 = 20.00; 20% × 25.00 = 5.00
    ['standard', 2000, 10000, 2500, 2000, 500],
    // margin scheme: premium only, 20% × 25.00 = 5.00
    ['margin', 2000, 10000, 2500, 0, 500],
    ['none', 2000, 10000, 2500, 0, 0],
    // 5% × 100.10 = 5.005 → 5.01; 5% × 25.03 = 1.2515 → 1.25 (each rounded on its own)
    ['standard', 500, 10010, 2503, 501, 125],
    // margin at 5%: 5% × 25.03 = 1.2515 → 1.25
    ['margin', 500, 10010, 2503, 0, 125]
  ]
  it.each(cases)('%s at %d bp on %d + %d', (mode, rateBp, hammer, premium, hammerTax, premiumTax) => {
    expect(lineTax(hammer, premium, mode, rateBp)).toEqual({ hammerTax, premiumTax })
  })
})

const base: InvoiceInput = { lines: [], premiumRule: TIERED, taxMode: 'margin', vatRateBp: 2000 }

describe('computeInvoice', () => {
  const cases: [name: string, input: Partial<InvoiceInput>, totals: InvoiceTotals][] = [
    [
      // lot 1: 450.00, premium 20% = 90.00, VAT 20% × 90.00 = 18.00
      // lot 2: 6,000.00, premium 1,000.00 + 150.00 = 1,150.00, VAT 230.00
      // shipping 25.00 + 20% = 5.00; paid 500.00 + 100.00
      // grand = 6,450 + 1,240 + 248 + 25 + 5 = 7,968.00; due 7,968.00 − 600.00 = 7,368.00
      'margin scheme, a charge with its rate, a partial payment',
      {
        lines: [line('1', 45000), line('2', 600000)],
        charges: [{ label: 'Shipping', amount: 2500, taxRateBp: 2000 }],
        payments: [{ amount: 50000 }, { amount: 10000 }]
      },
      {
        hammer: 645000,
        premium: 124000,
        tax: 24800,
        charges: 2500,
        chargesTax: 500,
        grandTotal: 796800,
        paid: 60000,
        amountDue: 736800
      }
    ],
    [
      // lot 1 tax: 20% × 450.00 + 20% × 90.00 = 90.00 + 18.00 = 108.00
      // lot 2 tax: 20% × 6,000.00 + 20% × 1,150.00 = 1,200.00 + 230.00 = 1,430.00
      // grand = 6,450 + 1,240 + 1,538 = 9,228.00
      'standard: VAT on hammer and premium',
      { lines: [line('1', 45000), line('2', 600000)], taxMode: 'standard' },
      {
        hammer: 645000,
        premium: 124000,
        tax: 153800,
        charges: 0,
        chargesTax: 0,
        grandTotal: 922800,
        paid: 0,
        amountDue: 922800
      }
    ],
    [
      // no VAT: 6,450.00 + 1,240.00 = 7,690.00
      'none: no VAT',
      { lines: [line('1', 45000), line('2', 600000)], taxMode: 'none' },
      {
        hammer: 645000,
        premium: 124000,
        tax: 0,
        charges: 0,
        chargesTax: 0,
        grandTotal: 769000,
        paid: 0,
        amountDue: 769000
      }
    ],
    [
      // client's own 10% replaces the sale's tiers: 10% × 6,000.00 = 600.00, VAT 120.00
      // grand = 6,000 + 600 + 120 = 6,720.00
      'per-client premium override',
      { lines: [line('2', 600000)], premiumOverride: flat(1000) },
      {
        hammer: 600000,
        premium: 60000,
        tax: 12000,
        charges: 0,
        chargesTax: 0,
        grandTotal: 672000,
        paid: 0,
        amountDue: 672000
      }
    ],
    [
      // lot 1 (consignment: standard): 90.00 + 18.00 = 108.00 tax
      // lot 2 (consignment: none): 1,000.00 hammer, premium 200.00, no tax
      // grand = 1,450 + 290 + 108 = 1,848.00
      'the consignment’s tax type overrides the client’s per lot',
      { lines: [line('1', 45000, { taxMode: 'standard' }), line('2', 100000, { taxMode: 'none' })] },
      {
        hammer: 145000,
        premium: 29000,
        tax: 10800,
        charges: 0,
        chargesTax: 0,
        grandTotal: 184800,
        paid: 0,
        amountDue: 184800
      }
    ],
    [
      // lot 100.00 at 25% = 25.00, VAT 5.00
      // shipping 25.00 × 21% = 5.25; insurance 12.50 × 5% = 0.625 → 0.63; storage 10.00 with a given 1.50 tax
      // charges 47.50, their tax 7.38; grand = 100 + 25 + 5 + 47.50 + 7.38 = 184.88
      'charges: VAT rate, half-unit rounding, a given tax amount',
      {
        lines: [line('1', 10000)],
        premiumRule: flat(2500),
        charges: [
          { label: 'Shipping', amount: 2500, taxRateBp: 2100 },
          { label: 'Insurance', amount: 1250, taxRateBp: 500 },
          { label: 'Storage', amount: 1000, taxAmount: 150 }
        ]
      },
      {
        hammer: 10000,
        premium: 2500,
        tax: 500,
        charges: 4750,
        chargesTax: 738,
        grandTotal: 18488,
        paid: 0,
        amountDue: 18488
      }
    ],
    [
      // premium 17.5% × 1.80 = 0.315 → 0.32 per lot, VAT 20% × 0.32 = 0.064 → 0.06 per lot
      // two lots: premium 0.64, VAT 0.12 (rounding the sums instead would give 0.63 and 0.13)
      // grand = 3.60 + 0.64 + 0.12 = 4.36
      'rounding is per line, not on the sum',
      { lines: [line('1', 180), line('2', 180)], premiumRule: flat(1750) },
      { hammer: 360, premium: 64, tax: 12, charges: 0, chargesTax: 0, grandTotal: 436, paid: 0, amountDue: 436 }
    ],
    [
      // 100.00 + 25.00 + 5.00 = 130.00; paid 150.00 → −20.00 (change owed to the buyer)
      'overpayment leaves a negative amount due',
      { lines: [line('1', 10000)], premiumRule: flat(2500), payments: [{ amount: 15000 }] },
      {
        hammer: 10000,
        premium: 2500,
        tax: 500,
        charges: 0,
        chargesTax: 0,
        grandTotal: 13000,
        paid: 15000,
        amountDue: -2000
      }
    ],
    [
      // exactly paid: 130.00 − 130.00 = 0
      'paid in full',
      { lines: [line('1', 10000)], premiumRule: flat(2500), payments: [{ amount: 13000 }] },
      {
        hammer: 10000,
        premium: 2500,
        tax: 500,
        charges: 0,
        chargesTax: 0,
        grandTotal: 13000,
        paid: 13000,
        amountDue: 0
      }
    ],
    [
      // a zero hammer has no premium and no tax
      'zero hammer',
      { lines: [line('1', 0)], taxMode: 'standard' },
      { hammer: 0, premium: 0, tax: 0, charges: 0, chargesTax: 0, grandTotal: 0, paid: 0, amountDue: 0 }
    ],
    [
      'no lines at all',
      {},
      { hammer: 0, premium: 0, tax: 0, charges: 0, chargesTax: 0, grandTotal: 0, paid: 0, amountDue: 0 }
    ],
    [
      // credit note: −(6,000.00 + 1,150.00 + 230.00) = −7,380.00
      'credit note (negative hammer)',
      { lines: [line('2', -600000)] },
      {
        hammer: -600000,
        premium: -115000,
        tax: -23000,
        charges: 0,
        chargesTax: 0,
        grandTotal: -738000,
        paid: 0,
        amountDue: -738000
      }
    ],
    [
      // per lot of 10,000,000,000.00: premium 1,500,000,250.00 (see premiumFor)
      //   VAT 20% × 10,000,000,000.00 = 2,000,000,000.00 + 20% × 1,500,000,250.00 = 300,000,050.00
      // two lots: hammer 2×10^12, premium 300,000,050,000, tax 2 × 230,000,005,000 = 460,000,010,000
      // grand = 2,000,000,000,000 + 300,000,050,000 + 460,000,010,000 = 2,760,000,060,000
      'large amounts (10^12 minor per lot) stay exact',
      {
        lines: [line('1', 1_000_000_000_000), line('2', 1_000_000_000_000)],
        taxMode: 'standard',
        payments: [{ amount: 2_760_000_060_000 }]
      },
      {
        hammer: 2_000_000_000_000,
        premium: 300_000_050_000,
        tax: 460_000_010_000,
        charges: 0,
        chargesTax: 0,
        grandTotal: 2_760_000_060_000,
        paid: 2_760_000_060_000,
        amountDue: 0
      }
    ]
  ]
  it.each(cases)('%s', (_name, input, totals) => {
    expect(computeInvoice({ ...base, ...input }).totals).toEqual(totals)
  })

  it('returns each line and charge with its own figures', () => {
    const charges: ChargeInput[] = [{ label: 'Shipping', amount: 2500, taxRateBp: 2100 }]
    const invoice = computeInvoice({ ...base, lines: [line('7A', 600000)], taxMode: 'standard', charges })
    // 6,000.00; premium 1,150.00; VAT 1,200.00 + 230.00 = 1,430.00; total 8,580.00
    expect(invoice.lines).toEqual([
      {
        itemId: 'item-7A',
        lot: '7A',
        hammer: 600000,
        premium: 115000,
        hammerTax: 120000,
        premiumTax: 23000,
        tax: 143000,
        total: 858000
      }
    ])
    // 25.00 + 21% = 5.25 → 30.25
    expect(invoice.charges).toEqual([{ label: 'Shipping', amount: 2500, tax: 525, total: 3025 }])
  })

  it('a line can carry its own VAT rate', () => {
    // 5% × 90.00 = 4.50 instead of 18.00 at 20%
    const invoice = computeInvoice({ ...base, lines: [line('1', 45000, { vatRateBp: 500 })] })
    expect(invoice.lines[0]).toMatchObject({ premium: 9000, tax: 450, total: 54450 })
  })

  it('refuses totals beyond exact integers instead of losing precision', () => {
    const max = Number.MAX_SAFE_INTEGER
    expect(() =>
      computeInvoice({ ...base, taxMode: 'none', premiumRule: flat(0), lines: [line('1', max)] })
    ).not.toThrow()
    expect(() =>
      computeInvoice({ ...base, taxMode: 'none', premiumRule: flat(0), lines: [line('1', max), line('2', max)] })
    ).toThrow(RangeError)
    expect(() => computeInvoice({ ...base, payments: [{ amount: 0.5 }] })).toThrow(RangeError)
  })
})

describe('compareTotals', () => {
  const ours = computeInvoice({ ...base, lines: [line('1', 45000)], payments: [{ amount: 10000 }] }).totals
  // 450.00 + 90.00 + 18.00 = 558.00; paid 100.00 → due 458.00

  it('finds nothing when Circuit agrees, and skips what Circuit did not send', () => {
    expect(compareTotals(ours, { grandTotal: 55800, paid: 10000, amountDue: 45800 })).toEqual([])
    expect(compareTotals(ours, { grandTotal: 55800, premium: null, tax: undefined })).toEqual([])
    expect(compareTotals(ours, ours)).toEqual([])
  })

  it('lists every field that differs, by one minor unit or more, in invoice order', () => {
    expect(compareTotals(ours, { amountDue: 45801, premium: 9001, grandTotal: 55801, paid: 10000 })).toEqual([
      { field: 'premium', ours: 9000, circuits: 9001, difference: 1 },
      { field: 'grandTotal', ours: 55800, circuits: 55801, difference: 1 },
      { field: 'amountDue', ours: 45800, circuits: 45801, difference: 1 }
    ])
    expect(compareTotals(ours, { tax: 1700 })).toEqual([{ field: 'tax', ours: 1800, circuits: 1700, difference: -100 }])
  })
})

describe('the simulator computes with the same maths', () => {
  // seed sale 1: 25% up to 5,000.00, 20% thereafter
  const SEED = [
    { upTo: 500000, rateBp: 2500 },
    { upTo: null, rateBp: 2000 }
  ]

  it('keeps its exported names and figures', () => {
    expect(sim.parsePremium('25% up to 5000, 20% thereafter')).toEqual(SEED)
    expect(sim.parsePremium('lots')).toBeNull()
    expect(sim.readPremium('lots')).toMatchObject({ ok: false })
    expect(sim.formatPremium(SEED)).toBe('25% up to 5000, 20% thereafter')
    // 25% × 5,000 + 20% × 1,000 = 1,450.00; VAT 20% = 290.00
    expect(sim.premiumFor(600000, SEED)).toBe(145000)
    expect(sim.vatOnPremium(145000)).toBe(29000)
  })

  it('gives the same totals as computeInvoice, credit notes negated', () => {
    const lines = [{ itemId: 'a', hammer: 50000 }]
    const charges = [{ amount: 2500, taxBp: 2100 }]
    const bidder = sim.simInvoice({ tiers: SEED, lines, charges, payments: [{ amount: 1000 }], sign: 1 })
    const shared = computeInvoice({
      lines: [line('a', 50000)],
      premiumRule: { tiers: SEED },
      taxMode: 'margin',
      vatRateBp: 2000,
      charges: [{ label: '', amount: 2500, taxRateBp: 2100 }],
      payments: [{ amount: 1000 }]
    })
    expect(bidder.totals).toEqual(shared.totals)
    // 500.00 + 125.00 premium + 25.00 VAT = 650.00, negated; charges stay as given
    const note = sim.simInvoice({ tiers: SEED, lines, charges: [], payments: [], sign: -1 })
    expect(note.totals).toMatchObject({ hammer: -50000, premium: -12500, tax: -2500, grandTotal: -65000 })
  })
})
