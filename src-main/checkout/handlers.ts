// The checkout's calls.
import type { checkoutCalls } from '../../src-shared/contract/checkout'
import type { HandlersFor } from '../core/dispatcher'
import type { Replica } from '../db/replica'
import { checkoutInvoice, findBuyers } from './invoice-view'

export function checkoutHandlers(db: Replica): HandlersFor<typeof checkoutCalls> {
  return {
    'checkout.invoice': ({ saleId, paddle }) => checkoutInvoice(db, saleId, paddle),
    'checkout.find': ({ saleId, q }) => findBuyers(db, saleId, q)
  }
}
