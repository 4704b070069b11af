import { formatDate } from '../date-format'
import {
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawPageFooters,
  gap,
  sectionTitle,
  type LabelledRow
} from '../layout'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf } from '../pdf'
import type { DocumentOptions, ReceiptData, RenderedDocument } from '../types'

const DETAILS_WIDTH = 320

function receivedFrom(data: ReceiptData): LabelledRow[] {
  const { buyer } = data
  return [
    { label: 'Name', value: buyer.name },
    ...(buyer.customerNumber ? [{ label: 'Customer no.', value: buyer.customerNumber }] : []),
    ...(buyer.paddle ? [{ label: 'Paddle', value: buyer.paddle }] : [])
  ]
}

function paymentRows(data: ReceiptData): LabelledRow[] {
  const { payment } = data
  const money = (minor: number) => formatMoney(minor, data.house.currency)
  const method = payment.details ? `${payment.methodLabel} ${payment.details}` : payment.methodLabel
  return [
    { label: 'Order', value: data.orderNumber },
    ...(data.invoiceNumber ? [{ label: 'Invoice', value: data.invoiceNumber }] : []),
    { label: 'Method', value: method },
    ...(payment.reference ? [{ label: 'Reference', value: payment.reference }] : []),
    { label: 'Amount received', value: money(payment.amount), bold: true, size: SIZE.large },
    { label: 'Balance remaining', value: money(data.balanceRemaining), bold: true }
  ]
}

/** A receipt for one payment against an order. */
export function renderReceipt(data: ReceiptData, options: DocumentOptions): Promise<RenderedDocument> {
  const label = `Receipt ${data.receiptNumber}`
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'RECEIPT',
      lines: [`No. ${data.receiptNumber}`, `Date ${formatDate(data.date)}`]
    })
    const { left } = contentBox(doc)
    sectionTitle(doc, 'Received from')
    drawLabelledRows(doc, receivedFrom(data), left, DETAILS_WIDTH)
    gap(doc)
    sectionTitle(doc, 'Payment')
    drawLabelledRows(doc, paymentRows(data), left, DETAILS_WIDTH)
    drawPageFooters(doc, label)
  })
}
