// Phone-bidder cards: per sale session, which client is called for which lots
// and by which member of staff. The names phoneCards.list / .save / .delete
// and their inputs are a public interface (venue scripts call them on the web
// host's /rpc).
import { z } from 'zod'
import { call, id, singleLine } from './define'

export interface PhoneCardLot {
  itemId: string
  lot: string
  title: string
  estimateLow: number | null
  estimateHigh: number | null
  status: string
}

export interface PhoneCard {
  /** Circuit's id, or a local- id until Circuit has the card. */
  id: string
  saleId: string
  sessionId: string | null
  clientId: string
  clientName: string
  paddle: string | null
  /** The paddle is registered on Circuit as a phone paddle for this sale. */
  phonePaddle: boolean
  phone: string | null
  staffId: string | null
  staffName: string | null
  /** In sale order. */
  lots: PhoneCardLot[]
  /** A change of ours is on its way to Circuit. */
  pending: boolean
  /** Circuit's card disagrees with ours; settle it on the Sync screen (F4). */
  conflict: boolean
}

export interface PhoneStaff {
  id: string
  name: string
  /** Circuit gives this member of staff the phone role. */
  phoneStaff: boolean
}

export interface PhoneCardsOptions {
  session: { id: string; saleId: string; number: number; firstLot: string | null; lastLot: string | null }
  staff: PhoneStaff[]
}

/** Who waits on the phone for a lot, as the podium shows it. */
export interface PhoneBid {
  cardId: string
  clientName: string
  paddle: string | null
  phone: string | null
  staffName: string | null
}

const paddle = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .regex(/^[A-Za-z0-9-]+$/, 'A paddle is letters and digits.')
/** A lot ("12", "269A") or a range of lots ("15-18"). */
const lotOrRange = z
  .string()
  .trim()
  .min(1)
  .max(25)
  .regex(
    /^[0-9]{1,9}[A-Za-z]{0,3}(\s*[-–]\s*[0-9]{1,9}[A-Za-z]{0,3})?$/,
    'A lot is a number with an optional letter (12, 269A) or a range (15-18).'
  )
const phone = z
  .string()
  .trim()
  .max(40)
  .regex(/^[0-9+()./\s-]*(ext\.?\s*[0-9]+)?$/i, 'A phone number is digits, spaces and + ( ) - . /')

export const cardInput = z
  .object({
    /** Omit for a new card; Circuit keeps one card per client and session. */
    id: id.optional(),
    sessionId: id,
    /** The client; or give the paddle and the client is found from it. */
    clientId: id.optional(),
    paddle: paddle.optional(),
    phone: phone.nullable().optional(),
    staffId: id.nullable().optional(),
    /** Lot numbers or ranges, in the card's session. */
    lots: z.array(lotOrRange).max(500)
  })
  .strict()
  .refine((c) => c.clientId !== undefined || c.paddle !== undefined, {
    message: 'Give the client (clientId) or their paddle.',
    path: ['clientId']
  })
export type CardInput = z.output<typeof cardInput>

export const phoneCardCalls = {
  'phoneCards.list': call<PhoneCard[]>()(z.object({ sessionId: id }).strict(), {
    mutates: false,
    summary: "A session's phone-bidder cards, from the replica"
  }),
  'phoneCards.options': call<PhoneCardsOptions>()(z.object({ sessionId: id }).strict(), {
    mutates: false,
    summary: 'The session and the staff who can be assigned to call'
  }),
  'phoneCards.save': call<PhoneCard>()(z.object({ card: cardInput }).strict(), {
    mutates: true,
    summary:
      'Add or change a card (one per client and session, as on Circuit). One member of staff cannot call two bidders for the same lot'
  }),
  'phoneCards.delete': call<{ deleted: string }>()(z.object({ cardId: id }).strict(), {
    mutates: true,
    summary: 'Delete a card'
  }),
  'phoneCards.moveLot': call<{ from: PhoneCard; to: PhoneCard }>()(
    z.object({ lot: singleLine(12), fromCardId: id, toCardId: id }).strict(),
    { mutates: true, summary: 'Move a lot from one card to another, in one step' }
  ),
  'phoneCards.podium': call<Record<string, PhoneBid[]>>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: 'For each lot of a sale, the phone bidders who want it and who calls them'
  })
} as const
