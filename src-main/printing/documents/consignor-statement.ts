// The consignor's statement: every lot consigned to the sale with its result,
// the hammer and the house's commission on each sold lot, the charges, what
// was paid, and the net payable — the same figures as the screen
// (consignors.statement). Where Circuit's figure differs, the statement says
// so and names Circuit as the authority.
import type { ConsignorStatement } from '../../../src-shared/contract'
import { formatPlain } from '../../../src-shared/money'
import { formatDate } from '../date-format'
import {
  ALERT,
  MUTED,
  SIZE,
  contentBox,
  drawHouseHeader,
  drawLabelledRows,
  drawLines,
  drawRunningHeader,
  drawTable,
  drawTableSection,
  ensureSpace,
  gap,
  textAt,
  type StartPage,
  type Table
} from '../layout'
import { drawPageFooters } from '../page-foot'
import { formatMoney } from '../money-format'
import { pageSettings, renderPdf, type Doc } from '../pdf'
import type { Currency, DocumentOptions, House, IsoDate, RenderedDocument, SaleRef } from '../types'

export interface ConsignorStatementData {
  house: House
  sale: SaleRef
  issueDate: IsoDate
  statement: ConsignorStatement
}

const TOTALS_WIDTH = 250
const RESULT_LABEL = { sold: 'Sold', passed: 'Passed', withdrawn: 'Withdrawn', open: 'Not yet offered' } as const
const METHOD_LABEL: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  cheque: 'Cheque',
  wire: 'Bank transfer',
  paypal: 'PayPal',
  other: 'Payment'
}

/** 1500 basis points → "15%", 1250 → "12.5%". */
function rate(bp: number | null): string {
  if (bp === null) return '—'
  return `${formatPlain(bp, 2).replace(/\.?0+$/, '')}%`
}

function lotsTable(s: ConsignorStatement, currency: Currency): Table {
  const money = (minor: number) => formatMoney(minor, currency)
  // The consignment is named on each lot only when the consignor has several in the sale.
  const several = new Set(s.lots.map((l) => l.consignment)).size > 1
  return {
    columns: [
      { header: 'Lot', width: 40 },
      { header: 'Description', width: 'fill' },
      { header: 'Result', width: 86 },
      { header: 'Hammer', width: 72, align: 'right' },
      { header: 'Rate', width: 40, align: 'right' },
      { header: 'Commission', width: 72, align: 'right' }
    ],
    rows: s.lots.map((l) => [
      l.lot,
      several && l.consignment ? `${l.title}\nConsignment ${l.consignment}` : l.title,
      RESULT_LABEL[l.result],
      l.hammer === null ? '' : money(l.hammer),
      l.result === 'sold' ? rate(l.rateBp) : '',
      l.result === 'sold' ? money(l.commission) : ''
    ])
  }
}

function chargesTable(s: ConsignorStatement, currency: Currency): Table {
  return {
    columns: [
      { header: 'Charge', width: 'fill' },
      { header: 'Amount', width: 80, align: 'right' },
      { header: 'Tax', width: 72, align: 'right' }
    ],
    rows: s.chargeLines.map((c) => [c.label, formatMoney(c.amount, currency), formatMoney(c.tax, currency)])
  }
}

function paymentsTable(s: ConsignorStatement, currency: Currency): Table {
  return {
    columns: [
      { header: 'Date', width: 100 },
      { header: 'Method', width: 90 },
      { header: 'Reference', width: 'fill' },
      { header: 'Amount', width: 80, align: 'right' }
    ],
    rows: s.payments.map((p) => {
      const no = (n: number) => String(n).padStart(6, '0')
      const cheques = p.cheques.map((c) =>
        c.state === 'void' ? `cheque ${no(c.number)} (void)` : `cheque ${no(c.number)}`
      )
      const theirs = !cheques.length && p.chequeNumber ? [`cheque ${p.chequeNumber}`] : []
      const notes = [
        ...cheques,
        ...theirs,
        ...(p.voided ? ['VOIDED'] : []),
        ...(p.pending ? ['not yet on Circuit'] : [])
      ]
      return [
        p.date ? formatDate(p.date) : '',
        METHOD_LABEL[p.method] ?? p.method,
        notes.join(', '),
        formatMoney(p.amount, currency)
      ]
    })
  }
}

