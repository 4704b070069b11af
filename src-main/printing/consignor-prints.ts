// Printing for the consignors: a consignor's statement and a cheque run's
// report (print.consignorStatement, print.chequeRun), made from what the
// consignors capability supplies through its kernel port, saved under
// prints/ and printed when a printer is named. And what the consignors
// capability asks of printing (the PayoutPrinting port): cheques by the
// register's rules — print.cheque itself — and the register's cheques for a
// payment.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ChequeRegisterEntry, PrintResult } from '../../src-shared/contract'
import type { consignorsCalls } from '../../src-shared/contract/consignors'
import type { printingCalls } from '../../src-shared/contract/printing'
import { AppError } from '../../src-shared/rpc'
import { iso, type Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import type { ConsignorPrintSource, PayoutPrinting, Printer } from '../core/ports'
import { stamp, type Replica } from '../db/replica'
import { house } from './from-replica'
import type { RenderedDocument } from './types'

type ConsignorPrintCalls = Pick<typeof consignorsCalls, 'print.consignorStatement' | 'print.chequeRun'>

export interface ConsignorPrintDeps {
  db: Replica
  clock: Clock
  printer: Printer
  dataDir: string
  /** The statements and runs, from the consignors capability. */
  consignors: ConsignorPrintSource
}

/** The register's cheques for one payment, newest first. */
export function chequesForPayment(db: Replica): (transactionId: string) => ChequeRegisterEntry[] {
  return (transactionId) =>
    db
      .all(
        db.q
          .selectFrom('cheque_register')
          .selectAll()
          .where('transaction_id', '=', transactionId)
          .orderBy('at', 'desc')
          .orderBy('number', 'desc')
      )
      .map((e) => ({
        bankAccountId: e.bank_account_id,
        number: e.number,
        transactionId: e.transaction_id,
        payee: e.payee,
        amount: e.amount,
        state: e.state,
        voidReason: e.void_reason,
        at: iso(e.at)
      }))
}

export function consignorPrintHandlers(deps: ConsignorPrintDeps): HandlersFor<ConsignorPrintCalls> {
  const { db, clock } = deps
  const printsDir = join(deps.dataDir, 'prints')
  const at = () => ({ creationDate: new Date(clock.now()) })

  /** Save the PDF whole (a partial file renamed), then print it if asked. */
  async function deliver(kind: string, id: string, doc: RenderedDocument, printer?: string): Promise<PrintResult> {
    mkdirSync(printsDir, { recursive: true, mode: 0o700 })
    const path = join(printsDir, `${kind}-${id.replace(/[^A-Za-z0-9-]+/g, '_')}-${stamp(clock.now())}.pdf`)
    writeFileSync(`${path}.partial`, doc.bytes, { mode: 0o600 })
    renameSync(`${path}.partial`, path)
    if (!printer) return { path, pages: doc.pages, printed: false, printer: null }
    try {
      await deps.printer.print(doc.bytes, { printer, jobName: `${kind} ${id}` })
    } catch (err) {
      throw new AppError(
        'conflict',
        `Saved as ${path}, but not printed: ${err instanceof Error ? err.message : String(err)}`
      )
    }
    return { path, pages: doc.pages, printed: true, printer }
  }

  function saleRef(saleId: string) {
    const s = db.first(db.q.selectFrom('sales').select(['label', 'sale_date']).where('id', '=', saleId))
    const today = new Date(clock.now()).toISOString().slice(0, 10)
    return {
      name: s?.label ?? '',
      date: s?.sale_date && /^\d{4}-\d{2}-\d{2}/.test(s.sale_date) ? s.sale_date.slice(0, 10) : today
    }
  }

  return {
    'print.consignorStatement': async ({ saleId, clientId, printer }) => {
      const statement = deps.consignors.statement(saleId, clientId)
      const { renderConsignorStatement } = await import('./documents/consignor-statement')
      const doc = await renderConsignorStatement(
        {
          house: house(db),
          sale: saleRef(saleId),
          issueDate: new Date(clock.now()).toISOString().slice(0, 10),
          statement
        },
        at()
      )
      return deliver('consignor-statement', `${saleId}-${clientId}`, doc, printer)
    },
    'print.chequeRun': async ({ runId, printer }) => {
      const run = deps.consignors.chequeRun(runId)
      const { renderChequeRunReport } = await import('./documents/cheque-run-report')
      const doc = await renderChequeRunReport(
        { house: house(db), run, positivePayFile: run.positivePayPath ? basename(run.positivePayPath) : null },
        at()
      )
      return deliver('cheque-run', `sale-${run.saleId}-run-${run.number}`, doc, printer)
    }
  }
}

/** The consignors' way to cheques: print.cheque as printing answers it, the printers, and the run report. */
export function payoutPrinting(
  db: Replica,
  printing: Pick<HandlersFor<typeof printingCalls>, 'print.cheque' | 'print.printers'>,
  consignorPrints: HandlersFor<ConsignorPrintCalls>
): PayoutPrinting {
  const chequesFor = chequesForPayment(db)
  return {
    cheque: async (input) => printing['print.cheque'](input),
    chequesFor,
    printers: async () => (await printing['print.printers']({})).map((p) => p.name),
    runReport: async (runId, printer) => consignorPrints['print.chequeRun']({ runId, printer })
  }
}
