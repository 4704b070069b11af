// The consignors' calls: statements read from the replica (offline too),
// settlements and cheque runs, and what printing reads of them.
import type { consignorsCalls } from '../../src-shared/contract/consignors'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import type { IdSource } from '../core/ids'
import type { ConsignorPrintSource, PayoutPrinting } from '../core/ports'
import type { Replica } from '../db/replica'
import { chequeRuns, chequeRunView, reprintRunCheque, runCheques } from './cheque-run'
import { settle } from './settle'
import { consignorStatement, consignorSummaries, type ChequesFor } from './statement'

/** The calls printing answers itself (print.*), declared with the consignors' calls. */
type PrintCalls = 'print.consignorStatement' | 'print.chequeRun'

export interface ConsignorDeps {
  db: Replica
  actions: Actions
  ids: IdSource
  clock: Clock
  dataDir: string
  /** Cheques and the run report, from printing (which keeps the cheque register). */
  cheques: PayoutPrinting
}

export function consignorHandlers(deps: ConsignorDeps): Omit<HandlersFor<typeof consignorsCalls>, PrintCalls> {
  const { db } = deps
  const chequesFor: ChequesFor = (id) => deps.cheques.chequesFor(id)
  const all = { ...deps, chequesFor }
  return {
    'consignors.list': ({ saleId }) => consignorSummaries(db, chequesFor, saleId),
    'consignors.statement': ({ saleId, clientId }) => consignorStatement(db, chequesFor, saleId, clientId),
    'consignors.settle': (input) => settle(all, input),
    'consignors.chequeRun': (input) => runCheques(all, input),
    'consignors.runs': ({ saleId }) => chequeRuns(db, chequesFor, saleId),
    'consignors.reprint': (input) => reprintRunCheque(all, input)
  }
}

/** What printing reads of consignors: the statement and the run, as the screen shows them. */
export function consignorPrintSource(db: Replica, chequesFor: ChequesFor): ConsignorPrintSource {
  return {
    statement: (saleId, clientId) => consignorStatement(db, chequesFor, saleId, clientId),
    chequeRun: (runId) => chequeRunView(db, chequesFor, runId)
  }
}
