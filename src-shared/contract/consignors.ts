// Consignors: what the house owes each consignor of a sale, and paying it by
// cheque. `consignors.statement`, `consignors.settle` and
// `consignors.chequeRun` and their shapes are a public interface (venue
// scripts call them on the web host's /rpc); so are `print.consignorStatement`
// and `print.chequeRun`, which answer the saved file like every print.*.
// Money is integer minor units; the maths is src-shared/consignor-maths.ts.
import { z } from 'zod'
import { call, id, singleLine } from './define'
import type { PrintResult } from './printing'

/** A lot's result on the statement: sold, passed (unsold), withdrawn, or not yet offered (open). */
export type ConsignorLotResult = 'sold' | 'passed' | 'withdrawn' | 'open'

export interface ConsignorLot {
  itemId: string
  lot: string
  title: string
  /** The consignment it came in ("A-1"), where known. */
  consignment: string | null
  result: ConsignorLotResult
  /** The hammer of a sold lot; null otherwise. */
  hammer: number | null
  /** The consignment's commission rate in basis points (1500 = 15 %); null when Circuit gave none. */
  rateBp: number | null
  /** The house's commission on the lot (0 unless sold). */
  commission: number
}

export interface ConsignorPayment {
  /** The payment's id on this station. */
  id: string
  date: string | null
  /** cash | card | cheque | wire | paypal | other */
  method: string
  amount: number
  /** Not yet recorded on Circuit (waiting in the outbox). */
  pending: boolean
  voided: boolean
  /** The cheque number Circuit records on the payment (a cheque written elsewhere), if any. */
  chequeNumber: string | null
  /** The cheques printed for it from this station's register (the last issued first; spoilt ones void). */
  cheques: { bankAccountId: string; number: number; state: 'issued' | 'void' }[]
}

/** Where Circuit's own figure for the consignor differs from ours. Circuit's figure is the authority. */
export interface ConsignorDifference {
  /** hammer − commission − charges, as Circuit has it. */
  circuits: number
  ours: number
  /** circuits − ours. */
  amount: number
  /** Which of Circuit's figures: its consignment statements (summed), or the consignor order's grand total. */
  source: 'statements' | 'order'
  message: string
}

export interface ConsignorStatement {
  saleId: string
  clientId: string
  lots: ConsignorLot[]
  /** Σ hammer of the sold lots. */
  hammer: number
  /** Σ commission, per lot at the consignment's rate, half away from zero. */
  commission: number
  /** The consignor order's charges with their tax. */
  charges: number
  /** Paid to the consignor already (payments not voided, those still on their way included). */
  paid: number
  /** hammer − commission − charges − paid; negative when the consignor owes the house. */
  netPayable: number
  /** Set where Circuit's figure differs from ours (Circuit is the authority); null where they agree or Circuit sent none. */
  difference: ConsignorDifference | null
  /** The consignor as the paper shows them. */
  consignor: { name: string; customerNumber: string | null; address: string[]; paymentInstructions: string[] }
  /** Whom a cheque is made out to: "Cheque payable to …" in the payment instructions, else the consignor's name. */
  payee: string
  /** The consignor order (Circuit's `consignor` order for the sale), where this station has it. */
  order: { id: string; number: string; status: string } | null
  chargeLines: { label: string; amount: number; tax: number }[]
  payments: ConsignorPayment[]
  /** hammer − commission − charges: what Circuit's statement calls `total`. */
  total: number
  /** Circuit's figure for `total` (its statements, else its order), null when it sent none. */
  circuitTotal: number | null
  /** Why this station's figures may not be whole (a rate Circuit did not send, commission steps…). */
  problems: string[]
  /** Lots clerked here whose result is not yet on Circuit. */
  pendingLots: string[]
}

/** One consignor of the sale, as the list shows them. */
export interface ConsignorSummary {
  clientId: string
  name: string
  customerNumber: string | null
  orderNumber: string | null
  lotsSold: number
  lots: number
  hammer: number
  commission: number
  charges: number
  paid: number
  netPayable: number
  difference: number | null
  /** Why a cheque run passes this consignor by (nothing to pay, paid already, figures differ…); null when it pays them. */
  skipReason: string | null
  paymentInstructions: string[]
}

