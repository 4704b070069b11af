// The envelope every call answers with, over IPC and over HTTP alike.

export type ErrorCode =
  | 'invalid_input'
  | 'unknown_call'
  | 'not_found'
  | 'conflict'
  | 'offline'
  | 'auth_required'
  | 'circuit_error'
  | 'busy'
  | 'replica_damaged'
  /** The action looks wrong (unknown paddle, under reserve…): send it again with confirm: true. */
  | 'needs_confirmation'
  | 'forbidden'
  /** The disk is full (SQLITE_FULL, ENOSPC): free space, then do it again; nothing was recorded. */
  | 'disk_full'
  | 'internal'

export interface RpcError {
  code: ErrorCode
  message: string
  /** Field path → messages, for invalid input. */
  fields?: Record<string, string[]>
}

export type RpcResult<T> = { ok: true; data: T } | { ok: false; error: RpcError }

/** Thrown inside the core; the dispatcher turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function isRpcResult(v: unknown): v is RpcResult<unknown> {
  if (typeof v !== 'object' || v === null) return false
  const r = v as { ok?: unknown; error?: unknown }
  return r.ok === true || (r.ok === false && typeof r.error === 'object' && r.error !== null)
}
