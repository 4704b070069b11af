// Lot tags: the lot number large, its Code 128 barcode (read back by a
// scanner at the collection desk as the lot number), the title, the sale, and
// the buyer's paddle once sold. Two stocks: one 62 × 29 mm label a page for
// label printers, or A4 sheets of 24 (3 × 8 labels of 63.5 × 33.9 mm, the
// common "24 per sheet" layout).
import type { LotTagSource, SaleHeading } from '../../core/ports'
import { SIZE, textAt, textHeight } from '../layout'
import { renderPdf, type Doc } from '../pdf'
import type { DocumentOptions, RenderedDocument } from '../types'
import { drawCode128 } from './barcode'

export type LabelStock = 'label-62x29' | 'a4-24'

export interface LotLabelsData {
  houseName: string
  sale: SaleHeading
  tags: LotTagSource[]
}

const MM = 72 / 25.4

interface Sheet {
  page: [number, number]
  columns: number
  rows: number
  label: [number, number]
  /** Top-left of the first label, and the distance from one label to the next. */
  origin: [number, number]
  pitch: [number, number]
}

const STOCKS: Record<LabelStock, Sheet> = {
  'label-62x29': {
    page: [62 * MM, 29 * MM],
    columns: 1,
    rows: 1,
    label: [62 * MM, 29 * MM],
    origin: [0, 0],
    pitch: [0, 0]
  },
  'a4-24': {
    page: [210 * MM, 297 * MM],
    columns: 3,
    rows: 8,
    label: [63.5 * MM, 33.9 * MM],
    origin: [7.2 * MM, 12.9 * MM],
    pitch: [66 * MM, 33.9 * MM]
  }
}

/** Inside each label: nothing is printed closer to its edge than this (label printers and sheet cutting drift). */
const INSET = 2.2 * MM

/** The longest start of `text` that fits in `lines` lines of `width`, with "…" when cut. */
function fitted(doc: Doc, text: string, width: number, lines: number, size: number): string {
  const style = { size }
  const limit = textHeight(doc, 'Ag', width, style) * lines + 0.5
  if (textHeight(doc, text, width, style) <= limit) return text
  const chars = [...text]
  let lo = 0
  let hi = chars.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (textHeight(doc, `${chars.slice(0, mid).join('').trimEnd()}…`, width, style) <= limit) lo = mid
    else hi = mid - 1
  }
  return `${chars.slice(0, lo).join('').trimEnd()}…`
}

function drawTag(doc: Doc, data: LotLabelsData, tag: LotTagSource, x: number, y: number, size: [number, number]) {
  const [w, h] = size
  const left = x + INSET
  const width = w - 2 * INSET
  const top = y + INSET
  const scale = h / (29 * MM)
  // The lot number, large; the paddle (once sold) on the right.
  const lotSize = Math.round(SIZE.large * scale)
  const lotBottom = textAt(doc, `Lot ${tag.lot}`, left, top, { size: lotSize, bold: true, width: width * 0.62 })
  if (tag.paddle) {
    textAt(doc, `Paddle ${tag.paddle}`, left + width * 0.5, top + 2, {
      size: Math.round(SIZE.heading * scale),
      bold: true,
      width: width * 0.5,
      align: 'right'
    })
  }
  // The barcode of the lot number, with its quiet zones inside the label.
  const barTop = lotBottom + 1
  const barHeight = 9 * MM * scale
  drawCode128(doc, tag.lot, { x: left, y: barTop, width, height: barHeight, maxModule: 1.6 })
  // The title (two lines at most), then the sale.
  const small = 6.5 * Math.min(scale, 1.15)
  const titleTop = barTop + barHeight + 2
  textAt(doc, fitted(doc, tag.title, width, 2, small), left, titleTop, { size: small, width })
  const sale = [data.sale.number ? `Sale ${data.sale.number}` : null, data.sale.label].filter(Boolean).join(' · ')
  const saleTop = y + h - INSET - textHeight(doc, 'Ag', width, { size: small - 0.5 })
  textAt(doc, fitted(doc, sale, width, 1, small - 0.5), left, saleTop, { size: small - 0.5, width, color: '#333333' })
}

/** One tag per label, in the order given (the calls give catalogue order); the A4 stock fills each sheet row by row. */
export function renderLotLabels(
  data: LotLabelsData,
  stock: LabelStock,
  options: DocumentOptions
): Promise<RenderedDocument> {
  const sheet = STOCKS[stock]
  const perPage = sheet.columns * sheet.rows
  const settings = {
    title: `Lot tags, ${data.sale.label}`,
    author: data.houseName,
    creationDate: options.creationDate,
    size: sheet.page,
    margins: { top: 0, bottom: 0, left: 0, right: 0 }
  }
  return renderPdf(settings, (doc) => {
    data.tags.forEach((tag, i) => {
      const place = i % perPage
      if (place === 0) doc.addPage()
      const column = place % sheet.columns
      const row = Math.floor(place / sheet.columns)
      const x = sheet.origin[0] + column * sheet.pitch[0]
      const y = sheet.origin[1] + row * sheet.pitch[1]
      drawTag(doc, data, tag, x, y, sheet.label)
    })
  })
}
