// A phone card's outbox entries are keyed by sale/session/client, not by the
// card's id (phone-cards/card-state.ts `cardKey`): Circuit keeps one card per
// client and session, and a card made here has no id of Circuit's yet. The
// same key in SQL, for statements that keep a card with a change waiting.
import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../db/schema'

export const cardEntityId = (eb: ExpressionBuilder<Database, 'phone_bidder_cards'>) =>
  eb.fn<string>('concat', ['sale_id', eb.val('/'), eb.fn.coalesce('session_id', eb.val('')), eb.val('/'), 'client_id'])
