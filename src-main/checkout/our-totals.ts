// Our own figures for an order, by the shared invoice maths: the sale's
// premium rule as Circuit writes it, each line's tax type (Circuit's tax_types
// term: margin scheme, standard, none, with its rate), the charges with their
// tax, the payments. Text we cannot read is a visible problem, never a guess.
import { computeInvoice, parsePremium, parseRate, type InvoiceTotals, type TaxMode } from '../../src-shared/invoice'
import type { Replica } from '../db/replica'

export interface OrderFacts {
  saleId: string | null
  /** Made here from the podium: a line without a tax type is unknown, not untaxed. */
  provisional: boolean
  lines: { itemId: string; lot: string; hammer: number; taxId: string | null }[]
  charges: { label: string; amount: number; tax: number }[]
  payments: { amount: number }[]
}

type TaxType = { mode: TaxMode; rateBp: number }

/** Circuit's tax types (or just one of them), as what they tax and at what rate. */
export function taxTypes(db: Replica, only?: string): Map<string, TaxType | string> {
  const out = new Map<string, TaxType | string>()
  const rows =
    only === undefined
      ? db.sql<{ id: string; label: string; attrs: string }>(
          `SELECT id, label, attrs FROM reference_terms WHERE vocabulary = 'tax_types'`
        )
      : db.sql<{ id: string; label: string; attrs: string }>(
          `SELECT id, label, attrs FROM reference_terms WHERE vocabulary = 'tax_types' AND id = ?`,
          only
        )
  for (const t of rows) {
    const a = JSON.parse(t.attrs) as Record<string, unknown>
    const on = String(a.vat_on ?? a.machine_name ?? '').toLowerCase()
    const mode: TaxMode | null =
      on === 'premium' || on === 'margin'
        ? 'margin'
        : on.includes('hammer') || on === 'standard'
          ? 'standard'
          : on === 'none'
            ? 'none'
            : null
    const rate = parseRate(typeof a.rate === 'number' || typeof a.rate === 'string' ? a.rate : '0')
    if (!mode) out.set(t.id, `Tax type "${t.label}" does not say what it taxes.`)
    else if (!rate.ok) out.set(t.id, `Tax type "${t.label}": ${rate.error}`)
    else out.set(t.id, { mode, rateBp: rate.rateBp })
  }
  return out
}

export function ourTotals(db: Replica, o: OrderFacts): { totals: InvoiceTotals | null; problem: string | null } {
  const sale = o.saleId
    ? db.sql<{ buyers_premium: string | null }>('SELECT buyers_premium FROM sales WHERE id = ?', o.saleId)[0]
    : undefined
  if (!sale?.buyers_premium)
    return { totals: null, problem: "The sale's buyer's premium is not known on this station." }
  const rule = parsePremium(sale.buyers_premium)
  if (!rule.ok)
    return { totals: null, problem: `The buyer's premium "${sale.buyers_premium}" cannot be read: ${rule.error}` }
  const types = taxTypes(db)
  const lines = []
  for (const l of o.lines) {
    if (l.taxId === null && o.provisional) {
      return {
        totals: null,
        problem:
          "The tax on these lots is not known here until Circuit's order arrives (no order of Circuit's seen yet)."
      }
    }
    const type = l.taxId === null ? { mode: 'none' as const, rateBp: 0 } : types.get(l.taxId)
    if (type === undefined)
      return { totals: null, problem: `Lot ${l.lot} has tax type ${l.taxId}, which this station does not know.` }
    if (typeof type === 'string') return { totals: null, problem: type }
    lines.push({ itemId: l.itemId, lot: l.lot, hammer: l.hammer, taxMode: type.mode, vatRateBp: type.rateBp })
  }
  try {
    const invoice = computeInvoice({
      lines,
      premiumRule: rule.rule,
      taxMode: 'none',
      vatRateBp: 0,
      charges: o.charges.map((c) => ({ label: c.label, amount: c.amount, taxAmount: c.tax })),
      payments: o.payments
    })
    return { totals: invoice.totals, problem: null }
  } catch (err) {
    // The maths is exact (BigInt) and says when a figure is beyond exact minor units.
    if (!(err instanceof RangeError)) throw err
    return { totals: null, problem: `This order's amounts are too large to add up exactly (${err.message}).` }
  }
}
