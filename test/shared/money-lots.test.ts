import { describe, expect, it } from 'vitest'
import { formatAmount, formatMoney, parseMinor } from '../../src-shared/money'
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
  it('formats minor units with grouping and the currency template', () => {
    expect(formatAmount(125050)).toBe('1,250.50')
    expect(formatAmount(-5)).toBe('-0.05')
    expect(formatMoney(85000)).toBe('£850.00')
    expect(
      formatMoney(125050, { symbol: '€', decimalSign: ',', thousandsSign: '.', template: '@amount @symbol' })
    ).toBe('1.250,50 €')
    expect(() => formatAmount(1.5)).toThrow()
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
