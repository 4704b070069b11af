// Plain data in, PDF bytes out. Money is always integer minor units (cents,
// pence); dates are ISO calendar dates ("2026-03-07").
import type { Minor, MoneyCurrency } from '../../src-shared/money'

export type { Minor }
export type IsoDate = string

/**
 * The currency amounts print in: Circuit's code, decimals and symbol (else
 * the house's setting), formatted by Intl (src-shared/money.ts).
 */
export type Currency = MoneyCurrency

export interface House {
  name: string
  /** Multi-line postal address, one line per "\n". */
  address: string
  vatNumber: string | null
  logoPng?: Buffer | null
  currency: Currency
  /** The house's paper texts from Settings; empty ones print nothing. */
  texts?: HouseTexts
}

/** Settings' texts for the buyer's paper: terms, collection, bank details for a wire, and the footer. */
export interface HouseTexts {
  terms: string
  collectionNotes: string
  bankDetails: string
  /** A line or two at the foot of invoices, credit notes, receipts and statements. */
  footer: string
}

export type PageSize = 'A4' | 'LETTER'

export interface DocumentOptions {
  /** Written as the PDF's CreationDate and ModDate; the same data and date give the same bytes. */
  creationDate: Date
  /** Default A4. Cheques take their size from the cheque layout. */
  pageSize?: PageSize
}

export interface RenderedDocument {
  bytes: Buffer
  pages: number
}

// --- Invoice -------------------------------------------------------------

/** A provisional invoice carries a local number until Circuit's replaces it. */
export type InvoiceNumbering =
  { provisional: false; invoiceNumber: string } | { provisional: true; provisionalNumber: string }

export interface InvoiceLine {
  lot: string
  description: string
  hammer: Minor
  premium: Minor
  tax: Minor
  consignmentNumber?: string | null
  /** The lot's tax type (Circuit's tax_types term), for the VAT breakdown; null when not known here. */
  taxScheme?: TaxScheme | null
}

/** What a tax type taxes and at what rate: 'margin' the premium only, 'standard' hammer and premium, 'none' nothing. */
export interface TaxScheme {
  label: string
  mode: 'standard' | 'margin' | 'none'
  rateBp: number
}

export interface InvoiceCharge {
  label: string
  amount: Minor
  tax: Minor
  date?: IsoDate | null
}

export interface InvoicePayment {
  date: IsoDate
  methodLabel: string
  amount: Minor
  /** "VISA •••• 4242", "Northern, cheque no. 000123": never our own read-back reference. */
  reference: string | null
  /** A voided payment is listed, marked VOID with its reason, and counts for nothing. */
  voided?: boolean
  voidReason?: string | null
}

/** The order's figures exactly as the checkout shows them (its totals, what is paid, what is due). */
export interface InvoiceTotals {
  hammer: Minor
  premium: Minor
  tax: Minor
  charges: Minor
  grandTotal: Minor
  /** Payments not voided. */
  paid: Minor
  /** Total less paid; negative when more was paid than is owed (on a credit note: the refund due). */
  balanceDue: Minor
}

export interface Buyer {
  name: string
  addressLines: string[]
  vatNumber: string | null
}

export interface SaleRef {
  name: string
  date: IsoDate
}

/** What makes the document a credit note: the invoice it credits and why. */
export interface CreditNoteFields {
  /** The credited invoice's number; null when it is not known on this station. */
  forInvoice: string | null
  reason: string | null
}

export interface InvoiceData {
  house: House
  numbering: InvoiceNumbering
  issueDate: IsoDate
  customerNumber: string
  paddle: string | null
  buyer: Buyer
  sale: SaleRef
  /** On a credit note, the lines credited (as the order holds them: negative amounts). */
  lines: InvoiceLine[]
  charges: InvoiceCharge[]
  totals: InvoiceTotals
  payments: InvoicePayment[]
  /** Set when the order is a credit note: it prints as a CREDIT NOTE, not an invoice. */
  creditNote?: CreditNoteFields | null
  /** Print each lot's consignment number under it (Settings; off by default). */
  printConsignmentNumbers?: boolean
}

// --- Statement -----------------------------------------------------------

