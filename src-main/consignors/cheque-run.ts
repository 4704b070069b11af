// A cheque run: every consignor of the sale with something to pay is settled
// in one go, in name order, one cheque each from the account's register (so
// in consecutive numbers), and the run is kept: who was paid by which cheque,
// who was passed by and why. Then the run report (PDF) and the positive-pay
// file for the bank (CSV) are written; both are written again when a spoilt
// cheque of the run is reprinted (its number voided, the next one used).
//
// A run stops at a cheque that cannot be made (the register's high-water mark
// cannot be written, a printer fails): the payment already recorded stands,
// the consignors not reached are listed as such, and running again prints the
// missing cheque without paying twice.
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { ChequeRun, ChequeRunLine } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { iso } from '../core/clock'
import { stamp, type Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { positivePayCsv, writeWhole, type PositivePayCheque } from './positive-pay'
import {
  BANK_ACCOUNT,
  bankAccount,
  chequeMemo,
  chequeProblem,
  checkPrinter,
  recordSettlement,
  type SettleDeps
} from './settle'
import {
  consignorIds,
  consignorStatement,
  CURRENCY,
  hasSale,
  moneyText,
  skipReason,
  type ChequesFor
} from './statement'

export interface RunDeps extends SettleDeps {
  /** The data folder: the positive-pay files go to its exports/. */
  dataDir: string
}

interface RunRow {
  id: string
  sale_id: string
  bank_account_id: string
  at: number
  report_path: string | null
  report_pages: number | null
  positive_pay_path: string | null
  problem: string | null
}

/** A consignor as the run decides about them. */
interface Candidate {
  clientId: string
  name: string
  payee: string
  orderNumber: string | null
  instructions: string[]
  net: number
  /** Why the run passes them by; null: it pays them. */
  reason: string | null
}

interface LineRow {
  position: number
  client_id: string
  name: string
  payee: string
  order_number: string | null
  amount: number
  outcome: ChequeRunLine['outcome']
  reason: string | null
  transaction_id: string | null
  instructions: string
}

// A run is read for every run of a sale's list, and a line's payment for every line: compiled once.

const RUN = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('consignor_runs')
    .select(['id', 'sale_id', 'bank_account_id', 'at', 'report_path', 'report_pages', 'positive_pay_path', 'problem'])
    .where('id', '=', a.id)

const SALE_LABEL = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('sales').select('label').where('id', '=', a.id)

const RUN_LINES = (q: Kysely<Database>, a: { runId: string }) =>
  q.selectFrom('consignor_run_lines').selectAll().where('run_id', '=', a.runId).orderBy('position')

/** The payment, when it has been voided. */
const VOIDED_PAYMENT = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('transactions').select('void_reason').where('id', '=', a.id).where('voided_at', 'is not', null)

/** The run's number in its sale: the runs before it by time (the same time: by id), and itself. */
const RUN_NUMBER = (q: Kysely<Database>, a: { saleId: string; at: number; id: string }) =>
  q
    .selectFrom('consignor_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sale_id', '=', a.saleId)
    .where((eb) => eb.or([eb('at', '<', a.at), eb.and([eb('at', '=', a.at), eb('id', '<=', a.id)])]))

const INSERT_LINE = (q: Kysely<Database>, a: LineRow & { runId: string }) =>
  q.insertInto('consignor_run_lines').values({
    run_id: a.runId,
    position: a.position,
    client_id: a.client_id,
    name: a.name,
    payee: a.payee,
    order_number: a.order_number,
    amount: a.amount,
    outcome: a.outcome,
    reason: a.reason,
    transaction_id: a.transaction_id,
    instructions: a.instructions
  })

const CHEQUE_DATES = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('transactions').select(['cheque_date', 'date']).where('id', '=', a.id)

/** A run as it stands now: each payment's cheque as the register has it (a reprint shows its new number and the void). */
export function chequeRunView(db: Replica, chequesFor: ChequesFor, runId: string): ChequeRun {
  const run: RunRow | undefined = db.prepared(RUN).first({ id: runId })
  if (!run) throw new AppError('not_found', `There is no cheque run ${runId} on this station.`)
  const sale = db.prepared(SALE_LABEL).first({ id: run.sale_id })
  const account = db.prepared(BANK_ACCOUNT).first({ id: run.bank_account_id })
  const lines = db
    .prepared(RUN_LINES)
    .all({ runId })
    .map((l): ChequeRunLine => {
      const cheques = l.transaction_id
        ? chequesFor(l.transaction_id).filter((c) => c.bankAccountId === run.bank_account_id)
        : []
      const standing = cheques.find((c) => c.state === 'issued')
      // A payment voided at the desk since: its cheque no longer pays anything (and leaves the positive-pay file).
      const voided = l.transaction_id ? db.prepared(VOIDED_PAYMENT).first({ id: l.transaction_id }) : undefined
      const outcome = voided ? 'failed' : l.outcome === 'failed' && standing ? 'paid' : l.outcome
      const reason = voided
        ? `The payment was voided (${voided.void_reason ?? 'no reason given'})${standing ? `: void cheque ${String(standing.number).padStart(6, '0')} in the register (Settings, F5)` : ''}.`
        : l.outcome === 'failed' && standing
          ? null
          : l.reason
      return {
        clientId: l.client_id,
        name: l.name,
        payee: l.payee,
        orderNumber: l.order_number,
        amount: l.amount,
        outcome,
        reason,
        transactionId: l.transaction_id,
        chequeNumber: standing?.number ?? null,
        voided: cheques
          .filter((c) => c.state === 'void')
          .map((c) => c.number)
          .sort((a, b) => a - b),
        paymentInstructions: JSON.parse(l.instructions) as string[]
      }
    })
  const paid = lines.filter((l) => l.outcome === 'paid')
  const number = db.prepared(RUN_NUMBER).first({ saleId: run.sale_id, at: run.at, id: run.id })!.n
  return {
    runId: run.id,
    number,
    saleId: run.sale_id,
    saleLabel: sale?.label ?? run.sale_id,
    bankAccountId: run.bank_account_id,
    accountLabel: account?.label ?? run.bank_account_id,
    at: iso(run.at),
    lines,
    cheques: paid.filter((l) => l.chequeNumber !== null).length,
    total: paid.reduce((sum, l) => sum + l.amount, 0),
    reportPath: run.report_path,
    reportPages: run.report_pages,
    positivePayPath: run.positive_pay_path,
    problem: run.problem
  }
}

export function chequeRuns(db: Replica, chequesFor: ChequesFor, saleId: string): ChequeRun[] {
  return db
    .all(
      db.q
        .selectFrom('consignor_runs')
        .select('id')
        .where('sale_id', '=', saleId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
    )
    .map((r) => chequeRunView(db, chequesFor, r.id))
}

function insertLine(db: Replica, runId: string, position: number, l: Omit<LineRow, 'position'>): void {
  db.prepared(INSERT_LINE).run({ ...l, runId, position })
}

function currencyDecimals(db: Replica): number {
  const row = db.prepared(CURRENCY).first({})
  const decimals = row ? (JSON.parse(row.value) as { decimals?: unknown }).decimals : 2
  return typeof decimals === 'number' && Number.isInteger(decimals) ? decimals : 2
}

/** The account as the bank knows it: Circuit's account number for it (as Circuit sends it), else its name. */
function accountNumber(db: Replica, bankAccountId: string): string {
  const t = db.prepared(BANK_ACCOUNT).first({ id: bankAccountId })
  if (!t) return bankAccountId
  const attrs = JSON.parse(t.attrs) as Record<string, unknown>
  return typeof attrs.account_number === 'string' && attrs.account_number.trim() ? attrs.account_number : t.label
}

/**
 * The positive-pay file and the run report, written again from the run as it stands
 * (after a reprint too). Answers what went wrong, or null.
 */
async function writeRunFiles(deps: RunDeps, runId: string, printer?: string): Promise<string | null> {
  const { db } = deps
  const run = chequeRunView(db, deps.chequesFor, runId)
  const problems: string[] = []
  try {
    const account = accountNumber(db, run.bankAccountId)
    const cheques: PositivePayCheque[] = run.lines
      .filter((l) => l.outcome === 'paid' && l.chequeNumber !== null && l.transactionId)
      .map((l) => {
        const t = db.prepared(CHEQUE_DATES).first({ id: l.transactionId! })
        return {
          account,
          chequeNumber: String(l.chequeNumber).padStart(6, '0'),
          date: (t?.cheque_date ?? t?.date ?? run.at).slice(0, 10),
          amount: l.amount,
          payee: l.payee
        }
      })
    const existing = db.first(
      db.q.selectFrom('consignor_runs').select('positive_pay_path').where('id', '=', runId)
    )?.positive_pay_path
    const safeAccount = run.bankAccountId.replace(/[^A-Za-z0-9-]+/g, '_')
    const path =
      existing ??
      join(deps.dataDir, 'exports', `positive-pay-${safeAccount}-${stamp(deps.clock.now())}-${runId.slice(-6)}.csv`)
    writeWhole(path, positivePayCsv(cheques, currencyDecimals(db)))
    db.run(db.q.updateTable('consignor_runs').set({ positive_pay_path: path }).where('id', '=', runId))
  } catch (err) {
    problems.push(`The positive-pay file could not be written: ${err instanceof Error ? err.message : String(err)}.`)
  }
  try {
    const report = await deps.cheques.runReport(runId, printer)
    db.run(
      db.q
        .updateTable('consignor_runs')
        .set({ report_path: report.path, report_pages: report.pages })
        .where('id', '=', runId)
    )
  } catch (err) {
    problems.push(`The run report could not be made: ${chequeProblem(err)}`)
  }
  return problems.length ? problems.join(' ') : null
}

export async function runCheques(
  deps: RunDeps,
  input: { saleId: string; bankAccountId: string; printer?: string }
): Promise<ChequeRun> {
  const { db } = deps
  const money = moneyText(db)
  if (!hasSale(db, input.saleId)) {
    throw new AppError(
      'not_found',
      `There is no sale ${input.saleId} on this station: open it on the Podium (F1) first.`
    )
  }
  bankAccount(db, input.bankAccountId)
  await checkPrinter(deps.cheques, input.printer)
  // Decided before anything is written: a run with nothing to pay writes nothing.
  const consignors = consignorIds(db, input.saleId)
    .map((clientId): Candidate => {
      try {
        const s = consignorStatement(db, deps.chequesFor, input.saleId, clientId)
        return {
          clientId,
          name: s.consignor.name,
          payee: s.payee,
          orderNumber: s.order?.number ?? null,
          instructions: s.consignor.paymentInstructions,
          net: s.netPayable,
          reason: skipReason(db, s)
        }
      } catch (err) {
        // One consignor whose figures cannot be worked out is passed by, with the reason; the others are paid.
        if (!(err instanceof AppError)) throw err
        const name = `Client ${clientId}`
        return { clientId, name, payee: name, orderNumber: null, instructions: [], net: 0, reason: err.message }
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId))
  if (!consignors.some((c) => c.reason === null)) {
    const reasons = consignors.slice(0, 5).map((c) => `${c.name}: ${c.reason}`)
    throw new AppError(
      'conflict',
      consignors.length
        ? `No consignor of this sale has anything to pay now. ${reasons.join(' ')}`
        : 'This sale has no consignors on this station: pull the sale again (F1).',
      { consignors: reasons }
    )
  }
  const runId = `run-${deps.ids.next()}`
  deps.actions.run((tx) => {
    db.run(
      db.q.insertInto('consignor_runs').values({
        id: runId,
        sale_id: input.saleId,
        bank_account_id: input.bankAccountId,
        at: tx.now,
        station: tx.who.station,
        actor: tx.who.actor
      })
    )
    tx.audit({
      action: 'consignors.chequeRun',
      entityType: 'cheque_run',
      entityId: runId,
      saleId: input.saleId,
      after: {
        bankAccountId: input.bankAccountId,
        toPay: consignors.filter((c) => c.reason === null).map((c) => c.name),
        passedBy: consignors.filter((c) => c.reason !== null).map((c) => c.name)
      }
    })
  })

  let stopped: string | null = null
  let position = 0
  for (const c of consignors) {
    const base = {
      client_id: c.clientId,
      name: c.name,
      payee: c.payee,
      order_number: c.orderNumber,
      instructions: JSON.stringify(c.instructions)
    }
    position++
    if (stopped) {
      insertLine(db, runId, position, {
        ...base,
        amount: Math.max(c.net, 0),
        outcome: 'skipped',
        reason: `Not reached: the run stopped before them (${stopped}). Run again to pay them.`,
        transaction_id: null
      })
      continue
    }
    if (c.reason !== null) {
      insertLine(db, runId, position, {
        ...base,
        amount: Math.max(c.net, 0),
        outcome: 'skipped',
        reason: c.reason,
        transaction_id: null
      })
      continue
    }
    let paid: { transactionId: string; amount: number; earlier: boolean }
    try {
      paid = recordSettlement(
        deps,
        { saleId: input.saleId, clientId: c.clientId, bankAccountId: input.bankAccountId },
        'run'
      )
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'disk_full') throw err
      insertLine(db, runId, position, {
        ...base,
        amount: Math.max(c.net, 0),
        outcome: 'failed',
        reason: err.message,
        transaction_id: null
      })
      continue
    }
    try {
      await deps.cheques.cheque({
        transactionId: paid.transactionId,
        bankAccountId: input.bankAccountId,
        payee: c.payee,
        memo: chequeMemo(db, input.saleId, c.orderNumber ?? ''),
        printer: input.printer
      })
      insertLine(db, runId, position, {
        ...base,
        amount: paid.amount,
        outcome: 'paid',
        reason: paid.earlier ? 'The settlement was recorded earlier; its cheque is printed now.' : null,
        transaction_id: paid.transactionId
      })
    } catch (err) {
      stopped = chequeProblem(err)
      insertLine(db, runId, position, {
        ...base,
        amount: paid.amount,
        outcome: 'failed',
        reason: `The payment of ${money(paid.amount)} is recorded, but its cheque was not printed: ${stopped} Run again to print it; no second payment is made.`,
        transaction_id: paid.transactionId
      })
    }
  }

  const problems: string[] = []
  if (stopped) problems.push(`The run stopped: ${stopped}`)
  const numbers = chequeRunView(db, deps.chequesFor, runId)
    .lines.map((l) => l.chequeNumber)
    .filter((n): n is number => n !== null)
  if (numbers.some((n, i) => i > 0 && n !== numbers[i - 1] + 1)) {
    problems.push(
      `The cheque numbers are not consecutive (${numbers.join(', ')}): another station printed cheques on this account meanwhile.`
    )
  }
  const files = await writeRunFiles(deps, runId, input.printer)
  if (files) problems.push(files)
  if (problems.length) {
    db.run(
      db.q
        .updateTable('consignor_runs')
        .set({ problem: problems.join(' ') })
        .where('id', '=', runId)
    )
  }
  return chequeRunView(db, deps.chequesFor, runId)
}

/**
 * A cheque of the run came out spoilt: the register's reprint rule voids its number and
 * prints the payment's cheque under the next one; the run's files are written again.
 */
export async function reprintRunCheque(
  deps: RunDeps,
  input: { runId: string; transactionId: string; printer?: string }
): Promise<ChequeRun> {
  const { db } = deps
  const run = chequeRunView(db, deps.chequesFor, input.runId)
  const line = run.lines.find((l) => l.transactionId === input.transactionId)
  if (!line) {
    throw new AppError('not_found', `Payment ${input.transactionId} is not one of cheque run ${input.runId}'s.`)
  }
  if (line.chequeNumber === null) {
    throw new AppError(
      'conflict',
      `${line.name} has no cheque standing in this run to reprint: run the cheques again to print it.`
    )
  }
  await checkPrinter(deps.cheques, input.printer)
  const t = db.first(db.q.selectFrom('transactions').select('voided_at').where('id', '=', input.transactionId))
  if (!t || t.voided_at !== null) {
    throw new AppError('conflict', `The payment to ${line.name} was voided: it takes no cheque.`)
  }
  await deps.cheques.cheque({
    transactionId: input.transactionId,
    bankAccountId: run.bankAccountId,
    payee: line.payee,
    memo: chequeMemo(db, run.saleId, line.orderNumber ?? ''),
    reprint: true,
    printer: input.printer
  })
  const files = await writeRunFiles(deps, input.runId)
  if (files) {
    // Added to what the run said already.
    db.run(
      db.q
        .updateTable('consignor_runs')
        .set((eb) => ({
          problem: eb.fn<string>('trim', [eb(eb(eb.fn.coalesce('problem', eb.val('')), '||', ' '), '||', files)])
        }))
        .where('id', '=', input.runId)
    )
  }
  return chequeRunView(db, deps.chequesFor, input.runId)
}
