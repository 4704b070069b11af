// Connectors: lots in from FairWarning (into a Circuit sale) and out to
// Bidlogix (from a Circuit sale). Each move is previewed first, is safe to run
// twice, and says what did not fit. The previews, import and publish calls are
// a fixed interface (venue scripts drive them over the web host's /rpc).
import { z } from 'zod'
import { call, id, noInput } from './define'

/** How the FairWarning API keys travel (its item page does not say; see the connector's README). */
export const FAIRWARNING_KEY_TRANSPORTS = ['key-headers', 'x-api-key', 'bearer', 'query', 'body'] as const
export type FairWarningKeyTransport = (typeof FAIRWARNING_KEY_TRANSPORTS)[number]
/** `items/[start]/[limit]`: the last segment as an end index (the docs' prose) or as a count (its name). */
export const LIMIT_MEANINGS = ['end', 'count'] as const
export type LimitMeaning = (typeof LIMIT_MEANINGS)[number]
/** The unit FairWarning's dimensions are in (weights follow: inches with pounds, centimetres with kilograms). */
export const DIMENSION_UNITS = ['in', 'cm'] as const
export type DimensionUnit = (typeof DIMENSION_UNITS)[number]
/** How the Bidlogix API key travels ("See Bidlogix API document"; see the connector's README). */
export const BIDLOGIX_KEY_TRANSPORTS = ['header', 'signature', 'bearer'] as const
export type BidlogixKeyTransport = (typeof BIDLOGIX_KEY_TRANSPORTS)[number]
/** `openingBid` / `reservePrice` are "Long": whole currency units, or minor units (cents). */
export const BIDLOGIX_MONEY_UNITS = ['whole', 'minor'] as const
export type BidlogixMoneyUnit = (typeof BIDLOGIX_MONEY_UNITS)[number]

export interface FairWarningSettings {
  url: string | null
  /** A key is kept (in the secret store); the key itself never leaves the core. */
  keySet: boolean
  keyTransport: FairWarningKeyTransport
  limitMeaning: LimitMeaning
  pageSize: number
  dimensionUnit: DimensionUnit
  /** FairWarning primary category id → Circuit category id: the table the user keeps. */
  categories: Record<string, string>
  /** Per Circuit sale: FairWarning consignor number (or receipt "R<id>", or "*" for any other) → consignment id. */
  consignments: Record<string, Record<string, string>>
  /** Address and key come from FAIRWARNING_URL / FAIRWARNING_API_KEY (or the demo) and cannot be changed here. */
  fromEnvironment: boolean
}

export interface BidlogixSettings {
  url: string | null
  clientId: string | null
  keySet: boolean
  keyTransport: BidlogixKeyTransport
  moneyUnit: BidlogixMoneyUnit
  vendorId: number | null
  categoryId: number | null
  /** Auctions of type Webcast: their lots go as `WebcastItem`, every other auction's as `Lot`. */
  webcastAuctions: string[]
  fromEnvironment: boolean
}

export interface ConnectorsStatus {
  /** The two demo simulators run in-process beside the Circuit demo. */
  demo: boolean
  /** Where keys are kept, in words ("the OS keychain", "a file only this user can read (0600)…"). */
  keyStore: string
  fairwarning: FairWarningSettings
  bidlogix: BidlogixSettings
}

export interface PreviewLot {
  /** FairWarning item_id (imports) or Circuit item id (publishes). */
  sourceId: string
  lot: string
  title: string
  /** Why it is refused (refused lots only). */
  reason?: string
  /** What does not travel, or travels changed (buy-it-now, a rounded reserve…). */
  warnings: string[]
}

export interface FairWarningPreview {
  previewId: string
  saleId: string
  saleLabel: string
  create: PreviewLot[]
  update: PreviewLot[]
  unchanged: PreviewLot[]
  refused: PreviewLot[]
  /** Lot numbers that are already taken in the Circuit sale by another lot. */
  collisions: string[]
  /** Values the mapping tables do not cover yet. */
  unmapped: { categories: string[]; consignors: string[] }
  notes: string[]
  /** Items FairWarning sent (after de-duplication on item_id). */
  total: number
}

export interface BidlogixPreview {
  previewId: string
  saleId: string
  auctionId: string
  saleLabel: string
  create: PreviewLot[]
  update: PreviewLot[]
  unchanged: PreviewLot[]
  refused: PreviewLot[]
  /** Circuit's lots_locked: when false the screen asks before publishing. */
  lotsLocked: boolean
  notes: string[]
}

export interface ConnectorCounts {
  created: number
  updated: number
  unchanged: number
  refused: number
}

export interface CircuitChoices {
  saleLabel: string
  categories: { id: string; label: string }[]
  consignments: { id: string; label: string }[]
}

/** Keys: one line, printable; never echoed back. */
const secret = z
  .string()
  .min(1)
  .max(500)
  .regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters.')
