// The Bidlogix create-items client: `POST …/auction-mgt/bdxapi/items/{auctionId}?clientId=`
// with `{"@class": …BackboneCollectionModel, "collection": [...]}`, one item per
// request here, and the docs' error shape `{failed, code, message, field}`.
import { z } from 'zod'
import type { BidlogixKeyTransport } from '../../../src-shared/contract'
import { ConnectorError, sendJson } from '../http'
import { COLLECTION_CLASS, credentialHeaders, duplicateLots, readErrorModel, type ErrorModel } from './protocol'

export interface BidlogixClientOptions {
  /** The Bidlogix site, e.g. https://auctions.example.com (checked by checkBaseUrl). */
  baseUrl: string
  clientId: string
  key: string
  keyTransport: BidlogixKeyTransport
  timeoutMs?: number
}

/** One item as the create call takes it (ItemApiModel); only what we send is typed. */
export interface BidlogixItem {
  '@class': string
  type: 'Lot' | 'WebcastItem'
  lotNumber: string
  title: string
  summary?: string
  description?: string
  images?: { '@class': string; url: string }[]
  openingBid?: number
  reservePrice?: number
  buyersPremium?: number
  vendorId?: number
  categoryId?: number
}

// The answer's items: the docs' two examples differ (abbreviated @class names,
// `type` "Listing" for a BulkBuyItem sent); only id and lotNumber are read.
const createdItem = z
  .object({
    id: z.union([z.number().int().safe(), z.string().regex(/^\d+$/)]).transform(String),
    lotNumber: z.union([z.string(), z.number()]).nullish(),
    statusId: z.number().int().nullish()
  })
  .passthrough()
const createdCollection = z.object({ collection: z.array(createdItem) }).passthrough()

export interface CreatedItem {
  id: string
  lotNumber: string | null
  /** 2 = DRAFT (the docs' state table). */
  statusId: number | null
}

export type CreateResult =
  | { kind: 'created'; items: CreatedItem[] }
  /** 400: these lot numbers already exist in the auction. */
  | { kind: 'duplicate'; lots: string[]; message: string }

export type BidlogixClient = ReturnType<typeof createBidlogixClient>

export function createBidlogixClient(o: BidlogixClientOptions) {
  function refused(status: number, model: ErrorModel | null, body: unknown): ConnectorError {
    const said = (model?.message ?? '').slice(0, 300)
    const field = model?.field ? ` (field ${model.field})` : ''
    if (status === 401 || status === 403)
      return new ConnectorError(
        'auth',
        `Bidlogix refused the client id or key (${status})${said ? `: ${said}` : ''}. Check them in Connectors (F8).`,
        status,
        body
      )
    if (status >= 500)
      return new ConnectorError('http', `Bidlogix failed (${status})${said ? `: ${said}` : ''}.`, status, body)
    return new ConnectorError(
      'http',
      `Bidlogix refused the item (${status})${field}${said ? `: ${said}` : ''}.`,
      status,
      body
    )
  }

  /**
   * Create items in the auction. A lost answer is an `unknown-outcome`
   * ConnectorError: the caller sends again, and a "duplicate lot number"
   * answer then says whether the first one got through.
   */
  async function createItems(auctionId: string, items: BidlogixItem[]): Promise<CreateResult> {
    const url = `${o.baseUrl}/auction-mgt/bdxapi/items/${encodeURIComponent(auctionId)}?clientId=${encodeURIComponent(o.clientId)}`
    const what = `Bidlogix auction ${auctionId}, lot ${items.map((i) => i.lotNumber).join(', ')}`
    const res = await sendJson({
      method: 'POST',
      url,
      headers: credentialHeaders(o.key, o.clientId, o.keyTransport),
      body: { '@class': COLLECTION_CLASS, collection: items },
      timeoutMs: o.timeoutMs ?? 30_000,
      mutating: true,
      what
    })
    const model = readErrorModel(res.body)
    if (res.status === 400 && model) {
      const lots = duplicateLots(model)
      if (lots) return { kind: 'duplicate', lots, message: model.message ?? '' }
    }
    if (res.status >= 400 || model) throw refused(res.status >= 400 ? res.status : 400, model, res.body)
    const parsed = createdCollection.safeParse(res.body)
    if (!parsed.success)
      throw new ConnectorError(
        'bad-response',
        `${what}: the answer is not the documented collection (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}).`,
        res.status
      )
    return {
      kind: 'created',
      items: parsed.data.collection.map((c) => ({
        id: c.id,
        lotNumber: c.lotNumber === null || c.lotNumber === undefined ? null : String(c.lotNumber),
        statusId: c.statusId ?? null
      }))
    }
  }

  return { createItems }
}
