// createServices wires the core together from its dependencies. Nothing here
// knows which host runs it (Electron, the web host, or a test).
import { calls, isCallName, type Settings } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Replica } from '../db/replica'
import { LATEST_VERSION } from '../db/migrations'
import { buyerLots, lookupBuyers, lookupLots } from '../lookup/lookup'
import type { CircuitGateway } from '../sync/gateway'
import { recordAudit, listAudit } from './audit'
import type { Clock } from './clock'
import { iso } from './clock'
import { createDispatcher, type Dispatch, type Handlers } from './dispatcher'
import { EventBus } from './event-bus'
import type { IdSource } from './ids'
import type { FileStore, Logger, Printer, SalesPort } from './ports'
import { localSales } from '../sync/local-sales'
import { consoleLogger } from './ports'
import { readSettings, writeSettings } from './settings'
import { readStatus } from './status'

export interface ServiceDeps {
  db: Replica
  clock: Clock
  ids: IdSource
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
}

export interface Services {
  dispatch: Dispatch
  events: EventBus
  handlers: Handlers
  close(): Promise<void>
}

export function createServices(deps: ServiceDeps): Services {
  const { db, clock, circuit } = deps
  const log = deps.log ?? consoleLogger
  const events = deps.events ?? new EventBus()

  const who = () => {
    const s = readSettings(db)
    return { actor: s.userName, station: s.stationName }
  }

  let lastStatus = ''
  const publishStatus = () => {
    const snapshot = readStatus(db, circuit.state())
    const key = JSON.stringify(snapshot)
    if (key !== lastStatus) {
      lastStatus = key
      events.emit('status', snapshot)
    }
  }
  const unsubscribeGateway = circuit.onChange(publishStatus)
  // A pull moves "last sync"; anything that changes data may move the counts.
  const unsubscribeData = events.subscribe((name) => {
    if (name === 'data.changed') publishStatus()
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
    'app.status': () => readStatus(db, circuit.state()),
    'app.restoreLatestBackup': () => {
      throw new AppError('conflict', 'The local database is healthy; there is nothing to restore.')
    },
    'settings.get': () => readSettings(db),
    'settings.update': (patch) => {
      const now = clock.now()
      const after = db.tx(() => {
        const before = readSettings(db)
        writeSettings(db, patch, now)
        const next: Settings = { ...before, ...patch }
        recordAudit(db, { actor: next.userName, station: next.stationName }, now, {
          action: 'settings.update',
          entityType: 'settings',
          before: pick(before, Object.keys(patch)),
          after: patch
        })
        return next
      })
      return after
    },
    'audit.list': ({ limit, beforeId }) => listAudit(db, limit, beforeId),
    'outbox.list': ({ limit }) =>
      db
        .all(db.q.selectFrom('outbox').selectAll().where('state', '!=', 'done').orderBy('seq').limit(limit))
        .map((r) => ({
          seq: r.seq,
          opId: r.op_id,
          entityType: r.entity_type,
          entityId: r.entity_id,
          op: r.op,
          state: r.state,
          attempts: r.attempts,
          lastError: r.last_error,
          createdAt: iso(r.created_at)
        })),
    'circuit.connect': async ({ url, email, password }) => {
      try {
        await circuit.connect(url, email, password)
      } catch (err) {
        if (err instanceof AppError) throw err
        throw new AppError('circuit_error', err instanceof Error ? err.message : String(err))
      }
      const now = clock.now()
      const settings = db.tx(() => {
        const before = readSettings(db)
        writeSettings(db, { circuitUrl: url, circuitEmail: email }, now)
        recordAudit(db, who(), now, {
          action: 'circuit.connect',
          entityType: 'settings',
          before: { circuitUrl: before.circuitUrl, circuitEmail: before.circuitEmail },
          after: { circuitUrl: url, circuitEmail: email }
        })
        return readSettings(db)
      })
      publishStatus()
      return settings
    },
    'circuit.disconnect': async () => {
      await circuit.disconnect()
      const now = clock.now()
      const settings = db.tx(() => {
        const before = readSettings(db)
        writeSettings(db, { circuitUrl: null, circuitEmail: null }, now)
        recordAudit(db, who(), now, {
          action: 'circuit.disconnect',
          entityType: 'settings',
          before: { circuitUrl: before.circuitUrl, circuitEmail: before.circuitEmail },
          after: { circuitUrl: null, circuitEmail: null }
        })
        return readSettings(db)
      })
      publishStatus()
      return settings
    },
    'sales.list': async () => (deps.sales ? deps.sales.list() : localSales(db)),
    'sale.open': async ({ saleId }) => {
      if (!deps.sales)
        throw new AppError('offline', 'No Circuit server is set up on this station, so no sale can be pulled.')
      return deps.sales.open(saleId)
    },
    'lookup.lots': ({ q, saleId, limit }) => lookupLots(db, q, saleId, limit),
    'lookup.buyers': ({ q, saleId, limit }) => lookupBuyers(db, q, saleId, limit),
    'buyer.lots': ({ clientId, saleId }) => buyerLots(db, clientId, saleId)
  }

  const dispatchInner = createDispatcher(handlers, {
    onInternalError: (name, err) =>
      log.error('call failed', { call: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  })
  const dispatch: Dispatch = async (name, input) => {
    const result = await dispatchInner(name, input)
    // Only writes can move the outbox count; reads stay off the status path.
    if (isCallName(name) && calls[name].mutates) publishStatus()
    return result
  }

  return {
    dispatch,
    events,
    handlers,
    close: async () => {
      unsubscribeGateway()
      unsubscribeData()
      await circuit.close()
    }
  }
}

function pick<T extends object>(obj: T, keys: string[]): Partial<T> {
  const out: Partial<T> = {}
  for (const k of keys) if (k in obj) (out as Record<string, unknown>)[k] = (obj as Record<string, unknown>)[k]
  return out
}

export { LATEST_VERSION }
