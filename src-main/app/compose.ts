// The composition root: builds the kernel (write queue, events, status,
// the action helper) and hands each capability the narrow dependencies it
// needs. Nothing here knows which host runs it (Electron, the web host, a test).
import { calls, isCallName } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Replica } from '../db/replica'
import { Actions } from '../core/action'
import { listAudit } from '../core/audit'
import type { Clock } from '../core/clock'
import { createDispatcher, type Dispatch, type Handlers } from '../core/dispatcher'
import { IdempotencyKeys } from '../core/idempotency'
import { callerContext } from '../core/caller'
import { EventBus } from '../core/event-bus'
import type { IdSource } from '../core/ids'
import {
  consoleLogger,
  type CircuitGateway,
  type FileStore,
  type Logger,
  type Printer,
  type SalesPort
} from '../core/ports'
import { readSettings } from '../core/settings'
import { houseCurrency } from '../core/currency'
import { idleSender, StatusBoard } from '../core/status'
import { clerkingHandlers } from '../clerking/handlers'
import { lookupHandlers } from '../lookup/handlers'
import { settingsHandlers } from '../settings/handlers'
import { syncHandlers } from '../sync/handlers'
import { itemAdapter } from '../clerking/item-sync'
import { phoneCardAdapter } from '../phone-cards/card-sync'
import { phoneCardHandlers } from '../phone-cards/handlers'
import { SyncRegistry } from '../core/sync-adapter'
import type { RestoreResult } from '../../src-shared/contract'
import { safetyNetHandlers } from '../safety-net/handlers'
import { printingHandlers } from '../printing/handlers'
import { checkLogo } from '../printing/logo'
import { checkoutHandlers } from '../checkout/handlers'
import { paymentAdapter } from '../checkout/payment-sync'
import { orderAdapter } from '../checkout/order-sync'
import { followLotResults } from '../checkout/order-mirror'
import { provisionalOrdersFollowPulledLots } from '../checkout/provisional-follow'
import { orderPrintSource } from '../checkout/order-rows'
import { checkoutInvoice, orderFigures } from '../checkout/invoice-view'
import { phoneCardPrintSource } from '../phone-cards/cards'
import { recordAdapters } from '../records/adapters'
import { venueCapability } from '../venue/handlers'
import { startBackupSchedule, type BackupSchedule } from '../safety-net/schedule'
import type { OutboxPusher } from '../sync/pusher'
import type { ConnectorSide } from '../connectors/config'
import { connectorHandlers } from '../connectors/handlers'
import { Jobs } from '../connectors/jobs'
import { importedItemAdapter } from '../connectors/circuit-item-sync'
import { consignmentAdapter, consignmentStatementsAdapter } from '../consignors/sync'
import { consignorHandlers, consignorPrintSource } from '../consignors/handlers'
import { chequesForPayment, consignorPrintHandlers, payoutPrinting } from '../printing/consignor-prints'
import { balanceSource } from '../checkout/balance-source'
import { warehouseHandlers } from '../warehouse/handlers'
import { warehousePrintSource } from '../warehouse/print-source'
import { shipmentAdapter } from '../warehouse/shipment-sync'
import { boxAdapter } from '../warehouse/box-sync'
import { shippingAreaAdapter } from '../warehouse/areas'
import { collectionAdapter } from '../warehouse/collection-sync'

export interface ServiceDeps {
  db: Replica
  clock: Clock
  ids: IdSource
  /** The station's sync adapters, the same instance the pull and the sender use. */
  registry: SyncRegistry
  circuit: CircuitGateway<unknown>
  printer: Printer
  files: FileStore
  host: 'electron' | 'web'
  version: string
  log?: Logger
  /** The bus to emit on; the host's, so the sync layer and the services share one. */
  events?: EventBus
  /** Sale pulling, supplied by the sync layer; absent means this station cannot pull. */
  sales?: SalesPort
  /** The outbox sender; absent means changes wait in the outbox until a server is set up. */
  pusher?: OutboxPusher
  /** Replace the database with a copy and start again on it (the boot supplies this). */
  restore?: (file: string) => Promise<RestoreResult>
  /** How often the backup schedule looks whether a copy is due (tests shorten it). */
  backupTickMs?: number
  /** FairWarning and Bidlogix: keys' store, addresses from the environment, the demo simulators. */
  connectors?: ConnectorSide
}

export interface Services {
  dispatch: Dispatch
  events: EventBus
  handlers: Handlers
  actions: Actions
  status: StatusBoard
  close(): Promise<void>
}

/**
 * Every kind of record's sync adapter, each from the capability that owns the
 * kind. One registry per station: the pull writes through it, the sender
 * sends through it, the Sync screen settles through it.
 */
export function buildSyncRegistry(db: Replica): SyncRegistry {
  const registry = new SyncRegistry()
  for (const a of recordAdapters()) registry.register(a)
  registry.register(itemAdapter(db))
  registry.register(phoneCardAdapter())
  registry.register(orderAdapter(db))
  registry.register(paymentAdapter(db))
  registry.register(importedItemAdapter(registry))
  registry.register(consignmentAdapter())
  registry.register(consignmentStatementsAdapter())
  // Shipments and boxes need Circuit's id of their order: the checkout's figures, through the port.
  const balances = balanceSource(db)
  registry.register(shipmentAdapter(db, balances))
  registry.register(boxAdapter(db, balances))
  registry.register(shippingAreaAdapter())
  // Collections travel between a station and its venue hub only (never to Circuit).
  registry.register(collectionAdapter(db))
  provisionalOrdersFollowPulledLots(registry)
  return registry
}

