import { formatDate } from '../date-format'
import { SIZE, contentBox, drawLabelledRows, drawRunningHeader, drawTable, gap, textAt, type Table } from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatEstimate } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type {
  CatalogueLot,
  Currency,
  DocumentOptions,
  PhoneBidder,
  PhoneBidderCardsData,
  RenderedDocument
} from '../types'

const NOTES_ROW_HEIGHT = 48
const DETAILS_WIDTH = 300

/** Sale order: lot numbers compared as numbers, then their suffix ("9" < "10" < "10A"). */
function bySaleOrder(a: CatalogueLot, b: CatalogueLot): number {
  return a.lotNumber.localeCompare(b.lotNumber, 'en', { numeric: true })
}

function lotsTable(lots: CatalogueLot[], currency: Currency): Table {
  return {
    columns: [
      { header: 'Lot', width: 44 },
      { header: 'Title', width: 190 },
      { header: 'Estimate', width: 110 },
      { header: 'Notes', width: 'fill' }
    ],
    rows: [...lots]
      .sort(bySaleOrder)
      .map((lot) => [lot.lotNumber, lot.title, formatEstimate(lot.estimateLow, lot.estimateHigh, currency), '']),
    minRowHeight: NOTES_ROW_HEIGHT,
    grid: true
  }
}

function drawBidderDetails(doc: Doc, bidder: PhoneBidder): void {
  const { left, width } = contentBox(doc)
  doc.y = textAt(doc, bidder.name, left, doc.y, { size: SIZE.title, bold: true, width }) + 4
  drawLabelledRows(
    doc,
    [
      { label: 'Paddle', value: bidder.paddle, bold: true, size: SIZE.large },
      { label: 'Phone', value: bidder.phone, size: SIZE.heading },
      { label: 'Called by', value: bidder.staffMember, size: SIZE.heading }
    ],
    left,
    DETAILS_WIDTH
  )
  gap(doc)
}

/** One card (page, more if the bidder has many lots) per phone bidder, with room for notes per lot. */
export function renderPhoneBidderCards(
  data: PhoneBidderCardsData,
  options: DocumentOptions
): Promise<RenderedDocument> {
  const { house, sale } = data
  const caption = `Phone bidders · ${sale.name} · ${formatDate(sale.date)}`
  return renderPdf(pageSettings(`Phone bidders, ${sale.name}`, house.name, options), (doc) => {
    for (const bidder of data.bidders) {
      doc.addPage()
      drawRunningHeader(doc, house.name, caption)
      drawBidderDetails(doc, bidder)
      const startPage = () => {
        doc.addPage()
        drawRunningHeader(doc, house.name, `${caption}\n${bidder.name}, paddle ${bidder.paddle} (continued)`)
      }
      drawTable(doc, lotsTable(bidder.lots, house.currency), startPage)
    }
    drawPageFooters(doc, caption)
  })
}
