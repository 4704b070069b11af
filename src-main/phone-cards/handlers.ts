// The phone-bidder cards' calls.
import type { phoneCardCalls } from '../../src-shared/contract/phone-cards'
import type { HandlersFor } from '../core/dispatcher'
import { deleteCard, moveLot, saveCard, type PhoneCardDeps } from './actions'
import { cardOptions, listCards, podiumPhoneBids } from './cards'

export function phoneCardHandlers(deps: PhoneCardDeps): HandlersFor<typeof phoneCardCalls> {
  const { db } = deps
  return {
    'phoneCards.list': ({ sessionId }) => listCards(db, sessionId),
    'phoneCards.options': ({ sessionId }) => cardOptions(db, sessionId),
    'phoneCards.save': ({ card }) => saveCard(deps, card),
    'phoneCards.delete': ({ cardId }) => deleteCard(deps, cardId),
    'phoneCards.moveLot': (input) => moveLot(deps, input),
    'phoneCards.podium': ({ saleId }) => podiumPhoneBids(db, saleId)
  }
}
