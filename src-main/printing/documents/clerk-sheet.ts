// The clerk sheet: the paper fallback at the podium, as Wavebid's and
// Circuit's clerks know it, and clearer. The session's lots in order with the
// estimate, the reserve and a phone mark; the paddle and the price when the
// lot is sold, PASS or WD when it passed or was withdrawn (never blank, so an
// unclerked lot is never taken for one that did not sell); a total at the
// foot of every page and carried forward; then ruled rows to clerk by hand.
import { formatDate } from '../date-format'
import {
  SIZE,
  contentBox,
  drawRunningHeader,
  drawTable,
  gap,
  rule,
  textAt,
  textHeight,
  type Column,
  type Table
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatEstimate, formatMoney } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type { ClerkSheetData, ClerkSheetLot, Currency, DocumentOptions, RenderedDocument } from '../types'

const DEFAULT_BLANK_ROWS = 15
const WRITING_ROW_HEIGHT = 22
/** The table's cell padding (layout.ts draws cells with 4 pt each side). */
const CELL_PADDING = 4
/** Room kept at the foot of each page for its totals. */
const TOTALS_HEIGHT = 34
/** The phone mark: the telephone sign (℡), which DejaVu Sans has (it has no ☎). */
const PHONE = '℡'

const COLUMNS: Column[] = [
  { header: 'Lot', width: 34 },
  { header: PHONE, width: 26 },
  { header: 'Title', width: 'fill' },
  { header: 'Estimate', width: 88 },
  { header: 'Reserve', width: 64, align: 'right' },
  { header: 'Paddle', width: 44 },
  { header: 'Price', width: 64, align: 'right' }
]

type Result = 'sold' | 'passed' | 'withdrawn' | null

function resultOf(lot: ClerkSheetLot): Result {
  if (lot.result !== undefined) return lot.result
  return lot.price !== null ? 'sold' : null
}

/** What the price column says: the hammer, PASS or WD; blank while the lot is not clerked. */
function priceCell(lot: ClerkSheetLot, currency: Currency): string {
  const result = resultOf(lot)
  if (result === 'passed') return 'PASS'
  if (result === 'withdrawn') return 'WD'
  return result === 'sold' && lot.price !== null ? formatMoney(lot.price, currency) : ''
}

function lotRow(lot: ClerkSheetLot, currency: Currency): string[] {
  const sold = resultOf(lot) === 'sold'
  return [
    lot.lotNumber,
    lot.phoneBidders ? (lot.phoneBidders > 1 ? `${PHONE}${lot.phoneBidders}` : PHONE) : '',
    lot.title,
    formatEstimate(lot.estimateLow, lot.estimateHigh, currency),
    lot.reserve != null ? formatMoney(lot.reserve, currency) : '',
    sold ? (lot.paddle ?? '') : '',
    priceCell(lot, currency)
  ]
}

interface PageTotals {
  sold: number
  passed: number
  withdrawn: number
  hammer: number
}

function totalsOf(lots: readonly ClerkSheetLot[]): PageTotals {
  const t: PageTotals = { sold: 0, passed: 0, withdrawn: 0, hammer: 0 }
  for (const lot of lots) {
    const result = resultOf(lot)
    if (result === 'sold') {
      t.sold++
      t.hammer += lot.price ?? 0
    } else if (result === 'passed') t.passed++
    else if (result === 'withdrawn') t.withdrawn++
  }
  return t
}

function widths(doc: Doc): number[] {
  const fixed = COLUMNS.reduce((sum, c) => sum + (c.width === 'fill' ? 0 : c.width), 0)
  return COLUMNS.map((c) => (c.width === 'fill' ? contentBox(doc).width - fixed : c.width))
}

/** A row's height as the table will draw it: its tallest cell, and room to write. */
function rowHeight(doc: Doc, cells: string[], bold = false): number {
  const w = widths(doc)
  const tallest = Math.max(...cells.map((text, i) => textHeight(doc, text, w[i] - 2 * CELL_PADDING, { bold })))
  return Math.max(tallest + 2 * CELL_PADDING, bold ? 0 : WRITING_ROW_HEIGHT)
}

/** How many of `rows`, from `from`, fit between doc.y and the page's totals (at least one). */
function rowsThatFit(doc: Doc, rows: string[][], from: number): number {
  const room =
    contentBox(doc).bottom -
    TOTALS_HEIGHT -
    doc.y -
    rowHeight(
      doc,
      COLUMNS.map((c) => c.header),
      true
    )
  let used = 0
  let n = 0
  while (from + n < rows.length) {
    const h = rowHeight(doc, rows[from + n])
    if (n > 0 && used + h > room) break
    used += h
    n++
  }
  return n
}

function money(currency: Currency) {
  return (minor: number) => formatMoney(minor, currency)
}

/** The page's own figures on the left, the running hammer total on the right; blanks to fill in by hand. */
function drawPageTotals(doc: Doc, page: PageTotals, toDate: number, currency: Currency, handwritten: boolean): void {
  const { left, width } = contentBox(doc)
  const y = doc.y + 6
  rule(doc, y - 3)
  const fmt = money(currency)
  const counts = `Page total: ${page.sold} sold · ${page.passed} passed · ${page.withdrawn} withdrawn`
  const written = handwritten ? '   + written on this page: ____________' : ''
  textAt(doc, counts + written, left, y, { size: SIZE.body, width: width * 0.62 })
  textAt(doc, `Hammer this page ${fmt(page.hammer)}`, left + width * 0.62, y, {
    size: SIZE.body,
    bold: true,
    width: width * 0.38,
    align: 'right'
  })
  doc.y = textAt(doc, `Carried forward ${fmt(toDate)}`, left + width * 0.62, doc.y, {
    size: SIZE.body,
    width: width * 0.38,
    align: 'right'
  })
}

/** The session's lots in order with the estimate, reserve, phone mark, paddle and price or PASS/WD, page totals, and ruled rows. */
export function renderClerkSheet(data: ClerkSheetData, options: DocumentOptions): Promise<RenderedDocument> {
  const { house, sale } = data
  const currency = house.currency
  const title = `Clerk sheet: ${data.sessionLabel}`
  const caption = `${sale.name} · ${formatDate(sale.date)}`
  const lotRows = data.lots.map((lot) => lotRow(lot, currency))
  const blankRows = Array.from({ length: data.blankRows ?? DEFAULT_BLANK_ROWS }, () => COLUMNS.map(() => ''))
  const rows = [...lotRows, ...blankRows]
  return renderPdf(pageSettings(`${title}, ${sale.name}`, house.name, options), (doc) => {
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, house.name, `${caption}\n${title} (continued)`)
    }
    doc.addPage()
    drawRunningHeader(doc, house.name, caption)
    doc.y = textAt(doc, title, contentBox(doc).left, doc.y, { size: SIZE.title, bold: true })
    gap(doc, 8)
    let toDate = 0
    for (let from = 0; from < rows.length;) {
      if (from > 0) startPage()
      const n = rowsThatFit(doc, rows, from)
      const table: Table = {
        columns: COLUMNS,
        rows: rows.slice(from, from + n),
        minRowHeight: WRITING_ROW_HEIGHT,
        grid: true
      }
      drawTable(doc, table, startPage)
      const lots = data.lots.slice(from, Math.min(from + n, data.lots.length))
      const page = totalsOf(lots)
      toDate += page.hammer
      drawPageTotals(doc, page, toDate, currency, from + n > data.lots.length)
      from += n
    }
    drawPageFooters(doc, `${title} · ${caption}`)
  })
}
