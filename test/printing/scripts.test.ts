// Every script prints: names in Hebrew, Arabic, Chinese, Greek and with an
// emoji, on an invoice and on cheques, each read back by pdftotext in logical
// order; right-to-left words drawn right to left; Arabic letters joined by
// the font's shaping; the faces embedded as subsets.
import { describe, it, expect, beforeAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { create, type Font } from 'fontkit'
import {
  DEFAULT_CHEQUE_LAYOUT,
  fontsDir,
  renderCheque,
  renderClerkSheet,
  renderInvoice,
  renderPhoneBidderCards,
  renderReceipt,
  type RenderedDocument
} from '../../src-main/printing'
import { CHEQUE, CLERK_SHEET, CREATED, INVOICE, NAMES, PHONE_BIDDERS, RECEIPT } from './sample-data'

const OUT = join(__dirname, '../../test-results/printing')
const options = { creationDate: CREATED }
const SCRIPTS = [NAMES.hebrew, NAMES.arabic, NAMES.chinese, NAMES.greek, NAMES.emoji]

function save(name: string, doc: RenderedDocument): string {
  const file = join(OUT, `${name}.pdf`)
  writeFileSync(file, doc.bytes)
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, join(OUT, name)])
  return file
}
const text = (file: string) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })

/** Each word pdftotext finds, with its left and right edge in points. */
function words(file: string): { word: string; xMin: number; xMax: number; yMin: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' })
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({
    word: m[4],
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3])
  }))
}

const font = (file: string) => create(readFileSync(join(fontsDir(), file))) as Font
/** pdftotext -bbox gives each word's characters in the order they stand on the page. */
const onPage = (word: string) => [...word].reverse().join('')

beforeAll(() => mkdirSync(OUT, { recursive: true }))

