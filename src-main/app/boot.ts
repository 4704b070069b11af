// Starting the core for a host: open (or diagnose) the replica, connect the
// gateway, create the services. A station that cannot open its database
// (damaged, written by a newer Saleroom, missing or empty in a folder that
// was used before, its WAL lost after a crash) starts a recovery core that
// can only explain what happened and put a copy in place — never a silent
// first run.
import { join } from 'node:path'
import { openReplica, Replica, ReplicaDamagedError, ReplicaTooNewError } from '../db/replica'
import { discardStaged, keepAside, swapIn } from '../db/backups'
import { isDiskFull } from '../db/disk-full'
import { AppError } from '../../src-shared/rpc'
import type { AppInfo, BackupCopy, RecoveryInfo, RecoveryKind, RestoreResult } from '../../src-shared/contract'
import type { LostEntry } from '../../src-shared/events'
import { LATEST_VERSION } from '../db/migrations'
import { listCopies, stageRestore } from '../safety-net/copies'
import {
  closeCleanly,
  ensureStationIdentity,
  inspectDataFolder,
  markOpen,
  readMarker,
  markerPath,
  readStationFile,
  writeStationFile
} from '../safety-net/data-folder'
import {
  compactWitness,
  missingFromOutbox,
  readWitness,
  resetWitness,
  Witness,
  witnessCommits,
  witnessPath
} from '../safety-net/witness'
import { createDispatcher, type Dispatch, type Handlers } from '../core/dispatcher'
import { EventBus } from '../core/event-bus'
import type { Clock } from '../core/clock'
import type { IdSource } from '../core/ids'
import type { CircuitGateway, Logger, Printer, SalesPort } from '../core/ports'
import { readSettings } from '../core/settings'
import type { OutboxPusher } from '../sync/pusher'
import type { ConnectorSide } from '../connectors/config'
import type { SyncRegistry } from '../core/sync-adapter'
import { buildSyncRegistry, createServices, type ServiceDeps } from './compose'
import BetterSqlite3 from 'better-sqlite3'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

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
  /** How often the outbox witness is fsynced (ms). */
  witnessFsyncMs?: number
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
  /** The outbox witness of the running station, or null (recovery mode). */
  witness(): Witness | null
  close(): Promise<void>
}

export function replicaPath(dataDir: string): string {
  return join(dataDir, 'saleroom.db')
}

/** Why the station cannot open its database, for the recovery core. */
interface Problem {
  kind: RecoveryKind
  message: string
  lostEntries: LostEntry[]
}

const HOLD_MESSAGE =
  'Restored copy — sending is held until you confirm the original station is switched off (Settings, F5).'