function drawConsignorAndSale(doc: Doc, data: ConsignorStatementData): void {
  const { left, width } = contentBox(doc)
  const columnWidth = width / 2 - 12
  const top = doc.y
  const s = data.statement
  doc.y = textAt(doc, 'Consignor', left, top, { bold: true })
  const consignorBottom = drawLines(doc, [s.consignor.name, ...s.consignor.address], left, columnWidth)
  doc.y = top
  drawLabelledRows(
    doc,
    [
      { label: 'Customer no.', value: s.consignor.customerNumber ?? '—' },
      { label: 'Statement', value: s.order?.number ?? '—' },
      {
        label: 'Consignment',
        value: [...new Set(s.lots.map((l) => l.consignment).filter((c): c is string => c !== null))].join(', ') || '—'
      },
      { label: 'Sale', value: data.sale.name },
      { label: 'Sale date', value: formatDate(data.sale.date) }
    ],
    left + width - columnWidth,
    columnWidth,
    80
  )
  doc.y = Math.max(doc.y, consignorBottom)
  if (s.consignor.paymentInstructions.length) {
    doc.y += 6
    doc.y = textAt(doc, `Payment instructions: ${s.consignor.paymentInstructions.join('; ')}`, left, doc.y, {
      color: MUTED,
      width
    })
  }
  gap(doc)
}

function drawTotals(doc: Doc, data: ConsignorStatementData, startPage: StartPage): void {
  const s = data.statement
  const money = (minor: number) => formatMoney(minor, data.house.currency)
  const rows = [
    { label: 'Hammer (lots sold)', value: money(s.hammer) },
    { label: 'Less commission', value: money(-s.commission) },
    { label: 'Less charges', value: money(-s.charges) },
    { label: 'Due to you', value: money(s.total), bold: true },
    { label: 'Less paid', value: money(-s.paid) },
    { label: 'Net payable', value: money(s.netPayable), bold: true, size: SIZE.large }
  ]
  ensureSpace(doc, rows.length * 18, startPage)
  drawLabelledRows(doc, rows, contentBox(doc).right - TOTALS_WIDTH, TOTALS_WIDTH)
  gap(doc)
}

function drawNotes(doc: Doc, data: ConsignorStatementData, startPage: StartPage): void {
  const s = data.statement
  const { left, width } = contentBox(doc)
  const notes = [
    ...(s.difference ? [s.difference.message] : []),
    ...s.problems,
    ...(s.netPayable < 0 ? ['A negative net payable is owed to the house.'] : [])
  ]
  for (const note of notes) {
    ensureSpace(doc, 30, startPage)
    doc.y = textAt(doc, note, left, doc.y, { bold: true, color: ALERT, width }) + 4
  }
}

export function renderConsignorStatement(
  data: ConsignorStatementData,
  options: DocumentOptions
): Promise<RenderedDocument> {
  const s = data.statement
  const label = `Consignor statement ${s.order?.number ?? ''} — ${s.consignor.name}`.replace(/\s+—/, ' —')
  const currency = data.house.currency
  return renderPdf(pageSettings(label, data.house.name, options), (doc) => {
    const startPage = () => {
      doc.addPage()
      drawRunningHeader(doc, data.house.name, `${label} (continued)`)
    }
    doc.addPage()
    drawHouseHeader(doc, data.house, {
      title: 'STATEMENT',
      lines: [
        'Consignor statement',
        ...(s.order ? [`No. ${s.order.number}`] : []),
        `Date ${formatDate(data.issueDate)}`
      ]
    })
    drawConsignorAndSale(doc, data)
    if (s.lots.length) drawTable(doc, lotsTable(s, currency), startPage)
    else doc.y = textAt(doc, 'No lots.', contentBox(doc).left, doc.y, { color: MUTED })
    gap(doc)
    if (s.chargeLines.length) drawTableSection(doc, 'Charges', chargesTable(s, currency), startPage)
    if (s.payments.length) drawTableSection(doc, 'Paid to you', paymentsTable(s, currency), startPage)
    drawTotals(doc, data, startPage)
    drawNotes(doc, data, startPage)
    drawPageFooters(doc, label)
  })
}
