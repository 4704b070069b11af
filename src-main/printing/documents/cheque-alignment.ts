// A test page for cheque stock: print it on plain paper with the same printer
// and settings as the cheques, lay it over a blank cheque against the light,
// and move offsetX/offsetY until every cross sits where its field starts.
import { ALERT, MUTED, SIZE, textAt, textWidth } from '../layout'
import { renderPdf, type Doc } from '../pdf'
import type { ChequeLayout, DocumentOptions, FieldPosition, RenderedDocument } from '../types'
import { CHEQUE_FONT_SIZE, VOUCHER_WIDTH, chequeSettings, fieldWidth, onPrinter, type ChequeField } from './cheque'

const FIELD_LABELS: Record<ChequeField, string> = {
  number: 'CHEQUE NO.',
  date: 'DATE',
  payee: 'PAYEE',
  amountFigures: 'AMOUNT (FIGURES)',
  amountWords: 'AMOUNT (WORDS)',
  memo: 'MEMO'
}

const CROSS_ARM = 8
const PAGE_EDGE = 12
const BOX_HEIGHT = CHEQUE_FONT_SIZE * 1.3

function drawCross(doc: Doc, { x, y }: FieldPosition): void {
  doc
    .moveTo(x - CROSS_ARM, y)
    .lineTo(x + CROSS_ARM, y)
    .moveTo(x, y - CROSS_ARM)
    .lineTo(x, y + CROSS_ARM)
    .lineWidth(0.5)
    .strokeColor(ALERT)
    .stroke()
}

/** The caption sits above the box, clear of the cross, pulled left where it would run off the page. */
function drawCaption(doc: Doc, layout: ChequeLayout, at: FieldPosition, text: string): void {
  const style = { size: SIZE.small, color: MUTED }
  const width = textWidth(doc, text, style) + 2
  const x = Math.min(at.x + CROSS_ARM + 2, layout.pageWidthPt - PAGE_EDGE - width)
  textAt(doc, text, x, at.y - SIZE.small - 4, { ...style, width })
}

function drawMarker(doc: Doc, layout: ChequeLayout, field: string, at: FieldPosition, width: number): void {
  doc.rect(at.x, at.y, width, BOX_HEIGHT).lineWidth(0.5).dash(2, { space: 2 }).strokeColor(MUTED).stroke().undash()
  drawCross(doc, at)
  drawCaption(doc, layout, at, `${field}  (${at.x.toFixed(0)}, ${at.y.toFixed(0)} pt)`)
}

function drawInstructions(doc: Doc, layout: ChequeLayout): void {
  const x = 36
  const width = layout.pageWidthPt - 2 * x
  const text =
    `Cheque alignment page. Print at 100% scale (no "fit to page"), no duplex, on plain paper, ` +
    `then hold it over a blank cheque: each red cross should sit where that field's text starts. ` +
    `Current printer offset: X ${signed(layout.offsetX)} pt, Y ${signed(layout.offsetY)} pt (72 pt = 1 inch; ` +
    `positive X moves right, positive Y moves down).`
  textAt(doc, text, x, layout.pageHeightPt - 110, { width })
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}

/** Crosshairs, boxes and labels at every field of `layout`, moved by its printer offset. */
export function chequeAlignmentPage(layout: ChequeLayout, options: DocumentOptions): Promise<RenderedDocument> {
  return renderPdf(chequeSettings('Cheque alignment page', layout, options), (doc) => {
    doc.addPage()
    for (const field of Object.keys(FIELD_LABELS) as ChequeField[]) {
      drawMarker(doc, layout, FIELD_LABELS[field], onPrinter(layout, layout.fields[field]), fieldWidth(layout, field))
    }
    if (layout.voucher) drawMarker(doc, layout, 'VOUCHER', onPrinter(layout, layout.voucher), VOUCHER_WIDTH)
    drawInstructions(doc, layout)
  })
}
