// Normalised shapes the client produces in addition to those in types.ts
// (consignments, addresses, lot lists and command results). Same rules:
// integer minor units, ISO strings, string ids, `raw` kept where it is a record.

import type { CircuitAddress, CircuitCharge, Minor } from './types'

export interface CircuitConsignment {
  id: string
  /** "CON-2025-001" (current docs) or symbol + sub_symbol ("A1", legacy README). */
  consignmentNumber: string | null
  label: string
  saleId: string | null
  ownerId: string | null
  customerNumber: string | null
  status: string
  /** `estimated` — documented in cents. */
  estimated: Minor | null
  /** `insurance_value` — documented in cents. */
  insuranceValue: Minor | null
  /** `total_hammer_price` — legacy README, decimal string. */
  totalHammer: Minor | null
  itemCount: number | null
  /**
   * The consignor's commission rate in basis points (1500 = 15 %): the legacy README's
   * `consignor_commission` ("15.00"), else the first of the current page's
   * `consignor_commission_steps` ("15%"); null when Circuit sent neither.
   */
  commissionBp: number | null
  /** `consignor_commission_steps`: from a hammer (`step_from`, documented in cents) the rate applies. */
  commissionSteps: { from: Minor; commission: string; rateBp: number | null }[]
  /** `payment_instructions`: how the consignor wants to be paid. */
  paymentInstructions: string | null
  /** The owner's (consignor's) name as Circuit labels it. */
  ownerName: string | null
  charges: CircuitCharge[]
  updated: string | null
  raw: unknown
}

/**
 * A row of `datatable-consignment-statements` (legacy README shape): what one
 * consignment earned its consignor. Money in minor units.
 */
export interface CircuitConsignmentStatement {
  consignmentId: string
  customerNumber: string | null
  consignorLabel: string | null
  /** `order_id`: the consignor order's number (orders call their invoice number `order_id`). */
  orderNumber: string | null
  status: string
  ownerEmail: string | null
  /** What the consignor is owed for the consignment (hammer − commission − charges). */
  total: Minor | null
  /** Paid to the consignor so far. */
  actuallyPaid: Minor | null
  /** Collected from the buyers of the consignment's lots. */
  receivedFromBuyers: Minor | null
  /** `sale` / `owner` references where the row carries them (not in the legacy example). */
  saleId: string | null
  ownerId: string | null
  raw: unknown
}

/** `GET/POST shipments` (README.txt). Weight in grams, cost in minor units. */
export interface CircuitShipment {
  id: string
  orderId: string
  itemIds: string[]
  /** `shipping_method`, e.g. "FedEx Ground". */
  method: string | null
  trackingNumber: string | null
  cost: Minor | null
  weightGrams: number | null
  dimensions: { length: number; width: number; height: number; unit: string } | null
  status: string | null
  created: string | null
  updated: string | null
  raw: unknown
}

/** `POST shipping-box` (README.txt): one box of an order. */
export interface CircuitShippingBox {
  id: string
  orderId: string
  itemIds: string[]
  boxNumber: string
  weightGrams: number | null
  /** As Circuit keeps it: "30x20x15cm". */
  dimensions: string | null
  created: string | null
  updated: string | null
  raw: unknown
}

/** `GET shipping-areas` (README.txt): a shipping zone and its base rate. */
export interface CircuitShippingArea {
  id: string
  label: string
  description: string | null
  baseRate: Minor | null
  raw: unknown
}

export interface CircuitClientAddress {
  id: string
  clientId: string | null
  label: string | null
  address: CircuitAddress & { nameLine: string | null; premise: string | null }
  types: string[]
  isDefault: boolean
  rendered: string | null
  updated: string | null
  raw: unknown
}

export interface CircuitItemLot {
  id: string
  lot: string
  position: number | null
  raw: unknown
}

export interface OrderSplitResult {
  newOrderId: string
  originalOrderId: string
  movedItems: string[]
}

export interface CreditNoteResult {
  creditNoteOrderId: string
}

export interface CancelAndReissueResult {
  newOrderId: string
  creditNoteId: string
}

export interface ChequeResult {
  transactionId: string | null
  chequeUrl: string
  illustratedChequeUrl: string | null
}

export interface DeleteWinningBidResult {
  success: boolean
  itemId: string | null
  previousWinner: string | null
  previousHammer: Minor | null
}

/** Result of a DELETE or other call whose body carries nothing we need. */
export interface Ack {
  ok: true
  raw: unknown
}

/** `POST items-bulk` (README.txt): the operation and the items it changed. */
export interface ItemsBulkResult {
  operation: string | null
  updated: number | null
  items: string[]
}

/** One item's dimensions record (item-dimensions): text as Circuit keeps it, unit "cm", "in"… */
export interface CircuitItemDimensions {
  id: string
  itemId: string | null
  height: string
  width: string
  depth: string
  weight: string
  unit: string
  raw: unknown
}

/**
 * A release at the collection desk (one gate pass) as a Saleroom venue hub serves it
 * (`saleroom-collections`). Not a Circuit record: Circuit has no field for collections; only a hub
 * answers this, and a station sends it only to its hub.
 */
export interface SaleroomRelease {
  /** The release id, made by the station that recorded it (unique across stations). */
  id: string
  saleId: string
  clientId: string | null
  collectedBy: string
  note: string | null
  releasedBy: string
  station: string
  /** ISO time of the release. */
  at: string
  lots: { itemId: string; lot: string; paddle: string | null; confirmedReason: string | null }[]
  updated: string | null
  raw: unknown
}
