import { AppError } from '../../src-shared/rpc'
import { CircuitError } from '../circuit/errors'

/** Is this failure "the server is not reachable" (as opposed to "the server said no")? */
export function isUnreachable(err: unknown): boolean {
  return (
    err instanceof CircuitError &&
    (err.kind === 'network' || err.kind === 'unknown-outcome' || (err.kind === 'http' && err.retryable))
  )
}

/** A Circuit failure in words for the user, as the typed error the renderer shows. */
export function circuitToAppError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err
  if (err instanceof CircuitError) {
    switch (err.kind) {
      case 'auth-required':
        return new AppError(
          'auth_required',
          `${what}: Circuit needs you to log in again (Settings, F5). ${err.message}`
        )
      case 'network':
      case 'unknown-outcome':
        return new AppError(
          'offline',
          `${what}: Circuit cannot be reached (${err.message}). Work goes on from this station's copy.`
        )
      case 'rate-limited':
        return new AppError('busy', `${what}: Circuit asked us to slow down. ${err.message}`)
      case 'config':
        return new AppError('invalid_input', `${what}: ${err.message}`)
      default:
        return new AppError('circuit_error', `${what}: ${err.message}`)
    }
  }
  return new AppError('internal', `${what}: ${err instanceof Error ? err.message : String(err)}`)
}
