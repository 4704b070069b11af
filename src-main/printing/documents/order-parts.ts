// What an invoice and a credit note share: the buyer and sale block, the
// provisional note, and the tables of lots, charges and payments.
import { formatDate } from '../date-format'
import { ALERT, contentBox, drawLabelledRows, drawLines, gap, textAt, type LabelledRow } from '../layout'
import { formatMoney } from '../money-format'
import type { Doc } from '../pdf'
import type { Currency, InvoiceCharge, InvoiceData, InvoiceLine, InvoiceNumbering, InvoicePayment } from '../types'
import type { Table } from '../layout'

/** Room for the largest amount (10^11 major units) in the large type of the balance. */
export const TOTALS_WIDTH = 290

export function drawProvisionalNote(doc: Doc, numbering: InvoiceNumbering, what: string): void {
  if (!numbering.provisional) return
  const { left, width } = contentBox(doc)
  const note =
    `PROVISIONAL ${what.toUpperCase()}: ${numbering.provisionalNumber} is a temporary number. ` +
    `Circuit's ${what} number will replace it once this ${what} reaches Circuit.`
  doc.y = textAt(doc, note, left, doc.y, { bold: true, color: ALERT, width })
  gap(doc)
}

/** The buyer (name, address, VAT number) on the left; customer number, paddle and sale on the right. */
export function drawBuyerAndSale(
  doc: Doc,
  data: Pick<InvoiceData, 'buyer' | 'customerNumber' | 'paddle' | 'sale'>,
  heading: string,
  extra: LabelledRow[] = []
): void {
  const { left, width } = contentBox(doc)
  const columnWidth = width / 2 - 12
  const top = doc.y
  const { buyer } = data
  doc.y = textAt(doc, heading, left, top, { bold: true })
  const vat = buyer.vatNumber ? [`VAT No. ${buyer.vatNumber}`] : []
  // Circuit's buyer address often begins with the buyer's name: printed once.
  const sameAsName = (line: string) => line.trim().toLowerCase() === buyer.name.trim().toLowerCase()
  const address =
    buyer.addressLines.length && sameAsName(buyer.addressLines[0]) ? buyer.addressLines.slice(1) : buyer.addressLines
  const buyerBottom = drawLines(doc, [buyer.name, ...address, ...vat], left, columnWidth)
  doc.y = top
  drawLabelledRows(
    doc,
    [
      { label: 'Customer no.', value: data.customerNumber },
      { label: 'Paddle', value: data.paddle ?? '—' },
      { label: 'Sale', value: data.sale.name },
      { label: 'Sale date', value: formatDate(data.sale.date) },
      ...extra
    ],
    left + width - columnWidth,
    columnWidth
  )
  doc.y = Math.max(doc.y, buyerBottom)
  gap(doc)
}

/** The consignment number prints under the lot only when Settings asks for it. */
function describeLine(line: InvoiceLine, consignment: boolean): string {
  return consignment && line.consignmentNumber
    ? `${line.description}\nConsignment ${line.consignmentNumber}`
    : line.description
}

/** What a lot adds to the order: hammer, premium and the VAT on them. */
export const lineTotal = (l: InvoiceLine): number => l.hammer + l.premium + l.tax

/** How an amount prints: as it is on an invoice; on a credit note, as the amount credited (its lines are negative). */
const shown = (minor: number, credited: boolean) => (credited ? Math.abs(minor) : minor)

/** The lots, each with its line total; on a credit note, the amounts credited. */
export function linesTable(
  lines: InvoiceLine[],
  currency: Currency,
  o: { credited?: boolean; consignmentNumbers?: boolean } = {}
): Table {
  const money = (minor: number) => formatMoney(shown(minor, o.credited ?? false), currency)
  return {
    columns: [
      { header: 'Lot', width: 40 },
      { header: 'Description', width: 'fill' },
      { header: 'Hammer', width: 74, align: 'right' },
      { header: 'Premium', width: 70, align: 'right' },
      { header: 'VAT', width: 64, align: 'right' },
      { header: 'Total', width: 80, align: 'right' }
    ],
    rows: lines.map((l) => [
      l.lot,
      describeLine(l, o.consignmentNumbers ?? false),
      money(l.hammer),
      money(l.premium),
      money(l.tax),
      money(lineTotal(l))
    ])
  }
}

export function chargesTable(charges: InvoiceCharge[], currency: Currency, credited = false): Table {
  return {
    columns: [
      { header: 'Charge', width: 'fill' },
      { header: 'Date', width: 90 },
      { header: 'Amount', width: 72, align: 'right' },
      { header: 'VAT', width: 64, align: 'right' }
    ],
    rows: charges.map((c) => [
      c.label,
      c.date ? formatDate(c.date) : '',
      formatMoney(shown(c.amount, credited), currency),
      formatMoney(shown(c.tax, credited), currency)
    ])
  }
}

/** Payments as taken; a voided one says VOID and why, and its amount counts for nothing. */
export function paymentsTable(payments: InvoicePayment[], currency: Currency, credited = false): Table {
  return {
    columns: [
      { header: 'Date', width: 90 },
      { header: 'Method', width: 130 },
      { header: 'Reference', width: 'fill' },
      { header: 'Amount', width: 90, align: 'right' }
    ],
    rows: payments.map((p) => {
      const amount = formatMoney(shown(p.amount, credited), currency)
      if (!p.voided) return [formatDate(p.date), p.methodLabel, p.reference ?? '', amount]
      const why = p.voidReason ? `VOID: ${p.voidReason}` : 'VOID'
      return [
        formatDate(p.date),
        `${p.methodLabel} (VOID)`,
        [p.reference, why].filter(Boolean).join('\n'),
        `(${amount})`
      ]
    })
  }
}

export function drawTotalsRows(doc: Doc, rows: LabelledRow[]): void {
  drawLabelledRows(doc, rows, contentBox(doc).right - TOTALS_WIDTH, TOTALS_WIDTH, TOTALS_WIDTH * 0.4)
}
