// Paying a consignor: a Cheque payment on the consignor's order, then a
// cheque with the next number of the account's register.
//
// The payment travels exactly as a payment taken at the desk does: the same
// row in `transactions`, the same outbox entry (entity "transaction", op
// "payment.record", the same payload), so the payment adapter that owns them
// sends it — with our reference in `info`, read back before any send and
// after a lost answer, never doubled — and a void at the desk cancels or
// deletes it by the same rules. Circuit's transaction carries no cheque
// number: the number is the register's, and a spoilt cheque's reprint
// changes it.
import type { SettleResult } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { IdSource } from '../core/ids'
import type { PayoutPrinting } from '../core/ports'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import {
  consignorOrderOf,
  consignorStatement,
  moneyText,
  skipReason,
  unprintedSettlement,
  type ChequesFor
} from './statement'

/**
 * The outbox payload of a settlement: the payment adapter's `payment.record`
 * payload (checkout/payments.ts `PaymentPayload`), field for field. A test
 * holds the two together.
 */
export interface SettlementPayload {
  orderId: string | null
  localOrderId: string
  localId: string
  method: 'cheque'
  amount: number
  date: string
  bankId: string
  bankName: string
  chequeDate: string
}

/** Our reference in a payment's `info` (as circuit/payment-types.ts writes it), found again after a lost answer. */
const reference = (localId: string) => `[saleroom:${localId}]`

// A cheque run settles consignor after consignor: these statements are compiled once.

/** One of Circuit's bank accounts, as the last pull kept it. */
export const BANK_ACCOUNT = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('reference_terms')
    .select(['label', 'attrs'])
    .where('vocabulary', '=', 'bank_accounts')
    .where('id', '=', a.id)

const SALE_NAMES = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('sales').select(['sale_number', 'label']).where('id', '=', a.id)

/** The settlement payment, as a payment taken at the desk is written. */
const INSERT_SETTLEMENT = (
  q: Kysely<Database>,
  a: {
    id: string
    orderId: string
    amount: number
    date: string
    bankId: string
    bankName: string
    info: string
    created: string
  }
) =>
  q.insertInto('transactions').values({
    id: a.id,
    server_id: null,
    order_id: a.orderId,
    type: 'cheque',
    amount: a.amount,
    date: a.date,
    cheque_date: a.date,
    bank_id: a.bankId,
    bank_name: a.bankName,
    info: a.info,
    created: a.created,
    raw: null
  })

export interface SettleDeps {
  db: Replica
  actions: Actions
  ids: IdSource
  clock: Clock
  cheques: PayoutPrinting
  chequesFor: ChequesFor
}

export function bankAccount(db: Replica, bankAccountId: string): { label: string; bankName: string } {
  const t = db.prepared(BANK_ACCOUNT).first({ id: bankAccountId })
  if (!t) {
    throw new AppError(
      'invalid_input',
      `Bank account ${bankAccountId} is not in Circuit's list of bank accounts on this station; pick one from the list.`,
      { bankAccountId: ["Not one of Circuit's bank accounts."] }
    )
  }
  const attrs = JSON.parse(t.attrs) as Record<string, unknown>
  return {
    label: t.label,
    bankName: typeof attrs.bank_name === 'string' && attrs.bank_name ? attrs.bank_name : t.label
  }
}

const todayOf = (now: number) => new Date(now).toISOString().slice(0, 10)

/**
 * Record the settlement payment (one action: the row, the outbox entry, the audit). Answers
 * the payment and its amount; nothing is printed here. `earlier` is a settlement recorded
 * before whose cheque was never printed: it is answered as it is, and nothing is written.
 */
