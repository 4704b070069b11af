// Each document is built from sample data, written to test-results/printing/,
// read back with poppler (pdftotext, pdffonts) and rendered to PNG (pdftoppm).
import { describe, it, expect, beforeAll } from 'vitest'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  DEFAULT_CHEQUE_LAYOUT,
  amountInWords,
  chequeAlignmentPage,
  formatMoney,
  renderCheque,
  renderClerkSheet,
  renderInvoice,
  renderPhoneBidderCards,
  renderReceipt,
  type RenderedDocument
} from '../../src-main/printing'
import {
  CHEQUE,
  CLERK_SHEET,
  CREATED,
  GBP,
  HOUSE,
  INVOICE,
  JPY,
  KWD,
  NAMES,
  PHONE_BIDDERS,
  PROVISIONAL_INVOICE,
  RECEIPT,
  manyLines
} from './sample-data'

const OUT = join(__dirname, '../../test-results/printing')
const options = { creationDate: CREATED }
const money = (minor: number) => formatMoney(minor, GBP)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function ensurePoppler(): void {
  if (spawnSync('sh', ['-c', 'command -v pdftotext && command -v pdftoppm']).status === 0) return
  execFileSync('apt-get', ['install', '-y', '-qq', 'poppler-utils'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  })
}

/** Writes the PDF, renders its pages to PNG, and returns the laid-out text (pages split on form feeds). */
function inspect(name: string, doc: RenderedDocument): { text: string; pages: string[]; file: string } {
  const file = join(OUT, `${name}.pdf`)
  writeFileSync(file, doc.bytes)
  execFileSync('pdftoppm', ['-png', '-r', '60', file, join(OUT, name)])
  expect(existsSync(join(OUT, doc.pages > 9 ? `${name}-01.png` : `${name}-1.png`))).toBe(true)
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  const pages = text.split('\f').slice(0, doc.pages)
  return { text, pages, file }
}

function expectAll(text: string, expected: string[]): void {
  for (const s of expected) expect(text, `missing ${JSON.stringify(s)}`).toContain(s)
}

/** Word boxes from `pdftotext -bbox`: the first word equal to `word` and its top-left in points. */
function wordBox(file: string, word: string): { x: number; y: number } {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' })
  const m = new RegExp(`<word xMin="([\\d.]+)" yMin="([\\d.]+)"[^>]*>${word}</word>`).exec(html)
  if (!m) throw new Error(`${word} not found in ${file}`)
  return { x: Number(m[1]), y: Number(m[2]) }
}

beforeAll(() => {
  ensurePoppler()
  mkdirSync(OUT, { recursive: true })
})

