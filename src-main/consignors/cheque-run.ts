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
import type { ChequeRun, ChequeRunLine } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { iso } from '../core/clock'
import { stamp, type Replica } from '../db/replica'
import { positivePayCsv, writeWhole, type PositivePayCheque } from './positive-pay'
import { bankAccount, chequeMemo, chequeProblem, checkPrinter, recordSettlement, type SettleDeps } from './settle'
import { consignorIds, consignorStatement, moneyText, skipReason, type ChequesFor } from './statement'

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

/** A run as it stands now: each payment's cheque as the register has it (a reprint shows its new number and the void). */
export function chequeRunView(db: Replica, chequesFor: ChequesFor, runId: string): ChequeRun {
  const run = db.sql<RunRow>(
    `SELECT id, sale_id, bank_account_id, at, report_path, report_pages, positive_pay_path, problem
     FROM consignor_runs WHERE id = ?`,
    runId
  )[0]
  if (!run) throw new AppError('not_found', `There is no cheque run ${runId} on this station.`)
  const sale = db.sql<{ label: string }>('SELECT label FROM sales WHERE id = ?', run.sale_id)[0]
  const account = db.sql<{ label: string }>(
    `SELECT label FROM reference_terms WHERE vocabulary = 'bank_accounts' AND id = ?`,
    run.bank_account_id
  )[0]
  const lines = db
    .sql<LineRow>('SELECT * FROM consignor_run_lines WHERE run_id = ? ORDER BY position', runId)
    .map((l): ChequeRunLine => {
      const cheques = l.transaction_id
        ? chequesFor(l.transaction_id).filter((c) => c.bankAccountId === run.bank_account_id)
        : []
      const standing = cheques.find((c) => c.state === 'issued')
      // A payment voided at the desk since: its cheque no longer pays anything (and leaves the positive-pay file).
      const voided = l.transaction_id
        ? db.sql<{ void_reason: string | null }>(
            'SELECT void_reason FROM transactions WHERE id = ? AND voided_at IS NOT NULL',
            l.transaction_id
          )[0]
        : undefined
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
  const number = db.sql<{ n: number }>(
    `SELECT count(*) AS n FROM consignor_runs WHERE sale_id = ? AND (at < ? OR (at = ? AND id <= ?))`,
    run.sale_id,
    run.at,
    run.at,
    run.id
  )[0].n
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
    .sql<{ id: string }>('SELECT id FROM consignor_runs WHERE sale_id = ? ORDER BY at DESC, id DESC', saleId)
    .map((r) => chequeRunView(db, chequesFor, r.id))
}

function insertLine(db: Replica, runId: string, position: number, l: Omit<LineRow, 'position'>): void {
  db.exec(
    `INSERT INTO consignor_run_lines (run_id, position, client_id, name, payee, order_number, amount, outcome, reason,
       transaction_id, instructions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    runId,
    position,
    l.client_id,
    l.name,
    l.payee,
    l.order_number,
    l.amount,
    l.outcome,
    l.reason,
    l.transaction_id,
    l.instructions
  )
}

function currencyDecimals(db: Replica): number {
  const row = db.sql<{ value: string }>(`SELECT value FROM sync_state WHERE key = 'circuit_currency'`)[0]
  const decimals = row ? (JSON.parse(row.value) as { decimals?: unknown }).decimals : 2
  return typeof decimals === 'number' && Number.isInteger(decimals) ? decimals : 2
}

/** The account as the bank knows it: Circuit's account number for it (as Circuit sends it), else its name. */
function accountNumber(db: Replica, bankAccountId: string): string {
  const t = db.sql<{ label: string; attrs: string }>(
    `SELECT label, attrs FROM reference_terms WHERE vocabulary = 'bank_accounts' AND id = ?`,
    bankAccountId
  )[0]
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
        const t = db.sql<{ cheque_date: string | null; date: string | null }>(
          'SELECT cheque_date, date FROM transactions WHERE id = ?',
          l.transactionId
        )[0]
        return {
          account,
          chequeNumber: String(l.chequeNumber).padStart(6, '0'),
          date: (t?.cheque_date ?? t?.date ?? run.at).slice(0, 10),
          amount: l.amount,
          payee: l.payee
        }
      })
    const existing = db.sql<{ positive_pay_path: string | null }>(
      'SELECT positive_pay_path FROM consignor_runs WHERE id = ?',
      runId
    )[0]?.positive_pay_path
    const safeAccount = run.bankAccountId.replace(/[^A-Za-z0-9-]+/g, '_')
    const path =
      existing ??
      join(deps.dataDir, 'exports', `positive-pay-${safeAccount}-${stamp(deps.clock.now())}-${runId.slice(-6)}.csv`)
    writeWhole(path, positivePayCsv(cheques, currencyDecimals(db)))
    db.exec('UPDATE consignor_runs SET positive_pay_path = ? WHERE id = ?', path, runId)
  } catch (err) {
    problems.push(`The positive-pay file could not be written: ${err instanceof Error ? err.message : String(err)}.`)
  }
  try {
    const report = await deps.cheques.runReport(runId, printer)
    db.exec(
      'UPDATE consignor_runs SET report_path = ?, report_pages = ? WHERE id = ?',
      report.path,
      report.pages,
      runId
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
  if (!db.sql('SELECT 1 FROM sales WHERE id = ?', input.saleId)[0]) {
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
    db.exec(
      `INSERT INTO consignor_runs (id, sale_id, bank_account_id, at, station, actor) VALUES (?, ?, ?, ?, ?, ?)`,
      runId,
      input.saleId,
      input.bankAccountId,
      tx.now,
      tx.who.station,
      tx.who.actor
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
  if (problems.length) db.exec('UPDATE consignor_runs SET problem = ? WHERE id = ?', problems.join(' '), runId)
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
  const t = db.sql<{ voided_at: number | null }>(
    'SELECT voided_at FROM transactions WHERE id = ?',
    input.transactionId
  )[0]
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
    db.exec(
      `UPDATE consignor_runs SET problem = trim(coalesce(problem, '') || ' ' || ?) WHERE id = ?`,
      files,
      input.runId
    )
  }
  return chequeRunView(db, deps.chequesFor, input.runId)
}
