// Checkout: a buyer's orders for a sale, with lines, totals, payments and
// the amount due, from the replica. `checkout.invoice` and its shape are a
// public interface (venue scripts call it on the web host's /rpc); amounts
// are integer minor units.
import { z } from 'zod'
import { call, id, minor, searchText } from './define'

export interface CheckoutLine {
  itemId: string
  lot: string
  description: string
  hammer: number
  premium: number
  tax: number
}

/** How a payment method reads on screen and on paper. */
export const PAYMENT_METHOD_LABEL: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  cheque: 'Cheque',
  wire: 'Bank transfer',
  paypal: 'PayPal',
  other: 'Payment'
}

export interface CheckoutPayment {
  id: string
  /** cash | card | cheque | wire | paypal | other */
  method: string
  amount: number
  date: string | null
  details: string | null
  pending: boolean
}

export interface CheckoutTotals {
  hammer: number
  premium: number
  tax: number
  charges: number
  grandTotal: number
  paid: number
  amountDue: number
}

export interface CheckoutOrder {
  id: string
  /** Circuit's invoice number, or the provisional one (its own series) until Circuit's arrives. */
  number: string
  provisional: boolean
  type: string
  status: string
  locked: boolean
  lines: CheckoutLine[]
  charges: { id: number; label: string; amount: number; tax: number }[]
  payments: CheckoutPayment[]
  /** The totals shown: Circuit's figures where it sent them (the authority), else ours. */
  totals: CheckoutTotals
  /** Ours, from the sale's premium rule and the lines' tax types (src-shared/invoice.ts); null when they cannot be worked out. */
  ours: CheckoutTotals | null
  /** Why ours could not be worked out (a premium text that cannot be read, an unknown tax type), shown on the order. */
  problem: string | null
  /** Where Circuit's totals differ from ours, to the minor unit. */
  differences: { field: string; ours: number; circuits: number }[]
}

export interface CheckoutInvoice {
  saleId: string
  paddle: string
  client: { id: string; name: string; customerNumber: string | null }
  orders: CheckoutOrder[]
  /** What the buyer owes across the sale's orders. */
  outstanding: number
}

export interface CheckoutBuyer {
  paddle: string
  clientId: string
  name: string
  customerNumber: string | null
  orders: string[]
  outstanding: number
}

const digits = (n: number, what: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9]{${n}}$`), `${what}: ${n} digits.`)
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u, 'Must not contain control characters.')
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD.')

export interface PaymentResult {
  payment: CheckoutPayment
  /** Cash handed back: what was tendered over the amount due. */
  changeDue: number
  order: CheckoutOrder
}

export const payInput = z.discriminatedUnion('method', [
  z
    .object({
      orderId: id,
      method: z.literal('cash'),
      amount: minor.positive(),
      /** What the buyer handed over; the change is what is over the amount due. */
      tendered: minor.positive().optional()
    })
    .strict(),
  z
    .object({
      orderId: id,
      method: z.literal('card'),
      amount: minor.positive(),
      cardType: text(30),
      last4: digits(4, 'Last four')
    })
    .strict(),
  z
    .object({
      orderId: id,
      method: z.literal('cheque'),
      amount: minor.positive(),
      bankId: id.optional(),
      bankName: text(80).optional(),
      chequeNumber: text(20),
      chequeDate: isoDay
    })
    .strict(),
  z
    .object({
      orderId: id,
      method: z.literal('wire'),
      amount: minor.positive(),
      bankId: id.optional(),
      bankName: text(80).optional(),
      account: text(40),
      branch: text(40).optional()
    })
    .strict()
])
export type PayInput = z.output<typeof payInput>

export const checkoutCalls = {
  'checkout.pay': call<PaymentResult>()(payInput, {
    mutates: true,
    summary:
      'Take a payment (cash with change, card type and last four, cheque bank/number/date, wire bank/account/branch); partial and over-payments; recorded on Circuit once'
  }),
  'checkout.split': call<CheckoutOrder[]>()(z.object({ orderId: id, itemIds: z.array(id).min(1).max(500) }).strict(), {
    mutates: true,
    summary:
      "Split lots off a new or in-process order into the buyer's other open order for the sale, or a new one (Circuit's rule); answers both"
  }),
  'checkout.creditNote': call<CheckoutOrder>()(
    z.object({ orderId: id, itemIds: z.array(id).min(1).max(100) }).strict(),
    { mutates: true, summary: 'A credit note for lots (at most 100) of a finished or locked order' }
  ),
  'checkout.cancelReissue': call<CheckoutOrder>()(z.object({ orderId: id }).strict(), {
    mutates: true,
    summary: 'Cancel a locked order and issue it again: a credit note for it and a new order with its lots and charges'
  }),
  'checkout.addCharge': call<CheckoutOrder>()(
    z
      .object({
        orderId: id,
        /** A term of Circuit's additional_charges list (shipping, storage…). */
        termId: id,
        amount: minor.positive(),
        /** The charge's own tax rate in basis points (2000 = 20 %). */
        taxRateBp: z.number().int().min(0).max(10_000).optional(),
        description: text(120).optional()
      })
      .strict(),
    {
      mutates: true,
      summary: "Add a charge to an order that is not locked (its own tax rate); sent as the order's whole list"
    }
  ),
  'checkout.chargeTerms': call<{ id: string; label: string }[]>()(z.object({}).strict(), {
    mutates: false,
    summary: "Circuit's list of additional charges (shipping, storage…)"
  }),
  'checkout.removeCharge': call<CheckoutOrder>()(
    z.object({ orderId: id, chargeId: z.number().int().positive() }).strict(),
    {
      mutates: true,
      summary: 'Remove a charge from an order that is not locked'
    }
  ),
  'checkout.setStatus': call<CheckoutOrder>()(
    z.object({ orderId: id, status: z.enum(['new', 'in_process', 'finished']) }).strict(),
    {
      mutates: true,
      summary: "Move an order along: new → in process → finished (a locked or cancelled order is Circuit's to change)"
    }
  ),
  'checkout.invoice': call<CheckoutInvoice>()(
    z
      .object({
        saleId: id,
        paddle: z
          .string()
          .trim()
          .min(1)
          .max(12)
          .regex(/^[A-Za-z0-9-]+$/, 'A paddle is letters and digits.')
      })
      .strict(),
    { mutates: false, summary: "The buyer's orders for the sale: lines, totals, payments, amount due" }
  ),
  'checkout.find': call<CheckoutBuyer[]>()(z.object({ saleId: id, q: searchText }).strict(), {
    mutates: false,
    summary: 'Buyers of a sale by paddle, name, customer number or invoice number, with what they owe'
  })
} as const
