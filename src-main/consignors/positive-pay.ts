// The positive-pay file: the list of cheques the house has issued, for its
// bank, which pays only cheques on the list (against forged and altered
// cheques). One row per cheque that stands: account, cheque number, date,
// amount, payee. A spoilt cheque's number is void, so it is not on the list;
// its reprint is, under its new number.
//
// RFC 4180: comma-separated, CRLF line ends, a field with a comma, a quote or
// a line break in double quotes (quotes doubled). No byte-order mark (banks'
// importers read it as part of the first field). A cell a spreadsheet would
// run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe: a
// payee named "=HYPERLINK(…)" stays a name wherever the file is opened.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { formatPlain } from '../../src-shared/money'

export interface PositivePayCheque {
  account: string
  chequeNumber: string
  /** YYYY-MM-DD. */
  date: string
  /** Minor units. */
  amount: number
  payee: string
}

export const POSITIVE_PAY_COLUMNS = ['Account', 'Cheque number', 'Date', 'Amount', 'Payee'] as const

export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The file's text: a header row, then one row per cheque; amounts in major units with the currency's decimals ("1250.50"). */
export function positivePayCsv(cheques: readonly PositivePayCheque[], decimals: number): string {
  const rows = [POSITIVE_PAY_COLUMNS.join(',')]
  for (const c of cheques) {
    rows.push(
      [c.account, c.chequeNumber, c.date, formatPlain(c.amount, decimals), c.payee].map((v) => csvCell(v)).join(',')
    )
  }
  return rows.join('\r\n') + '\r\n'
}

/** Written whole (a temporary file, fsynced, renamed over the old one): the bank never gets half a file. */
export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.partial`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, path)
}
