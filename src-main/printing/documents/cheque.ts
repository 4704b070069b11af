// A cheque printed onto pre-printed stock: only the variable fields, each at
// the stock's position plus the printer's calibration offset. Print at 100%
// scale (never "fit to page"). No MICR line: that stays pre-printed.
import { amountInWords } from '../amount-in-words'
import { formatDate } from '../date-format'
import { drawLabelledRows, textAt, textWidth, type LabelledRow } from '../layout'
import { formatAmount } from '../money-format'
import { renderPdf, type Doc, type PdfSettings } from '../pdf'
import type {
  ChequeData,
  ChequeLayout,
  ChequeOptions,
  DocumentOptions,
  FieldPosition,
  RenderedDocument
} from '../types'

export type ChequeField = keyof ChequeLayout['fields']

import { DEFAULT_CHEQUE_LAYOUT } from '../cheque-layout'

export { DEFAULT_CHEQUE_LAYOUT }

export const CHEQUE_FONT_SIZE = 11
export const VOUCHER_WIDTH = 360
const MIN_FONT_SIZE = 7
const VOUCHER_LABEL_WIDTH = 80

/** How wide each field may print; the amount in words takes its width from the layout. */
export function fieldWidth(layout: ChequeLayout, field: ChequeField): number {
  const widths: Record<ChequeField, number> = {
    number: 70,
    date: 130,
    payee: 360,
    amountFigures: 100,
    amountWords: layout.fields.amountWords.width,
    memo: 240
  }
  return widths[field]
}

/** A position moved by the printer's calibration offset. */
export function onPrinter(layout: ChequeLayout, at: FieldPosition): FieldPosition {
  return { x: at.x + layout.offsetX, y: at.y + layout.offsetY }
}

export function chequeSettings(title: string, layout: ChequeLayout, options: DocumentOptions): PdfSettings {
  return {
    title,
    author: 'Saleroom',
    creationDate: options.creationDate,
    size: [layout.pageWidthPt, layout.pageHeightPt],
    margins: { top: 0, bottom: 0, left: 0, right: 0 }
  }
}

/** The largest size up to CHEQUE_FONT_SIZE at which `text` fits on one line of `width`. */
function fittingSize(doc: Doc, text: string, width: number): number {
  let size = CHEQUE_FONT_SIZE
  while (size > MIN_FONT_SIZE && textWidth(doc, text, { size }) > width) size -= 0.5
  return size
}

/** Draws one field, shrunk to fit its width; returns where its text ends. */
function drawField(doc: Doc, layout: ChequeLayout, field: ChequeField, text: string): { y: number; end: number } {
  const { x, y } = onPrinter(layout, layout.fields[field])
  const size = fittingSize(doc, text, fieldWidth(layout, field))
  textAt(doc, text, x, y, { size })
  return { y, end: x + textWidth(doc, text, { size }) }
}

/** The words, then a line to the end of the field so nothing can be added after them. */
function drawAmountWords(doc: Doc, layout: ChequeLayout, words: string): void {
  const { y, end } = drawField(doc, layout, 'amountWords', words)
  const lineStart = end + 6
  const lineEnd = onPrinter(layout, layout.fields.amountWords).x + layout.fields.amountWords.width
  if (lineStart >= lineEnd) return
  const lineY = y + CHEQUE_FONT_SIZE * 0.6
  doc.moveTo(lineStart, lineY).lineTo(lineEnd, lineY).lineWidth(0.75).strokeColor('#000000').stroke()
}

function voucherRows(data: ChequeData, words: string): LabelledRow[] {
  return [
    { label: 'Cheque no.', value: data.chequeNumber },
    { label: 'Date', value: formatDate(data.date) },
    { label: 'Pay to', value: data.payee },
    { label: 'Amount', value: formatAmount(data.amountMinor, data.currency), bold: true },
    { label: 'In words', value: words },
    { label: 'Memo', value: data.memo },
    { label: 'Bank', value: data.bankName },
    { label: 'Account', value: data.accountLabel }
  ]
}

function drawVoucher(doc: Doc, layout: ChequeLayout, data: ChequeData, words: string): void {
  if (!layout.voucher) return
  const { x, y } = onPrinter(layout, layout.voucher)
  doc.y = textAt(doc, 'Cheque voucher', x, y, { bold: true }) + 4
  drawLabelledRows(doc, voucherRows(data, words), x, VOUCHER_WIDTH, VOUCHER_LABEL_WIDTH)
}

/** One cheque on its stock; `options.layout` defaults to DEFAULT_CHEQUE_LAYOUT. */
export function renderCheque(data: ChequeData, options: ChequeOptions): Promise<RenderedDocument> {
  const layout = options.layout ?? DEFAULT_CHEQUE_LAYOUT
  const words = amountInWords(data.amountMinor, data.currency)
  return renderPdf(chequeSettings(`Cheque ${data.chequeNumber}`, layout, options), (doc) => {
    doc.addPage()
    drawField(doc, layout, 'number', data.chequeNumber)
    drawField(doc, layout, 'date', formatDate(data.date))
    drawField(doc, layout, 'payee', data.payee)
    drawField(doc, layout, 'amountFigures', `**${formatAmount(data.amountMinor, data.currency)}`)
    drawAmountWords(doc, layout, words)
    drawField(doc, layout, 'memo', data.memo)
    drawVoucher(doc, layout, data, words)
  })
}