const address = z.string().trim().min(1).max(300).url('Must be an address such as https://example.com.')
/** A Bidlogix auction id: digits, sent as a string or a number. */
export const auctionId = z.union([
  z
    .string()
    .trim()
    .regex(/^\d{1,18}$/, 'Must be a Bidlogix auction id (digits).'),
  z.number().int().positive().safe()
])
const count = z.number().int().min(0).max(1_000_000_000)

export const fairWarningFilters = z
  .object({
    auctionId: z.number().int().positive().safe().optional(),
    categoryId: z.number().int().positive().safe().optional(),
    officeId: z.number().int().positive().safe().optional(),
    lotFrom: count.optional(),
    lotTo: count.optional()
  })
  .strict()
export type FairWarningFilters = z.output<typeof fairWarningFilters>

export const connectorsCalls = {
  'connectors.status': call<ConnectorsStatus>()(noInput, {
    mutates: false,
    summary: "Both connectors' settings (never their keys) and where keys are kept"
  }),
  'connectors.fairwarning.configure': call<ConnectorsStatus>()(
    z
      .object({
        url: address.nullable(),
        /** null forgets the key. */
        key: secret.nullable(),
        keyTransport: z.enum(FAIRWARNING_KEY_TRANSPORTS),
        limitMeaning: z.enum(LIMIT_MEANINGS),
        pageSize: z.number().int().min(1).max(500),
        dimensionUnit: z.enum(DIMENSION_UNITS)
      })
      .partial()
      .strict(),
    { mutates: true, summary: 'FairWarning: address, key (kept in the secret store) and the readings of its docs' }
  ),
  'connectors.fairwarning.mapCategory': call<ConnectorsStatus>()(
    z
      .object({
        fairwarningCategory: z
          .string()
          .trim()
          .regex(/^\d{1,18}$/, 'Must be a FairWarning category id.'),
        circuitCategory: id.nullable()
      })
      .strict(),
    { mutates: true, summary: 'The category table: a FairWarning primary category to a Circuit category (null: none)' }
  ),
  'connectors.fairwarning.mapConsignor': call<ConnectorsStatus>()(
    z
      .object({
        saleId: id,
        consignor: z
          .string()
          .trim()
          .min(1)
          .max(60)
          .regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters.'),
        consignmentId: id.nullable()
      })
      .strict(),
    {
      mutates: true,
      summary: 'A FairWarning consignor number (or "*" for any other) to a consignment of the Circuit sale'
    }
  ),
  'connectors.circuitChoices': call<CircuitChoices>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "Circuit's categories and the sale's consignments, for the mapping tables"
  }),
  'connectors.fairwarning.preview': call<FairWarningPreview>()(
    z.object({ saleId: id, filters: fairWarningFilters.default({}) }).strict(),
    {
      mutates: false,
      summary: 'FairWarning items as Circuit lots of the sale: to create, to update, unchanged, refused (with reasons)'
    }
  ),
  'connectors.fairwarning.import': call<ConnectorCounts>()(z.object({ saleId: id, previewId: id }).strict(), {
    mutates: true,
    queued: false,
    summary:
      'Create and update the previewed lots on Circuit through the outbox; progress as connectors.progress events'
  }),
  'connectors.bidlogix.configure': call<ConnectorsStatus>()(
    z
      .object({
        url: address.nullable(),
        clientId: z
          .string()
          .trim()
          .regex(/^\d{1,18}$/, 'Must be the Bidlogix client id (digits).')
          .nullable(),
        key: secret.nullable(),
        keyTransport: z.enum(BIDLOGIX_KEY_TRANSPORTS),
        moneyUnit: z.enum(BIDLOGIX_MONEY_UNITS),
        vendorId: z.number().int().positive().safe().nullable(),
        categoryId: z.number().int().positive().safe().nullable()
      })
      .partial()
      .strict(),
    { mutates: true, summary: 'Bidlogix: address, client id, key (kept in the secret store), units, vendor, category' }
  ),
  'connectors.bidlogix.setWebcast': call<ConnectorsStatus>()(z.object({ auctionId, webcast: z.boolean() }).strict(), {
    mutates: true,
    summary: 'Whether a Bidlogix auction is a webcast (its lots go as WebcastItem)'
  }),
  'connectors.bidlogix.preview': call<BidlogixPreview>()(z.object({ saleId: id, auctionId }).strict(), {
    mutates: false,
    summary: "The Circuit sale's lots as Bidlogix items: to create, unchanged, refused (with reasons)"
  }),
  'connectors.bidlogix.publish': call<ConnectorCounts>()(
    z.object({ saleId: id, auctionId, confirm: z.boolean().optional() }).strict(),
    {
      mutates: true,
      queued: false,
      summary:
        "Create the sale's lots in the Bidlogix auction, one per request (they arrive as DRAFT); progress as connectors.progress events. A sale whose lots are not locked on Circuit answers needs_confirmation until confirm: true"
    }
  ),
  'connectors.cancel': call<{ jobId: string; cancelled: boolean }>()(z.object({ jobId: id }).strict(), {
    mutates: true,
    queued: false,
    summary: 'Stop an import or a publish between two lots (a lot is never half written)'
  })
} as const
