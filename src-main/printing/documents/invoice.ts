import { formatDate } from '../date-format'
import {
  SIZE,
  drawHouseHeader,
  drawRunningHeader,
  drawTable,
  drawTableSection,
  ensureSpace,
  gap,
  type LabelledRow,
  type StartPage,
  type TitleBlock
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type { DocumentOptions, InvoiceData, InvoiceNumbering, RenderedDocument } from '../types'
import { renderCreditNote } from './credit-note'
import { drawHouseTexts, drawLongFooter } from './house-texts'
import {
  chargesTable,
  drawBuyerAndSale,
  drawProvisionalNote,
  drawTotalsRows,
  linesTable,
  paymentsTable
} from './order-parts'
import { drawVatBesideTotals, vatGroups, vatTable } from './vat-breakdown'

const PROVISIONAL = 'PROVISIONAL'

function invoiceLabel(numbering: InvoiceNumbering): string {
  return numbering.provisional
    ? `Provisional invoice ${numbering.provisionalNumber}`
    : `Invoice ${numbering.invoiceNumber}`
}

function titleBlock(data: InvoiceData): TitleBlock {
  const n = data.numbering
  return {
    title: 'INVOICE',
    stamp: n.provisional ? PROVISIONAL : undefined,
    lines: [
      n.provisional ? `Provisional no. ${n.provisionalNumber}` : `No. ${n.invoiceNumber}`,
      `Date ${formatDate(data.issueDate)}`
    ]
  }
}

function totalsRows(data: InvoiceData): LabelledRow[] {
  const { totals, house } = data
  const money = (minor: number) => formatMoney(minor, house.currency)
  return [
    { label: 'Hammer', value: money(totals.hammer) },
    { label: "Buyer's premium", value: money(totals.premium) },
    { label: 'Charges', value: money(totals.charges) },
    { label: 'Tax', value: money(totals.tax) },
    { label: 'Total', value: money(totals.grandTotal), bold: true, size: SIZE.heading }
  ]
}

/** What has been paid (voided payments left out) and what is left: the checkout's own figures. */
function drawBalance(doc: Doc, data: InvoiceData, startPage: StartPage): void {
  const { totals, house } = data
  const money = (minor: number) => formatMoney(minor, house.currency)
  const balance: LabelledRow =
    totals.balanceDue < 0
      ? { label: 'Refund due', value: money(-totals.balanceDue), bold: true, size: SIZE.large }
      : { label: 'Balance due', value: money(totals.balanceDue), bold: true, size: SIZE.large }
  ensureSpace(doc, 44, startPage)
  drawTotalsRows(doc, [{ label: 'Total paid', value: money(totals.paid), bold: true }, balance])
}

/**
 * The buyer's invoice: lots with their line totals, charges, VAT by scheme, totals, payments, what is paid and the
 * balance due, then the house's bank details (while something is due), collection notes, terms and footer. A credit
 * note prints as one.
 */
export function renderInvoice(data: InvoiceData, options: DocumentOptions): Promise<RenderedDocument> {
  if (data.creditNote) return renderCreditNote(data, data.creditNote, options)
  const label = invoiceLabel(data.numbering)
  const currency = data.house.currency
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    const stamp = data.numbering.provisional ? PROVISIONAL : undefined
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`, stamp)
    }
    doc.addPage()
    drawHouseHeader(doc, data.house, titleBlock(data))
    drawProvisionalNote(doc, data.numbering, 'invoice')
    drawBuyerAndSale(doc, data, 'Bill to')
    drawTable(doc, linesTable(data.lines, currency, { consignmentNumbers: data.printConsignmentNumbers }), startPage)
    gap(doc)
    if (data.charges.length) drawTableSection(doc, 'Charges', chargesTable(data.charges, currency), startPage)
    drawVatBesideTotals(doc, vatTable(vatGroups(data.lines, data.charges), currency), totalsRows(data), startPage)
    if (data.payments.length) drawTableSection(doc, 'Payments', paymentsTable(data.payments, currency), startPage)
    drawBalance(doc, data, startPage)
    gap(doc)
    drawHouseTexts(doc, data.house.texts, startPage, { bankDetails: data.totals.balanceDue > 0 })
    drawLongFooter(doc, data.house.texts, startPage)
    drawPageFooters(doc, label, data.house.texts?.footer)
  })
}