export function createServices(deps: ServiceDeps): Services {
  const { db, clock, circuit, pusher } = deps
  const log = deps.log ?? consoleLogger
  const events = deps.events ?? new EventBus()
  const actions = new Actions({ db, clock, ids: deps.ids, events })
  // Paid or not, as the checkout counts it: what the warehouse reads of orders.
  const balances = balanceSource(db)
  // Work one capability does inside another's action, wired here so neither imports the other.
  followLotResults(actions, db)
  // The status board and the backup schedule refer to each other; neither calls the other while being made.
  const status = new StatusBoard({
    db,
    events,
    connection: () => circuit.state(),
    sender: () => pusher?.state() ?? idleSender,
    backup: () => backups.status()
  })
  const backups: BackupSchedule = startBackupSchedule({
    replica: db,
    events,
    clock,
    log,
    actions,
    settings: () => readSettings(db),
    onChange: () => status.publish(),
    tickMs: deps.backupTickMs
  })

  const unsubscribe = [
    circuit.onChange(() => status.publish()),
    // After each committed action, the sender (the dispatcher refreshes the status once per call).
    actions.onCommit((enqueued) => {
      if (enqueued > 0) pusher?.kick()
    }),
    ...(pusher ? [pusher.onChange(() => status.schedule())] : []),
    // A finished pull moves "last sync" (the sender reports its own rounds through onChange).
    events.subscribe((name, payload) => {
      if (name === 'pull.progress' && (payload as { done: boolean }).done) status.publish()
    })
  ]

  const connectors = connectorHandlers({
    db,
    actions,
    clock,
    ids: deps.ids,
    events,
    circuit,
    side: deps.connectors ?? null,
    sender: pusher,
    log,
    jobs: new Jobs(events)
  })

  const printing = printingHandlers({
    db,
    actions,
    clock,
    printer: deps.printer,
    dataDir: deps.files.dataDir,
    orders: orderPrintSource(
      db,
      (orderId) => orderFigures(db, orderId),
      (saleId, paddle) => checkoutInvoice(db, saleId, paddle)
    ),
    cards: phoneCardPrintSource(db),
    warehouse: warehousePrintSource(db, balances)
  })
  // Printing reads the consignors' statements and runs through a port; the consignors print cheques through another.
  const consignorPrints = consignorPrintHandlers({
    db,
    clock,
    printer: deps.printer,
    dataDir: deps.files.dataDir,
    consignors: consignorPrintSource(db, chequesForPayment(db))
  })
  // The venue (hosting a hub, joining one) calls the core's own door: made below, so late-bound.
  let dispatchLate: Dispatch = async () => ({ ok: false, error: { code: 'busy', message: 'Saleroom is starting.' } })
  const venue = venueCapability({
    db,
    actions,
    clock,
    events,
    log,
    dataDir: deps.files.dataDir,
    circuit,
    dispatch: (name, input, meta) => dispatchLate(name, input, meta)
  })

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Saleroom',
      version: deps.version,
      host: deps.host,
      dataDir: deps.files.dataDir,
      schemaVersion: db.version,
      station: readSettings(db).stationName,
      firstRun:
        readSettings(db).circuitUrl === null && db.first(db.q.selectFrom('sales').select('id').limit(1)) === undefined,
      damaged: null
    }),
    'app.status': () => status.read(),
    'app.currency': () => houseCurrency(db),
    'app.restoreLatestBackup': () => {
      throw new AppError('conflict', 'The local database is healthy; there is nothing to restore.')
    },
    'audit.list': ({ limit, beforeId }) => listAudit(db, limit, beforeId),
    ...settingsHandlers({ db, actions, circuit, checkLogo }),
    ...lookupHandlers(db),
    ...syncHandlers({ db, actions, registry: deps.registry, sales: deps.sales, pusher }),
    ...clerkingHandlers({ db, actions }),
    ...phoneCardHandlers({ db, actions, ids: deps.ids }),
    ...safetyNetHandlers({
      db,
      actions,
      clock,
      dataDir: deps.files.dataDir,
      schedule: backups,
      restore: deps.restore ?? null
    }),
    ...printing,
    ...consignorPrints,
    ...checkoutHandlers({ db, actions, ids: deps.ids, clock }),
    ...connectors.handlers,
    ...consignorHandlers({
      db,
      actions,
      ids: deps.ids,
      clock,
      dataDir: deps.files.dataDir,
      cheques: payoutPrinting(db, printing, consignorPrints)
    }),
    ...warehouseHandlers({ db, actions, balances }),
    ...venue.handlers
  }

  const dispatchInner = createDispatcher(handlers, {
    onInternalError: (name, err) =>
      log.error('call failed', { call: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  })
  const keys = new IdempotencyKeys(db, clock)
  const dispatch: Dispatch = (name, input, meta) => {
    const mutates = isCallName(name) && calls[name].mutates
    const key = meta?.idempotencyKey
    const run = () =>
      mutates && key !== undefined
        ? keys.run(key, name, input, () => dispatchInner(name, input))
        : dispatchInner(name, input)
    const result = meta?.onBehalfOf ? callerContext.run(meta.onBehalfOf, run) : run()
    if (!mutates) return result
    return result.then((r) => {
      status.schedule()
      return r
    })
  }
  dispatchLate = dispatch
  // A station that hosted the venue when it last ran hosts it again.
  void venue.resume()

  return {
    dispatch,
    events,
    handlers,
    actions,
    status,
    close: async () => {
      for (const u of unsubscribe) u()
      await venue.close()
      connectors.close()
      await pusher?.close()
      await circuit.close()
      await deps.connectors?.close()
      // Last: the shutdown backup holds everything the sender settled.
      await backups.close()
      status.stop()
    }
  }
}
