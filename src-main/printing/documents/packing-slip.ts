// The packing slip of a shipment: who it goes to, how it goes, its lots and
// which box each is in — one goes in every box.
import type { PackingSlipSource } from '../../core/ports'
import { formatDate } from '../date-format'
import {
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawLines,
  drawRunningHeader,
  drawTable,
  drawTableSection,
  gap,
  sectionTitle
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { pageSettings, renderPdf } from '../pdf'
import type { DocumentOptions, House, RenderedDocument } from '../types'

export interface PackingSlipData {
  house: House
  slip: PackingSlipSource
  /** Where it goes, name first: the invoice's shipping address, else the buyer's. */
  shipTo: string[]
  date: string
}

const DETAILS_WIDTH = 300

const kg = (grams: number) => `${(grams / 1000).toLocaleString('en-GB', { maximumFractionDigits: 3 })} kg`
const size = (d: { length: number; width: number; height: number }) =>
  `${d.length / 10} × ${d.width / 10} × ${d.height / 10} cm`

export function renderPackingSlip(data: PackingSlipData, options: DocumentOptions): Promise<RenderedDocument> {
  const s = data.slip
  // A shipment Circuit has not numbered yet goes by this station's reference (in the footer).
  const label = s.serverId ? `Packing slip, shipment ${s.serverId}` : `Packing slip, ref. ${s.shipmentId}`
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'PACKING SLIP',
      lines: [
        s.serverId ? `Shipment ${s.serverId}` : 'Shipment not yet on Circuit',
        `Invoice ${s.orderNumber}`,
        `Date ${formatDate(data.date)}`
      ]
    })
    const { left, width } = contentBox(doc)
    const top = doc.y
    sectionTitle(doc, 'Ship to')
    drawLines(doc, data.shipTo.length ? data.shipTo : [s.buyer.name], left, width / 2 - 10, { size: SIZE.heading })
    const below = doc.y
    doc.y = top
    const right = left + width / 2
    doc.y = drawLines(doc, ['Shipment'], right, width / 2, { size: SIZE.heading, bold: true }) + 4
    drawLabelledRows(
      doc,
      [
        { label: 'Method', value: s.method, bold: true },
        ...(s.trackingNumber ? [{ label: 'Tracking', value: s.trackingNumber, bold: true }] : []),
        ...(s.buyer.paddle ? [{ label: 'Paddle', value: s.buyer.paddle }] : []),
        ...(s.buyer.customerNumber ? [{ label: 'Customer no.', value: s.buyer.customerNumber }] : []),
        { label: 'Sale', value: [s.sale.number, s.sale.label].filter(Boolean).join(' · ') },
        ...(s.weightGrams !== null ? [{ label: 'Weight', value: kg(s.weightGrams) }] : []),
        ...(s.dimensionsMm ? [{ label: 'Size', value: size(s.dimensionsMm) }] : [])
      ],
      right,
      Math.min(DETAILS_WIDTH, width / 2),
      90
    )
    doc.y = Math.max(doc.y, below)
    gap(doc)
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`)
    }
    sectionTitle(doc, `${s.lots.length} ${s.lots.length === 1 ? 'lot' : 'lots'}`)
    drawTable(
      doc,
      {
        columns: [
          { header: 'Lot', width: 48 },
          { header: 'Title', width: 'fill' },
          { header: 'Box', width: 40 },
          { header: 'Packed', width: 52 }
        ],
        rows: s.lots.map((l) => [l.lot, l.title, l.boxNumber === null ? '—' : String(l.boxNumber), '']),
        minRowHeight: 18,
        grid: true
      },
      startPage
    )
    gap(doc)
    if (s.boxes.length) {
      drawTableSection(
        doc,
        `${s.boxes.length} ${s.boxes.length === 1 ? 'box' : 'boxes'}`,
        {
          columns: [
            { header: 'Box', width: 40 },
            { header: 'Lots', width: 'fill' },
            { header: 'Weight', width: 70, align: 'right' },
            { header: 'Size', width: 120 }
          ],
          rows: s.boxes.map((b) => [
            String(b.boxNumber),
            b.lots.join(', '),
            b.weightGrams === null ? '' : kg(b.weightGrams),
            b.dimensionsMm ? size(b.dimensionsMm) : ''
          ])
        },
        startPage
      )
    }
    drawPageFooters(doc, `${label} · invoice ${s.orderNumber} · ${s.buyer.name}`)
  })
}
