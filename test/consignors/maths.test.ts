// The consignor's statement maths (src-shared/consignor-maths.ts): the
// rounding rule on worked examples, the arithmetic written out beside each,
// and the one identity every statement keeps, for any figures:
// net payable = hammer − commission − charges − paid.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  commissionOf,
  lotCommission,
  netPayable,
  statementFigures,
  type StatementLotInput
} from '../../src-shared/consignor-maths'

describe('commission on one lot: hammer × rate ÷ 10 000, half away from zero, per lot', () => {
  it.each([
    // hammer (minor), rate (bp), commission  — the arithmetic
    [100_000, 1_500, 15_000], // £1,000.00 × 15 %    = £150.00 exactly
    [85_000, 1_250, 10_625], // £850.00 × 12.5 %     = £106.25 exactly
    [33_333, 1_500, 5_000], // 33 333 × 1 500 = 49 999 500 → ÷ 10 000 = 4 999.95 → up to 5 000
    [33_330, 1_750, 5_833], // 33 330 × 1 750 = 58 327 500 → 5 832.75 → up to 5 833
    [10_001, 1_250, 1_250], // 10 001 × 1 250 = 12 501 250 → 1 250.125 → down to 1 250
    [10_004, 1_250, 1_251], // 10 004 × 1 250 = 12 505 000 → 1 250.5 (a half) → away from zero: 1 251
    [1, 5_000, 1], // 1 × 5 000 = 5 000 → 0.5 (a half) → 1
    [1, 4_999, 0], // 1 × 4 999 = 4 999 → 0.4999 → 0
    [25_000, 0, 0], // no commission
    [25_000, 10_000, 25_000], // 100 %: all of it
    [-10_004, 1_250, -1_251], // a negative hammer (a credited lot) rounds away from zero too: −1 250.5 → −1 251
    // A hammer near the top of exact minor units: the product (2^53 − 1) × 2 000 is beyond a double's
    // exact range; in BigInt: 9 007 199 254 740 991 × 2 000 ÷ 10 000 = 1 801 439 850 948 198.2 → 1 801 439 850 948 198
    [Number.MAX_SAFE_INTEGER, 2_000, 1_801_439_850_948_198]
  ])('%i at %i bp → %i', (hammer, rateBp, commission) => {
    expect(lotCommission(hammer, rateBp)).toBe(commission)
  })

  it('refuses what is not whole minor units or basis points, rather than guess', () => {
    expect(() => lotCommission(100.5, 1500)).toThrow(RangeError)
    expect(() => lotCommission(100, 15.5)).toThrow(RangeError)
    expect(() => lotCommission(100, -1)).toThrow(RangeError)
  })
})

