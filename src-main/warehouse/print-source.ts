// What the warehouse's paper prints, read from this station's copy and
// offered to printing through the kernel's WarehousePrintSource port: lot
// tags, the pick list (paid lots still to hand out, by location), the gate
// pass of a release and a shipment's packing slip.
import { lotSortKey } from '../../src-shared/lots'
import { AppError } from '../../src-shared/rpc'
import { iso } from '../core/clock'
import type { BalanceSource, BuyerBalance, PickLotSource, SaleHeading, WarehousePrintSource } from '../core/ports'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import { clientName, firstPaddle, lotPayment, lotsByIds, requireSale, shipmentItemIds } from './desk'
import { contentsOf } from './shipping'

function saleHeading(db: Replica, saleId: string): SaleHeading {
  requireSale(db, saleId)
  const s = db.first(
    db.q.selectFrom('sales').select(['id', 'label', 'sale_number', 'sale_date']).where('id', '=', saleId)
  )!
  return { id: s.id, label: s.label, number: s.sale_number, date: s.sale_date }
}

function paddleOf(db: Replica, saleId: string, clientId: string | null): string | null {
  if (!clientId) return null
  return firstPaddle(db, saleId, clientId)
}

function customerNumber(db: Replica, clientId: string): string | null {
  return (
    db.first(db.q.selectFrom('clients').select('customer_number').where('id', '=', clientId))?.customer_number ?? null
  )
}

