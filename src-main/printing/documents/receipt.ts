import { formatDate } from '../date-format'
import {
  ALERT,
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  gap,
  sectionTitle,
  textAt,
  type LabelledRow
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf } from '../pdf'
import type { DocumentOptions, ReceiptData, RenderedDocument } from '../types'
import { drawLongFooter } from './house-texts'

const DETAILS_WIDTH = 320

function receivedFrom(data: ReceiptData): LabelledRow[] {
  const { buyer } = data
  return [
    { label: 'Name', value: buyer.name },
    ...(buyer.customerNumber ? [{ label: 'Customer no.', value: buyer.customerNumber }] : []),
    ...(buyer.paddle ? [{ label: 'Paddle', value: buyer.paddle }] : [])
  ]
}

/** The payment, then the order's total, what had been paid once it was taken, and what was left. */
function paymentRows(data: ReceiptData): LabelledRow[] {
  const { payment } = data
  const money = (minor: number) => formatMoney(minor, data.house.currency)
  const method = payment.details ? `${payment.methodLabel} ${payment.details}` : payment.methodLabel
  return [
    { label: 'Order', value: data.orderNumber },
    ...(data.invoiceNumber ? [{ label: 'Invoice', value: data.invoiceNumber }] : []),
    { label: 'Method', value: method },
    {
      label: payment.voided ? 'Amount (void)' : 'Amount received',
      value: money(payment.amount),
      bold: true,
      size: SIZE.large
    },
    { label: 'Order total', value: money(data.orderTotal) },
    { label: 'Paid to date', value: money(data.paidToDate) },
    { label: 'Balance due', value: money(data.balanceAfter), bold: true }
  ]
}

/** A receipt for one payment against an order; a voided payment's says VOID and why. */
export function renderReceipt(data: ReceiptData, options: DocumentOptions): Promise<RenderedDocument> {
  const label = `Receipt ${data.receiptNumber}${data.payment.voided ? ' (VOID)' : ''}`
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'RECEIPT',
      stamp: data.payment.voided ? 'VOID' : undefined,
      lines: [`No. ${data.receiptNumber}`, `Date ${formatDate(data.date)}`]
    })
    const { left, width } = contentBox(doc)
    if (data.payment.voided) {
      const why = data.payment.voidReason ? `: ${data.payment.voidReason}` : '.'
      doc.y = textAt(doc, `VOID. This payment was cancelled and counts for nothing${why}`, left, doc.y, {
        bold: true,
        color: ALERT,
        width
      })
      gap(doc)
    }
    sectionTitle(doc, 'Received from')
    drawLabelledRows(doc, receivedFrom(data), left, DETAILS_WIDTH)
    gap(doc)
    sectionTitle(doc, 'Payment')
    drawLabelledRows(doc, paymentRows(data), left, DETAILS_WIDTH)
    gap(doc)
    drawLongFooter(doc, data.house.texts, () => doc.addPage())
    drawPageFooters(doc, label, data.house.texts?.footer)
  })
}
