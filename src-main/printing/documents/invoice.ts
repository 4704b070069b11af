import { formatDate } from '../date-format'
import {
  ALERT,
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawLines,
  drawPageFooters,
  drawRunningHeader,
  drawTable,
  drawTableSection,
  ensureSpace,
  gap,
  textAt,
  type StartPage,
  type Table,
  type TitleBlock
} from '../layout'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type {
  Currency,
  DocumentOptions,
  InvoiceCharge,
  InvoiceData,
  InvoiceLine,
  InvoiceNumbering,
  InvoicePayment,
  RenderedDocument
} from '../types'

const PROVISIONAL = 'PROVISIONAL'
const TOTALS_WIDTH = 230

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

function drawProvisionalNote(doc: Doc, numbering: InvoiceNumbering): void {
  if (!numbering.provisional) return
  const { left, width } = contentBox(doc)
  const note =
    `PROVISIONAL INVOICE: ${numbering.provisionalNumber} is a temporary number. ` +
    `Circuit's invoice number will replace it once this invoice reaches Circuit.`
  doc.y = textAt(doc, note, left, doc.y, { bold: true, color: ALERT, width })
  gap(doc)
}

function drawBuyerAndSale(doc: Doc, data: InvoiceData): void {
  const { left, width } = contentBox(doc)
  const columnWidth = width / 2 - 12
  const top = doc.y
  const { buyer } = data
  doc.y = textAt(doc, 'Bill to', left, top, { bold: true })
  const vat = buyer.vatNumber ? [`VAT No. ${buyer.vatNumber}`] : []
  const buyerBottom = drawLines(doc, [buyer.name, ...buyer.addressLines, ...vat], left, columnWidth)
  doc.y = top
  drawLabelledRows(
    doc,
    [
      { label: 'Customer no.', value: data.customerNumber },
      { label: 'Paddle', value: data.paddle ?? '—' },
      { label: 'Sale', value: data.sale.name },
      { label: 'Sale date', value: formatDate(data.sale.date) }
    ],
    left + width - columnWidth,
    columnWidth
  )
  doc.y = Math.max(doc.y, buyerBottom)
  gap(doc)
}

function describeLine(line: InvoiceLine): string {
  return line.consignmentNumber ? `${line.description}\nConsignment ${line.consignmentNumber}` : line.description
}

function linesTable(lines: InvoiceLine[], currency: Currency): Table {
  const money = (minor: number) => formatMoney(minor, currency)
  return {
    columns: [
      { header: 'Lot', width: 44 },
      { header: 'Description', width: 'fill' },
      { header: 'Hammer', width: 72, align: 'right' },
      { header: 'Premium', width: 72, align: 'right' },
      { header: 'Tax', width: 64, align: 'right' }
    ],
    rows: lines.map((l) => [l.lot, describeLine(l), money(l.hammer), money(l.premium), money(l.tax)])
  }
}

function chargesTable(charges: InvoiceCharge[], currency: Currency): Table {
  return {
    columns: [
      { header: 'Charge', width: 'fill' },
      { header: 'Date', width: 90 },
      { header: 'Amount', width: 72, align: 'right' },
      { header: 'Tax', width: 64, align: 'right' }
    ],
    rows: charges.map((c) => [
      c.label,
      c.date ? formatDate(c.date) : '',
      formatMoney(c.amount, currency),
      formatMoney(c.tax, currency)
    ])
  }
}

function paymentsTable(payments: InvoicePayment[], currency: Currency): Table {
  return {
    columns: [
      { header: 'Date', width: 90 },
      { header: 'Method', width: 130 },
      { header: 'Reference', width: 'fill' },
      { header: 'Amount', width: 80, align: 'right' }
    ],
    rows: payments.map((p) => [formatDate(p.date), p.methodLabel, p.reference ?? '', formatMoney(p.amount, currency)])
  }
}

function drawTotals(doc: Doc, data: InvoiceData, startPage: StartPage): void {
  const { totals, house } = data
  const money = (minor: number) => formatMoney(minor, house.currency)
  const rows = [
    { label: 'Hammer', value: money(totals.hammer) },
    { label: "Buyer's premium", value: money(totals.premium) },
    { label: 'Charges', value: money(totals.charges) },
    { label: 'Tax', value: money(totals.tax) },
    { label: 'Total', value: money(totals.grandTotal), bold: true, size: SIZE.heading }
  ]
  ensureSpace(doc, rows.length * 16, startPage)
  drawLabelledRows(doc, rows, contentBox(doc).right - TOTALS_WIDTH, TOTALS_WIDTH)
  gap(doc)
}

function drawAmountDue(doc: Doc, data: InvoiceData, startPage: StartPage): void {
  ensureSpace(doc, 24, startPage)
  const row = {
    label: 'Amount due',
    value: formatMoney(data.amountDue, data.house.currency),
    bold: true,
    size: SIZE.large
  }
  drawLabelledRows(doc, [row], contentBox(doc).right - TOTALS_WIDTH, TOTALS_WIDTH)
}

/** The buyer's invoice: lots, charges, totals, payments and the amount still due. */
export function renderInvoice(data: InvoiceData, options: DocumentOptions): Promise<RenderedDocument> {
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
    drawProvisionalNote(doc, data.numbering)
    drawBuyerAndSale(doc, data)
    drawTable(doc, linesTable(data.lines, currency), startPage)
    gap(doc)
    if (data.charges.length) drawTableSection(doc, 'Charges', chargesTable(data.charges, currency), startPage)
    drawTotals(doc, data, startPage)
    if (data.payments.length) drawTableSection(doc, 'Payments', paymentsTable(data.payments, currency), startPage)
    drawAmountDue(doc, data, startPage)
    drawPageFooters(doc, label)
  })
}
