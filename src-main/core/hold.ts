// Sending held: a restored copy must not send what it holds while the
// station it was copied from may still be running and sending the same
// changes (8 of 8 pending payments doubled that way). The restore sets the
// hold in the restored file before any service starts; it ends when the user
// confirms the original station is off (`backups.releaseHold`) or when a
// read-back shows every entry it names settled. Kept in the settings table.
import { readKeyed, removeKeyed, writeKeyed } from './keyed-values'
import type { Replica } from '../db/replica'

export interface SendingHold {
  reason: 'restored'
  since: number
  /** outbox seqs that were open in the restored copy */
  entries: number[]
  message: string
}

const KEY = 'sendingHold'

export function readHold(db: Replica): SendingHold | null {
  const text = readKeyed(db, 'settings', KEY)
  if (text === null) return null
  try {
    const v = JSON.parse(text) as Partial<SendingHold> | null
    if (!v || v.reason !== 'restored') return null
    return {
      reason: 'restored',
      since: typeof v.since === 'number' ? v.since : 0,
      entries: Array.isArray(v.entries) ? v.entries.filter((n): n is number => Number.isInteger(n)) : [],
      message: typeof v.message === 'string' ? v.message : ''
    }
  } catch {
    // A hold that cannot be read still holds: better a question to the user than a double payment.
    return { reason: 'restored', since: 0, entries: [], message: 'Sending is held: this station was restored.' }
  }
}

/** Inside the caller's transaction or its own. */
export function setHold(db: Replica, hold: SendingHold): void {
  writeKeyed(db, 'settings', KEY, JSON.stringify(hold), hold.since)
}

export function clearHold(db: Replica): void {
  removeKeyed(db, 'settings', KEY)
}
