// Our own figures for an order, by the shared invoice maths: the sale's
// premium rule as Circuit writes it, each line's tax type (Circuit's tax_types
// term: margin scheme, standard, none, with its rate), the charges with their
// tax, the payments. Text we cannot read is a visible problem, never a guess.
import { computeInvoice, parsePremium, readTaxType, type InvoiceTotals, type TaxType } from '../../src-shared/invoice'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

export interface OrderFacts {
  saleId: string | null
  /** Made here from the podium: a line without a tax type is unknown, not untaxed. */
  provisional: boolean
  lines: { itemId: string; lot: string; hammer: number; taxId: string | null }[]
  charges: { label: string; amount: number; tax: number }[]
  payments: { amount: number }[]
}

/**
 * Texts read once: the same few premium rules and tax types come back on every
 * invoice and every hammer. Keyed by the text itself, so a rule or a term that
 * a pull changes is read again; small, and cleared if it ever grows.
 */
function memo<T>(read: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>()
  return (key) => {
    let value = seen.get(key)
    if (value === undefined) {
      if (seen.size >= 200) seen.clear()
      seen.set(key, (value = read(key)))
    }
    return value
  }
}

/** Keyed by "<label's length>:<label><attrs>", which no two rows share unless both match. */
const taxTypeOf = memo((key) => {
  const colon = key.indexOf(':')
  const end = colon + 1 + Number(key.slice(0, colon))
  const read = readTaxType(key.slice(colon + 1, end), key.slice(end))
  return typeof read === 'string' ? read : Object.freeze(read)
})

/** A sale's premium text, read by the shared maths (once per text). */
export const premiumRuleOf = memo((text: string) => parsePremium(text))

// Read for every order on the cashier's screen and on every hammer: compiled once.
const TAX_TYPES = (q: Kysely<Database>) =>
  q.selectFrom('reference_terms').select(['id', 'label', 'attrs']).where('vocabulary', '=', 'tax_types')

const TAX_TYPE = (q: Kysely<Database>, a: { id: string }) => TAX_TYPES(q).where('id', '=', a.id)

const SALE_PREMIUM = (q: Kysely<Database>, a: { saleId: string }) =>
  q.selectFrom('sales').select('buyers_premium').where('id', '=', a.saleId)

/** Circuit's tax types (or just one of them), as what they tax and at what rate. */
export function taxTypes(db: Replica, only?: string): Map<string, TaxType | string> {
  const out = new Map<string, TaxType | string>()
  const rows = only === undefined ? db.prepared(TAX_TYPES).all({}) : db.prepared(TAX_TYPE).all({ id: only })
  for (const t of rows) out.set(t.id, taxTypeOf(`${t.label.length}:${t.label}${t.attrs}`))
  return out
}

export function ourTotals(db: Replica, o: OrderFacts): { totals: InvoiceTotals | null; problem: string | null } {
  const sale = o.saleId ? db.prepared(SALE_PREMIUM).first({ saleId: o.saleId }) : undefined
  if (!sale?.buyers_premium)
    return { totals: null, problem: "The sale's buyer's premium is not known on this station." }
  const rule = premiumRuleOf(sale.buyers_premium)
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
