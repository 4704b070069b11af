// Circuit's tax types (the tax_types terms the replica holds) as the printed
// VAT breakdown names them: the term's label, what it taxes and its rate,
// read by the same shared rule as the checkout's own totals.
import { readTaxType } from '../../src-shared/invoice'
import type { Replica } from '../db/replica'
import type { TaxScheme } from './types'

/** Every tax type this station knows, by id; one whose attrs cannot be read is left out (its lots group apart). */
export function taxSchemes(db: Replica): Map<string, TaxScheme> {
  const out = new Map<string, TaxScheme>()
  const rows = db.all(
    db.q.selectFrom('reference_terms').select(['id', 'label', 'attrs']).where('vocabulary', '=', 'tax_types')
  )
  for (const t of rows) {
    let read: ReturnType<typeof readTaxType>
    try {
      read = readTaxType(t.label, t.attrs)
    } catch {
      continue
    }
    if (typeof read !== 'string') out.set(t.id, { label: t.label, mode: read.mode, rateBp: read.rateBp })
  }
  return out
}
