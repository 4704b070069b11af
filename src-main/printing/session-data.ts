// What the session sheets print, read from the replica: a session's
// phone-bidder cards (the phone-cards capability's, through its kernel port)
// and the clerk sheet of its lots, with results, reserves and phone marks.
import { lotSortKey } from '../../src-shared/lots'
import type { PhoneCardPrintSource } from '../core/ports'
import type { Replica } from '../db/replica'
import { house, saleRef } from './from-replica'
import type { ClerkSheetData, PhoneBidderCardsData } from './types'

export function phoneCardsData(
  db: Replica,
  source: PhoneCardPrintSource,
  sessionId: string,
  now: number
): PhoneBidderCardsData {
  const session = source.session(sessionId)
  const cards = source.cards(sessionId)
  const sale = saleRef(db, session.sale_id, now)
  return {
    house: house(db),
    sale: { ...sale, name: `${sale.name} — session ${session.number}` },
    bidders: cards.map((c) => ({
      name: c.clientName,
      paddle: c.paddle ?? '',
      phone: c.phone ?? '',
      staffMember: c.staffName ?? '',
      lots: c.lots.map((l) => ({
        lotNumber: l.lot,
        title: l.title,
        estimateLow: l.estimateLow,
        estimateHigh: l.estimateHigh
      }))
    }))
  }
}

/** An item's status as the clerk sheet prints it: sold, PASS, WD, or blank while it is not clerked. */
function sheetResult(status: string): 'sold' | 'passed' | 'withdrawn' | null {
  if (status === 'sold') return 'sold'
  if (status === 'unsold' || status === 'passed') return 'passed'
  if (status === 'withdrawn') return 'withdrawn'
  return null
}

export function clerkSheetData(
  db: Replica,
  source: PhoneCardPrintSource,
  sessionId: string,
  now: number
): ClerkSheetData {
  const session = source.session(sessionId)
  const from = session.first_lot
  const to = session.last_lot
  const lo = from === null ? '' : lotSortKey(from)
  const hi = to === null ? '\uffff' : lotSortKey(to)
  // The phone bank's cards: how many bidders are on each lot.
  const phones = new Map<string, number>()
  for (const card of source.cards(sessionId)) {
    for (const l of card.lots) phones.set(l.itemId, (phones.get(l.itemId) ?? 0) + 1)
  }
  const lots = db
    .all(
      db.q
        .selectFrom('items')
        .select(['id', 'lot', 'title', 'estimate_low', 'estimate_high', 'reserve', 'status', 'winner_paddle', 'hammer'])
        .where('sale_id', '=', session.sale_id)
        .orderBy('lot_sort')
    )
    // A lettered lot (269A) belongs with its number's session.
    .filter((l) => {
      const key = lotSortKey(l.lot)
      return key >= lo && (key <= hi || key.startsWith(hi))
    })
    .map((l) => {
      const result = sheetResult(l.status)
      return {
        lotNumber: l.lot,
        title: l.title,
        estimateLow: l.estimate_low,
        estimateHigh: l.estimate_high,
        reserve: l.reserve,
        phoneBidders: phones.get(l.id) ?? 0,
        result,
        paddle: result === 'sold' ? l.winner_paddle : null,
        price: result === 'sold' ? l.hammer : null
      }
    })
  return {
    house: house(db),
    sale: saleRef(db, session.sale_id, now),
    sessionLabel: `Session ${session.number}${from ? ` (lots ${from}–${to ?? ''})` : ''}`,
    lots
  }
}
