// A buyer's combined statement for a sale: each invoice and credit note with
// its total, what is paid on it and its balance, the payments, and the net
// the buyer owes (or is owed) across them. Credits print as "£300.00 CR".
import { formatDate } from '../date-format'
import {
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawRunningHeader,
  drawTableSection,
  ensureSpace,
  gap,
  type LabelledRow,
  type Table
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf } from '../pdf'
import type { Currency, DocumentOptions, RenderedDocument, StatementData, StatementOrder } from '../types'
import { drawHouseTexts, drawLongFooter } from './house-texts'
import { drawBuyerAndSale, paymentsTable } from './order-parts'

/** An amount as the statement shows it: what the buyer owes plain, what is owed to the buyer marked CR. */
export function statementAmount(minor: number, currency: Currency): string {
  return minor < 0 ? `${formatMoney(-minor, currency)} CR` : formatMoney(minor, currency)
}

/** Room for the net's label and the largest amount in large type. */
const NET_WIDTH = 340

const documentName = (o: StatementOrder) =>
  `${o.kind === 'credit_note' ? 'Credit note' : 'Invoice'} ${o.number}${o.provisional ? ' (provisional)' : ''}`

function ordersTable(data: StatementData): Table {
  const money = (minor: number) => statementAmount(minor, data.house.currency)
  return {
    columns: [
      { header: 'Document', width: 'fill' },
      { header: 'Total', width: 96, align: 'right' },
      { header: 'Paid', width: 96, align: 'right' },
      { header: 'Balance', width: 96, align: 'right' }
    ],
    // A credit note's total is negative (credited to the buyer); a refund paid on it is negative too.
    rows: data.orders.map((o) => [documentName(o), money(o.total), money(o.paid), money(o.balance)])
  }
}

/** Every order's payments, each under the document it was taken on. */
function allPayments(data: StatementData): Table {
  const table = paymentsTable(
    data.orders.flatMap((o) => o.payments),
    data.house.currency
  )
  const owners = data.orders.flatMap((o) => o.payments.map(() => documentName(o)))
  return {
    // Narrower than on an invoice: the document each payment was taken on comes first.
    columns: [
      { header: 'On', width: 104 },
      { header: 'Date', width: 92 },
      { header: 'Method', width: 80 },
      { header: 'Reference', width: 'fill' },
      { header: 'Amount', width: 84, align: 'right' }
    ],
    rows: table.rows.map((row, i) => [owners[i], ...row])
  }
}

function netRow(data: StatementData): LabelledRow {
  const currency = data.house.currency
  return data.net < 0
    ? { label: 'Net refund due to you', value: formatMoney(-data.net, currency), bold: true, size: SIZE.large }
    : { label: 'Net balance due', value: formatMoney(data.net, currency), bold: true, size: SIZE.large }
}

/** The buyer's statement for a sale: one document over all their invoices and credit notes. */
export function renderStatement(data: StatementData, options: DocumentOptions): Promise<RenderedDocument> {
  const label = `Statement, paddle ${data.paddle}, ${data.sale.name}`
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`)
    }
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'STATEMENT',
      lines: [`Date ${formatDate(data.date)}`, `Paddle ${data.paddle}`]
    })
    drawBuyerAndSale(doc, data, 'Statement for')
    drawTableSection(doc, 'Invoices and credit notes', ordersTable(data), startPage)
    const payments = data.orders.some((o) => o.payments.length > 0)
    if (payments) drawTableSection(doc, 'Payments and refunds', allPayments(data), startPage)
    ensureSpace(doc, 44, startPage)
    const { right } = contentBox(doc)
    drawLabelledRows(doc, [netRow(data)], right - NET_WIDTH, NET_WIDTH, NET_WIDTH * 0.55)
    gap(doc)
    drawHouseTexts(doc, data.house.texts && { ...data.house.texts, collectionNotes: '' }, startPage, {
      bankDetails: data.net > 0,
      terms: false
    })
    drawLongFooter(doc, data.house.texts, startPage)
    drawPageFooters(doc, label, data.house.texts?.footer)
  })
}
