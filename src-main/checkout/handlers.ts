// The checkout's calls.
import type { checkoutCalls } from '../../src-shared/contract/checkout'
import type { Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import { checkoutInvoice, findBuyers } from './invoice-view'
import { addCharge, removeCharge } from './charges'
import { cancelReissue, creditNote, split } from './order-commands'
import { setStatus } from './order-status'
import { checkoutQueue } from './queue'
import { pay, voidPayment, type CheckoutDeps } from './payments'

export function checkoutHandlers(deps: CheckoutDeps & { clock: Clock }): HandlersFor<typeof checkoutCalls> {
  const { db } = deps
  const today = () => new Date(deps.clock.now()).toISOString().slice(0, 10)
  return {
    'checkout.invoice': ({ saleId, paddle }) => checkoutInvoice(db, saleId, paddle),
    'checkout.find': ({ saleId, q }) => findBuyers(db, saleId, q),
    'checkout.queue': ({ saleId }) => checkoutQueue(db, saleId),
    'checkout.pay': (input) => pay(deps, input, today()),
    'checkout.voidPayment': (input) => voidPayment(deps, input),
    'checkout.setStatus': ({ orderId, status }) => setStatus(deps, orderId, status),
    'checkout.split': ({ orderId, itemIds }) => split(deps, orderId, itemIds),
    'checkout.creditNote': ({ orderId, itemIds, reason }) => creditNote(deps, orderId, itemIds, reason),
    'checkout.cancelReissue': ({ orderId }) => cancelReissue(deps, orderId),
    'checkout.addCharge': (input) => addCharge(deps, input),
    'checkout.removeCharge': (input) => removeCharge(deps, input),
    'checkout.chargeTerms': () =>
      db.all(
        db.q
          .selectFrom('reference_terms')
          .select(['id', 'label'])
          .where('vocabulary', '=', 'additional_charges')
          .orderBy('label')
      )
  }
}
