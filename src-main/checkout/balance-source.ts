// Paid or not, for the warehouse: the buyer's orders with the same amount due
// and net `outstanding` the cashier sees (invoice-view.ts), offered through
// the kernel's BalanceSource port so the collection desk never imports checkout.
import { AppError } from '../../src-shared/rpc'
import type { BalanceSource, OrderBalance } from '../core/ports'
import type { Replica } from '../db/replica'
import { exactSum, orderRowById, orderView, type OrderRow } from './invoice-view'

function balanceOf(db: Replica, o: OrderRow): OrderBalance {
  const view = orderView(db, o, { ours: false })
  return {
    orderId: o.id,
    serverId: o.server_id,
    number: view.number,
    type: o.type,
    status: o.status,
    saleId: o.sale_id,
    clientId: o.client_id,
    amountDue: view.totals.amountDue,
    itemIds: view.lines.map((l) => l.itemId)
  }
}

export function balanceSource(db: Replica): BalanceSource {
  return {
    buyer(saleId, clientId) {
      const orders = db
        .all(
          db.q
            .selectFrom('orders')
            .select('id')
            .where('sale_id', '=', saleId)
            .where('client_id', '=', clientId)
            .orderBy((eb) => eb('type', '<>', 'bidder'))
            .orderBy((eb) => eb.fn.coalesce('order_number', 'provisional_number', 'id'))
        )
        .map((r) => balanceOf(db, orderRowById(db, r.id)))
      return {
        outstanding: exactSum(
          orders.map((o) => o.amountDue),
          () => `The orders of client ${clientId}`
        ),
        orders
      }
    },
    order(ref, saleId) {
      let numbered = db.q
        .selectFrom('orders')
        .select('id')
        .where((eb) => eb.or([eb('order_number', '=', ref), eb('provisional_number', '=', ref)]))
        .orderBy((eb) => eb('type', '<>', 'bidder'))
        .limit(1)
      if (saleId !== undefined && saleId !== null) numbered = numbered.where('sale_id', '=', saleId)
      const byNumber = db.first(numbered)
      let row: OrderRow
      try {
        row = orderRowById(db, byNumber?.id ?? ref)
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return null
        throw err
      }
      return balanceOf(db, row)
    }
  }
}
