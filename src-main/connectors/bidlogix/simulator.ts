// The Bidlogix simulator, from the create-items page: `POST
// /auction-mgt/bdxapi/items/{auctionId}?clientId=` with a BackboneCollectionModel,
// items created as DRAFT, the ErrorModel on a 400 (wrong types, a duplicate lot
// number — "with the duplicates listed in the body"), WebcastItem only in a
// webcast auction; the page's open points as switches (how the key travels,
// how duplicates are listed, buyersPremium as Long or BigDecimal) and faults.
// `GET /_sim/state` answers the items it holds.
import type { BidlogixKeyTransport } from '../../../src-shared/contract'
import { Faults, startJsonServer, type Reply, type RunningSim, type SimRequest } from '../sim-kit'
import { credentialHeaders, DEFAULT_KEY_TRANSPORT } from './protocol'

export interface BidlogixSimOptions {
  port?: number
  host?: string
  clientId: string
  key: string
  keyTransport?: BidlogixKeyTransport
  /** Auction ids and their type; default 1001 (timed) and 1002 (webcast). */
  auctions?: { id: string; webcast: boolean }[]
  /** 'list': the 400 carries `duplicates: [...]`; 'message': only its message names them. */
  duplicates?: 'list' | 'message'
  /** buyersPremium: 'long' (0–100, whole) as the field table's first row; 'decimal' as its second. */
  premium?: 'long' | 'decimal'
  seed?: number
}

export interface SimItem {
  id: number
  auctionId: string
  auctionIndex: number
  type: string
  lotNumber: string
  title: string
  summary: string | null
  description: string | null
  statusId: number
  openingBid: number | null
  reservePrice: number | null
  buyersPremium: number | null
  vendorId: number | null
  categoryId: number | null
  images: { url: string }[]
}

export interface RunningBidlogixSim extends RunningSim {
  items(): SimItem[]
  faults: Faults
}

const ITEM_TYPES = ['Listing', 'Lot', 'WebcastItem', 'BulkBuyItem']
const LONG_FIELDS = [
  'openingBid',
  'bidIncrement',
  'reservePrice',
  'numberOfUnits',
  'vendorId',
  'categoryId',
  'minimumAcceptableOffer',
  'displayPrice'
]
const DECIMAL_FIELDS = ['charges', 'chargesTaxRate', 'hammerTaxRate', 'bpTaxRate']

const errorModel = (message: string, field: string | null = null, code = 'BIDLOGIX_API', extra: object = {}) => ({
  '@class': '.ErrorModel',
  failed: true,
  field,
  code,
  message,
  loggedIn: false,
  ...extra
})

/** Jackson's wording for a value of the wrong type (the docs' own error example). */
function typeError(field: string, javaType: string, value: unknown): Reply {
  return {
    status: 400,
    body: errorModel(
      `Could not read JSON: Can not construct instance of ${javaType} from ${typeof value === 'string' ? `String value '${value}'` : JSON.stringify(value)}: not a valid representation (through reference chain: com.bidlogix.scaffold.models.BackboneCollectionModel["collection"]->com.bidlogix.scaffold.models.auctionapi.ItemApiModel["${field}"])`,
      field
    )
  }
}

