// A full disk, said plainly. SQLite reports it as SQLITE_FULL, the file
// system as ENOSPC; either way the user must free space, and nothing the
// failed call wanted to write was kept (a SQLite transaction rolls back whole).
import { AppError } from '../../src-shared/rpc'

/** True for SQLITE_FULL, ENOSPC, or an error caused by one of them. */
export function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'disk_full') return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/**
 * What the user reads: where to free space, and what becomes of the work. A
 * write ("record") was rolled back whole; a copy ("copy") is taken again.
 */
export function diskFullMessage(where: string | null, what: 'record' | 'copy' = 'record'): string {
  const place = where ? `the disk that holds ${where}` : "the disk that holds Saleroom's data folder"
  return what === 'record'
    ? `The disk is full: free space on ${place}, then try again; nothing was recorded.`
    : `The disk is full: free space on ${place}; the copy was not taken and is taken again once there is room.`
}

/** The error a call answers with (`disk_full`) when a write found no room. */
export function diskFullError(where: string | null, cause?: unknown, what: 'record' | 'copy' = 'record'): AppError {
  const err = new AppError('disk_full', diskFullMessage(where, what))
  if (cause !== undefined) (err as { cause?: unknown }).cause = cause
  return err
}
