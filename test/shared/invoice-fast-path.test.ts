// The invoice maths runs in plain numbers while every step stays within exact
// floats and in BigInt beyond: the figures must be the same either way. Each
// function is checked on random amounts — everyday hammers, amounts near the
// edge of exact floats, negative (credit notes) — against a BigInt reference
// written here from the rules at the top of src-shared/invoice.ts.
import { describe, expect, it } from 'vitest'
import { applyRateBp, computeInvoice, premiumFor, type PremiumRule } from '../../src-shared/invoice'

const MAX = BigInt(Number.MAX_SAFE_INTEGER)

function rounded(numerator: bigint, denominator: bigint): bigint {
  const m = numerator < 0n ? -numerator : numerator
  const r = (2n * m + denominator) / (2n * denominator)
  return numerator < 0n ? -r : r
}

function exact(v: bigint): number {
  if (v > MAX || v < -MAX) throw new RangeError('beyond exact minor units')
  return Number(v)
}

function referencePremium(hammer: number, rule: PremiumRule): number {
  const h = BigInt(Math.abs(hammer))
  let lower = 0n
  let sum = 0n
  for (const t of rule.tiers) {
    const upTo = t.upTo === null ? null : BigInt(t.upTo)
    const upper = upTo === null || h < upTo ? h : upTo
    if (upper > lower) sum += (upper - lower) * BigInt(t.rateBp)
    if (upTo === null || h <= upTo) break
    lower = upTo
  }
  const r = rounded(sum, 10_000n)
  return exact(hammer < 0 ? -r : r)
}

const referenceRate = (amount: number, rateBp: number) => exact(rounded(BigInt(amount) * BigInt(rateBp), 10_000n))

/** A small deterministic generator, so a failure is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function amountFrom(rand: () => number): number {
  const pick = rand()
  // Everyday hammers, large ones, amounts around where products leave exact floats, and the very edge.
  const magnitude =
    pick < 0.4
      ? Math.floor(rand() * 10_000_000)
      : pick < 0.6
        ? Math.floor(rand() * 1e12)
        : pick < 0.9
          ? Math.floor(2 ** (40 + rand() * 13))
          : Number.MAX_SAFE_INTEGER - Math.floor(rand() * 1000)
  return rand() < 0.2 ? -magnitude : magnitude
}

function ruleFrom(rand: () => number): PremiumRule {
  const bands = 1 + Math.floor(rand() * 3)
  const tiers: PremiumRule['tiers'] = []
  let upTo = 0
  for (let i = 0; i < bands - 1; i++) {
    upTo += 1 + Math.floor(rand() * 10 ** (2 + Math.floor(rand() * 12)))
    tiers.push({ upTo, rateBp: Math.floor(rand() * 5_000) })
  }
  tiers.push({ upTo: null, rateBp: Math.floor(rand() * 5_000) })
  return { tiers }
}

/** The function's answer, or the kind of error it threw. */
function outcome(f: () => number): number | string {
  try {
    return f()
  } catch (err) {
    return err instanceof RangeError ? 'RangeError' : String(err)
  }
}

describe('the invoice maths gives the same figures in plain numbers and in BigInt', () => {
  const RUNS = 20_000

  it('premiumFor, on random rules and hammers', () => {
    const rand = prng(19)
    for (let i = 0; i < RUNS; i++) {
      const rule = ruleFrom(rand)
      const hammer = amountFrom(rand)
      expect(
        outcome(() => premiumFor(hammer, rule)),
        `premiumFor(${hammer}, ${JSON.stringify(rule)})`
      ).toEqual(outcome(() => referencePremium(hammer, rule)))
    }
  })

  it('applyRateBp, on random amounts and rates', () => {
    const rand = prng(6)
    for (let i = 0; i < RUNS; i++) {
      const amount = amountFrom(rand)
      const rateBp = rand() < 0.9 ? Math.floor(rand() * 10_000) : Math.floor(rand() * 2 ** 30)
      expect(
        outcome(() => applyRateBp(amount, rateBp)),
        `applyRateBp(${amount}, ${rateBp})`
      ).toEqual(outcome(() => referenceRate(amount, rateBp)))
    }
  })

  it('halves and near-halves just past exact floats (where a float product would round the wrong way)', () => {
    // amount × rate ≡ 4999 or 5000 (mod 10 000) with the product between 2^53 and 2^55.
    let checked = 0
    for (const rate of [3, 7, 9, 11, 13]) {
      const inverse = [...Array(10_000).keys()].find((x) => (rate * x) % 10_000 === 1)!
      for (const remainder of [4999, 5000, 5001]) {
        const residue = BigInt((remainder * inverse) % 10_000)
        const start = 2n ** 53n / BigInt(rate) + 1n
        for (let m = 0n; m < 300n; m++) {
          const amount = start - (start % 10_000n) + residue + m * 10_000n
          if (amount > MAX) continue
          for (const a of [Number(amount), -Number(amount)]) {
            expect(applyRateBp(a, rate), `applyRateBp(${a}, ${rate})`).toBe(referenceRate(a, rate))
            const rule = { tiers: [{ upTo: null, rateBp: rate }] }
            expect(premiumFor(a, rule), `premiumFor(${a}, ${rate} bp)`).toBe(referencePremium(a, rule))
          }
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('never answers −0, and rounds halves away from zero', () => {
    expect(Object.is(premiumFor(-1, { tiers: [{ upTo: null, rateBp: 1 }] }), 0)).toBe(true)
    expect(Object.is(applyRateBp(-1, 1), 0)).toBe(true)
    expect(applyRateBp(5, 5000)).toBe(3)
    expect(applyRateBp(-5, 5000)).toBe(-3)
  })

  it('totals: sums within exact floats, and a clear RangeError beyond them', () => {
    const rand = prng(23)
    for (let i = 0; i < 2_000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 5) }, (_, n) => ({
        itemId: `i${n}`,
        lot: String(n + 1),
        hammer: amountFrom(rand)
      }))
      const rule = ruleFrom(rand)
      const figures = () => {
        const inv = computeInvoice({ lines, premiumRule: rule, taxMode: 'standard', vatRateBp: 2000 })
        return JSON.stringify(inv.totals)
      }
      const reference = () => {
        let hammer = 0n
        let premium = 0n
        let tax = 0n
        for (const l of lines) {
          const p = referencePremium(l.hammer, rule)
          hammer += BigInt(l.hammer)
          premium += BigInt(p)
          tax += BigInt(referenceRate(l.hammer, 2000)) + BigInt(referenceRate(p, 2000))
          // Each line's own total is checked against exact minor units too.
          exact(BigInt(l.hammer) + BigInt(p) + BigInt(referenceRate(l.hammer, 2000)) + BigInt(referenceRate(p, 2000)))
        }
        const grand = exact(hammer + premium + tax)
        return JSON.stringify({
          hammer: exact(hammer),
          premium: exact(premium),
          tax: exact(tax),
          charges: 0,
          chargesTax: 0,
          grandTotal: grand,
          paid: 0,
          amountDue: grand
        })
      }
      const got = (() => {
        try {
          return figures()
        } catch (err) {
          return err instanceof RangeError ? 'RangeError' : String(err)
        }
      })()
      const want = (() => {
        try {
          return reference()
        } catch (err) {
          return err instanceof RangeError ? 'RangeError' : String(err)
        }
      })()
      expect(got, JSON.stringify({ lines, rule })).toBe(want)
    }
  })
})
