import { describe, expect, it } from 'vitest'
import {
  formatAmount,
  formatMoney,
  formatPlain,
  numberToPlainString,
  parseDecimalMinor,
  parseMinor
} from '../../src-shared/money'
import { compareLots, lotSortKey, parseLot } from '../../src-shared/lots'

describe('money', () => {
  it('parses decimal strings exactly into minor units', () => {
    expect(parseMinor('1250.50')).toBe(125050)
    expect(parseMinor('0.1')).toBe(10)
    expect(parseMinor('0.29')).toBe(29) // 0.29 * 100 is 28.999999999999996 as a float
    expect(parseMinor('-3.5')).toBe(-350)
    expect(parseMinor('12')).toBe(1200)
    for (const bad of ['', 'abc', '1.234', '1,000.00', '1e5', '.5.']) expect(parseMinor(bad)).toBeNull()
  })
  it('takes grouping, trailing zeros and float rounding only when asked', () => {
    expect(parseDecimalMinor('1,250.50')).toBeNull()
    expect(parseDecimalMinor('1,250.50', { grouping: true })).toBe(125050)
    expect(parseDecimalMinor('12,50', { grouping: true })).toBeNull()
    expect(parseDecimalMinor('1.500')).toBe(150)
    expect(parseDecimalMinor('0.305')).toBeNull()
    expect(parseDecimalMinor('0.305', { roundExtra: true })).toBe(31)
    expect(parseDecimalMinor('-0.305', { roundExtra: true })).toBe(-31)
    expect(parseDecimalMinor('500', { decimals: 0 })).toBe(500)
    expect(parseDecimalMinor('90071992547409.92')).toBeNull() // beyond a safe integer of minor units
    expect(numberToPlainString(1e-7)).toBe('0.0000001')
    expect(numberToPlainString(1.5e21)).toBe('1500000000000000000000')
    expect(numberToPlainString(0.1 + 0.2)).toBe('0.30000000000000004')
  })
  it("formats minor units through Intl with the currency code, its decimals and Circuit's symbol", () => {
    expect(formatPlain(125050)).toBe('1250.50')
    expect(formatPlain(-5)).toBe('-0.05')
    expect(formatAmount(125050)).toBe('1,250.50')
    expect(formatAmount(-5)).toBe('-0.05')
    expect(formatMoney(85000)).toBe('£850.00')
    expect(formatMoney(-1250)).toBe('-£12.50')
    expect(formatMoney(125050, { code: 'EUR', decimals: 2, symbol: '€' })).toBe('€1,250.50')
    expect(formatMoney(1234567, { code: 'JPY', decimals: 0, symbol: '¥' })).toBe('¥1,234,567')
    // Intl's own symbol when Circuit gave none (a non-breaking space after "KWD"), Circuit's when it did.
    expect(formatMoney(1234567, { code: 'KWD', decimals: 3, symbol: '' })).toBe('KWD\u00a01,234.567')
    expect(formatMoney(7, { code: 'KWD', decimals: 3, symbol: 'KD' })).toBe('KD\u00a00.007')
    expect(formatAmount(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91')
    expect(() => formatAmount(1.5)).toThrow()
    expect(() => formatMoney(100, { code: 'GBP', decimals: 2.5, symbol: '£' })).toThrow(RangeError)
  })
})

describe('lot order', () => {
  it('sorts 27 < 269 < 269A < 270 and keeps unnumbered lots last', () => {
    const lots = ['270', '269A', 'X1', '27', '269', '3']
    expect([...lots].sort(compareLots)).toEqual(['3', '27', '269', '269A', '270', 'X1'])
    expect(lotSortKey('269a')).toBe('000000269A')
    expect(parseLot(' 12 b ')).toEqual({ number: 12, letter: 'B' })
  })
})
