// A consignor's statement, in integer minor units: what the house owes a
// consignor for one sale. Shared so the screen, the paper and the settlement
// all work from the same figures.
//
// The rules, written down once:
//
//   commission (per lot) = hammer × rate ÷ 10 000, the rate in basis points
//                          (1 500 = 15 %), rounded HALF AWAY FROM ZERO to the
//                          minor unit — per lot, never on the sum of the
//                          hammers. Circuit works a consignor order's
//                          commission the same way (its lines carry each lot's
//                          commission), so the sums agree to the penny.
//   commission (total)   = the sum of the lots' commissions.
//   charges              = the sum of the consignor order's charges, each
//                          with its tax (amount + tax).
//   total                = hammer − commission − charges: what the lots earned
//                          the consignor (Circuit's statement `total`).
//   net payable          = total − paid: what is still to pay. Negative: the
//                          consignor owes the house (charges above the hammer).
//
// Only sold lots count. Products (hammer × rate) are taken in BigInt, so a
// large hammer at a large rate is never rounded by a float; a result beyond
// exact minor units (2^53) is a RangeError, never a wrong figure.
import type { Minor } from './money'

const BASIS = 10_000n
const LARGEST = BigInt(Number.MAX_SAFE_INTEGER)

function exact(v: bigint, what: string): Minor {
  if (v > LARGEST || v < -LARGEST) throw new RangeError(`${what} is beyond exact minor units`)
  return Number(v)
}

function integer(v: number, what: string): bigint {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} must be integer minor units, got ${v}`)
  return BigInt(v)
}

/** hammer × rateBp ÷ 10 000, rounded half away from zero. 100 001 × 1 250 bp = 12 500.125 → 12 500. */
export function lotCommission(hammer: Minor, rateBp: number): Minor {
  const h = integer(hammer, 'A hammer')
  if (!Number.isSafeInteger(rateBp) || rateBp < 0)
    throw new RangeError(`A commission rate must be whole basis points ≥ 0, got ${rateBp}`)
  const product = (h < 0n ? -h : h) * BigInt(rateBp)
  // Half away from zero: add half the divisor before the (truncating) division of the magnitude.
  const rounded = (product + BASIS / 2n) / BASIS
  return exact(h < 0n ? -rounded : rounded, 'A commission')
}

export interface StatementLotInput {
  /** Only sold lots count; others (passed, withdrawn, not yet offered) add nothing. */
  sold: boolean
  hammer: Minor | null
  /** The consignment's rate in basis points; null when Circuit gave none (then `commission` must be given). */
  rateBp: number | null
  /** A commission already known (Circuit's, when no rate is known); used only when `rateBp` is null. */
  commission?: Minor | null
}

export interface StatementInput {
  lots: readonly StatementLotInput[]
  charges: readonly { amount: Minor; tax: Minor }[]
  /** Payments to the consignor that count (not voided). */
  payments: readonly Minor[]
}

export interface StatementFigures {
  hammer: Minor
  commission: Minor
  charges: Minor
  paid: Minor
  /** hammer − commission − charges. */
  total: Minor
  /** total − paid. */
  netPayable: Minor
}

/** A lot's commission under the rule above: at its rate, or the one given when no rate is known. */
export function commissionOf(lot: StatementLotInput): Minor {
  if (!lot.sold || lot.hammer === null) return 0
  if (lot.rateBp !== null) return lotCommission(lot.hammer, lot.rateBp)
  return lot.commission ?? 0
}

/** net payable = hammer − commission − charges − paid, exactly. */
export function netPayable(hammer: Minor, commission: Minor, charges: Minor, paid: Minor): Minor {
  return exact(
    integer(hammer, 'The hammer') -
      integer(commission, 'The commission') -
      integer(charges, 'The charges') -
      integer(paid, 'What was paid'),
    'The net payable'
  )
}

export function statementFigures(input: StatementInput): StatementFigures {
  let hammer = 0n
  let commission = 0n
  for (const lot of input.lots) {
    if (!lot.sold || lot.hammer === null) continue
    hammer += integer(lot.hammer, 'A hammer')
    commission += BigInt(commissionOf(lot))
  }
  let charges = 0n
  for (const c of input.charges) charges += integer(c.amount, 'A charge') + integer(c.tax, "A charge's tax")
  let paid = 0n
  for (const p of input.payments) paid += integer(p, 'A payment')
  const total = hammer - commission - charges
  return {
    hammer: exact(hammer, 'The hammer'),
    commission: exact(commission, 'The commission'),
    charges: exact(charges, 'The charges'),
    paid: exact(paid, 'What was paid'),
    total: exact(total, 'The total'),
    netPayable: exact(total - paid, 'The net payable')
  }
}