export async function bootCore(opts: BootOptions): Promise<Core> {
  const events = new EventBus()
  const file = replicaPath(opts.dataDir)
  let current: {
    dispatch: Dispatch
    close(): Promise<void>
    replica: Replica | null
    pusher: OutboxPusher | null
    witness: Witness | null
  } | null = null
  /** One restore at a time (the call is not queued: it must not wait behind, nor run beside, another). */
  let restoring = false

  const recoveryFor = (problem: Problem) => {
    opts.log.error('the station cannot open its database', { kind: problem.kind, error: problem.message })
    return { dispatch: recoveryDispatch(problem), replica: null, pusher: null, witness: null, close: async () => {} }
  }

  /** `goOn`: the user chose, on the recovery screen, to go on without a copy: no second look. */
  const start = async (o: { goOn?: boolean } = {}): Promise<void> => {
    const lost = o.goOn ? null : inspectDataFolder(opts.dataDir, file)
    if (lost) {
      current = recoveryFor({ ...lost, lostEntries: lost.kind === 'wal-lost' ? lostFromStaleCopy() : [] })
      return
    }
    let db: Replica
    try {
      // The search indexes are checked after an unclean shutdown only (the last session's open marker is
      // still there): a clean close leaves them whole, and at 100,000 rows the check is half a start.
      db = await openReplica(file, { now: opts.clock.now, checkSearchIndexes: readMarker(file)?.state === 'open' })
    } catch (err) {
      if (!(err instanceof ReplicaDamagedError) && !(err instanceof ReplicaTooNewError)) throw err
      current = recoveryFor({
        kind: err instanceof ReplicaTooNewError ? 'too-new' : 'damaged',
        message: err.message,
        lostEntries: []
      })
      return
    }
    // The station's own files beside its database. A full disk here must not keep the station
    // from starting: each says why in the log, and the status bar says the disk is full.
    const besides = (what: string, fn: () => void) => {
      try {
        fn()
      } catch (err) {
        opts.log.error(`at start: ${what} failed`, { error: err instanceof Error ? err.message : String(err) })
      }
    }
    besides('the station id', () => {
      const settings = readSettings(db)
      ensureStationIdentity(
        db,
        opts.dataDir,
        { stationName: settings.stationName, backupFolder: settings.backupFolder },
        opts.clock.now()
      )
    })
    // Before anything new is written: what the witness saw committed and the outbox lost.
    besides('comparing the outbox with its witness', () => {
      compactWitness(opts.dataDir, db, opts.clock.now(), opts.log)
    })
    const witness = new Witness(witnessPath(opts.dataDir), { fsyncEveryMs: opts.witnessFsyncMs, log: opts.log })
    besides('the open marker', () => markOpen(file, opts.clock.now()))
    // A restore killed before its swap left its prepared copy: the database it was to replace is still here.
    besides('a stale restoring copy', () => discardStaged(file))
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
    const stopWitnessing = witnessCommits(services.actions, witness)
    pusher?.start()
    current = {
      dispatch: services.dispatch,
      replica: db,
      pusher: pusher ?? null,
      witness,
      close: async () => {
        await services.close()
        stopWitnessing()
        witness.close()
        besides('the station file', () => {
          const s = readSettings(db)
          const station = readStationFile(opts.dataDir)
          if (station) {
            writeStationFile(opts.dataDir, { ...station, stationName: s.stationName, backupFolder: s.backupFolder })
          }
        })
        closeCleanly(db)
      }
    }
  }

  /**
   * A lost WAL: which changes the witness saw committed that the database
   * (as it is now) lacks. Read from a scratch copy: opening the file itself,
   * even read-only, would make a new -wal beside it and hide what happened.
   */
  const lostFromStaleCopy = (): LostEntry[] => {
    const witnessed = readWitness(witnessPath(opts.dataDir))
    if (witnessed.length === 0) return []
    const scratch = mkdtempSync(join(tmpdir(), 'saleroom-inspect-'))
    try {
      const copy = join(scratch, 'saleroom.db')
      copyFileSync(file, copy)
      const raw = new BetterSqlite3(copy, { readonly: true })
      try {
        return missingFromOutbox(new Replica(raw, copy, scratch), witnessed)
      } finally {
        raw.close()
      }
    } catch (err) {
      opts.log.warn('could not compare the witness with the database', { error: String(err) })
      return []
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }

  /** Start again after a restore or a failed one; whatever happens, never stay `busy`. */
  const startAgain = async (o: { goOn?: boolean } = {}): Promise<void> => {
    try {
      await start(o)
    } catch (err) {
      current = recoveryFor({
        kind: 'damaged',
        message: `The station could not start again: ${err instanceof Error ? err.message : String(err)}`,
        lostEntries: []
      })
    }
  }

  /** A failed restore, in words: the station goes on with its own database. */
  const restoreFailed = (err: unknown): AppError => {
    if (err instanceof AppError && err.code !== 'disk_full') return err
    const detail = err instanceof Error ? err.message : String(err)
    opts.log.error('restore failed; the station goes on with its database', { error: detail })
    if (isDiskFull(err)) {
      return new AppError(
        'disk_full',
        `The disk is full: free space on the disk that holds ${opts.dataDir}, then restore again. ` +
          'Nothing was changed: this station goes on with its database as it was.'
      )
    }
    return new AppError(
      'conflict',
      `The copy could not be restored (${detail}). Nothing was changed: this station goes on with its database as it was.`
    )
  }

  /**
   * A copy in place of this station's database (Settings → restore), copy
   * then swap: the copy is written, fsynced, checked and prepared beside the
   * database while the station works on; only then do the services stop (the
   * shutdown backup keeps the state being replaced), one rename puts it in
   * place, and everything starts again on it, with sending held. A failure
   * at any step leaves the station on its own database.
   */
  const restoreCopy = async (copy: string, keepAs: 'replaced' | 'damaged' = 'replaced'): Promise<RestoreResult> => {
    if (restoring) throw new AppError('busy', 'A copy is being restored; try again in a moment.')
    restoring = true
    try {
      let staged
      try {
        const station = readStationFile(opts.dataDir)
        staged = stageRestore(copy, file, {
          now: opts.clock.now(),
          stationId: station?.stationId ?? null,
          backupFolder: station?.backupFolder ?? null,
          holdMessage: HOLD_MESSAGE
        })
      } catch (err) {
        throw restoreFailed(err)
      }
      const closing = current
      current = { dispatch: busyDispatch, replica: null, pusher: null, witness: null, close: async () => {} }
      let previousCopy: string | null
      try {
        await closing?.close()
        ;({ previousCopy } = swapIn(staged.staged, opts.clock.now(), keepAs))
      } catch (err) {
        discardStaged(file)
        await startAgain()
        throw restoreFailed(err)
      }
      // A copy chosen in Settings goes back in time on purpose: what the replaced database's
      // witness named is not this copy's to miss. A copy restored on the recovery screen is
      // compared with the witness at start: what this station made that the copy lacks is listed.
      if (keepAs === 'replaced') resetWitness(opts.dataDir)
      // The open marker spoke of a file that is no longer there.
      rmSync(markerPath(file), { force: true })
      opts.log.warn('replica restored from a copy', { copy, previousCopy, unsent: staged.unsent })
      await startAgain()
      events.emit('data.changed', { entity: 'sale', ids: null })
      return { restoredFrom: copy, previousCopy, unsent: staged.unsent, held: true }
    } finally {
      restoring = false
    }
  }

  const busyDispatch = createDispatcher(
    new Proxy({} as Handlers, {
      get: () => () => {
        throw new AppError('busy', 'A copy is being restored; try again in a moment.')
      }
    })
  )

  const recoveryDispatch = (problem: Problem): Dispatch => {
    const copies = (): BackupCopy[] =>
      listCopies(readStationFile(opts.dataDir)?.backupFolder ?? null, join(opts.dataDir, 'backups'))
    const restorable = () => copies().filter((c) => c.problem === null)
    const info = (): AppInfo => {
      const all = copies()
      const damaged: RecoveryInfo = {
        kind: problem.kind,
        message: problem.message,
        latestBackup: all.find((c) => c.problem === null)?.file ?? null,
        copies: all,
        lostEntries: problem.lostEntries
      }
      return {
        name: 'Saleroom',
        version: opts.version,
        host: opts.host,
        dataDir: opts.dataDir,
        schemaVersion: LATEST_VERSION,
        station: readStationFile(opts.dataDir)?.stationName ?? '',
        firstRun: false,
        damaged
      }
    }
    const refuse = () => {
      throw new AppError('replica_damaged', problem.message)
    }
    const restoreChosen = (chosen: string) => restoreCopy(chosen, 'damaged')
    const handlers: Partial<Handlers> = {
      'app.info': info,
      'app.restoreLatestBackup': async () => {
        const newest = restorable()[0]
        if (!newest) throw new AppError('not_found', 'There is no copy to restore.')
        const r = await restoreChosen(newest.file)
        return { restoredFrom: r.restoredFrom, damagedCopy: r.previousCopy }
      },
      'backups.list': () => ({ folder: readStationFile(opts.dataDir)?.backupFolder ?? null, copies: copies() }),
      'backups.restore': async ({ file: chosen }) => {
        const copy = copies().find((c) => c.file === chosen)
        if (!copy) throw new AppError('not_found', 'Choose a copy from the list: only those can be restored.')
        if (copy.problem) throw new AppError('conflict', `That copy cannot be restored: it is ${copy.problem}.`)
        return restoreChosen(copy.file)
      },
      'backups.skipRestore': async () => {
        if (problem.kind === 'too-new') {
          throw new AppError(
            'conflict',
            'This database was written by a newer Saleroom: install that version, or restore a copy.'
          )
        }
        let kept: string | null = null
        if (problem.kind === 'wal-lost') {
          // Go on with the file as it is: the marker goes, and the witness reports at start what is missing.
          rmSync(markerPath(file), { force: true })
        } else {
          // Kept, renamed, with its -wal and -shm: an empty station starts beside it.
          kept = keepAside(file, opts.clock.now(), 'damaged')
        }
        opts.log.warn('recovery: going on without a copy', { kind: problem.kind, kept })
        await startAgain({ goOn: true })
        return { kept }
      }
    }
    return createDispatcher(
      new Proxy(handlers as Handlers, {
        get: (target, name) => (typeof name === 'string' && name in target ? target[name as keyof Handlers] : refuse)
      })
    )
  }

  await start()
  return {
    dispatch: (name, input, meta) =>
      current
        ? current.dispatch(name, input, meta)
        : Promise.resolve({ ok: false, error: { code: 'busy', message: 'Saleroom is closing.' } }),
    events,
    replica: () => current?.replica ?? null,
    pusher: () => current?.pusher ?? null,
    witness: () => current?.witness ?? null,
    // Closing twice (a window and a signal both ending the app) closes once.
    close: async () => {
      const closing = current
      current = null
      await closing?.close()
    }
  }
}
