// The release note (gate pass): the lots a buyer took out of the door, who
// collected them, who released them, and lines for both signatures. A lot
// released although the desk saw it unpaid says so, with the reason confirmed.
import type { ReleaseSource } from '../../core/ports'
import { formatDate } from '../date-format'
import {
  ALERT,
  SIZE,
  contentBox,
  drawHouseHeader,
  drawRunningHeader,
  drawTable,
  ensureSpace,
  gap,
  sectionTitle,
  textAt
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type { DocumentOptions, House, RenderedDocument } from '../types'

export interface ReleaseNoteData {
  house: House
  release: ReleaseSource
}

const LABEL_WIDTH = 100

type Detail = [label: string, value: string, bold: boolean]

/** Label, then its value left-aligned beside it: a form read top to bottom. */
function drawDetails(doc: Doc, rows: Detail[]): void {
  const { left, width } = contentBox(doc)
  for (const [label, value, bold] of rows) {
    const y = doc.y
    const a = textAt(doc, label, left, y, { width: LABEL_WIDTH - 6 })
    const b = textAt(doc, value, left + LABEL_WIDTH, y, { bold, width: width - LABEL_WIDTH })
    doc.y = Math.max(a, b) + 2
  }
}
const SIGNATURE_BLOCK = 70

function signatureLines(doc: Doc, left: string, right: string): void {
  const box = contentBox(doc)
  const half = (box.width - 30) / 2
  const y = doc.y + 34
  for (const [x, label] of [
    [box.left, left],
    [box.left + half + 30, right]
  ] as const) {
    doc
      .moveTo(x, y)
      .lineTo(x + half, y)
      .lineWidth(0.7)
      .strokeColor('#000000')
      .stroke()
    textAt(doc, label, x, y + 3, { size: SIZE.small, width: half })
  }
  doc.y = y + 18
}

export function renderReleaseNote(data: ReleaseNoteData, options: DocumentOptions): Promise<RenderedDocument> {
  const r = data.release
  const label = `Release note ${r.releaseId}`
  const when = r.at.slice(0, 16).replace('T', ' ') + ' UTC'
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'RELEASE NOTE',
      lines: ['Gate pass', `Date ${formatDate(r.at.slice(0, 10))}`]
    })
    const { left } = contentBox(doc)
    sectionTitle(doc, 'Buyer')
    drawDetails(doc, [
      ['Name', r.buyer.name, true],
      ...(r.buyer.paddle ? [['Paddle', r.buyer.paddle, true] as Detail] : []),
      ...(r.buyer.customerNumber ? [['Customer no.', r.buyer.customerNumber, false] as Detail] : []),
      ['Sale', [r.sale.number, r.sale.label].filter(Boolean).join(' · '), false],
      ['Collected by', r.collectedBy, true],
      ['Released', `${when} by ${r.releasedBy} (${r.station})`, false],
      ['Gate pass no.', r.releaseId, false]
    ])
    if (r.note) {
      gap(doc, 4)
      doc.y = textAt(doc, `Note: ${r.note}`, left, doc.y)
    }
    gap(doc)
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`)
    }
    sectionTitle(doc, `${r.lots.length} ${r.lots.length === 1 ? 'lot' : 'lots'} released`)
    drawTable(
      doc,
      {
        columns: [
          { header: 'Lot', width: 48 },
          { header: 'Title', width: 'fill' },
          { header: 'Invoice', width: 70 },
          { header: 'Out', width: 34 }
        ],
        rows: r.lots.map((l) => [l.lot, l.title, l.orderNumber ?? '—', '']),
        minRowHeight: 18,
        grid: true
      },
      startPage
    )
    const confirmed = r.lots.filter((l) => l.confirmedReason)
    if (confirmed.length) {
      gap(doc, 8)
      ensureSpace(doc, 40, startPage)
      doc.y = textAt(doc, 'Released after a warning at the desk:', left, doc.y, { bold: true, color: ALERT })
      for (const l of confirmed) doc.y = textAt(doc, l.confirmedReason!, left, doc.y + 1)
    }
    gap(doc)
    ensureSpace(doc, SIGNATURE_BLOCK, startPage)
    doc.y = textAt(doc, 'The lots above were received in good order.', left, doc.y)
    signatureLines(doc, `Collected by: ${r.collectedBy}`, `Released by: ${r.releasedBy}`)
    drawPageFooters(doc, `${label} · ${r.buyer.name}`)
  })
}
