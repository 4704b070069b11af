// The podium: recording each lot as the auctioneer sells it. The five action
// names and their inputs are a public interface (venue scripts call them on
// the web host's /rpc); amounts are integer minor units.
import { z } from 'zod'
import type { BidStepRange } from '../bid-steps'
import { call, id, minor, paddle } from './define'

export type ClerkStatus = 'available' | 'sold' | 'unsold' | 'withdrawn'

export interface PodiumLot {
  id: string
  lot: string
  title: string
  status: ClerkStatus
  estimateLow: number | null
  estimateHigh: number | null
  reserve: number | null
  hammer: number | null
  paddle: string | null
  winnerName: string | null
  consignor: string | null
  /** The session whose lot range holds this lot, if the sale has sessions. */
  sessionId: string | null
  /** An unsent change of ours is on its way to Circuit. */
  pending: boolean
  /** Circuit's record disagrees with ours; settle it on the Sync screen (F4). */
  conflict: boolean
}

export interface PodiumSession {
  id: string
  number: number
  firstLot: string | null
  lastLot: string | null
}

export interface PodiumBidder {
  paddle: string
  clientId: string
  name: string
  type: string
}

export interface ClerkBoard {
  sale: { id: string; label: string; saleNumber: string | null; currencySymbol: string }
  bidSteps: BidStepRange[] | null
  sessions: PodiumSession[]
  lots: PodiumLot[]
  bidders: PodiumBidder[]
}

export interface ClerkResult {
  lot: PodiumLot
  /** The next unclerked lot after this one, in catalogue order. */
  nextId: string | null
  /** The audit entry the action wrote. */
  auditId: number
}

export const clerkingCalls = {
  'clerking.board': call<ClerkBoard>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "A sale's lots, sessions, paddles and bid steps for the podium, from the replica"
  }),
  'clerking.lots': call<PodiumLot[]>()(z.object({ ids: z.array(id).min(1).max(500) }).strict(), {
    mutates: false,
    summary: 'Lots by id, to refresh the ones that changed'
  }),
  'clerking.sell': call<ClerkResult>()(
    z
      .object({
        itemId: id,
        paddle,
        amount: minor.positive('A hammer price is more than zero.'),
        confirm: z.boolean().optional()
      })
      .strict(),
    {
      mutates: true,
      summary:
        'Hammer: sold to a paddle (at most 12 characters) for an amount in minor units (at most 10^11). An unknown paddle, a price under the reserve, off the bid steps or more than five times the high estimate, or re-selling a sold lot answers needs_confirmation (fields.reasons) unless confirm is true'
    }
  ),
  'clerking.pass': call<ClerkResult>()(z.object({ itemId: id }).strict(), {
    mutates: true,
    summary: 'The lot passed (unsold)'
  }),
  'clerking.withdraw': call<ClerkResult>()(z.object({ itemId: id }).strict(), {
    mutates: true,
    summary: 'The lot is withdrawn from the sale'
  }),
  'clerking.reopen': call<ClerkResult>()(z.object({ itemId: id }).strict(), {
    mutates: true,
    summary: 'A sold, passed or withdrawn lot goes back to unclerked (available on Circuit)'
  }),
  'clerking.undo': call<ClerkResult>()(z.object({}).strict(), {
    mutates: true,
    summary: "Revert this station's last clerking action"
  })
} as const