describe('invoice', () => {
  it('carries every lot, charge, payment and total, formatted, with the house header', async () => {
    const doc = await renderInvoice(INVOICE, options)
    const { text } = inspect('invoice', doc)
    expect(doc.pages).toBe(1)
    expectAll(text, [
      HOUSE.name,
      '12 Market Street',
      'VAT No. GB 123 4567 89',
      'INVOICE',
      'No. INV-10422',
      'Margaret Ellison',
      'C-88412',
      '214',
      'Fine Art & Antiques',
      '5 March 2026',
      ...INVOICE.lines.flatMap((l) => [l.lot, l.description, money(l.hammer), money(l.premium), money(l.tax)]),
      'Packing and shipping',
      'Storage',
      money(4500),
      'VISA •••• 4242',
      'HF-10422',
      money(500000),
      money(100000),
      money(INVOICE.totals.hammer),
      money(INVOICE.totals.premium),
      money(INVOICE.totals.tax),
      money(INVOICE.totals.charges),
      money(INVOICE.totals.grandTotal),
      'Page 1 of 1'
    ])
    // What has been paid and what is left, as the checkout shows them.
    expect(text).toMatch(new RegExp(`Total paid\\s+${escape(money(600000))}`))
    expect(text).toMatch(new RegExp(`Balance due\\s+${escape(money(121840))}`))
    expect(text).not.toContain('Amount due')
    expect(text).not.toContain('PROVISIONAL')
    // Consignment numbers are for the house: not printed unless Settings asks (invoice-paper.test.ts).
    expect(text).not.toContain('C-2231')
  })

  it('a voided payment is listed as VOID with its reason and is not counted as paid', async () => {
    const payments = [
      ...INVOICE.payments,
      {
        date: '2026-03-07',
        methodLabel: 'Card',
        amount: 121840,
        reference: 'VISA •••• 1111',
        voided: true,
        voidReason: 'Keyed on the wrong order'
      }
    ]
    const { text } = inspect('invoice-voided-payment', await renderInvoice({ ...INVOICE, payments }, options))
    expectAll(text, ['Card (VOID)', 'VOID: Keyed on the wrong order', `(${money(121840)})`])
    expect(text).toMatch(new RegExp(`Total paid\\s+${escape(money(600000))}`))
    expect(text).toMatch(new RegExp(`Balance due\\s+${escape(money(121840))}`))
  })

  it('an overpaid invoice says the refund due rather than a negative balance', async () => {
    const totals = { ...INVOICE.totals, paid: 731840, balanceDue: -10000 }
    const { text } = inspect('invoice-overpaid', await renderInvoice({ ...INVOICE, totals }, options))
    expect(text).toMatch(new RegExp(`Refund due\\s+${escape(money(10000))}`))
    expect(text).not.toContain('-£')
  })

  it('amounts carry the currency and its decimals: yen with none, dinar with three', async () => {
    const yen = inspect('invoice-jpy', await renderInvoice({ ...INVOICE, house: { ...HOUSE, currency: JPY } }, options))
    expectAll(yen.text, ['¥120,000', '¥721,840', '¥121,840'])
    expect(yen.text).not.toMatch(/¥[\d,]+\.\d/)
    const dinar = inspect(
      'invoice-kwd',
      await renderInvoice({ ...INVOICE, house: { ...HOUSE, currency: KWD } }, options)
    )
    // Intl writes "KWD" and a no-break space before the figure.
    expectAll(dinar.text.replace(/\u00a0/g, ' '), ['KWD 120.000', 'KWD 721.840', 'KWD 121.840'])
  })

  it('a provisional invoice says PROVISIONAL and that Circuit’s number will replace it', async () => {
    const { text } = inspect('invoice-provisional', await renderInvoice(PROVISIONAL_INVOICE, options))
    expectAll(text, ['PROVISIONAL', 'P-0007', "Circuit's invoice number will replace it"])
    expect(text).not.toContain('INV-10422')
  })

  it('120 lines run over several pages, repeat the table header and number the pages', async () => {
    const lines = manyLines(120)
    const doc = await renderInvoice({ ...INVOICE, lines }, options)
    const { text, pages } = inspect('invoice-120-lines', doc)
    expect(doc.pages).toBeGreaterThanOrEqual(3)
    expect(pages).toHaveLength(doc.pages)
    pages.forEach((page, i) => {
      expect(page).toMatch(/Lot\s+Description\s+Hammer\s+Premium\s+VAT\s+Total/)
      expect(page).toContain(`Page ${i + 1} of ${doc.pages}`)
    })
    expect(pages[1]).toContain('Invoice INV-10422 (continued)')
    expect(text).toContain('Page 2 of')
    for (const line of lines) expect(text).toMatch(new RegExp(`\\b${line.lot}\\s+${line.description}\\b`))
  })
})

describe('receipt', () => {
  it('carries the payment, its method details, the amount and the balance', async () => {
    const { text } = inspect('receipt', await renderReceipt(RECEIPT, options))
    expectAll(text, [
      'RECEIPT',
      'No. R-5531',
      '6 March 2026',
      'Margaret Ellison',
      'O-77120',
      'INV-10422',
      'Card VISA •••• 4242',
      money(RECEIPT.payment.amount)
    ])
    // The payment, the order's total, what has been paid so far and the balance after it.
    expect(text).toMatch(new RegExp(`Order total\\s+${escape(money(721840))}`))
    expect(text).toMatch(new RegExp(`Paid to date\\s+${escape(money(500000))}`))
    expect(text).toMatch(new RegExp(`Balance due\\s+${escape(money(221840))}`))
    expect(text).not.toContain('VOID')
  })

  it('a voided payment’s receipt says VOID and why', async () => {
    const voided = {
      ...RECEIPT,
      payment: { ...RECEIPT.payment, voided: true, voidReason: 'Keyed on the wrong order' },
      paidToDate: 0,
      balanceAfter: 721840
    }
    const { text } = inspect('receipt-void', await renderReceipt(voided, options))
    expectAll(text, ['VOID', 'counts for nothing: Keyed on the wrong order', 'Amount (void)'])
    expect(text).toMatch(new RegExp(`Balance due\\s+${escape(money(721840))}`))
    expect(text).not.toContain('Amount received')
  })
})