/** One order on a buyer's statement: an invoice or a credit note, with its figures as the checkout shows them. */
export interface StatementOrder {
  kind: 'invoice' | 'credit_note'
  /** Circuit's number, or the provisional one. */
  number: string
  provisional: boolean
  total: Minor
  paid: Minor
  /** Total less paid: negative while the house owes the buyer on it. */
  balance: Minor
  payments: InvoicePayment[]
}

/** A buyer's orders for one sale on one page: each order, its payments, and the net over them. */
export interface StatementData {
  house: House
  date: IsoDate
  customerNumber: string
  paddle: string
  buyer: Buyer
  sale: SaleRef
  orders: StatementOrder[]
  /** The net over the orders: what the buyer owes, or when negative the refund owed to the buyer. */
  net: Minor
}

// --- Receipt -------------------------------------------------------------

export interface ReceiptData {
  house: House
  /** Short and human: Circuit's transaction id, or the station's own series (R-PODIUM-0001). */
  receiptNumber: string
  date: IsoDate
  buyer: { name: string; customerNumber: string | null; paddle: string | null }
  orderNumber: string
  /** Null while the invoice is provisional or not yet issued. */
  invoiceNumber: string | null
  payment: {
    /** "Card", "Cheque", "Cash", "Bank transfer"… */
    methodLabel: string
    /** "VISA •••• 4242", "Barclays, cheque no. 001234". */
    details: string | null
    amount: Minor
    /** A voided payment's receipt prints VOID and the reason. */
    voided: boolean
    voidReason: string | null
  }
  /** The order's total as the checkout shows it. */
  orderTotal: Minor
  /** Paid on the order up to and including this payment (voided payments count for nothing). */
  paidToDate: Minor
  /** What is still due once this payment is taken. */
  balanceAfter: Minor
}

// --- Cheque --------------------------------------------------------------

export interface ChequeData {
  payee: string
  amountMinor: Minor
  currency: Currency
  date: IsoDate
  memo: string
  chequeNumber: string
  bankName: string
  accountLabel: string
}

export interface ChequeOptions extends DocumentOptions {
  /** Default DEFAULT_CHEQUE_LAYOUT. */
  layout?: ChequeLayout
}

/** Top-left corner of a field's text, in points (72 pt = 1 inch) from the page's top-left. */
export interface FieldPosition {
  x: number
  y: number
}

export interface ChequeLayout {
  pageWidthPt: number
  pageHeightPt: number
  fields: {
    date: FieldPosition
    payee: FieldPosition
    amountFigures: FieldPosition
    amountWords: FieldPosition & { width: number }
    memo: FieldPosition
    number: FieldPosition
  }
  /** Where the voucher stub (bank, account, payee, amount) goes; null prints none. */
  voucher: FieldPosition | null
  /** Per-printer calibration added to every position, in points. */
  offsetX: number
  offsetY: number
}

// --- Phone-bidder cards and clerk sheet -----------------------------------

export interface CatalogueLot {
  lotNumber: string
  title: string
  estimateLow: Minor | null
  estimateHigh: Minor | null
}

export interface PhoneBidder {
  name: string
  paddle: string
  phone: string
  /** The staff member who calls this bidder. */
  staffMember: string
  /** Printed in sale order (lot numbers compared numerically, "9" < "10" < "10A"), whatever the order here. */
  lots: CatalogueLot[]
}

export interface PhoneBidderCardsData {
  house: House
  sale: SaleRef
  bidders: PhoneBidder[]
}

export interface ClerkSheetLot extends CatalogueLot {
  /** Filled when known; blank on paper otherwise. */
  paddle: string | null
  price: Minor | null
  /** The lot's result: PASS and WD print in the price column; absent, a price means sold. */
  result?: 'sold' | 'passed' | 'withdrawn' | null
  /** The reserve, printed for the clerk's eyes only. */
  reserve?: Minor | null
  /** How many phone bidders are on the lot (a mark on the sheet). */
  phoneBidders?: number
}

export interface ClerkSheetData {
  house: House
  sale: SaleRef
  sessionLabel: string
  lots: ClerkSheetLot[]
  /** Empty ruled rows after the lots, for lots clerked on paper. Default 15. */
  blankRows?: number
}
