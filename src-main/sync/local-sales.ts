// The sales this station holds, answered from the replica alone.
import type { SaleSummary } from '../../src-shared/contract'
import type { Replica } from '../db/replica'
import { iso } from '../core/clock'

export function localSales(db: Replica): SaleSummary[] {
  const rows = db.all(db.q.selectFrom('sales').selectAll().orderBy('sale_date', 'desc'))
  return rows.map((r) => {
    const progress = db.first(db.q.selectFrom('sync_state').select('value').where('key', '=', `pull:${r.id}`))
    const complete = progress ? (JSON.parse(progress.value) as { complete?: boolean }).complete === true : false
    return {
      id: r.id,
      label: r.label,
      saleNumber: r.sale_number,
      saleDate: r.sale_date,
      status: r.status,
      itemCount: r.item_count,
      pulledAt: r.pulled_at === null ? null : iso(r.pulled_at),
      complete
    }
  })
}
