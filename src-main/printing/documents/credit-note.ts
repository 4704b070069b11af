// A credit note: what is credited back on an invoice, to whom, why, and the
// refund due. Its lines are the order's own (negative, as Circuit totals a
// credit note) and print as the amounts credited.
import { formatDate } from '../date-format'
import {
  SIZE,
  contentBox,
  drawHouseHeader,
  drawRunningHeader,
  drawTable,
  drawTableSection,
  ensureSpace,
  gap,
  sectionTitle,
  textAt,
  type LabelledRow,
  type StartPage
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type { CreditNoteFields, DocumentOptions, InvoiceData, RenderedDocument } from '../types'
import {
  chargesTable,
  drawBuyerAndSale,
  drawProvisionalNote,
  drawTotalsRows,
  linesTable,
  paymentsTable
} from './order-parts'
import { drawLongFooter } from './house-texts'
import { vatGroups, vatTable } from './vat-breakdown'

const PROVISIONAL = 'PROVISIONAL'

function creditNoteNumber(data: InvoiceData): string {
  const n = data.numbering
  return n.provisional ? n.provisionalNumber : n.invoiceNumber
}

function drawReason(doc: Doc, reason: string | null): void {
  if (!reason) return
  const { left, width } = contentBox(doc)
  sectionTitle(doc, 'Reason')
  doc.y = textAt(doc, reason, left, doc.y, { width })
  gap(doc)
}

/** What is credited (positive figures), what has been refunded, and the refund still due. */
function drawCreditTotals(doc: Doc, data: InvoiceData, startPage: StartPage): void {
  const { totals, house } = data
  const money = (minor: number) => formatMoney(minor, house.currency)
  const credited: LabelledRow[] = [
    { label: 'Hammer', value: money(Math.abs(totals.hammer)) },
    { label: "Buyer's premium", value: money(Math.abs(totals.premium)) },
    { label: 'Charges', value: money(Math.abs(totals.charges)) },
    { label: 'Tax', value: money(Math.abs(totals.tax)) },
    { label: 'Total credited', value: money(Math.abs(totals.grandTotal)), bold: true, size: SIZE.heading }
  ]
  ensureSpace(doc, credited.length * 16, startPage)
  drawTotalsRows(doc, credited)
  gap(doc)
  if (data.payments.length) {
    drawTableSection(doc, 'Refunds', paymentsTable(data.payments, house.currency, true), startPage)
  }
  // A credit note's balance is negative while the house owes the buyer.
  const due: LabelledRow =
    totals.balanceDue <= 0
      ? { label: 'Refund due', value: money(-totals.balanceDue), bold: true, size: SIZE.large }
      : { label: 'Balance due', value: money(totals.balanceDue), bold: true, size: SIZE.large }
  ensureSpace(doc, 44, startPage)
  drawTotalsRows(doc, [{ label: 'Refunded', value: money(Math.abs(totals.paid)), bold: true }, due])
}

export function renderCreditNote(
  data: InvoiceData,
  credit: CreditNoteFields,
  options: DocumentOptions
): Promise<RenderedDocument> {
  const number = creditNoteNumber(data)
  const label = `${data.numbering.provisional ? 'Provisional credit note' : 'Credit note'} ${number}`
  const currency = data.house.currency
  const creditFor = credit.forInvoice ? `Credit for invoice ${credit.forInvoice}` : null
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    const stamp = data.numbering.provisional ? PROVISIONAL : undefined
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`, stamp)
    }
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'CREDIT NOTE',
      stamp,
      lines: [
        data.numbering.provisional ? `Provisional no. ${number}` : `No. ${number}`,
        `Date ${formatDate(data.issueDate)}`,
        ...(creditFor ? [creditFor] : [])
      ]
    })
    drawProvisionalNote(doc, data.numbering, 'credit note')
    drawBuyerAndSale(doc, data, 'Credit to')
    drawReason(doc, credit.reason)
    sectionTitle(doc, 'Lots credited')
    drawTable(
      doc,
      linesTable(data.lines, currency, {
        credited: true,
        consignmentNumbers: data.printConsignmentNumbers
      }),
      startPage
    )
    gap(doc)
    if (data.charges.length) {
      drawTableSection(doc, 'Charges credited', chargesTable(data.charges, currency, true), startPage)
    }
    drawTableSection(doc, 'VAT by scheme', vatTable(vatGroups(data.lines, data.charges), currency, true), startPage)
    drawCreditTotals(doc, data, startPage)
    gap(doc)
    drawLongFooter(doc, data.house.texts, startPage)
    drawPageFooters(doc, label, data.house.texts?.footer)
  })
}