export async function startBidlogixSimulator(o: BidlogixSimOptions): Promise<RunningBidlogixSim> {
  const transport = o.keyTransport ?? DEFAULT_KEY_TRANSPORT
  const auctions = new Map(
    (
      o.auctions ?? [
        { id: '1001', webcast: false },
        { id: '1002', webcast: true }
      ]
    ).map((a) => [a.id, { ...a, items: [] as SimItem[] }])
  )
  const faults = new Faults(o.seed ?? 1)
  let nextId = 200
  const expected = credentialHeaders(o.key, o.clientId, transport)

  function create(req: SimRequest, auctionId: string): Reply {
    if (req.query.get('clientId') !== o.clientId)
      return { status: 401, body: errorModel('Unknown or missing clientId.', 'clientId', 'UNAUTHORIZED') }
    for (const [h, v] of Object.entries(expected)) {
      if (req.headers[h] !== v)
        return { status: 401, body: errorModel('API credentials missing or invalid.', null, 'UNAUTHORIZED') }
    }
    const auction = auctions.get(auctionId)
    if (!auction) return { status: 404, body: errorModel(`No auction ${auctionId} for this client.`, 'auctionId') }
    if (req.badJson) return { status: 400, body: errorModel('Could not read JSON: malformed body.') }
    const body = req.body as { collection?: unknown; '@class'?: unknown } | undefined
    if (!body || !Array.isArray(body.collection))
      return { status: 400, body: errorModel('Body must be a collection model with "collection".', 'collection') }
    const made: SimItem[] = []
    const lots = new Set(auction.items.map((i) => i.lotNumber))
    const duplicates: string[] = []
    for (const [index, raw] of body.collection.entries()) {
      if (raw === null || typeof raw !== 'object')
        return { status: 400, body: errorModel('Each item must be an object.') }
      const it = raw as Record<string, unknown>
      if (typeof it['@class'] !== 'string')
        return { status: 400, body: errorModel('"@class" is required on each item.', '@class') }
      if (typeof it.type !== 'string' || !ITEM_TYPES.includes(it.type))
        return { status: 400, body: errorModel(`type must be one of ${ITEM_TYPES.join(', ')}.`, 'type') }
      if (it.type === 'WebcastItem' && !auction.webcast)
        return {
          status: 400,
          body: errorModel(
            `type 'WebcastItem' is only valid in a Webcast auction; auction ${auctionId} is not.`,
            'type'
          )
        }
      for (const f of LONG_FIELDS) {
        const v = it[f]
        if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isSafeInteger(v)))
          return typeError(f, 'java.lang.Long', v)
      }
      for (const f of DECIMAL_FIELDS) {
        const v = it[f]
        if (v !== undefined && v !== null && typeof v !== 'number') return typeError(f, 'java.math.BigDecimal', v)
      }
      const bp = it.buyersPremium
      if (bp !== undefined && bp !== null) {
        if (typeof bp !== 'number' || bp < 0 || bp > 100) return typeError('buyersPremium', 'java.lang.Long', bp)
        if ((o.premium ?? 'long') === 'long' && !Number.isInteger(bp))
          return typeError('buyersPremium', 'java.lang.Long', bp)
      }
      const lotNumber = typeof it.lotNumber === 'string' && it.lotNumber !== '' ? it.lotNumber : String(index + 1)
      if (lots.has(lotNumber)) duplicates.push(lotNumber)
      lots.add(lotNumber)
      const images = Array.isArray(it.images)
        ? it.images
            .filter((x): x is { url: string } => typeof (x as { url?: unknown })?.url === 'string')
            .map((x) => ({ url: x.url }))
        : []
      made.push({
        id: 0,
        auctionId,
        auctionIndex: 0,
        type: it.type,
        lotNumber,
        title: typeof it.title === 'string' && it.title !== '' ? it.title : `Item for lot number ${lotNumber}`,
        summary: typeof it.summary === 'string' ? it.summary : null,
        description: typeof it.description === 'string' ? it.description : null,
        statusId: 2,
        openingBid: (it.openingBid as number | undefined) ?? null,
        reservePrice: (it.reservePrice as number | undefined) ?? null,
        buyersPremium: (bp as number | undefined) ?? null,
        vendorId: (it.vendorId as number | undefined) ?? 10,
        categoryId: (it.categoryId as number | undefined) ?? 1,
        images
      })
    }
    if (duplicates.length) {
      const message = `Lot numbers already exist in auction ${auctionId}: ${duplicates.join(', ')}`
      return {
        status: 400,
        body: errorModel(message, 'lotNumber', 'DUPLICATE_LOT_NUMBER', o.duplicates === 'message' ? {} : { duplicates })
      }
    }
    for (const m of made) {
      m.id = nextId++
      m.auctionIndex = auction.items.length + 1
      auction.items.push(m)
    }
    return {
      status: 200,
      body: {
        '@class': '.BackboneCollectionModel',
        collection: made.map((m) => ({
          '@class': '.auctionapi.ItemApiModel',
          id: m.id,
          type: m.type,
          auctionIndex: m.auctionIndex,
          auctionId: Number(auctionId),
          title: m.title,
          summary: m.summary,
          description: m.description,
          lotNumber: m.lotNumber,
          statusId: m.statusId,
          buyersPremium: m.buyersPremium ?? 15,
          openingBid: m.openingBid,
          reservePrice: m.reservePrice,
          vendorId: m.vendorId,
          categoryId: m.categoryId,
          images: m.images.map((i) => ({ '@class': '.UrlAttachmentApiModel', type: null, url: i.url, label: null }))
        }))
      }
    }
  }

  function api(req: SimRequest): Reply {
    const m = /^\/auction-mgt\/bdxapi\/items\/([^/]+)\/?$/.exec(req.path)
    if (!m) return { status: 404, body: errorModel(`No such API call: ${req.method} ${req.path}`) }
    if (req.method !== 'POST')
      return { status: 405, body: errorModel(`${req.method} is not supported; items are created with POST.`) }
    return create(req, decodeURIComponent(m[1]))
  }

  const all = () => [...auctions.values()].flatMap((a) => a.items)
  function control(req: SimRequest): Reply | null {
    if (req.path === '/_sim/state' && req.method === 'GET')
      return {
        status: 200,
        body: {
          auctions: [...auctions.values()].map((a) => ({ id: a.id, webcast: a.webcast, items: a.items.length })),
          items: all()
        }
      }
    return null
  }

  const sim = await startJsonServer({
    name: 'Bidlogix',
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    faults,
    api,
    control,
    error500: () => errorModel('Simulated server error (fault injection); nothing was created.', null, 'SERVER_ERROR')
  })
  return { ...sim, items: all, faults }
}
