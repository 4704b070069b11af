// Look-ups for the warehouse and the cashier, answered from the replica.
import { z } from 'zod'
import { call, id, searchText } from './define'

export interface LotRow {
  id: string
  saleId: string
  saleLabel: string
  lot: string
  title: string
  status: string
  estimateLow: number | null
  estimateHigh: number | null
  hammer: number | null
  winnerPaddle: string | null
  winnerName: string | null
  location: string | null
}

export interface BuyerRow {
  clientId: string
  name: string
  company: string | null
  customerNumber: string | null
  paddles: { saleId: string; paddle: string; type: string }[]
  email: string | null
  phone: string | null
}

/** One keystroke's answer: the lots and the buyers for the same text. */
export interface LookupResult {
  /** The text searched, as received: the screen shows results only for what is typed now. */
  q: string
  lots: LotRow[]
  buyers: BuyerRow[]
}

export const lookupCalls = {
  'lookup.search': call<LookupResult>()(
    z
      .object({
        q: searchText,
        saleId: id.optional(),
        lotLimit: z.number().int().min(1).max(200).default(50),
        buyerLimit: z.number().int().min(1).max(200).default(20)
      })
      .strict(),
    {
      mutates: false,
      summary:
        'Lots (by number, or by words in lot order) and buyers (by paddle, name or customer number) for one text, in one call'
    }
  ),
  'lookup.lots': call<LotRow[]>()(
    z.object({ q: searchText, saleId: id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    { mutates: false, summary: 'Find lots by number or words in the title' }
  ),
  'lookup.buyers': call<BuyerRow[]>()(
    z.object({ q: searchText, saleId: id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    { mutates: false, summary: 'Find buyers by paddle, name or customer number' }
  ),
  'buyer.lots': call<LotRow[]>()(z.object({ clientId: id, saleId: id.optional() }).strict(), {
    mutates: false,
    summary: "A buyer's lots"
  })
} as const
