// The printing calls: each document is made from the replica (no network),
// saved under the data folder's prints/, and sent to a printer when one is
// named and the host can print. Printing never changes a record, except the
// cheque register (a cheque takes its number in an audited action, and only
// for money the house pays out).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import type { PrintResult } from '../../src-shared/contract'
import type { printingCalls } from '../../src-shared/contract/printing'
import type { warehousePrintCalls } from '../../src-shared/contract/warehouse'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import type { OrderPrintSource, PhoneCardPrintSource, Printer, WarehousePrintSource } from '../core/ports'
import { stamp, type Replica } from '../db/replica'
import { readSettings } from '../core/settings'
import {
  checkOutgoing,
  chequeAccount,
  chequeAccounts,
  chequeLayout,
  highWaterFiles,
  issueCheque,
  setChequeLayout,
  setNextNumber,
  voidCheque
} from './cheque-register'
import { chequeData, chequeTransaction, invoiceData, receiptData } from './from-replica'
import { clerkSheetData, phoneCardsData } from './session-data'
import type { RenderedDocument } from './types'
import { statementData } from './statement-data'
import { warehousePrintHandlers } from './warehouse-prints'

// PDFKit and the fonts load with the first print, not when the app starts.
const documents = () => import('./documents')

export interface PrintingDeps {
  db: Replica
  actions: Actions
  clock: Clock
  printer: Printer
  dataDir: string
  /** An order's rows as the checkout shows them (the checkout capability supplies them). */
  orders: OrderPrintSource
  /** A session and its phone cards (the phone-cards capability supplies them). */
  cards: PhoneCardPrintSource
  /** Lot tags, pick lists, gate passes, packing slips (the warehouse capability supplies them). */
  warehouse: WarehousePrintSource
}

export function printingHandlers(deps: PrintingDeps): HandlersFor<typeof printingCalls & typeof warehousePrintCalls> {
  const { db, actions, clock, orders, cards } = deps
  const printsDir = join(deps.dataDir, 'prints')
  // Cheque numbers are also kept outside the database, in the data folder and the second folder.
  const highWater = highWaterFiles(deps.dataDir, () => readSettings(db).backupFolder)

  /** Save the PDF (whole or not at all), then print it if asked. */
  async function deliver(kind: string, id: string, doc: RenderedDocument, printer?: string): Promise<PrintResult> {
    mkdirSync(printsDir, { recursive: true, mode: 0o700 })
    const path = join(printsDir, `${kind}-${id}-${stamp(clock.now())}.pdf`)
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

  const at = () => ({ creationDate: new Date(clock.now()) })

  /** A printer that is not there is refused before anything is made or numbered. */
  async function checkPrinter(printer: string | undefined): Promise<void> {
    if (printer === undefined) return
    const names = await deps.printer.list()
    if (names.length === 0) {
      throw new AppError('invalid_input', 'This station saves the PDF but cannot print; ask for it without a printer.')
    }
    if (!names.includes(printer)) {
      throw new AppError('invalid_input', `There is no printer "${printer}" here. Printers: ${names.join(', ')}.`)
    }
  }

  return {
    ...warehousePrintHandlers({ db, warehouse: deps.warehouse, now: () => clock.now(), deliver, at }),
    'print.invoice': async ({ orderId, printer }) =>
      deliver(
        'invoice',
        orderId,
        await (await documents()).renderInvoice(invoiceData(db, orders, orderId, clock.now()), at()),
        printer
      ),
    'print.statement': async ({ saleId, paddle, printer }) =>
      deliver(
        'statement',
        `${saleId}-${paddle}`,
        await (await documents()).renderStatement(statementData(db, orders, saleId, paddle, clock.now()), at()),
        printer
      ),
    'print.receipt': async ({ transactionId, printer }) =>
      deliver(
        'receipt',
        transactionId,
        await (await documents()).renderReceipt(receiptData(db, orders, transactionId, clock.now()), at()),
        printer
      ),
    'print.cheque': async ({ transactionId, printer, bankAccountId, payee, memo, reprint }) => {
      await checkPrinter(printer)
      const t = chequeTransaction(db, transactionId)
      checkOutgoing(db, t.id)
      const account = bankAccountId ?? t.bankId
      if (!account)
        throw new AppError('invalid_input', 'Which bank account is the cheque drawn on? Give bankAccountId.')
      // Checked before a number is taken: a cheque that cannot be made takes none.
      const draft = chequeData(db, transactionId, { payee, memo, bankAccountId: account, chequeNumber: 0 }, clock.now())
      const number = actions.run((tx) =>
        issueCheque(tx, db, highWater, {
          bankAccountId: account,
          transactionId: t.id,
          payee: draft.payee,
          amount: draft.amountMinor,
          reprint: reprint === true
        })
      )
      const data = chequeData(
        db,
        transactionId,
        { payee, memo, bankAccountId: account, chequeNumber: number },
        clock.now()
      )
      const doc = await (await documents()).renderCheque(data, { ...at(), layout: chequeLayout(db) })
      return {
        ...(await deliver('cheque', `${account}-${number}`, doc, printer)),
        chequeNumber: number,
        bankAccountId: account
      }
    },
    'print.phoneCards': async ({ sessionId, printer }) =>
      deliver(
        'phone-cards',
        sessionId,
        await (await documents()).renderPhoneBidderCards(phoneCardsData(db, cards, sessionId, clock.now()), at()),
        printer
      ),
    'print.clerkSheet': async ({ sessionId, printer }) =>
      deliver(
        'clerk-sheet',
        sessionId,
        await (await documents()).renderClerkSheet(clerkSheetData(db, cards, sessionId, clock.now()), at()),
        printer
      ),
    'print.chequeAlignment': async ({ printer }) =>
      deliver(
        'cheque-alignment',
        'layout',
        await (await documents()).chequeAlignmentPage(chequeLayout(db), at()),
        printer
      ),
    'print.printers': async () => {
      const names = await deps.printer.list()
      return names.map((name, i) => ({ name, isDefault: i === 0 }))
    },
    'print.file': ({ path }) => {
      const full = resolve(path)
      if (!full.startsWith(resolve(printsDir) + sep) || !full.endsWith('.pdf')) {
        throw new AppError('forbidden', 'Only saved prints can be opened here.')
      }
      try {
        return { path: full, base64: readFileSync(full).toString('base64') }
      } catch {
        throw new AppError('not_found', `There is no saved print ${path}.`)
      }
    },
    'cheques.accounts': () => chequeAccounts(db, highWater),
    'cheques.setNext': ({ bankAccountId, next }) => {
      actions.run((tx) => setNextNumber(tx, db, highWater, bankAccountId, next))
      return chequeAccount(db, highWater, bankAccountId)
    },
    'cheques.void': ({ bankAccountId, number, reason }) => {
      actions.run((tx) => voidCheque(tx, db, highWater, bankAccountId, number, reason))
      return chequeAccount(db, highWater, bankAccountId)
    },
    'cheques.layout': () => chequeLayout(db),
    'cheques.setLayout': ({ layout }) => {
      actions.run((tx) => setChequeLayout(tx, db, layout))
      return chequeLayout(db)
    }
  }
}
