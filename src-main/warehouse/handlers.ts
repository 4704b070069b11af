// The collection desk's calls: finding a buyer, releasing lots, shipments and
// boxes. Everything is read from and written to this station's copy; shipments
// and boxes then go to Circuit through the outbox, collections never do (a
// station joined to a venue hub shares them through the hub).
import type { warehouseCalls } from '../../src-shared/contract/warehouse'
import type { Actions } from '../core/action'
import type { HandlersFor } from '../core/dispatcher'
import type { BalanceSource } from '../core/ports'
import type { Replica } from '../db/replica'
import { collectionsOfSale, deskBuyer, findAtDesk, shippingAreas } from './desk'
import { recordRelease, release } from './release'
import { box, ship } from './shipping'

export interface WarehouseHandlerDeps {
  db: Replica
  actions: Actions
  /** Paid or not: the checkout's figures (the composition root wires checkout's source). */
  balances: BalanceSource
}

export function warehouseHandlers(deps: WarehouseHandlerDeps): HandlersFor<typeof warehouseCalls> {
  const { db } = deps
  return {
    'warehouse.find': ({ saleId, q, scanned }) => findAtDesk(deps, saleId, q, scanned === true),
    'warehouse.buyer': ({ saleId, clientId }) => deskBuyer(deps, saleId, clientId),
    'warehouse.release': (input) => release(deps, input),
    'warehouse.recordRelease': (input) => recordRelease(deps, input),
    'warehouse.collections': ({ saleId }) => collectionsOfSale(db, saleId),
    'warehouse.ship': (input) => ship(deps, input),
    'warehouse.box': (input) => box(deps, input),
    'warehouse.shippingAreas': () => shippingAreas(db)
  }
}
