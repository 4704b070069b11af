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
  commissionSteps: { from: Minor; commission: string }[]
  charges: CircuitCharge[]
  updated: string | null
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
