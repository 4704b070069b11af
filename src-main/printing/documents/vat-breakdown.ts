// VAT by scheme: the lots grouped by their tax type (margin scheme: VAT on
// the premium only; standard rate: on hammer and premium; none), then the
// charges, each group with what it is taxed on and its VAT. The groups' VAT
// adds up to the document's tax (the lines' and the charges' own figures,
// never worked out again here).
import {
  contentBox,
  drawLabelledRows,
  drawTable,
  ensureSpace,
  gap,
  sectionTitle,
  type LabelledRow,
  type StartPage,
  type Table
} from '../layout'
import { formatMoney } from '../money-format'
import type { Doc } from '../pdf'
import type { Currency, InvoiceCharge, InvoiceLine, Minor, TaxScheme } from '../types'

export interface VatGroup {
  label: string
  /** "20%"; empty when the group has no one rate (charges, lots whose tax type is not known here). */
  rate: string
  /** What the VAT is on: the premium under the margin scheme, hammer and premium otherwise. */
  taxable: Minor
  tax: Minor
}

/** 2000 → "20%", 1750 → "17.5%", from whole basis points (no float). */
export function formatRate(bp: number): string {
  const whole = Math.trunc(bp / 100)
  const part = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return part ? `${whole}.${part}%` : `${whole}%`
}

function schemeKey(s: TaxScheme | null | undefined): string {
  return s ? `${s.mode}\u0000${s.rateBp}\u0000${s.label}` : ''
}

const taxedOn = (l: InvoiceLine): Minor => (l.taxScheme?.mode === 'margin' ? l.premium : l.hammer + l.premium)

/** Lots by tax type in the order first met, then one group for the charges. */
export function vatGroups(lines: InvoiceLine[], charges: InvoiceCharge[]): VatGroup[] {
  const groups = new Map<string, VatGroup>()
  for (const l of lines) {
    const key = schemeKey(l.taxScheme)
    let g = groups.get(key)
    if (!g) {
      const s = l.taxScheme
      g = {
        label: s ? s.label : 'Lots (tax type not known here)',
        rate: s ? formatRate(s.rateBp) : '',
        taxable: 0,
        tax: 0
      }
      groups.set(key, g)
    }
    g.taxable += taxedOn(l)
    g.tax += l.tax
  }
  const out = [...groups.values()]
  if (charges.length) {
    out.push({
      label: 'Charges',
      rate: '',
      taxable: charges.reduce((sum, c) => sum + c.amount, 0),
      tax: charges.reduce((sum, c) => sum + c.tax, 0)
    })
  }
  return out
}

/** The breakdown as a table (its VAT adds up to the Tax row of the totals); on a credit note, the amounts credited. */
export function vatTable(groups: VatGroup[], currency: Currency, credited = false): Table {
  const money = (minor: number) => formatMoney(credited ? Math.abs(minor) : minor, currency)
  return {
    columns: [
      { header: 'VAT scheme', width: 'fill' },
      { header: 'Rate', width: 40, align: 'right' },
      { header: 'Taxed on', width: 78, align: 'right' },
      { header: 'VAT', width: 70, align: 'right' }
    ],
    rows: groups.map((g) => [g.label, g.rate, money(g.taxable), money(g.tax)])
  }
}

/** The totals beside the breakdown: wide enough for the largest amount in the totals' type. */
const TOTALS_BESIDE = 190
const BESIDE_GAP = 16

/**
 * The VAT breakdown on the left and the document's totals on the right, side by side (a short invoice stays on
 * one page); kept together on a page.
 */
export function drawVatBesideTotals(doc: Doc, vat: Table, totals: LabelledRow[], startPage: StartPage): void {
  const { left, right, width } = contentBox(doc)
  // Title and header, and each group at up to two lines (a long tax type's name wraps).
  const vatHeight = 40 + vat.rows.length * 28
  ensureSpace(doc, Math.max(vatHeight, totals.length * 16), startPage)
  const top = doc.y
  const pages = doc.bufferedPageRange().count
  sectionTitle(doc, 'VAT by scheme')
  drawTable(doc, { ...vat, span: { left, width: width - TOTALS_BESIDE - BESIDE_GAP } }, startPage)
  const vatBottom = doc.y
  // The breakdown ran onto a new page after all: the totals follow it there rather than beside it.
  if (doc.bufferedPageRange().count === pages) doc.y = top
  else gap(doc)
  drawLabelledRows(doc, totals, right - TOTALS_BESIDE, TOTALS_BESIDE, TOTALS_BESIDE * 0.45)
  doc.y = Math.max(doc.y, vatBottom)
  gap(doc)
}
