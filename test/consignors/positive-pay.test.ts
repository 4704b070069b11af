// The positive-pay file the bank takes: RFC 4180 (commas, CRLF, quotes
// doubled inside quoted fields), amounts in major units with the currency's
// decimals, and no cell a spreadsheet would run as a formula.
import { describe, expect, it } from 'vitest'
import { csvCell, positivePayCsv } from '../../src-main/consignors/positive-pay'
import { payeeOf } from '../../src-main/consignors/statement'

describe('the positive-pay file', () => {
  it('one header row, then account, cheque number, date, amount, payee per cheque, CRLF after each', () => {
    const csv = positivePayCsv(
      [
        { account: '****5678', chequeNumber: '000101', date: '2026-12-02', amount: 143_737, payee: 'Benedict Mensah' },
        { account: '****5678', chequeNumber: '000102', date: '2026-12-02', amount: 5, payee: 'Mensah, Clara' }
      ],
      2
    )
    expect(csv).toBe(
      'Account,Cheque number,Date,Amount,Payee\r\n' +
        '****5678,000101,2026-12-02,1437.37,Benedict Mensah\r\n' +
        '****5678,000102,2026-12-02,0.05,"Mensah, Clara"\r\n'
    )
    // Amounts in the currency's decimals: yen have none, dinars three.
    expect(
      positivePayCsv([{ account: 'A', chequeNumber: '1', date: '2026-12-02', amount: 25_000, payee: 'X' }], 0)
    ).toContain(',25000,')
    expect(
      positivePayCsv([{ account: 'A', chequeNumber: '1', date: '2026-12-02', amount: 25_000, payee: 'X' }], 3)
    ).toContain(',25.000,')
  })

  it.each([
    ['a quote', 'The "Old" Rectory', '"The ""Old"" Rectory"'],
    ['a line break', 'Line one\nline two', '"Line one\nline two"'],
    ['a carriage return', 'a\rb', '"a\rb"'],
    ['a formula', '=HYPERLINK("http://x","pay")', `"'=HYPERLINK(""http://x"",""pay"")"`],
    ['a plus', '+44 20 7946 0001', "'+44 20 7946 0001"],
    ['a minus', '-1+1', "'-1+1"],
    ['an at', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab first', '\tcmd', "'\tcmd"],
    ['plain text', 'Ann Smith & Co', 'Ann Smith & Co']
  ])('%s: %j → %j', (_what, value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })
})

describe('the payee', () => {
  it('is whom the payment instructions name, else the consignor; never with controls that reorder or hide text', () => {
    expect(payeeOf(['Cheque payable to Palmer Family Trust'], 'Thomas Palmer')).toBe('Palmer Family Trust')
    expect(payeeOf(['cheques made payable to: A. Smith Ltd.'], 'Ann Smith')).toBe('A. Smith Ltd')
    expect(payeeOf(['BACS to account ending 1164'], 'Ann Smith')).toBe('Ann Smith')
    // U+202E would print "Smith" as "htimS"; a line break would split the payee line.
    expect(payeeOf(['Cheque payable to \u202eSmith\n'], 'x')).toBe('Smith')
    expect(payeeOf([], 'Ann\u2066 Smith\u0007')).toBe('Ann Smith')
    expect(payeeOf([], '\u202e')).toBe('the consignor')
  })
})
