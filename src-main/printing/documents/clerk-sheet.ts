import { formatDate } from '../date-format'
import { SIZE, contentBox, drawPageFooters, drawRunningHeader, drawTable, gap, textAt, type Table } from '../layout'
import { formatEstimate, formatMoney } from '../money-format'
import { pageSettings, renderPdf } from '../pdf'
import type { ClerkSheetData, ClerkSheetLot, Currency, DocumentOptions, RenderedDocument } from '../types'

const DEFAULT_BLANK_ROWS = 15
const WRITING_ROW_HEIGHT = 22

function lotRow(lot: ClerkSheetLot, currency: Currency): string[] {
  return [
    lot.lotNumber,
    lot.title,
    formatEstimate(lot.estimateLow, lot.estimateHigh, currency),
    lot.paddle ?? '',
    lot.price === null ? '' : formatMoney(lot.price, currency)
  ]
}

function clerkTable(data: ClerkSheetData): Table {
  const blankRows = Array.from({ length: data.blankRows ?? DEFAULT_BLANK_ROWS }, () => ['', '', '', '', ''])
  return {
    columns: [
      { header: 'Lot', width: 44 },
      { header: 'Title', width: 'fill' },
      { header: 'Estimate', width: 110 },
      { header: 'Paddle', width: 60 },
      { header: 'Price', width: 80, align: 'right' }
    ],
    rows: [...data.lots.map((lot) => lotRow(lot, data.house.currency)), ...blankRows],
    minRowHeight: WRITING_ROW_HEIGHT,
    grid: true
  }
}

/** The session's lots in order with paddle and price columns, and ruled rows for clerking on paper. */
export function renderClerkSheet(data: ClerkSheetData, options: DocumentOptions): Promise<RenderedDocument> {
  const { house, sale } = data
  const title = `Clerk sheet: ${data.sessionLabel}`
  const caption = `${sale.name} · ${formatDate(sale.date)}`
  return renderPdf(pageSettings(`${title}, ${sale.name}`, house.name, options), (doc) => {
    doc.addPage()
    drawRunningHeader(doc, house.name, caption)
    doc.y = textAt(doc, title, contentBox(doc).left, doc.y, { size: SIZE.title, bold: true })
    gap(doc, 8)
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, house.name, `${caption}\n${title} (continued)`)
    }
    drawTable(doc, clerkTable(data), startPage)
    drawPageFooters(doc, `${title} · ${caption}`)
  })
}