export function warehousePrintSource(db: Replica, balances: BalanceSource): WarehousePrintSource {
  return {
    tags(saleId, itemIds) {
      const sale = saleHeading(db, saleId)
      const rows = itemIds
        ? lotsByIds(db, itemIds)
        : db.all(
            db.q
              .selectFrom('items')
              .select(['id', 'sale_id', 'lot', 'title', 'status', 'winner_paddle'])
              .where('sale_id', '=', saleId)
              .orderBy('lot_sort')
          )
      if (itemIds) {
        const missing = itemIds.filter((id) => !rows.some((r) => r.id === id && r.sale_id === saleId))
        if (missing.length) {
          throw new AppError('not_found', `Not lots of sale ${sale.label} on this station: ${missing.join(', ')}.`, {
            itemIds: ['Not lots of this sale.']
          })
        }
      }
      if (rows.length === 0) throw new AppError('not_found', `Sale ${sale.label} has no lots on this station.`)
      return {
        sale,
        tags: rows.map((r) => ({
          itemId: r.id,
          lot: r.lot,
          title: r.title,
          paddle: r.status === 'sold' ? r.winner_paddle : null
        }))
      }
    },

    pickList(saleId, paddle) {
      const sale = saleHeading(db, saleId)
      let clientId: string | null = null
      if (paddle) {
        const b = db.first(
          db.q
            .selectFrom('sale_bidders')
            .select('client_id')
            .where('sale_id', '=', saleId)
            .where((eb) => eb(eb.fn('upper', ['paddle']), '=', eb.fn('upper', [eb.val(paddle)])))
        )
        if (!b) throw new AppError('not_found', `Paddle ${paddle} is not registered for this sale.`)
        clientId = b.client_id
      }
      const sold = db.all(
        db.q
          .selectFrom('items')
          .select(['id', 'lot', 'title', 'location', 'winner_client_id', 'winner_paddle'])
          .where('sale_id', '=', saleId)
          .where('status', '=', 'sold')
          .where('winner_client_id', 'is not', null)
          .$if(clientId !== null, (q) => q.where('winner_client_id', '=', clientId))
          .where('id', 'not in', (eb) => eb.selectFrom('collections').select('item_id'))
          .orderBy('lot_sort')
          .$narrowType<{ winner_client_id: string }>()
      )
      const balances_ = new Map<string, BuyerBalance>()
      const balanceOf = (client: string) => {
        let b = balances_.get(client)
        if (!b) balances_.set(client, (b = balances.buyer(saleId, client)))
        return b
      }
      const lots: PickLotSource[] = sold
        .filter((l) => lotPayment(balanceOf(l.winner_client_id), l.id).paid)
        .map((l) => ({
          itemId: l.id,
          lot: l.lot,
          title: l.title,
          location: l.location,
          paddle: l.winner_paddle,
          buyer: clientName(db, l.winner_client_id)
        }))
      // By location (shelf order, numbers as numbers), lots with no location last; then catalogue order.
      lots.sort((a, b) => {
        if (a.location === null || b.location === null) {
          if (a.location !== b.location) return a.location === null ? 1 : -1
        } else {
          const byPlace = a.location.localeCompare(b.location, 'en', { numeric: true, sensitivity: 'base' })
          if (byPlace !== 0) return byPlace
        }
        return lotSortKey(a.lot) < lotSortKey(b.lot) ? -1 : lotSortKey(a.lot) > lotSortKey(b.lot) ? 1 : 0
      })
      return { sale, paddle: paddle ?? null, lots }
    },

    release(releaseId) {
      const rows = db.all(db.q.selectFrom('collections').selectAll().where('release_id', '=', releaseId))
      if (rows.length === 0) throw new AppError('not_found', `There is no release ${releaseId} on this station.`)
      const first = rows[0]
      const sale = saleHeading(db, first.sale_id)
      const items = new Map(
        lotsByIds(
          db,
          rows.map((r) => r.item_id)
        ).map((l) => [l.id, l])
      )
      const balance = first.client_id ? balances.buyer(first.sale_id, first.client_id) : null
      const customer = first.client_id ? customerNumber(db, first.client_id) : null
      return {
        releaseId,
        sale,
        buyer: {
          name: clientName(db, first.client_id),
          customerNumber: customer,
          paddle: first.paddle ?? paddleOf(db, first.sale_id, first.client_id)
        },
        collectedBy: first.collected_by,
        note: first.note,
        at: iso(first.at),
        releasedBy: first.released_by,
        station: first.station,
        lots: [...rows]
          .sort((a, b) => (lotSortKey(a.lot) < lotSortKey(b.lot) ? -1 : 1))
          .map((r) => ({
            lot: r.lot,
            title: items.get(r.item_id)?.title ?? '',
            orderNumber: balance ? (lotPayment(balance, r.item_id).order?.number ?? null) : null,
            confirmedReason: r.confirmed_reason
          }))
      }
    },

    packingSlip(shipmentId) {
      const s = db.first(
        db.q
          .selectFrom('shipments')
          .select([
            'id',
            'server_id',
            'sale_id',
            'order_id',
            'method',
            'tracking_number',
            'weight_grams',
            'length_mm',
            'width_mm',
            'height_mm'
          ])
          .where((eb) => eb.or([eb('id', '=', shipmentId), eb('server_id', '=', shipmentId)]))
      )
      if (!s) throw new AppError('not_found', `There is no shipment ${shipmentId} on this station.`)
      const order = balances.order(s.order_id)
      const saleId = s.sale_id ?? order?.saleId
      if (!saleId) throw new AppError('not_found', `The order of shipment ${shipmentId} is no longer on this station.`)
      const itemIds = shipmentItemIds(db, s.id)
      const lots = lotsByIds(db, itemIds)
      const orderIds = [s.order_id, ...(order ? [order.orderId, ...(order.serverId ? [order.serverId] : [])] : [])]
      const boxes = db
        .all(
          db.q
            .selectFrom('shipping_boxes')
            .select(['id', 'box_number', 'items', 'weight_grams', 'length_mm', 'width_mm', 'height_mm'])
            .where('order_id', 'in', jsonValues([...new Set(orderIds)]))
            .orderBy('box_number')
        )
        .map((b) => ({ number: b.box_number, ...contentsOf(b) }))
        .filter((b) => b.itemIds.some((i) => itemIds.includes(i)))
      const boxOf = (itemId: string) => boxes.find((b) => b.itemIds.includes(itemId))?.number ?? null
      const lotOf = (itemId: string) => lots.find((l) => l.id === itemId)?.lot ?? itemId
      const clientId = order?.clientId ?? lots[0]?.winner_client_id ?? null
      const customer = clientId ? customerNumber(db, clientId) : null
      const d =
        s.length_mm !== null && s.width_mm !== null && s.height_mm !== null
          ? { length: s.length_mm, width: s.width_mm, height: s.height_mm }
          : null
      return {
        shipmentId: s.id,
        serverId: s.server_id,
        sale: saleHeading(db, saleId),
        orderId: order?.orderId ?? s.order_id,
        orderNumber: order?.number ?? s.order_id,
        buyer: {
          clientId,
          name: clientName(db, clientId),
          customerNumber: customer,
          paddle: paddleOf(db, saleId, clientId)
        },
        method: s.method,
        trackingNumber: s.tracking_number,
        weightGrams: s.weight_grams,
        dimensionsMm: d,
        lots: lots.map((l) => ({ lot: l.lot, title: l.title, boxNumber: boxOf(l.id) })),
        boxes: boxes.map((b) => ({
          boxNumber: b.number,
          lots: b.itemIds.filter((i) => itemIds.includes(i)).map(lotOf),
          weightGrams: b.weightGrams,
          dimensionsMm: b.dimensionsMm
        }))
      }
    }
  }
}