export function recordSettlement(
  deps: SettleDeps,
  input: { saleId: string; clientId: string; bankAccountId: string; confirm?: boolean },
  via: 'settle' | 'run'
): { transactionId: string; amount: number; earlier: boolean } {
  const { db } = deps
  const money = moneyText(db)
  const account = bankAccount(db, input.bankAccountId)
  const s = consignorStatement(db, deps.chequesFor, input.saleId, input.clientId)
  const order = consignorOrderOf(db, input.saleId, input.clientId)
  const earlier = unprintedSettlement(db, s)
  if (earlier) return { transactionId: earlier.id, amount: earlier.amount, earlier: true }
  if (!order || !s.order) {
    throw new AppError(
      'not_found',
      `${s.consignor.name} has no consignor order for this sale on this station: pull the sale again (F1), then settle.`
    )
  }
  if (order.status === 'canceled') throw new AppError('conflict', `Consignor order ${s.order.number} is cancelled.`)
  let amount = s.netPayable
  if (s.difference) {
    if (input.confirm !== true) {
      const reasons = [
        s.difference.message,
        `Enter again to pay Circuit's figure: ${money(s.difference.circuits - s.paid)}.`
      ]
      throw new AppError('needs_confirmation', reasons.join(' '), { reasons })
    }
    // Circuit's figure is the authority.
    amount = s.difference.circuits - s.paid
  } else if (s.problems.length && s.circuitTotal === null && input.confirm !== true) {
    const reasons = [...s.problems, 'Circuit has sent no figure to check ours against: Enter again to pay ours.']
    throw new AppError('needs_confirmation', reasons.join(' '), { reasons })
  }
  if (amount <= 0) {
    throw new AppError('conflict', `${s.consignor.name}: ${skipReason(db, s) ?? 'Nothing to pay.'}`)
  }
  const today = todayOf(deps.clock.now())
  const localId = `local-${deps.ids.next()}`
  const payload: SettlementPayload = {
    orderId: order.server_id,
    localOrderId: order.id,
    localId,
    method: 'cheque',
    amount,
    date: today,
    bankId: input.bankAccountId,
    bankName: account.bankName,
    chequeDate: today
  }
  deps.actions.run((tx) => {
    db.prepared(INSERT_SETTLEMENT).run({
      id: localId,
      orderId: order.id,
      amount,
      date: today,
      bankId: input.bankAccountId,
      bankName: account.bankName,
      info: reference(localId),
      created: new Date(tx.now).toISOString()
    })
    tx.enqueue({
      entityType: 'transaction',
      entityId: localId,
      op: 'payment.record',
      payload,
      label: `Cheque settlement of ${money(amount)} to consignor ${s.consignor.name} on order ${s.order!.number}${order.server_id === null ? " (waits for Circuit's order)" : ''}`
    })
    tx.audit({
      action: via === 'run' ? 'consignors.chequeRun.settle' : 'consignors.settle',
      entityType: 'transaction',
      entityId: localId,
      saleId: input.saleId,
      before: { paid: s.paid, netPayable: s.netPayable },
      after: {
        consignor: s.consignor.name,
        clientId: input.clientId,
        order: s.order!.number,
        amount,
        bankAccountId: input.bankAccountId,
        ...(s.difference ? { paidCircuitsFigure: true, difference: s.difference.amount } : {})
      }
    })
    tx.changed('transaction', [localId], input.saleId)
    tx.changed('order', [order.id], input.saleId)
  })
  return { transactionId: localId, amount, earlier: false }
}

/** The cheque's memo line: the sale and the consignor order it settles. */
export function chequeMemo(db: Replica, saleId: string, orderNumber: string): string {
  const sale = db.prepared(SALE_NAMES).first({ id: saleId })
  return `Settlement, sale ${sale?.sale_number ?? saleId}, statement ${orderNumber}`.slice(0, 120)
}

/** What went wrong printing a cheque, in the words the user can act on. */
export function chequeProblem(err: unknown): string {
  if (err instanceof AppError) return err.message
  return 'The cheque could not be made; see the log.'
}

/** A printer that is not there is refused before anything is paid or numbered. */
export async function checkPrinter(cheques: PayoutPrinting, printer: string | undefined): Promise<void> {
  if (printer === undefined) return
  const names = await cheques.printers()
  if (names.length === 0) {
    throw new AppError('invalid_input', 'This station saves the PDF but cannot print; ask for it without a printer.')
  }
  if (!names.includes(printer)) {
    throw new AppError('invalid_input', `There is no printer "${printer}" here. Printers: ${names.join(', ')}.`)
  }
}

export async function settle(
  deps: SettleDeps,
  input: { saleId: string; clientId: string; bankAccountId: string; confirm?: boolean; printer?: string }
): Promise<SettleResult> {
  await checkPrinter(deps.cheques, input.printer)
  const paid = recordSettlement(deps, input, 'settle')
  const s = consignorStatement(deps.db, deps.chequesFor, input.saleId, input.clientId)
  try {
    const c = await deps.cheques.cheque({
      transactionId: paid.transactionId,
      bankAccountId: input.bankAccountId,
      payee: s.payee,
      memo: chequeMemo(deps.db, input.saleId, s.order?.number ?? ''),
      printer: input.printer
    })
    return {
      statement: consignorStatement(deps.db, deps.chequesFor, input.saleId, input.clientId),
      transactionId: paid.transactionId,
      amount: paid.amount,
      cheque: { bankAccountId: c.bankAccountId, number: c.chequeNumber, path: c.path, pages: c.pages },
      problem: null,
      earlier: paid.earlier
    }
  } catch (err) {
    // The payment stands (it is on its way to Circuit); its cheque is printed by settling again.
    const money = moneyText(deps.db)
    return {
      statement: consignorStatement(deps.db, deps.chequesFor, input.saleId, input.clientId),
      transactionId: paid.transactionId,
      amount: paid.amount,
      cheque: null,
      problem: `The settlement of ${money(paid.amount)} is recorded, but its cheque was not printed: ${chequeProblem(err)} Settle again to print it; no second payment is made.`,
      earlier: paid.earlier
    }
  }
}