describe('names in every script', () => {
  it('an invoice prints names in Hebrew, Arabic, Chinese and Greek and an emoji, each found by pdftotext', async () => {
    const buyer = { name: NAMES.hebrew, addressLines: SCRIPTS.slice(1), vatNumber: null }
    const file = save('scripts-invoice', await renderInvoice({ ...INVOICE, buyer }, options))
    const body = text(file)
    for (const name of SCRIPTS) expect(body, `missing ${name}`).toContain(name)
    // The Latin content around them is untouched.
    expect(body).toContain('A George III mahogany bureau')
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
    for (const face of ['DejaVuSans', 'NotoSansHebrew-Regular', 'NotoSansArabic-Regular', 'NotoSansCJKsc-Regular']) {
      expect(fonts).toMatch(new RegExp(`\\+${face}\\s`))
    }
    expect(fonts).toMatch(/\+NotoEmoji-Regular\s/)
    // Every face embedded, as a subset, with its text map.
    for (const line of fonts.trim().split('\n').slice(2)) expect(line).toMatch(/\byes\s+yes\s+yes\b/)
    // Subsets: the 6.8 MB CJK face adds a few kilobytes for three characters.
    expect(readFileSync(file).length).toBeLessThan(120_000)
  })

  it.each(Object.entries({ ...NAMES }))(
    'a cheque to %s prints its payee, found by pdftotext',
    async (_script, payee) => {
      const file = save(`scripts-cheque-${_script}`, await renderCheque({ ...CHEQUE, payee }, options))
      const body = text(file)
      // On the cheque and again on its voucher.
      expect(body.split(payee).length - 1).toBe(2)
    }
  )

  it('right-to-left words are drawn right to left, and the document stays left to right around them', async () => {
    const payee = NAMES.hebrew // שרה כהן: "שרה" first in logical order, so rightmost on paper.
    const file = save('scripts-cheque-rtl', await renderCheque({ ...CHEQUE, payee, memo: 'Ref 12 שלום' }, options))
    const list = words(file)
    const [first, second] = payee.split(' ')
    const a = list.find((w) => w.word === onPage(first))!
    const b = list.find((w) => w.word === onPage(second))!
    expect(a.xMin).toBeGreaterThan(b.xMax)
    // The payee field starts where the layout puts it: the name is not pushed or mirrored off its box.
    expect(Math.min(a.xMin, b.xMin)).toBeCloseTo(DEFAULT_CHEQUE_LAYOUT.fields.payee.x, 0)
    // In a left-to-right memo the Hebrew word follows the Latin ones.
    const ref = list.find((w) => w.word === 'Ref')!
    const shalom = list.find((w) => w.word === onPage('שלום'))!
    expect(shalom.xMin).toBeGreaterThan(ref.xMax)
  })

  it('Arabic letters are joined by the font’s shaping, not set as isolated forms', async () => {
    const payee = 'محمد'
    const file = save('scripts-cheque-arabic-joined', await renderCheque({ ...CHEQUE, payee }, options))
    expect(text(file)).toContain(payee) // read back as its letters, not as presentation forms
    const { x } = DEFAULT_CHEQUE_LAYOUT.fields.payee
    const drawn = words(file).find((w) => Math.abs(w.xMin - x) < 0.5)!
    const arabic = font('NotoSansArabic-Regular.ttf')
    const size = 11 // CHEQUE_FONT_SIZE: the name fits, so it is not shrunk.
    const toPoints = (units: number) => (units / arabic.unitsPerEm) * size
    // Joined (initial, medial, final forms) the word is not as wide as its letters set alone.
    const shaped = toPoints(arabic.layout(payee).advanceWidth)
    const isolated = toPoints([...payee].reduce((sum, ch) => sum + arabic.layout(ch).advanceWidth, 0))
    expect(Math.abs(isolated - shaped)).toBeGreaterThan(1)
    expect(drawn.xMax - drawn.xMin).toBeCloseTo(shaped, 0)
  })

  it('a long name in a narrow cell wraps and the row grows to hold it, in every document', async () => {
    const long = `${NAMES.chinese}${'王'.repeat(40)} ${NAMES.arabic} ${NAMES.arabic} ${NAMES.arabic} ${NAMES.hebrew}`
    const sheet = await renderClerkSheet(
      { ...CLERK_SHEET, lots: [{ ...CLERK_SHEET.lots[0], title: long }, ...CLERK_SHEET.lots.slice(1)] },
      options
    )
    const file = save('scripts-clerk-sheet', sheet)
    const found = words(file)
    const title = found.filter((w) => /[\u0600-\u06ff\u4e00-\u9fff\u05d0-\u05ea]/.test(w.word))
    const rows = new Set(title.map((w) => Math.round(w.yMin)))
    expect(rows.size).toBeGreaterThan(1)
    // The next lot's row starts below the wrapped title.
    const next = found.find((w) => w.word === CLERK_SHEET.lots[1].title.split(' ')[0])!
    expect(next.yMin).toBeGreaterThan(Math.max(...title.map((w) => w.yMin)))

    const cards = await renderPhoneBidderCards(
      { ...PHONE_BIDDERS, bidders: [{ ...PHONE_BIDDERS.bidders[0], name: NAMES.arabic, staffMember: NAMES.chinese }] },
      options
    )
    const receipt = await renderReceipt({ ...RECEIPT, buyer: { ...RECEIPT.buyer, name: NAMES.emoji } }, options)
    expect(text(save('scripts-cards', cards))).toContain(NAMES.arabic)
    expect(text(save('scripts-receipt', receipt))).toContain(NAMES.emoji)
  })

  it('a direction override hidden in a name is not obeyed: the name prints as its letters read, no boxes', async () => {
    const payee = `\u202e${NAMES.latin}\u202c\u200f`
    const file = save('scripts-cheque-controls', await renderCheque({ ...CHEQUE, payee }, options))
    const body = text(file)
    expect(body).toContain(NAMES.latin)
    expect(body).not.toContain('\ufffd')
    expect(body).not.toContain(String.fromCharCode(0))
  })

  it('the same data gives the same bytes, whatever was printed before', async () => {
    const buyer = { name: NAMES.arabic, addressLines: SCRIPTS, vatNumber: null }
    const a = await renderInvoice({ ...INVOICE, buyer }, options)
    // Presentation forms and compatibility characters reach the same glyphs as the names above.
    const odd = { name: '\ufee3\ufea4\ufee4\ufeaa', addressLines: ['\uff5e \uf900'], vatNumber: null }
    const between = save('scripts-presentation-forms', await renderInvoice({ ...INVOICE, buyer: odd }, options))
    expect(text(between)).toContain('\ufee3\ufea4\ufee4\ufeaa')
    const b = await renderInvoice({ ...INVOICE, buyer }, options)
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0)
    expect(text(save('scripts-after-presentation-forms', b))).toContain(NAMES.arabic)
    // Accented letters drawn from their parts (a composite glyph) leave the parts readable in the next document.
    await renderCheque({ ...CHEQUE, payee: 'Zoë Ørsted Dvořák Łukasz' }, options)
    const plain = save(
      'scripts-after-composites',
      await renderCheque({ ...CHEQUE, payee: 'Zoe Orsted Dvorak' }, options)
    )
    expect(text(plain)).toContain('Zoe Orsted Dvorak')
  })
})
