// Plain data in, PDF bytes out. Money is always integer minor units (cents,
// pence); dates are ISO calendar dates ("2026-03-07").
import type { Minor } from '../../src-shared/money'

export type { Minor }
export type IsoDate = string

/** The house currency as Circuit's /api/me gives it (config.currency). */
export interface Currency {
  code: string
  symbol: string
  /** "@amount @symbol" or "@symbol@amount". */
  template: string
  decimalSign: string
  thousandsSign: string
  /** Minor units per major unit is 10^decimals. */
  decimals: number
}

export interface House {
  name: string
  /** Multi-line postal address, one line per "\n". */
  address: string
  vatNumber: string | null
  logoPng?: Buffer | null
  currency: Currency
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
  reference: string | null
}

export interface InvoiceTotals {
  hammer: Minor
  premium: Minor
  tax: Minor
  charges: Minor
  grandTotal: Minor
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

export interface InvoiceData {
  house: House
  numbering: InvoiceNumbering
  issueDate: IsoDate
  customerNumber: string
  paddle: string | null
  buyer: Buyer
  sale: SaleRef
  lines: InvoiceLine[]
  charges: InvoiceCharge[]
  totals: InvoiceTotals
  payments: InvoicePayment[]
  amountDue: Minor
}

// --- Receipt -------------------------------------------------------------

export interface ReceiptData {
  house: House
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
    reference: string | null
  }
  balanceRemaining: Minor
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
