// The pick list: every paid lot not yet handed out (of one buyer, when a
// paddle is given), in the order the stores are walked — by location, lots
// with no location last — with a box to tick as each comes off the shelf.
import type { PickLotSource, SaleHeading } from '../../core/ports'
import { formatDate } from '../date-format'
import { SIZE, contentBox, drawRunningHeader, drawTable, gap, textAt } from '../layout'
import { drawPageFooters } from '../page-foot'
import { pageSettings, renderPdf } from '../pdf'
import type { DocumentOptions, RenderedDocument } from '../types'

export interface PickListData {
  houseName: string
  sale: SaleHeading
  paddle: string | null
  lots: PickLotSource[]
  /** When it was printed (ISO), so two lists of one day can be told apart. */
  printedAt: string
}

export function renderPickList(data: PickListData, options: DocumentOptions): Promise<RenderedDocument> {
  const { sale } = data
  const title = data.paddle ? `Pick list: paddle ${data.paddle}` : 'Pick list'
  const caption = [sale.number ? `Sale ${sale.number}` : null, sale.label, sale.date ? formatDate(sale.date) : null]
    .filter(Boolean)
    .join(' · ')
  return renderPdf(pageSettings(`${title}, ${sale.label}`, data.houseName, options), (doc) => {
    doc.addPage()
    drawRunningHeader(doc, data.houseName, caption)
    const { left } = contentBox(doc)
    doc.y = textAt(doc, title, left, doc.y, { size: SIZE.title, bold: true })
    const count = `${data.lots.length} paid ${data.lots.length === 1 ? 'lot' : 'lots'} to hand out, by location`
    doc.y = textAt(doc, `${count} · printed ${data.printedAt.slice(0, 16).replace('T', ' ')} UTC`, left, doc.y + 2)
    gap(doc, 8)
    if (data.lots.length === 0) {
      textAt(doc, 'Nothing to pick: every paid lot has been handed out.', left, doc.y, { size: SIZE.heading })
    } else {
      const startPage = () => {
        doc.addPage()
        drawRunningHeader(doc, data.houseName, `${caption}\n${title} (continued)`)
      }
      drawTable(
        doc,
        {
          columns: [
            { header: 'Location', width: 70 },
            { header: 'Lot', width: 44 },
            { header: 'Title', width: 'fill' },
            { header: 'Paddle', width: 50 },
            { header: 'Buyer', width: 110 },
            { header: 'Picked', width: 42 }
          ],
          rows: data.lots.map((l) => [l.location ?? '—', l.lot, l.title, l.paddle ?? '', l.buyer, '']),
          minRowHeight: 20,
          grid: true
        },
        startPage
      )
    }
    drawPageFooters(doc, `${title} · ${caption}`)
  })
}