describe('credit note', () => {
  const NOTE = {
    ...INVOICE,
    numbering: { provisional: false as const, invoiceNumber: 'CN-2291' },
    lines: [{ ...INVOICE.lines[0], hammer: -120000, premium: -30000, tax: -6000 }],
    charges: [],
    payments: [],
    totals: {
      hammer: -120000,
      premium: -30000,
      tax: -6000,
      charges: 0,
      grandTotal: -156000,
      paid: 0,
      balanceDue: -156000
    },
    creditNote: { forInvoice: 'INV-10422', reason: 'Lot 12 damaged in the saleroom' }
  }

  it('prints as a CREDIT NOTE for its invoice: address, customer number, lots credited, reason and refund due', async () => {
    const doc = await renderInvoice(NOTE, options)
    const { text } = inspect('credit-note', doc)
    expectAll(text, [
      'CREDIT NOTE',
      'No. CN-2291',
      'Credit for invoice INV-10422',
      'Credit to',
      'Margaret Ellison',
      '4 Castle Lane',
      'C-88412',
      'Lots credited',
      'A George III mahogany bureau',
      money(120000),
      'Reason',
      'Lot 12 damaged in the saleroom'
    ])
    expect(text).toMatch(new RegExp(`Total credited\\s+${escape(money(156000))}`))
    expect(text).toMatch(new RegExp(`Refund due\\s+${escape(money(156000))}`))
    expect(text).not.toMatch(/INVOICE|Amount due|Bill to/)
    expect(text).not.toContain('-£')
  })

  it('a provisional credit note says so; one without a reason prints none', async () => {
    const provisional = {
      ...NOTE,
      numbering: { provisional: true as const, provisionalNumber: 'P-CN-10422' },
      creditNote: { forInvoice: 'INV-10422', reason: null }
    }
    const { text } = inspect('credit-note-provisional', await renderInvoice(provisional, options))
    expectAll(text, ['CREDIT NOTE', 'PROVISIONAL', 'P-CN-10422', 'Credit for invoice INV-10422'])
    expect(text).not.toContain('Reason')
  })
})

describe('cheque', () => {
  it('prints payee, date, amount in figures and in words, memo and number', async () => {
    const { text } = inspect('cheque', await renderCheque(CHEQUE, options))
    expectAll(text, [
      CHEQUE.payee,
      '7 March 2026',
      '**1,234.56',
      'One thousand two hundred thirty-four and 56/100',
      CHEQUE.memo,
      CHEQUE.chequeNumber,
      CHEQUE.bankName,
      CHEQUE.accountLabel
    ])
    expect(amountInWords(CHEQUE.amountMinor, CHEQUE.currency)).toBe('One thousand two hundred thirty-four and 56/100')
  })

  it('keeps a long amount in words on one line of its field', async () => {
    const words = 'Nine million eight hundred seventy-six thousand five hundred forty-three and 21/100'
    const { text } = inspect('cheque-long-amount', await renderCheque({ ...CHEQUE, amountMinor: 987654321 }, options))
    expectAll(text, [words, '**9,876,543.21'])
  })

  it('puts each field at its layout position plus the printer offset', async () => {
    const shifted = { ...DEFAULT_CHEQUE_LAYOUT, offsetX: 18, offsetY: -9 }
    const plain = inspect('cheque-offset-0', await renderCheque(CHEQUE, options))
    const moved = inspect('cheque-offset-18', await renderCheque(CHEQUE, { ...options, layout: shifted }))
    const before = wordBox(plain.file, 'Jonathan')
    const after = wordBox(moved.file, 'Jonathan')
    expect(before.x).toBeCloseTo(DEFAULT_CHEQUE_LAYOUT.fields.payee.x, 0)
    expect(after.x - before.x).toBeCloseTo(18, 1)
    expect(after.y - before.y).toBeCloseTo(-9, 1)
  })

  it('the alignment page labels every field where the cheque prints it', async () => {
    const doc = await chequeAlignmentPage(DEFAULT_CHEQUE_LAYOUT, options)
    const { text, file } = inspect('cheque-alignment', doc)
    expect(doc.pages).toBe(1)
    expectAll(text, [
      'CHEQUE NO.',
      'DATE',
      'PAYEE',
      'AMOUNT (FIGURES)',
      'AMOUNT (WORDS)',
      'MEMO',
      'VOUCHER',
      '100% scale'
    ])
    const { x, y } = DEFAULT_CHEQUE_LAYOUT.fields.payee
    expect(text).toContain(`PAYEE (${x}, ${y} pt)`)
    const caption = wordBox(file, 'PAYEE')
    expect(caption.x - x).toBeGreaterThan(0)
    expect(caption.x - x).toBeLessThan(20)
    expect(y - caption.y).toBeGreaterThan(0)
    expect(y - caption.y).toBeLessThan(20)
  })
})

