// The podium's calls.
import type { clerkingCalls } from '../../src-shared/contract/clerking'
import type { HandlersFor } from '../core/dispatcher'
import * as clerk from './actions'
import { clerkBoard, podiumLots } from './board'

export function clerkingHandlers(deps: clerk.ClerkingDeps): HandlersFor<typeof clerkingCalls> {
  const { db } = deps
  return {
    'clerking.board': ({ saleId }) => clerkBoard(db, saleId),
    'clerking.lots': ({ ids }) => podiumLots(db, ids),
    'clerking.sell': (input) => clerk.sell(deps, input),
    'clerking.pass': ({ itemId }) => clerk.pass(deps, itemId),
    'clerking.withdraw': ({ itemId }) => clerk.withdraw(deps, itemId),
    'clerking.reopen': ({ itemId }) => clerk.reopen(deps, itemId),
    'clerking.undo': () => clerk.undo(deps)
  }
}
