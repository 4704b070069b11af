// Normalised Circuit records: what the client's decoders produce and what the
// rest of the core (pull, replica) consumes. Money is integer minor units,
// times are ISO-8601 UTC strings, ids are strings. `raw` is the server JSON
// the record was decoded from, kept verbatim for the replica.
//
// Decoders may add fields; they must not rename or drop these.

export type Minor = number

export interface CircuitRef {
  id: string
  label: string
}

export interface CircuitSale {
  id: string
  label: string
  saleNumber: string | null
  saleDate: string | null
  status: string
  itemCount: number | null
  venue: string | null
  lotsLocked: boolean
  /** Circuit's premium text, e.g. "25%" or "25% up to 5000, 20% thereafter". */
  buyersPremium: string | null
  updated: string | null
  raw: unknown
}

export interface CircuitSession {
  id: string
  saleId: string
  number: number
  date: string | null
  firstLot: string | null
  lastLot: string | null
  auctioneer: string | null
  updated: string | null
  raw: unknown
}

export type ItemStatus = 'available' | 'sold' | 'unsold' | 'passed' | 'withdrawn'

export interface CircuitItem {
  id: string
  saleId: string
  /** Lot as shown, e.g. "269A". */
  lot: string
  lotNumber: number | null
  lotLetter: string
  title: string
  description: string
  estimateLow: Minor | null
  estimateHigh: Minor | null
  reserve: Minor | null
  openingPrice: Minor | null
  hammer: Minor | null
  status: ItemStatus
  winnerClientId: string | null
  winnerPaddle: string | null
  consignmentId: string | null
  consignorName: string | null
  category: string | null
  updated: string | null
  raw: unknown
}

export interface CircuitAddress {
  street: string | null
  city: string | null
  state: string | null
  postalCode: string | null
  country: string | null
}

export interface CircuitClient {
  id: string
  uuid: string | null
  firstName: string
  lastName: string
  company: string | null
  email: string | null
  phone: string | null
  /** Circuit's customer number (`philaworksplace_id`). */
  customerNumber: string | null
  status: string
  address: CircuitAddress | null
  /** Read-only `balance.value` (added by the client decoder; major units on the wire). */
  balance?: Minor | null
  updated: string | null
  raw: unknown
}

export type BidderType = 'floor' | 'phone' | 'absentee' | 'online' | 'agent'

/** A paddle number registered for one sale (Circuit's undocumented `bidder_ids`). */
export interface CircuitBidder {
  id: string
  saleId: string
  clientId: string
  paddle: string
  type: BidderType
  /** `live_credit` (added by the client decoder). */
  liveCredit?: Minor | null
  updated: string | null
  raw: unknown
}

export interface CircuitPhoneCard {
  id: string
  saleId: string
  sessionId: string | null
  clientId: string
  paddle: string | null
  phone: string | null
  /** Item ids the bidder asked to be called for. */
  lots: string[]
  staff: string | null
  updated: string | null
  raw: unknown
}

export interface CircuitStaff {
  id: string
  name: string
  roles: string[]
  raw: unknown
}

export interface CircuitOrderLine {
  itemId: string
  lot: string | null
  description: string | null
  hammer: Minor | null
  premium: Minor | null
  /** VAT on the line, where Circuit sends it. */
  tax: Minor | null
  taxId: string | null
  consignmentNumber: string | null
}

export interface CircuitCharge {
  termId: string | null
  label: string | null
  amount: Minor
  /**
   * `tax` on an additional charge is a RATE ("21.00" = 21 %), as README.txt's
   * example and the simulator have it (decided here; see circuit/README.md),
   * held in basis points (2100).
   */
  taxRateBp: number | null
  /** The tax on this charge in minor units: the rate applied to the amount, rounded half away from zero. */
  taxAmount: Minor
  description: string | null
  date: string | null
}

/** What an invoice prints from Circuit's `invoice_data` (and `custom_address`). */
export interface CircuitInvoiceData {
  /** Address lines, in print order. */
  buyerAddress: string[]
  shippingAddress: string[]
  invoiceNumber: string | null
  customerNumber: string | null
  bidderNumber: string | null
  vatNumber: string | null
  /** Circuit's own totals as it displays them ({label, value} in its currency format). */
  totalsForDisplay: { label: string; value: string }[]
}

export interface CircuitOrder {
  id: string
  orderNumber: string | null
  /** bidder | consignor | credit_note | transport_invoice */
  type: string
  status: string
  saleId: string | null
  clientId: string | null
  customerNumber: string | null
  grandTotal: Minor | null
  amountDue: Minor | null
  paymentReceived: Minor | null
  /**
   * On a bidder order or a credit note: the buyer's lots, `premium` = buyer's premium.
   * On a consignor order: the consignor's sold lots, `premium` = the house's commission.
   */
  lines: CircuitOrderLine[]
  /** The lots' item ids: the lines', then any in a top-level `items` list not among them. */
  itemIds: string[]
  charges: CircuitCharge[]
  invoice: CircuitInvoiceData | null
  /** When Circuit made the order (ISO UTC), as the repeat guards compare it. */
  created: string | null
  updated: string | null
  /** From a venue hub: an order made at the venue that Circuit has not numbered yet. */
  provisional?: boolean
  /** From a venue hub: the ids of the hub's provisional orders this order took the place of. */
  replaces?: string[]
  raw: unknown
}

export interface CircuitTransaction {
  id: string
  orderId: string
  /** Normalised: cash | card | cheque | wire | paypal | other. */
  type: string
  amount: Minor
  date: string | null
  cardType: string | null
  cardLast4: string | null
  chequeNumber: string | null
  chequeDate: string | null
  bankId: string | null
  bankName: string | null
  bankAccountNumber: string | null
  bankBranch: string | null
  info: string | null
  created: string | null
  updated: string | null
  /** From a venue hub: the hub's ids of the payment this transaction of Circuit's now stands for. */
  replaces?: string[]
  raw: unknown
}

/** A taxonomy term: payment type, bank account, charge term, bid step, tax type, VAT amount. */
export interface CircuitTerm {
  id: string
  label: string
  /** Extra attributes some vocabularies carry (default_amount, rate, from/increment…), normalised. */
  attrs: Record<string, string | number | boolean | null>
  /** Bid-step ranges (`bid_steps` terms), added by the client decoder. */
  ranges?: { from: Minor; increment: Minor }[]
  raw: unknown
}

/** Circuit's currency settings (`config.currency` of /me). */
export interface CircuitCurrency {
  /** ISO 4217, upper case ("GBP"); '' when Circuit sent no key. */
  code: string
  symbol: string
  template: string
  decimalSign: string
  thousandsSign: string
  /** `decimal_amount`: 2 for GBP, 0 for JPY, 3 for KWD. Minor units per major unit = 10^decimals. */
  decimals: number
}

export interface CircuitMe {
  id: string
  name: string
  email: string | null
  roles: string[]
  /** Null when the answer carries no `config.currency` (README.txt's /api/v1.0/me shape): keep what was known. */
  currency: CircuitCurrency | null
  raw: unknown
}
