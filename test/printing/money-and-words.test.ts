import { describe, it, expect, afterEach } from 'vitest'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { amountInWords, formatAmount, formatDate, formatEstimate, formatMoney, fontsDir } from '../../src-main/printing'
import type { Currency } from '../../src-main/printing'
import { EUR, GBP, JPY, KWD, USD } from './sample-data'

const NO_SYMBOL: Currency = { ...EUR, symbol: '' }

describe('formatMoney', () => {
  it('formats through Intl with the currency code: grouping, two decimals, the symbol', () => {
    expect(formatMoney(123456, GBP)).toBe('£1,234.56')
    expect(formatMoney(0, GBP)).toBe('£0.00')
    expect(formatMoney(5, GBP)).toBe('£0.05')
    expect(formatMoney(99, GBP)).toBe('£0.99')
    expect(formatMoney(100000, GBP)).toBe('£1,000.00')
    expect(formatMoney(100000000, GBP)).toBe('£1,000,000.00')
    expect(formatMoney(123456789, EUR)).toBe('€1,234,567.89')
  })

  it("takes Circuit's symbol where it gave one, Intl's where it did not", () => {
    expect(formatMoney(123456, NO_SYMBOL)).toBe('€1,234.56')
    expect(formatMoney(123456, { code: 'CHF', decimals: 2, symbol: '' })).toBe('CHF\u00a01,234.56')
    expect(formatMoney(1234567, { code: 'KWD', decimals: 3, symbol: 'KD' })).toBe('KD\u00a01,234.567')
  })

  it('puts a leading minus on negative amounts', () => {
    expect(formatMoney(-1250, GBP)).toBe('-£12.50')
    expect(formatMoney(-99, EUR)).toBe('-€0.99')
    expect(formatAmount(-123456, GBP)).toBe('-1,234.56')
  })

  it('honours the currency’s number of decimals', () => {
    expect(formatMoney(1234567, JPY)).toBe('¥1,234,567')
    expect(formatMoney(1234567, KWD)).toBe('KWD\u00a01,234.567')
    expect(formatMoney(7, KWD)).toBe('KWD\u00a00.007')
    expect(formatAmount(7, KWD)).toBe('0.007')
    expect(formatAmount(1234567, JPY)).toBe('1,234,567')
  })

  it('formats the largest safe integer exactly and refuses fractions of a minor unit', () => {
    expect(formatAmount(Number.MAX_SAFE_INTEGER, USD)).toBe('90,071,992,547,409.91')
    expect(formatMoney(Number.MAX_SAFE_INTEGER, JPY)).toBe('¥9,007,199,254,740,991')
    expect(() => formatMoney(12.5, GBP)).toThrow(RangeError)
  })

  it('formats estimates as low–high, or the one side known', () => {
    expect(formatEstimate(80000, 120000, GBP)).toBe('£800.00–£1,200.00')
    expect(formatEstimate(60000, null, GBP)).toBe('£600.00')
    expect(formatEstimate(null, null, GBP)).toBe('')
  })
})

describe('amountInWords', () => {
  it.each([
    [123456, 'One thousand two hundred thirty-four and 56/100'],
    [0, 'Zero and 00/100'],
    [5, 'Zero and 05/100'],
    [100, 'One and 00/100'],
    [1500, 'Fifteen and 00/100'],
    [2100, 'Twenty-one and 00/100'],
    [4010, 'Forty and 10/100'],
    [10100, 'One hundred one and 00/100'],
    [1000000, 'Ten thousand and 00/100'],
    [9999999, 'Ninety-nine thousand nine hundred ninety-nine and 99/100'],
    [123456789, 'One million two hundred thirty-four thousand five hundred sixty-seven and 89/100'],
    [100000000000, 'One billion and 00/100']
  ])('%i cents → %s', (minor, words) => {
    expect(amountInWords(minor, USD)).toBe(words)
  })

  it('writes the fraction over the currency’s unit, or none for a currency without one', () => {
    expect(amountInWords(1234567, KWD)).toBe('One thousand two hundred thirty-four and 567/1000')
    expect(amountInWords(1234, JPY)).toBe('One thousand two hundred thirty-four')
  })

  it('takes only non-negative integer minor units', () => {
    expect(() => amountInWords(-100, USD)).toThrow(RangeError)
    expect(() => amountInWords(10.5, USD)).toThrow(RangeError)
    expect(() => amountInWords(Number.MAX_SAFE_INTEGER + 1, USD)).toThrow(RangeError)
  })
})

describe('formatDate', () => {
  it('writes ISO dates with the month in words and leaves other text alone', () => {
    expect(formatDate('2026-03-07')).toBe('7 March 2026')
    expect(formatDate('2026-12-31T23:30:00Z')).toBe('31 December 2026')
    expect(formatDate('2026-13-01')).toBe('2026-13-01')
    expect(formatDate('next Tuesday')).toBe('next Tuesday')
  })
})

describe('fontsDir', () => {
  const saved = process.env.SALEROOM_RESOURCES
  afterEach(() => {
    if (saved === undefined) delete process.env.SALEROOM_RESOURCES
    else process.env.SALEROOM_RESOURCES = saved
  })

  it('finds the repository’s resources/fonts by walking up', () => {
    delete process.env.SALEROOM_RESOURCES
    expect(fontsDir()).toBe(join(__dirname, '../../resources/fonts'))
  })

  it('prefers $SALEROOM_RESOURCES/fonts when it exists, and ignores it when it does not', () => {
    const resources = mkdtempSync(join(tmpdir(), 'saleroom-resources-'))
    try {
      process.env.SALEROOM_RESOURCES = resources
      expect(fontsDir()).toBe(join(__dirname, '../../resources/fonts'))
      mkdirSync(join(resources, 'fonts'))
      expect(fontsDir()).toBe(join(resources, 'fonts'))
    } finally {
      rmSync(resources, { recursive: true, force: true })
    }
  })
})
