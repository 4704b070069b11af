// Starting the core for a host: open (or diagnose) the replica, connect the
// gateway, create the services. A damaged replica starts a recovery core that
// can only explain the damage and restore the latest backup.
import { join } from 'node:path'
import { openReplica, ReplicaDamagedError, ReplicaTooNewError, restoreLatestBackup, type Replica } from '../db/replica'
import { AppError } from '../../src-shared/rpc'
import type { AppInfo, RestoreResult } from '../../src-shared/contract'
import { LATEST_VERSION } from '../db/migrations'
import { installCopy } from '../safety-net/copies'
import { createDispatcher, type Dispatch, type Handlers } from '../core/dispatcher'
import { EventBus } from '../core/event-bus'
import type { Clock } from '../core/clock'
import type { IdSource } from '../core/ids'
import type { CircuitGateway, Logger, Printer, SalesPort } from '../core/ports'
import type { OutboxPusher } from '../sync/pusher'
import type { ConnectorSide } from '../connectors/config'
import type { SyncRegistry } from '../core/sync-adapter'
import { buildSyncRegistry, createServices, type ServiceDeps } from './compose'

export interface BootOptions {
  dataDir: string
  clock: Clock
  ids: IdSource
  host: 'electron' | 'web'
  version: string
  printer: Printer
  log: Logger
  /** How often the backup schedule looks whether a copy is due (tests shorten it). */
  backupTickMs?: number
  /** Builds the Circuit side once the replica is open (gateway + sale pulling). */
  connect(
    db: Replica,
    deps: ConnectDeps
  ): Promise<{ gateway: CircuitGateway<unknown>; sales?: SalesPort; pusher?: OutboxPusher; connectors?: ConnectorSide }>
}

export interface ConnectDeps {
  dataDir: string
  clock: Clock
  ids: IdSource
  log: Logger
  /** The core's event bus, for progress the Circuit side reports (sale pulls). */
  events: EventBus
  /** The station's sync adapters: the pull and the sender write and send through this one registry. */
  registry: SyncRegistry
}

export interface Core {
  dispatch: Dispatch
  events: EventBus
  /** The open replica, or null in recovery mode. */
  replica(): Replica | null
  /** The outbox sender, or null (no server, recovery mode). */
  pusher(): OutboxPusher | null
  close(): Promise<void>
}

export function replicaPath(dataDir: string): string {
  return join(dataDir, 'saleroom.db')
}

export async function bootCore(opts: BootOptions): Promise<Core> {
  const events = new EventBus()
  let current: {
    dispatch: Dispatch
    close(): Promise<void>
    replica: Replica | null
    pusher: OutboxPusher | null
  } | null = null

  const start = async () => {
    const file = replicaPath(opts.dataDir)
    try {
      const db = await openReplica(file, { now: opts.clock.now })
      const registry = buildSyncRegistry(db)
      const { gateway, sales, pusher, connectors } = await opts.connect(db, {
        dataDir: opts.dataDir,
        clock: opts.clock,
        ids: opts.ids,
        log: opts.log,
        events,
        registry
      })
      const deps: ServiceDeps = {
        db,
        clock: opts.clock,
        ids: opts.ids,
        registry,
        circuit: gateway,
        printer: opts.printer,
        files: { dataDir: opts.dataDir },
        host: opts.host,
        version: opts.version,
        log: opts.log,
        sales,
        pusher,
        events,
        restore: restoreCopy,
        backupTickMs: opts.backupTickMs,
        connectors
      }
      const services = createServices(deps)
      pusher?.start()
      current = {
        dispatch: services.dispatch,
        replica: db,
        pusher: pusher ?? null,
        close: async () => {
          await services.close()
          db.close()
        }
      }
    } catch (err) {
      if (!(err instanceof ReplicaDamagedError) && !(err instanceof ReplicaTooNewError)) throw err
      opts.log.error('replica cannot be opened', { error: err.message })
      current = { dispatch: recoveryDispatch(err), replica: null, pusher: null, close: async () => {} }
    }
  }

  /**
   * A copy in place of this station's database (Settings → restore): the
   * services stop (the shutdown backup keeps the state being replaced), the
   * copy is installed, and everything starts again on it.
   */
  const restoreCopy = async (copy: string): Promise<RestoreResult> => {
    const closing = current
    current = { dispatch: busyDispatch, replica: null, pusher: null, close: async () => {} }
    await closing?.close()
    const installed = installCopy(copy, replicaPath(opts.dataDir), opts.clock.now())
    opts.log.warn('replica restored from a copy', { copy, ...installed })
    await start()
    events.emit('data.changed', { entity: 'sale', ids: null })
    return { restoredFrom: copy, ...installed }
  }
  const busyDispatch = createDispatcher(
    new Proxy({} as Handlers, {
      get: () => () => {
        throw new AppError('busy', 'A copy is being restored; try again in a moment.')
      }
    })
  )

  const recoveryDispatch = (err: ReplicaDamagedError | ReplicaTooNewError): Dispatch => {
    const damaged = {
      message: err.message,
      latestBackup: err instanceof ReplicaDamagedError ? err.latestBackup : null
    }
    const refuse = () => {
      throw new AppError('replica_damaged', damaged.message)
    }
    const info = (): AppInfo => ({
      name: 'Saleroom',
      version: opts.version,
      host: opts.host,
      dataDir: opts.dataDir,
      schemaVersion: LATEST_VERSION,
      station: '',
      firstRun: false,
      damaged
    })
    const handlers = new Proxy({} as Handlers, {
      get: (_t, name) => {
        if (name === 'app.info') return info
        if (name === 'app.restoreLatestBackup') {
          return async () => {
            if (!damaged.latestBackup) throw new AppError('not_found', 'There is no backup to restore.')
            const result = restoreLatestBackup(replicaPath(opts.dataDir), opts.clock.now())
            opts.log.warn('replica restored from backup', result)
            await start()
            return result
          }
        }
        return refuse
      }
    })
    return createDispatcher(handlers)
  }

  await start()
  return {
    dispatch: (name, input) =>
      current
        ? current.dispatch(name, input)
        : Promise.resolve({ ok: false, error: { code: 'busy', message: 'Saleroom is closing.' } }),
    events,
    replica: () => current?.replica ?? null,
    pusher: () => current?.pusher ?? null,
    // Closing twice (a window and a signal both ending the app) closes once.
    close: async () => {
      const closing = current
      current = null
      await closing?.close()
    }
  }
}
