// Printing: invoices, receipts, cheques, phone-bidder cards and clerk sheets,
// and buyers' statements, made locally (offline too) as PDF files. The print.*
// names and their inputs are a public interface (venue scripts call them on the web host's
// /rpc); each answers the saved file's path and page count.
import { z } from 'zod'
import { call, id, noInput, singleLine } from './define'

export interface PrintResult {
  /** The saved PDF. */
  path: string
  pages: number
  /** Sent to a printer (only when one was asked for and the host can print). */
  printed: boolean
  printer: string | null
}

export interface ChequePrintResult extends PrintResult {
  chequeNumber: number
  bankAccountId: string
}

export interface ChequeRegisterEntry {
  bankAccountId: string
  number: number
  transactionId: string | null
  payee: string | null
  amount: number | null
  state: 'issued' | 'void'
  voidReason: string | null
  at: string
}

export interface ChequeAccount {
  bankAccountId: string
  label: string
  nextNumber: number
  entries: ChequeRegisterEntry[]
}

/** Where each cheque field prints on the house's stock, in points (72 to the inch), plus this printer's offsets. */
export interface ChequeLayoutSetting {
  pageWidthPt: number
  pageHeightPt: number
  fields: Record<'date' | 'payee' | 'amountFigures' | 'memo' | 'number', { x: number; y: number }> & {
    amountWords: { x: number; y: number; width: number }
  }
  voucher: { x: number; y: number } | null
  offsetX: number
  offsetY: number
}

const printTo = { printer: singleLine(200).optional() }
/** A paddle as checkout.invoice takes it. */
const paddle = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .regex(/^[A-Za-z0-9-]+$/, 'A paddle is letters and digits.')
const point = z.number().min(0).max(2000)
const pos = z.object({ x: point, y: point }).strict()
export const chequeLayoutInput = z
  .object({
    pageWidthPt: z.number().min(100).max(2000),
    pageHeightPt: z.number().min(100).max(2000),
    fields: z
      .object({
        date: pos,
        payee: pos,
        amountFigures: pos,
        memo: pos,
        number: pos,
        amountWords: z.object({ x: point, y: point, width: z.number().min(50).max(2000) }).strict()
      })
      .strict(),
    voucher: pos.nullable(),
    offsetX: z.number().min(-144).max(144),
    offsetY: z.number().min(-144).max(144)
  })
  .strict()

export const printingCalls = {
  'print.invoice': call<PrintResult>()(z.object({ orderId: id, ...printTo }).strict(), {
    mutates: false,
    summary:
      "An order's invoice as a PDF (provisional until Circuit's number arrives); saved, and printed when a printer is named"
  }),
  'print.statement': call<PrintResult>()(z.object({ saleId: id, paddle, ...printTo }).strict(), {
    mutates: false,
    summary:
      "A buyer's combined statement for a sale: each invoice and credit note with its total, paid and balance, the payments, and the net owed either way"
  }),
  'print.receipt': call<PrintResult>()(z.object({ transactionId: id, ...printTo }).strict(), {
    mutates: false,
    summary: 'A receipt for one payment'
  }),
  'print.cheque': call<ChequePrintResult>()(
    z
      .object({
        transactionId: id,
        ...printTo,
        bankAccountId: id.optional(),
        payee: singleLine(120).optional(),
        memo: singleLine(120).optional(),
        /** The cheque came out spoilt: void its number and print the next. */
        reprint: z.boolean().optional()
      })
      .strict(),
    {
      mutates: true,
      summary:
        "A cheque for a payment (a refund, a consignor's settlement) with the next number of the bank account's register, which only moves forward"
    }
  ),
  'print.phoneCards': call<PrintResult>()(z.object({ sessionId: id, ...printTo }).strict(), {
    mutates: false,
    summary: "A session's phone-bidder cards, one page per bidder"
  }),
  'print.clerkSheet': call<PrintResult>()(z.object({ sessionId: id, ...printTo }).strict(), {
    mutates: false,
    summary: "A session's lots with paddle and price, and blank lines: the paper fallback"
  }),
  'print.chequeAlignment': call<PrintResult>()(z.object({ ...printTo }).strict(), {
    mutates: false,
    summary: 'A page that marks where each cheque field prints, to check the layout on the stock'
  }),
  'print.printers': call<{ name: string; isDefault: boolean }[]>()(noInput, {
    mutates: false,
    summary: "The printers this station's host can print to (none on the web host: it saves the file)"
  }),
  'print.file': call<{ path: string; base64: string }>()(z.object({ path: z.string().min(1).max(1000) }).strict(), {
    mutates: false,
    summary: 'A saved print (only from the prints folder), for the preview'
  }),
  'cheques.accounts': call<ChequeAccount[]>()(noInput, {
    mutates: false,
    summary: 'Bank accounts with their next cheque number and register'
  }),
  'cheques.setNext': call<ChequeAccount>()(
    z.object({ bankAccountId: id, next: z.number().int().min(1).max(999_999_999) }).strict(),
    {
      mutates: true,
      summary: "Set where an account's cheque numbers continue (forward only: a number is never reused)"
    }
  ),
  'cheques.void': call<ChequeAccount>()(
    z.object({ bankAccountId: id, number: z.number().int().min(1), reason: singleLine(200) }).strict(),
    { mutates: true, summary: 'Void a spoilt cheque in the register; its number is never used again' }
  ),
  'cheques.layout': call<ChequeLayoutSetting>()(noInput, {
    mutates: false,
    summary: 'Where cheque fields print on the stock, and this printer’s offsets'
  }),
  'cheques.setLayout': call<ChequeLayoutSetting>()(z.object({ layout: chequeLayoutInput }).strict(), {
    mutates: true,
    summary: 'Change the cheque layout or printer offsets'
  })
} as const
