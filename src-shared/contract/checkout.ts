// Checkout: a buyer's orders for a sale, with lines, totals, payments and
// the amount due, from the replica. `checkout.invoice` and its shape are a
// public interface (venue scripts call it on the web host's /rpc), and so
// are `checkout.pay {…, confirm?}`, `checkout.voidPayment {paymentId,
// reason}` and `checkout.creditNote {orderId, itemIds, reason?}`; amounts are
// integer minor units, at most MAX_MINOR each.
//
// An order's totals are worked out from the same figures the paper prints:
// Circuit's totals where Circuit has them, plus every charge and payment
// taken here and not yet on Circuit, less voided payments.
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
  /** Card, cheque or bank particulars in words ("VISA •••• 4242"); never our read-back reference. */
  details: string | null
  /** Not yet recorded on Circuit (waiting in the outbox, or for the order Circuit has not made yet). */
  pending: boolean
  /** Voided at the desk (checkout.voidPayment): still listed, for the receipt and the audit, but not paid. */
  voided: boolean
  voidReason: string | null
  /** Circuit's transaction id once known; until then the station's own series (R-DESK1-0001). */
  receiptNumber: string
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
  /** A credit note: the order it credits (its id and number); null for other orders. */
  creditFor: { orderId: string; number: string } | null
  /** A credit note's reason, as given when it was issued here; null when none is known. */
  creditReason: string | null
  /** Something the cashier should know about this order (a provisional credit note removed, and why). */
  notice: string | null
}

export interface CheckoutInvoice {
  saleId: string
  paddle: string
  client: { id: string; name: string; customerNumber: string | null }
  orders: CheckoutOrder[]
  /**
   * The net over the buyer's orders for the sale, credit notes included: what the buyer owes,
   * or, when negative, the refund owed to the buyer.
   */
  outstanding: number
}

export interface CheckoutBuyer {
  paddle: string
  clientId: string
  name: string
  customerNumber: string | null
  orders: string[]
  /** As CheckoutInvoice.outstanding: net over the buyer's orders; negative is a refund owed. */
  outstanding: number
}