export interface SettleResult {
  statement: ConsignorStatement
  /** The settlement payment (a Cheque transaction on the consignor order). */
  transactionId: string
  amount: number
  /** The cheque printed for it; null when the payment is recorded but the cheque could not be made (see problem). */
  cheque: { bankAccountId: string; number: number; path: string; pages: number } | null
  /** What went wrong after the payment was recorded, and what to do. */
  problem: string | null
  /** The payment was recorded earlier (its cheque had not been printed): no second payment was made. */
  earlier: boolean
}

export interface ChequeRunLine {
  clientId: string
  name: string
  payee: string
  orderNumber: string | null
  /** What was paid (or would have been). */
  amount: number
  outcome: 'paid' | 'skipped' | 'failed'
  reason: string | null
  transactionId: string | null
  /** The cheque that stands for the payment now (after any reprint); null when none was printed. */
  chequeNumber: number | null
  /** Spoilt cheques of this payment, voided in the register (each reprinted under a new number). */
  voided: number[]
  paymentInstructions: string[]
}

export interface ChequeRun {
  runId: string
  /** The run's number within its sale (1, 2, …), for people. */
  number: number
  saleId: string
  saleLabel: string
  bankAccountId: string
  accountLabel: string
  at: string
  lines: ChequeRunLine[]
  /** Cheques that stand (issued, not void). */
  cheques: number
  /** Σ of the paid lines. */
  total: number
  /** The run report (PDF) and the positive-pay file for the bank (CSV), rewritten after a reprint. */
  reportPath: string | null
  reportPages: number | null
  positivePayPath: string | null
  /** Something that stopped the run midway, and what to do; null when it ran through. */
  problem: string | null
}

const printTo = { printer: singleLine(200).optional() }

export const consignorsCalls = {
  'consignors.list': call<ConsignorSummary[]>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "A sale's consignors, each with what is still to pay them and whether a cheque run pays them"
  }),
  'consignors.statement': call<ConsignorStatement>()(z.object({ saleId: id, clientId: id }).strict(), {
    mutates: false,
    summary:
      "One consignor's statement for a sale: lots and results, hammer, commission, charges, paid, net payable, and where Circuit's figure differs"
  }),
  'consignors.settle': call<SettleResult>()(
    z
      .object({
        saleId: id,
        clientId: id,
        bankAccountId: id,
        /** Our figure differs from Circuit's: pay Circuit's (the authority) anyway. */
        confirm: z.boolean().optional(),
        ...printTo
      })
      .strict(),
    {
      mutates: true,
      summary:
        "Pay a consignor's net payable: a Cheque payment on the consignor order (sent to Circuit once), then a cheque with the account's next number"
    }
  ),
  'consignors.chequeRun': call<ChequeRun>()(z.object({ saleId: id, bankAccountId: id, ...printTo }).strict(), {
    mutates: true,
    summary:
      'Settle every consignor of the sale with something to pay, one cheque each in consecutive numbers; writes the run report and a positive-pay file'
  }),
  'consignors.runs': call<ChequeRun[]>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: "A sale's cheque runs, newest first, with each cheque as the register has it now"
  }),
  'consignors.reprint': call<ChequeRun>()(z.object({ runId: id, transactionId: id, ...printTo }).strict(), {
    mutates: true,
    summary:
      "A cheque of a run came out spoilt: its number is voided in the register and the next printed; the run's report and positive-pay file are written again"
  }),
  'print.consignorStatement': call<PrintResult>()(z.object({ saleId: id, clientId: id, ...printTo }).strict(), {
    mutates: false,
    summary: "A consignor's statement for a sale as a PDF"
  }),
  'print.chequeRun': call<PrintResult>()(z.object({ runId: id, ...printTo }).strict(), {
    mutates: false,
    summary: "A cheque run's report as a PDF: who was paid, by which cheque, who was passed by and why"
  })
} as const
