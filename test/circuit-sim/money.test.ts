import { describe, expect, it } from 'vitest'
import { formatPremium, parsePremium, premiumFor, vatOnPremium } from '../../src-main/circuit-sim/invoice'
import { applyRate, formatDisplay, formatMoney, parseCentsInteger, parseMoney } from '../../src-main/circuit-sim/money'

describe('circuit-sim money and premium arithmetic', () => {
  it('parses decimal strings exactly and formats cents', () => {
    expect(parseMoney('250.00')).toBe(25000)
    expect(parseMoney('0.29')).toBe(29) // 0.29 * 100 is 28.999… as a float
    expect(parseMoney('1250.5')).toBe(125050)
    expect(parseMoney(100.5)).toBe(10050)
    expect(parseMoney('-12.05')).toBe(-1205)
    for (const bad of ['1.234', '1e3', '', 'abc', '1,000.00', null, {}]) expect(parseMoney(bad)).toBeNull()
    expect(parseCentsInteger(45000)).toBe(45000)
    expect(parseCentsInteger('450.00')).toBeNull()
    expect(formatMoney(-5)).toBe('-0.05')
    expect(formatDisplay(125050, '£')).toBe('£1,250.50')
    expect(applyRate(12550, 2000)).toBe(2510)
    expect(applyRate(5, 5000)).toBe(3) // half rounds up
  })

  it('applies the premium tiers marginally per lot', () => {
    const tiers = parsePremium('25% up to 5000, 20% thereafter')!
    expect(tiers).toEqual([
      { upTo: 500000, rateBp: 2500 },
      { upTo: null, rateBp: 2000 }
    ])
    expect(formatPremium(tiers)).toBe('25% up to 5000, 20% thereafter')
    expect(premiumFor(45000, tiers)).toBe(11250)
    expect(premiumFor(500000, tiers)).toBe(125000)
    expect(premiumFor(600000, tiers)).toBe(145000)
    expect(vatOnPremium(145000)).toBe(29000)
    expect(parsePremium('20%')).toEqual([{ upTo: null, rateBp: 2000 }])
    expect(parsePremium('20% up to $5,000, 15% thereafter')).toEqual([
      { upTo: 500000, rateBp: 2000 },
      { upTo: null, rateBp: 1500 }
    ])
    expect(parsePremium('lots')).toBeNull()
  })
})