describe('phone-bidder cards', () => {
  it('one page per bidder with paddle, phone, caller and their lots in sale order with estimates', async () => {
    const doc = await renderPhoneBidderCards(PHONE_BIDDERS, options)
    const { pages } = inspect('phone-bidder-cards', doc)
    expect(doc.pages).toBe(2)
    const [first, second] = pages
    expectAll(first, ['Henry Castellane', 'T1', '+44 7700 900123', 'Alice Moreton', 'Notes', '£600.00'])
    expectAll(first, ['£3,000.00–£5,000.00', '£800.00–£1,200.00'])
    const order = ['12', '47A', '103'].map((lot) => first.search(new RegExp(`^\\s*${lot}\\s`, 'm')))
    expect(order.every((at) => at >= 0)).toBe(true)
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expectAll(second, [NAMES.cyrillic, 'T2', NAMES.nordic, 'Fabergé-style enamel box', '£1,500.00–£2,500.00'])
  })

  it('a bidder with many lots continues on a page that names them and repeats the lot header', async () => {
    const lots = Array.from({ length: 20 }, (_, i) => ({
      lotNumber: String(200 + i),
      title: `Print ${i + 1}`,
      estimateLow: 1000,
      estimateHigh: 2000
    }))
    const [first] = PHONE_BIDDERS.bidders
    const doc = await renderPhoneBidderCards({ ...PHONE_BIDDERS, bidders: [{ ...first, lots }] }, options)
    const { text, pages } = inspect('phone-bidder-cards-many-lots', doc)
    expect(doc.pages).toBe(2)
    expectAll(pages[1], ['Henry Castellane, paddle T1 (continued)', 'Notes', 'Page 2 of 2'])
    for (const lot of lots) expect(text).toContain(lot.title)
  })
})

describe('clerk sheet', () => {
  it('lists the session’s lots with estimate, paddle and price when known, then blank rows', async () => {
    const doc = await renderClerkSheet(CLERK_SHEET, options)
    const { text } = inspect('clerk-sheet', doc)
    expectAll(text, ['Clerk sheet: Session 1 (lots 1–4)', 'Paddle', 'Price'])
    for (const lot of CLERK_SHEET.lots) expectAll(text, [lot.lotNumber, lot.title])
    expectAll(text, ['118', money(26000), '214', money(65000), '£400.00–£600.00'])
    expect(text).toMatch(/4\s+Longcase clock\s*\n/)
  })
})

describe('every document', () => {
  const builders: [string, () => Promise<RenderedDocument>][] = [
    ['invoice', () => renderInvoice(INVOICE, options)],
    ['receipt', () => renderReceipt(RECEIPT, options)],
    ['cheque', () => renderCheque(CHEQUE, options)],
    ['cheque alignment', () => chequeAlignmentPage(DEFAULT_CHEQUE_LAYOUT, options)],
    ['phone-bidder cards', () => renderPhoneBidderCards(PHONE_BIDDERS, options)],
    ['clerk sheet', () => renderClerkSheet(CLERK_SHEET, options)]
  ]

  it.each(builders)('%s: the same data gives the same bytes', async (_name, build) => {
    const [a, b] = [await build(), await build()]
    expect(a.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0)
  })

  it('the creation date is what the document records (and so changes its bytes)', async () => {
    const later = await renderReceipt(RECEIPT, { creationDate: new Date(Date.UTC(2026, 2, 8)) })
    const first = await renderReceipt(RECEIPT, options)
    expect(Buffer.compare(first.bytes, later.bytes)).not.toBe(0)
    const file = join(OUT, 'receipt-dated.pdf')
    writeFileSync(file, first.bytes)
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })).toMatch(
      /CreationDate:\s+Sat Mar\s+7 18:30:00 2026/
    )
  })

  it('embeds DejaVu Sans and no unembedded standard font', async () => {
    const file = join(OUT, 'fonts-check.pdf')
    writeFileSync(file, (await renderInvoice(INVOICE, options)).bytes)
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fonts).toMatch(/DejaVuSans\s/)
    expect(fonts).toMatch(/DejaVuSans-Bold\s/)
    expect(fonts).not.toMatch(/Helvetica|Times|Courier/)
    for (const line of fonts.trim().split('\n').slice(2)) expect(line).toMatch(/\byes\s+yes\s+yes\b/) // emb sub uni
  })

  it('prints Latin Extended, Greek and Cyrillic names so they survive text extraction', async () => {
    const buyer = { name: NAMES.latin, addressLines: [NAMES.nordic, NAMES.greek, NAMES.cyrillic], vatNumber: null }
    const invoice = await renderInvoice({ ...INVOICE, buyer }, options)
    const receipt = await renderReceipt({ ...RECEIPT, buyer: { ...RECEIPT.buyer, name: NAMES.greek } }, options)
    const cheque = await renderCheque({ ...CHEQUE, payee: NAMES.latin, memo: NAMES.cyrillic }, options)
    expectAll(inspect('names-invoice', invoice).text, [NAMES.latin, NAMES.nordic, NAMES.greek, NAMES.cyrillic])
    expectAll(inspect('names-receipt', receipt).text, [NAMES.greek])
    expectAll(inspect('names-cheque', cheque).text, [NAMES.latin, NAMES.cyrillic])
  })
})
