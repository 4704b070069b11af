// In-memory records of the simulator. Money is integer cents, times are epoch
// ms. Ids are strings (Circuit/Drupal sends node ids as strings).

import type { Cents } from './money'

export type SaleStatus = 'draft' | 'published' | 'closed'
export type ItemStatus = 'available' | 'sold' | 'unsold' | 'withdrawn'
export type ClientStatus = 'new' | 'pending' | 'approved' | 'unapproved' | 'deleted'
export type BidderType = 'floor' | 'phone' | 'absentee' | 'online'
export type OrderType = 'bidder' | 'consignor' | 'credit_note' | 'transport_invoice'
export type OrderStatus = 'new' | 'in_process' | 'finished' | 'locked' | 'canceled'

/** One marginal premium band: `rateBp` applies to the part of the hammer up to `upTo` (null = no cap). */
export interface PremiumTier {
  upTo: Cents | null
  rateBp: number
}

export interface Sale {
  id: string
  uuid: string
  label: string
  saleNumber: string
  saleDate: number
  status: SaleStatus
  catalog: { id: string; label: string }
  venue: string
  lotsLocked: boolean
  premium: PremiumTier[]
  created: number
  updated: number
}

export interface SaleSession {
  id: string
  saleId: string
  number: number
  date: number
  rangeStart: string
  rangeEnd: string
  auctioneer: { id: string; name: string }
  updated: number
}

export interface Consignment {
  id: string
  saleId: string
  symbol: string
  subSymbol: string
  ownerId: string
  /** The house's commission on the consignment's hammers, in basis points (1500 = 15 %). */
  commissionBp: number
  paymentInstructions: string
  status: 'active' | 'closed'
  created: number
  updated: number
}

export interface Item {
  id: string
  uuid: string
  saleId: string
  sessionId: string | null
  position: number
  lotNumber: number
  lotLetter: string
  title: string
  description: string
  categoryId: string
  consignmentId: string
  estimateLow: Cents
  estimateHigh: Cents
  reserve: Cents | null
  opening: Cents
  hammer: Cents | null
  status: ItemStatus
  winnerId: string | null
  bidderAlias: string | null
  orderId: string | null
  dimensions: { height: string; width: string; depth: string }
  created: number
  updated: number
}

export interface Client {
  id: string
  uuid: string
  firstName: string
  lastName: string
  company: string | null
  email: string | null
  phone: string | null
  mobile: string | null
  customerNumber: string
  status: ClientStatus
  taxId: string | null
  defaultPaymentMethod: string | null
  sourceId: string | null
  categories: string[]
  created: number
  updated: number
}

export interface AddressFields {
  country: string
  administrative_area: string
  locality: string
  postal_code: string
  thoroughfare: string
  premise: string
  first_name: string
  last_name: string
}

export interface ClientAddress {
  id: string
  clientId: string
  address: AddressFields
  types: string[]
  isDefault: boolean
  validated: boolean
  created: number
  updated: number
}

export interface Bidder {
  id: string
  saleId: string
  clientId: string
  number: string
  type: BidderType
  liveCredit: Cents
  updated: number
}

export interface PhoneCard {
  id: string
  saleId: string
  sessionId: string
  clientId: string
  paddle: string
  phone: string
  lots: string[]
  /** Our extension (not in the docs): who calls the bidder; the creating user when none was sent. */
  staffId: string
  created: number
  updated: number
}

/** One invoice line: frozen copy of the hammer for credit notes, live for bidder orders. */
export interface OrderLine {
  itemId: string
  hammer: Cents
}

export interface OrderCharge {
  termId: string
  amount: Cents
  /** VAT rate on the charge in basis points ("21.00" -> 2100). */
  taxBp: number
  description: string
  date: number
}

export interface Order {
  id: string
  orderNumber: string
  type: OrderType
  status: OrderStatus
  saleId: string
  ownerId: string
  lines: OrderLine[]
  charges: OrderCharge[]
  /** item ids already credited by credit notes issued against this order */
  credited: string[]
  /** for credit notes: the order they credit */
  creditFor: string | null
  customAddress: (Partial<AddressFields> & { name_line?: string }) | null
  lockDate: number | null
  /** The sale's premium when the order was finished or locked: its figures no longer follow the sale's. */
  premiumAtClose?: PremiumTier[] | null
  created: number
  changed: number
  updated: number
}

export interface Transaction {
  id: string
  orderId: string
  type: string
  amount: Cents
  transferredCurrency: string
  transferredAmount: Cents
  bankId: string | null
  bankAccountNumber: string | null
  bankBranch: string | null
  creditCardType: string | null
  creditCardLast4: string | null
  transactionDate: string
  chequeNumber: string | null
  chequeDate: string | null
  info: string | null
  chequeUrl: string | null
  created: number
  changed: number
  updated: number
}

export type ShipmentStatus = 'pending' | 'shipped' | 'delivered'

/** README.txt's shipment: lots of one order sent together. */
export interface Shipment {
  id: string
  orderId: string
  items: string[]
  method: string
  trackingNumber: string | null
  cost: Cents | null
  weightGrams: number | null
  dimensions: { length: string; width: string; height: string; unit: string } | null
  status: ShipmentStatus
  created: number
  updated: number
}

/** README.txt's shipping box: one numbered box of an order (created or updated by number). */
export interface ShippingBox {
  id: string
  orderId: string
  items: string[]
  boxNumber: string
  weightGrams: number | null
  /** As sent: "30x20x15cm". */
  dimensions: string | null
  created: number
  updated: number
}

export interface Staff {
  id: string
  name: string
  email: string
  roles: string[]
}

export type TermValue = string | number | boolean | null | TermValue[] | { [k: string]: TermValue }
export interface Term {
  id: string
  label: string
  [extra: string]: TermValue
}

export const TAXONOMIES = [
  'payment_types',
  'bank_accounts',
  'additional_charges',
  'bid_steps',
  'tax_types',
  'vat_amounts',
  'categories',
  'client_sources',
  'shipping_areas'
] as const
export type TaxonomyName = (typeof TAXONOMIES)[number]
