// A cheque run's report: every consignor of the sale, the cheque that paid
// them (and any spoilt cheque voided and reprinted), the total, and who was
// passed by with the reason — what the office files with the cheque stubs.
import type { ChequeRun } from '../../../src-shared/contract'
import { formatDate } from '../date-format'
import {
  ALERT,
  MUTED,
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawRunningHeader,
  drawTableSection,
  ensureSpace,
  gap,
  textAt,
  type Table
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf } from '../pdf'
import type { Currency, DocumentOptions, House, RenderedDocument } from '../types'

export interface ChequeRunReportData {
  house: House
  run: ChequeRun
  /** The positive-pay file's name, for the office to find it. */
  positivePayFile: string | null
}

const TOTALS_WIDTH = 250

const chequeNo = (n: number) => String(n).padStart(6, '0')

function paidTable(run: ChequeRun, currency: Currency): Table {
  return {
    columns: [
      { header: 'Cheque', width: 56 },
      { header: 'Payee', width: 'fill' },
      { header: 'Statement', width: 64 },
      { header: 'Notes', width: 170 },
      { header: 'Amount', width: 80, align: 'right' }
    ],
    rows: run.lines
      .filter((l) => l.outcome === 'paid' && l.chequeNumber !== null)
      .sort((a, b) => a.chequeNumber! - b.chequeNumber!)
      .map((l) => [
        chequeNo(l.chequeNumber!),
        l.payee === l.name ? l.name : `${l.payee}\n(consignor ${l.name})`,
        l.orderNumber ?? '',
        [
          ...l.voided.map((n) => `spoilt cheque ${chequeNo(n)} void, reprinted`),
          ...(l.reason ? [l.reason] : []),
          // What the consignor asked for, where it is not a cheque (the office may pay them otherwise next time).
          ...l.paymentInstructions.filter((t) => !/cheque/i.test(t)).map((t) => `asked for: ${t}`)
        ].join('\n'),
        formatMoney(l.amount, currency)
      ])
  }
}

function notPaidTable(run: ChequeRun, currency: Currency): Table {
  return {
    columns: [
      { header: 'Consignor', width: 140 },
      { header: 'Why no cheque', width: 'fill' },
      { header: 'Amount', width: 72, align: 'right' }
    ],
    rows: run.lines
      .filter((l) => l.outcome !== 'paid' || l.chequeNumber === null)
      .map((l) => [
        l.name,
        `${l.outcome === 'failed' ? 'FAILED: ' : ''}${l.reason ?? ''}`,
        l.amount > 0 ? formatMoney(l.amount, currency) : ''
      ])
  }
}

export function renderChequeRunReport(data: ChequeRunReportData, options: DocumentOptions): Promise<RenderedDocument> {
  const { run, house } = data
  const label = `Cheque run ${run.number}, ${run.saleLabel} — ${run.accountLabel}`
  const currency = house.currency
  return renderPdf(pageSettings(label, house.name, options), (doc) => {
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, house.name, `${label} (continued)`)
    }
    doc.addPage()
    drawHouseHeader(doc, house, {
      title: 'CHEQUE RUN',
      lines: [`Run ${run.number} of the sale`, `Date ${formatDate(run.at)}`]
    })
    const { left, right, width } = contentBox(doc)
    drawLabelledRows(
      doc,
      [
        { label: 'Sale', value: run.saleLabel },
        { label: 'Drawn on', value: run.accountLabel },
        { label: 'Positive-pay file', value: data.positivePayFile ?? 'not written' }
      ],
      left,
      width,
      110
    )
    gap(doc)
    if (run.problem) {
      doc.y = textAt(doc, run.problem, left, doc.y, { bold: true, color: ALERT, width }) + 4
      gap(doc)
    }
    const paid = run.lines.filter((l) => l.outcome === 'paid' && l.chequeNumber !== null)
    if (paid.length) drawTableSection(doc, 'Cheques', paidTable(run, currency), startPage)
    const voided = paid.flatMap((l) => l.voided)
    if (voided.length) {
      ensureSpace(doc, 30, startPage)
      doc.y =
        textAt(
          doc,
          `Void in the register: ${voided.map(chequeNo).join(', ')}. If an earlier positive-pay file listing them was sent to the bank, tell the bank they are void.`,
          left,
          doc.y,
          { color: MUTED, width }
        ) + 4
      gap(doc)
    }
    ensureSpace(doc, 40, startPage)
    drawLabelledRows(
      doc,
      [
        { label: 'Cheques', value: String(paid.length) },
        {
          label: 'Total paid',
          value: formatMoney(
            paid.reduce((sum, l) => sum + l.amount, 0),
            currency
          ),
          bold: true,
          size: SIZE.large
        }
      ],
      right - TOTALS_WIDTH,
      TOTALS_WIDTH
    )
    gap(doc)
    const others = run.lines.filter((l) => l.outcome !== 'paid' || l.chequeNumber === null)
    if (others.length) drawTableSection(doc, 'Not paid in this run', notPaidTable(run, currency), startPage)
    drawPageFooters(doc, label)
  })
}
