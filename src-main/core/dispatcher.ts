// The single door into the core. Both hosts (ipcMain and the web host) call
// `dispatch(name, input)`: the name is checked against the contract, the input
// is validated by the call's schema, mutating calls are serialized, and every
// outcome comes back as `{ ok: true, data } | { ok: false, error }`.
import type { z } from 'zod'
import { calls, isCallName, type CallName, type Calls } from '../../src-shared/contract'
import type { CallTable } from '../../src-shared/contract/define'
import { AppError, type RpcError, type RpcResult } from '../../src-shared/rpc'
import { diskFullMessage, isDiskFull } from '../db/disk-full'
import type { CallMeta } from './idempotency'
import { WriteQueue } from './write-queue'

/** The handlers of one capability's calls (or, for `Calls`, of all of them). */
export type HandlersFor<T extends CallTable> = {
  [K in keyof T]: (input: z.output<T[K]['input']>) => Promise<NonNullable<T[K]['result']>> | NonNullable<T[K]['result']>
}

export type Handlers = HandlersFor<Calls>

export type Dispatch = (name: string, input: unknown, meta?: CallMeta) => Promise<RpcResult<unknown>>

export interface DispatcherOptions {
  /** Where unexpected errors are reported (they reach the user as `internal`). */
  onInternalError?: (name: string, err: unknown) => void
}

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '(input)'
    ;(out[key] ??= []).push(issue.message)
  }
  return out
}

export function toRpcError(err: unknown): RpcError {
  if (err instanceof AppError) {
    return err.fields
      ? { code: err.code, message: err.message, fields: err.fields }
      : { code: err.code, message: err.message }
  }
  // A full disk is not a bug: the user can fix it, so say what to do (SQLITE_FULL from a write, ENOSPC from a file).
  if (isDiskFull(err)) return { code: 'disk_full', message: diskFullMessage(null) }
  return {
    code: 'internal',
    message: 'Something went wrong inside Saleroom. The action was not completed; see the log.'
  }
}

export function createDispatcher(handlers: Handlers, opts: DispatcherOptions = {}): Dispatch {
  const queue = new WriteQueue()

  return async (name, input) => {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'unknown_call', message: `There is no call named "${String(name)}".` } }
    }
    const spec = calls[name as CallName]
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid_input', message: `Invalid input for ${name}.`, fields: fieldErrors(parsed.error) }
      }
    }
    const handler = handlers[name] as (input: unknown) => unknown
    const invoke = async () => handler(parsed.data)
    try {
      const data = await (spec.queued ? queue.run(invoke) : invoke())
      return { ok: true, data }
    } catch (err) {
      if (!(err instanceof AppError)) opts.onInternalError?.(name, err)
      return { ok: false, error: toRpcError(err) }
    }
  }
}
