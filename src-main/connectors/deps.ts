// What the connectors capability is built from (narrow: the kernel, the
// replica, the Circuit gateway and the connectors' own side of the host), and
// how other platforms' failures reach the user.
import { AppError } from '../../src-shared/rpc'
import { CircuitError, type CircuitApiClient } from '../circuit'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { IdSource } from '../core/ids'
import type { CircuitGateway, Logger } from '../core/ports'
import type { SenderState } from '../core/status'
import type { Replica } from '../db/replica'
import type { ConnectorSide } from './config'
import { ConnectorError } from './http'
import type { Jobs } from './jobs'

/** The outbox sender as the import sees it: whether it is paused, and when that changes. */
export interface SenderView {
  state(): SenderState
  onChange(cb: () => void): () => void
}

export interface ConnectorDeps {
  db: Replica
  actions: Actions
  clock: Clock
  ids: IdSource
  events: EventBus
  circuit: CircuitGateway<unknown>
  side: ConnectorSide | null
  sender?: SenderView
  log: Logger
  jobs: Jobs
}

export function circuitClient(deps: ConnectorDeps): CircuitApiClient {
  const c = deps.circuit.client() as CircuitApiClient | null
  if (!c) throw new AppError('offline', 'No Circuit server is set up on this station (Settings, F5).')
  return c
}

/** A failure of FairWarning, Bidlogix or Circuit, as a message the user can act on (never a key, never a stack). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  if (err instanceof ConnectorError) {
    switch (err.kind) {
      case 'config':
        return new AppError('invalid_input', err.message)
      case 'auth':
        return new AppError('auth_required', err.message)
      case 'network':
      case 'unknown-outcome':
        return new AppError('offline', err.message)
      default:
        return new AppError('conflict', err.message)
    }
  }
  if (err instanceof CircuitError) {
    if (err.kind === 'auth-required')
      return new AppError('auth_required', 'Circuit needs you to log in again (Settings, F5).')
    if (err.kind === 'network' || err.kind === 'unknown-outcome')
      return new AppError('offline', `Circuit cannot be reached right now (${err.message}).`)
    return new AppError('circuit_error', `Circuit: ${err.message}`)
  }
  throw err
}

/**
 * A read from Circuit tried again after network trouble or a 5xx (reads are
 * safe to repeat): a preview should not fail on one lost answer.
 */
export async function readCircuit<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof CircuitError) || !err.retryable || attempt >= attempts) throw err
      await new Promise((r) => setTimeout(r, Math.min(1_000, 25 * 2 ** attempt)))
    }
  }
}
