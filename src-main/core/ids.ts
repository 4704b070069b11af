import { randomUUID } from 'node:crypto'

/** Ids come from here so tests are deterministic. */
export interface IdSource {
  /** A new unique id, e.g. for an outbox entry or a record created offline. */
  next(): string
}

export const randomIds: IdSource = { next: () => randomUUID() }

export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0
  return { next: () => `${prefix}-${(++n).toString().padStart(6, '0')}` }
}