describe('a statement', () => {
  const sold = (hammer: number, rateBp: number | null, commission?: number): StatementLotInput => ({
    sold: true,
    hammer,
    rateBp,
    commission
  })
  const unsold: StatementLotInput = { sold: false, hammer: null, rateBp: 1500 }

  it.each([
    {
      what: 'two lots at 15 %, an insurance charge, nothing paid yet',
      // hammer      = 120 000 + 45 000               = 165 000
      // commission  = 18 000 + 6 750                 =  24 750   (15 % of each lot)
      // charges     = 2 500 + 0 tax                  =   2 500
      // total       = 165 000 − 24 750 − 2 500       = 137 750
      // net payable = 137 750 − 0                    = 137 750
      input: {
        lots: [sold(120_000, 1500), sold(45_000, 1500), unsold],
        charges: [{ amount: 2_500, tax: 0 }],
        payments: []
      },
      out: { hammer: 165_000, commission: 24_750, charges: 2_500, paid: 0, total: 137_750, netPayable: 137_750 }
    },
    {
      what: 'rounding is per lot, not on the sum',
      // per lot: 10 004 × 12.5 % = 1 250.5 → 1 251, twice     = 2 502
      // on the sum it would be 20 008 × 12.5 % = 2 501 exactly (one minor unit less): not the rule
      // total = 20 008 − 2 502 = 17 506; half of it paid (8 753) leaves 8 753
      input: { lots: [sold(10_004, 1250), sold(10_004, 1250)], charges: [], payments: [8_753] },
      out: { hammer: 20_008, commission: 2_502, charges: 0, paid: 8_753, total: 17_506, netPayable: 8_753 }
    },
    {
      what: 'a charge with its tax, paid in full already',
      // hammer 50 000, commission 20 % = 10 000, charge 5 000 + 1 000 tax = 6 000
      // total = 50 000 − 10 000 − 6 000 = 34 000; paid 34 000 → net 0
      input: { lots: [sold(50_000, 2000)], charges: [{ amount: 5_000, tax: 1_000 }], payments: [34_000] },
      out: { hammer: 50_000, commission: 10_000, charges: 6_000, paid: 34_000, total: 34_000, netPayable: 0 }
    },
    {
      what: 'nothing sold, a charge: the consignor owes the house',
      // hammer 0, commission 0, charges 1 500 → total −1 500, net −1 500
      input: { lots: [unsold, unsold], charges: [{ amount: 1_500, tax: 0 }], payments: [] },
      out: { hammer: 0, commission: 0, charges: 1_500, paid: 0, total: -1_500, netPayable: -1_500 }
    },
    {
      what: "no rate known: Circuit's own commission for the lot is used",
      // 80 000 with Circuit's commission 9 600 (12 %) → total 70 400
      input: { lots: [sold(80_000, null, 9_600)], charges: [], payments: [] },
      out: { hammer: 80_000, commission: 9_600, charges: 0, paid: 0, total: 70_400, netPayable: 70_400 }
    },
    {
      what: 'paid more than was due',
      // hammer 10 000 at 10 % → commission 1 000 → total 9 000; paid 10 000 → net −1 000
      input: { lots: [sold(10_000, 1000)], charges: [], payments: [10_000] },
      out: { hammer: 10_000, commission: 1_000, charges: 0, paid: 10_000, total: 9_000, netPayable: -1_000 }
    }
  ])('$what', ({ input, out }) => {
    expect(statementFigures(input)).toEqual(out)
  })

  it('a passed or withdrawn lot adds nothing, whatever hammer it carries', () => {
    expect(commissionOf({ sold: false, hammer: 50_000, rateBp: 1500 })).toBe(0)
    expect(
      statementFigures({ lots: [{ sold: false, hammer: 50_000, rateBp: 1500 }], charges: [], payments: [] })
    ).toEqual({
      hammer: 0,
      commission: 0,
      charges: 0,
      paid: 0,
      total: 0,
      netPayable: 0
    })
  })

  it('a sum beyond exact minor units is an error, never a rounded figure', () => {
    const big = sold(Number.MAX_SAFE_INTEGER, 0)
    expect(() => statementFigures({ lots: [big, big], charges: [], payments: [] })).toThrow(RangeError)
    expect(() => netPayable(Number.MAX_SAFE_INTEGER, -1, 0, 0)).toThrow(RangeError)
  })
})

describe('the identity', () => {
  const money = fc.integer({ min: 0, max: 100_000_000_000 })
  const lot = fc.record({
    sold: fc.boolean(),
    hammer: fc.option(money, { nil: null }),
    rateBp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    commission: fc.option(fc.integer({ min: 0, max: 10_000_000_000 }), { nil: null })
  })
  const charge = fc.record({
    amount: fc.integer({ min: 0, max: 1_000_000_000 }),
    tax: fc.integer({ min: 0, max: 200_000_000 })
  })

  it('net payable = hammer − commission − charges − paid, and each part is what its lines add up to', () => {
    fc.assert(
      fc.property(
        fc.array(lot, { maxLength: 40 }),
        fc.array(charge, { maxLength: 6 }),
        fc.array(money, { maxLength: 5 }),
        (lots, charges, payments) => {
          const f = statementFigures({ lots, charges, payments })
          // The identity, worked in BigInt on the parts (no float anywhere).
          expect(BigInt(f.netPayable)).toBe(
            BigInt(f.hammer) - BigInt(f.commission) - BigInt(f.charges) - BigInt(f.paid)
          )
          expect(f.netPayable).toBe(netPayable(f.hammer, f.commission, f.charges, f.paid))
          expect(f.total).toBe(f.hammer - f.commission - f.charges)
          // Each part from its own lines.
          const counted = lots.filter((l) => l.sold && l.hammer !== null)
          expect(f.hammer).toBe(counted.reduce((s, l) => s + l.hammer!, 0))
          expect(f.commission).toBe(counted.reduce((s, l) => s + commissionOf(l), 0))
          expect(f.charges).toBe(charges.reduce((s, c) => s + c.amount + c.tax, 0))
          expect(f.paid).toBe(payments.reduce((s, p) => s + p, 0))
          // A commission at a known rate is never more than the hammer, and within half a unit of the exact share.
          for (const l of counted) {
            if (l.rateBp === null) continue
            const c = commissionOf(l)
            expect(c).toBeLessThanOrEqual(l.hammer!)
            const exact2 = BigInt(l.hammer!) * BigInt(l.rateBp) * 2n // twice the exact share, in 1/10 000ths
            const diff = BigInt(c) * 20_000n - exact2
            expect(diff <= 10_000n && diff > -10_000n).toBe(true)
          }
        }
      ),
      { numRuns: 300, seed: 15 }
    )
  })
})
