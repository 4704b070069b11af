// Where a cheque's fields print by default: kept apart from the PDF code so
// the settings can read it without loading PDFKit.
import type { ChequeLayout } from './types'

/** A US business cheque (8.5" × 3.5") on the top third of a Letter sheet, voucher below. */
export const DEFAULT_CHEQUE_LAYOUT: ChequeLayout = {
  pageWidthPt: 612,
  pageHeightPt: 792,
  fields: {
    number: { x: 520, y: 22 },
    date: { x: 430, y: 64 },
    payee: { x: 96, y: 100 },
    amountFigures: { x: 490, y: 100 },
    amountWords: { x: 36, y: 128, width: 430 },
    memo: { x: 60, y: 192 }
  },
  voucher: { x: 36, y: 300 },
  offsetX: 0,
  offsetY: 0
}
