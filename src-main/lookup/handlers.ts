// Look-ups, answered from the replica.
import type { lookupCalls } from '../../src-shared/contract/lookup'
import type { HandlersFor } from '../core/dispatcher'
import type { Replica } from '../db/replica'
import { buyerLots, lookupBuyers, lookupLots } from './lookup'

export function lookupHandlers(db: Replica): HandlersFor<typeof lookupCalls> {
  return {
    // The look-up screen's one call per keystroke: both lists answered together.
    'lookup.search': ({ q, saleId, lotLimit, buyerLimit }) => ({
      q,
      lots: lookupLots(db, q, saleId, lotLimit),
      buyers: lookupBuyers(db, q, saleId, buyerLimit)
    }),
    'lookup.lots': ({ q, saleId, limit }) => lookupLots(db, q, saleId, limit),
    'lookup.buyers': ({ q, saleId, limit }) => lookupBuyers(db, q, saleId, limit),
    'buyer.lots': ({ clientId, saleId }) => buyerLots(db, clientId, saleId)
  }
}