/** A buyer waiting at the desk (checkout.queue): bought at the sale and still owes. */
export interface CheckoutQueueEntry {
  paddle: string
  clientId: string
  name: string
  /** The lots on the buyer's invoices for the sale (each counted once). */
  lots: number
  /** As CheckoutBuyer.outstanding: the net over the buyer's orders; always more than zero here. */
  outstanding: number
  /**
   * When the buyer's latest lot was knocked down (epoch ms): at this station's podium where it
   * was clerked here, else when Circuit made the order; null when neither is known.
   */
  lastHammerAt: number | null
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
/** A calendar date as YYYY-MM-DD: 2026-02-30 is refused, 2028-02-29 taken. */
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD.')
  .refine((d) => isCalendarDate(d), 'Not a date on the calendar (check the day and the month).')

export function isCalendarDate(ymd: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
  return d <= days
}

export interface PaymentResult {
  payment: CheckoutPayment
  /** Cash handed back: what was tendered over the amount paid (tendered − amount); 0 for other methods. */
  changeDue: number
  order: CheckoutOrder
}

/**
 * Every payment: `amount` is what is paid (at most MAX_MINOR). A payment above the amount due
 * (or on an order with nothing due) answers needs_confirmation, with fields.reasons, unless
 * `confirm` is true — as a hammer does. A provisional order (made here while Circuit was away)
 * takes payments too: they wait for Circuit's order that replaces it, then go out.
 */
const paymentBase = {
  orderId: id,
  amount: minor.positive(),
  confirm: z.boolean().optional(),
  /**
   * Another system's reference for this payment, kept with it (a station's
   * own reference when it records the payment at the venue hub, so its
   * read-back finds it there).
   */
  reference: text(200).optional()
}

export const payInput = z.discriminatedUnion('method', [
  z
    .object({
      ...paymentBase,
      method: z.literal('cash'),
      /** What the buyer handed over (at least `amount`); the change is tendered − amount. */
      tendered: minor.positive().optional()
    })
    .strict(),
  z
    .object({
      ...paymentBase,
      method: z.literal('card'),
      cardType: text(30),
      last4: digits(4, 'Last four')
    })
    .strict(),
  z
    .object({
      ...paymentBase,
      method: z.literal('cheque'),
      /** A term of Circuit's bank_accounts list, as the replica holds it. */
      bankId: id.optional(),
      bankName: text(80).optional(),
      chequeNumber: text(20),
      /** A calendar date, not after today (Circuit refuses post-dated cheques). */
      chequeDate: isoDay
    })
    .strict(),
  z
    .object({
      ...paymentBase,
      method: z.literal('wire'),
      bankId: id.optional(),
      bankName: text(80).optional(),
      account: text(40),
      branch: text(40).optional()
    })
    .strict()
])
export type PayInput = z.output<typeof payInput>

export const voidPaymentInput = z
  .object({
    /** The payment's id as CheckoutPayment.id has it. */
    paymentId: id,
    /** Why, in words: kept in the audit with the void. */
    reason: text(200)
  })
  .strict()

export const checkoutCalls = {
  'checkout.pay': call<PaymentResult>()(payInput, {
    mutates: true,
    summary:
      'Take a payment (cash: amount paid and tendered, the change given back; card type and last four; cheque bank/number/date; wire bank/account/branch). More than is due answers needs_confirmation (fields.reasons) unless confirm is true. Provisional orders too (sent once Circuit has the order). Recorded on Circuit once'
  }),
  'checkout.voidPayment': call<CheckoutOrder>()(voidPaymentInput, {
    mutates: true,
    summary:
      "Void a payment, with the reason (audited): one not yet sent is cancelled here and never sent; one on Circuit is deleted there once (already gone counts as done). It stays listed as voided; the amount due comes back. Answers the payment's order"
  }),
  'checkout.split': call<CheckoutOrder[]>()(z.object({ orderId: id, itemIds: z.array(id).min(1).max(500) }).strict(), {
    mutates: true,
    summary:
      "Split lots off a new or in-process order into the buyer's other open order for the sale, or a new one (Circuit's rule); answers both"
  }),
  'checkout.creditNote': call<CheckoutOrder>()(
    z.object({ orderId: id, itemIds: z.array(id).min(1).max(100), reason: text(200).optional() }).strict(),
    {
      mutates: true,
      summary:
        'A credit note for lots (at most 100) of a finished or locked order, with an optional reason; a lot is credited once'
    }
  ),
  'checkout.cancelReissue': call<CheckoutOrder>()(z.object({ orderId: id }).strict(), {
    mutates: true,
    summary:
      'Cancel a locked order and issue it again: a credit note for its lots not yet credited, and a new order with those lots and its charges'
  }),
  'checkout.addCharge': call<CheckoutOrder>()(
    z
      .object({
        orderId: id,
        /** A term of Circuit's additional_charges list (shipping, storage…). */
        termId: id,
        amount: minor.positive(),
        /** The charge's own tax rate in basis points (2000 = 20 %); left out, the charge type's default VAT. */
        taxRateBp: z.number().int().min(0).max(10_000).optional(),
        description: text(120).optional()
      })
      .strict(),
    {
      mutates: true,
      summary:
        "Add a charge to an order that is not locked (its own tax rate; left out, the charge type's default VAT); sent as the order's whole list. Provisional orders too (sent once Circuit has the order)"
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
    {
      mutates: false,
      summary:
        "The buyer's orders for the sale: lines, totals, payments (voided ones listed), amount due; outstanding is the net over them, negative when a refund is owed"
    }
  ),
  'checkout.queue': call<CheckoutQueueEntry[]>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary:
      "The sale's buyers who bought and still owe (net over their orders, as checkout.find), newest hammer first: paddle, name, lots, outstanding, lastHammerAt"
  }),
  'checkout.find': call<CheckoutBuyer[]>()(z.object({ saleId: id, q: searchText }).strict(), {
    mutates: false,
    summary:
      'Buyers of a sale by paddle, name, customer number or invoice number, with what they owe (net; negative is a refund owed)'
  })
} as const
