// The buyer's invoice as paper (issue 19 §4), from sample data read back with
// pdftotext: the house's address and VAT number, the buyer's VAT number, a
// line total per lot that adds up (with the charges) to the total, VAT by
// scheme (margin / standard / charges) adding up to the tax, the bank
// details, collection notes, terms and footer from Settings, and consignment
// numbers only when asked. One page for a short invoice.
import { beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatMoney, renderInvoice, renderReceipt, type InvoiceData, type TaxScheme } from '../../src-main/printing'
import { CREATED, GBP, HOUSE, INVOICE, RECEIPT } from './sample-data'

const OUT = join(__dirname, '../../test-results/printing')
const options = { creationDate: CREATED }
const money = (minor: number) => formatMoney(minor, GBP)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A row whose cells read left to right with only space between them. */
const row = (...cells: string[]) => new RegExp(cells.map(escape).join('\\s+'))

const MARGIN: TaxScheme = { label: 'Margin scheme (VAT on premium)', mode: 'margin', rateBp: 2000 }
const STANDARD: TaxScheme = { label: 'Standard rate', mode: 'standard', rateBp: 2000 }

const TEXTS = {
  terms: 'Lots are sold as seen.\nPayment is due within seven days of the sale.',
  collectionNotes: 'Collect from the Lewes saleroom, Monday to Friday 9 to 5.',
  bankDetails: 'Lewes Bank plc, sort code 12-34-56, account 87654321',
  footer: 'Hartley & Finch Ltd · Registered in England 01234567'
}

/** Two margin-scheme lots and one at the standard rate (VAT on hammer and premium), with the charges. */
const PAPER: InvoiceData = {
  ...INVOICE,
  house: { ...HOUSE, texts: TEXTS },
  buyer: { ...INVOICE.buyer, vatNumber: 'GB 987 6543 21' },
  lines: [
    { ...INVOICE.lines[0], taxScheme: MARGIN },
    { ...INVOICE.lines[1], taxScheme: MARGIN },
    // 3,450.00 + 862.50 at 20 % on both: 862.50 VAT.
    { ...INVOICE.lines[2], tax: 86250, taxScheme: STANDARD }
  ],
  totals: { ...INVOICE.totals, tax: 97640, grandTotal: 790840, balanceDue: 190840 }
}

/** The laid-out text (a table's row on one line) and the words in reading order (a column's text whole). */
function read(name: string, bytes: Buffer): { text: string; words: string } {
  const file = join(OUT, `${name}.pdf`)
  writeFileSync(file, bytes)
  execFileSync('pdftoppm', ['-png', '-r', '70', file, join(OUT, name)])
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  const words = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  return { text, words }
}

beforeAll(() => mkdirSync(OUT, { recursive: true }))

describe("the buyer's invoice on paper", () => {
  it('the house and the buyer with their VAT numbers; a line total per lot, adding up to the total', async () => {
    const doc = await renderInvoice(PAPER, options)
    const { text } = read('invoice-paper', doc.bytes)
    expect(doc.pages).toBe(1)
    expect(text).toContain('12 Market Street')
    expect(text).toContain('VAT No. GB 123 4567 89')
    expect(text).toContain('VAT No. GB 987 6543 21')
    expect(text).toMatch(row('Lot', 'Description', 'Hammer', 'Premium', 'VAT', 'Total'))
    let lots = 0
    for (const l of PAPER.lines) {
      const total = l.hammer + l.premium + l.tax
      expect(text).toMatch(row(l.lot, l.description, money(l.hammer), money(l.premium), money(l.tax), money(total)))
      lots += total
    }
    // The line totals and the charges (with their VAT) make the invoice's total.
    const charges = PAPER.charges.reduce((sum, c) => sum + c.amount + c.tax, 0)
    expect(lots + charges).toBe(PAPER.totals.grandTotal)
    expect(text).toMatch(row('Total', money(PAPER.totals.grandTotal)))
    expect(text).toMatch(row('Total paid', money(600000)))
    expect(text).toMatch(row('Balance due', money(190840)))
  })

  it('VAT by scheme: margin on the premium, standard on hammer and premium, the charges; adding up to the tax', async () => {
    const { text, words } = read('invoice-paper-vat', (await renderInvoice(PAPER, options)).bytes)
    expect(words).toContain(`${MARGIN.label} 20%`)
    // Margin: VAT on the premiums of lots 12 and 47A only (the scheme's name wraps in its column).
    const margin = { on: 30000 + 21250, vat: 6000 + 4250 }
    expect(text).toMatch(row('Margin scheme (VAT', '20%', money(margin.on), money(margin.vat)))
    // Standard: on the hammer and the premium of lot 103.
    const standard = { on: 345000 + 86250, vat: 86250 }
    expect(text).toMatch(row(STANDARD.label, '20%', money(standard.on), money(standard.vat)))
    const charges = { on: 4500 + 1200, vat: 900 + 240 }
    expect(text).toMatch(new RegExp(`^\\s*${row('Charges', money(charges.on), money(charges.vat)).source}`, 'm'))
    expect(margin.vat + standard.vat + charges.vat).toBe(PAPER.totals.tax)
    expect(text).toMatch(row('Tax', money(PAPER.totals.tax)))
  })

  it("Settings' bank details, collection notes, terms and footer print; bank details only while something is due", async () => {
    const { words } = read('invoice-paper-texts', (await renderInvoice(PAPER, options)).bytes)
    for (const s of [
      'Payment by bank transfer',
      TEXTS.bankDetails,
      'Collection',
      TEXTS.collectionNotes,
      'Terms of sale',
      'Lots are sold as seen. Payment is due within seven days of the sale.',
      TEXTS.footer
    ]) {
      expect(words, s).toContain(s)
    }
    const paid = { ...PAPER, totals: { ...PAPER.totals, paid: PAPER.totals.grandTotal, balanceDue: 0 } }
    const { words: paidWords } = read('invoice-paper-paid', (await renderInvoice(paid, options)).bytes)
    expect(paidWords).not.toContain(TEXTS.bankDetails)
    expect(paidWords).toContain(TEXTS.collectionNotes)
    // Empty texts print no heading at all.
    const { words: bare } = read('invoice-paper-bare', (await renderInvoice(INVOICE, options)).bytes)
    expect(bare).not.toMatch(/Payment by bank transfer|Terms of sale|Collection/)
  })

  it('a footer longer than two lines prints once after the last line, whole', async () => {
    const footer = `${TEXTS.footer}. `.repeat(6).trim()
    const doc = await renderInvoice({ ...PAPER, house: { ...HOUSE, texts: { ...TEXTS, footer } } }, options)
    const { words } = read('invoice-paper-long-footer', doc.bytes)
    expect(words).toContain(footer)
  })

  it('the consignment number prints under its lot only when Settings asks for it', async () => {
    const { words: off } = read('invoice-paper-no-consignment', (await renderInvoice(PAPER, options)).bytes)
    expect(off).not.toContain('Consignment')
    expect(off).not.toContain('C-2231')
    const asked = await renderInvoice({ ...PAPER, printConsignmentNumbers: true }, options)
    expect(read('invoice-paper-consignment', asked.bytes).words).toContain('Pair of Meissen figures Consignment C-2231')
  })

  it('the footer prints on receipts too, without the terms', async () => {
    const receipt = await renderReceipt({ ...RECEIPT, house: { ...HOUSE, texts: TEXTS } }, options)
    const { words } = read('receipt-footer', receipt.bytes)
    expect(words).toContain(TEXTS.footer)
    expect(words).not.toContain('Lots are sold as seen.')
  })
})
