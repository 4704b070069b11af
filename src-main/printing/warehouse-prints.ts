// The warehouse's print calls: lot tags, the pick list, the release note
// (gate pass) and the packing slip. What they print is read through the
// kernel's WarehousePrintSource port (the warehouse capability supplies it);
// the house's name, address and logo are printing's own. Each saves the PDF
// and answers {path, pages, printed, printer} like every print call.
import type { PrintResult } from '../../src-shared/contract'
import type { warehousePrintCalls } from '../../src-shared/contract/warehouse'
import type { HandlersFor } from '../core/dispatcher'
import type { WarehousePrintSource } from '../core/ports'
import type { Replica } from '../db/replica'
import { house } from './from-replica'
import type { DocumentOptions, RenderedDocument } from './types'

export interface WarehousePrintDeps {
  db: Replica
  warehouse: WarehousePrintSource
  now: () => number
  /** The print handlers' own: save the PDF whole, then print it if a printer is named. */
  deliver: (kind: string, id: string, doc: RenderedDocument, printer?: string) => Promise<PrintResult>
  at: () => DocumentOptions
}

/**
 * Where a shipment goes, name first: the invoice's shipping address as Circuit sent it (it starts
 * with the name), else the buyer's name and address.
 */
function shipTo(db: Replica, orderId: string, clientId: string | null, name: string): string[] {
  const o = db.first(
    db.q
      .selectFrom('orders')
      .select('invoice')
      .where((eb) => eb.or([eb('id', '=', orderId), eb('server_id', '=', orderId)]))
  )
  const fields = o?.invoice ? (JSON.parse(o.invoice) as { shippingAddress?: string[]; buyerAddress?: string[] }) : null
  const lines = fields?.shippingAddress?.length ? fields.shippingAddress : (fields?.buyerAddress ?? [])
  if (lines.length || !clientId) return lines
  const c = db.first(db.q.selectFrom('clients').select('address').where('id', '=', clientId))
  const a = c?.address
    ? (JSON.parse(c.address) as {
        street?: string | null
        city?: string | null
        state?: string | null
        postalCode?: string | null
        country?: string | null
      })
    : null
  return [name, a?.street, [a?.postalCode, a?.city].filter(Boolean).join(' '), a?.state, a?.country].filter(
    (l): l is string => typeof l === 'string' && l.trim() !== ''
  )
}

export function warehousePrintHandlers(deps: WarehousePrintDeps): HandlersFor<typeof warehousePrintCalls> {
  const { db, warehouse, deliver, at } = deps
  // PDFKit, the fonts and the barcode library load with the first print, not when the app starts.
  return {
    'print.labels': async ({ saleId, itemIds, stock, printer }) => {
      const { sale, tags } = warehouse.tags(saleId, itemIds)
      const { renderLotLabels } = await import('./documents/lot-labels')
      const doc = await renderLotLabels({ houseName: house(db).name, sale, tags }, stock, at())
      return deliver('lot-tags', `${saleId}-${stock}`, doc, printer)
    },
    'print.pickList': async ({ saleId, paddle, printer }) => {
      const list = warehouse.pickList(saleId, paddle)
      const { renderPickList } = await import('./documents/pick-list')
      const doc = await renderPickList(
        { houseName: house(db).name, ...list, printedAt: new Date(deps.now()).toISOString() },
        at()
      )
      return deliver('pick-list', paddle ? `${saleId}-paddle-${paddle}` : saleId, doc, printer)
    },
    'print.releaseNote': async ({ releaseId, printer }) => {
      const release = warehouse.release(releaseId)
      const { renderReleaseNote } = await import('./documents/release-note')
      return deliver('release-note', releaseId, await renderReleaseNote({ house: house(db), release }, at()), printer)
    },
    'print.packingSlip': async ({ shipmentId, printer }) => {
      const slip = warehouse.packingSlip(shipmentId)
      const { renderPackingSlip } = await import('./documents/packing-slip')
      const doc = await renderPackingSlip(
        {
          house: house(db),
          slip,
          shipTo: shipTo(db, slip.orderId, slip.buyer.clientId, slip.buyer.name),
          date: new Date(deps.now()).toISOString().slice(0, 10)
        },
        at()
      )
      return deliver('packing-slip', slip.shipmentId, doc, printer)
    }
  }
}
