// Which records the outbox sender has written from Circuit's own answer, in
// order. A read that began before such a write (a venue follower fetching the
// records the hub says changed, awaiting the answers) brings a copy that may
// be older than the one the sender has just written: it must not be put back
// over it. In memory: a read in flight does not outlive the process.
import type { Replica } from '../db/replica'

interface Ledger {
  generation: number
  last: Map<string, number>
}

const ledgers = new WeakMap<Replica, Ledger>()
/** Past this many records the oldest notes are dropped: no read stays in flight that long. */
const KEEP = 5_000

function ledgerOf(db: Replica): Ledger {
  let l = ledgers.get(db)
  if (!l) ledgers.set(db, (l = { generation: 0, last: new Map() }))
  return l
}

const keyOf = (entityType: string, entityId: string) => `${entityType}\u0000${entityId}`

/** The sender wrote this record from Circuit's answer (called inside the write's transaction). */
export function noteSenderWrite(db: Replica, entityType: string, entityId: string): void {
  const l = ledgerOf(db)
  l.generation += 1
  l.last.delete(keyOf(entityType, entityId))
  l.last.set(keyOf(entityType, entityId), l.generation)
  if (l.last.size > KEEP) {
    const oldest = l.last.keys().next().value
    if (oldest !== undefined) l.last.delete(oldest)
  }
}

/** Where the sender's writes stand now: taken before a read, to ask later what it wrote since. */
export function senderGeneration(db: Replica): number {
  return ledgerOf(db).generation
}

/** Whether the sender wrote this record after `generation` was taken. */
export function writtenBySenderSince(db: Replica, entityType: string, entityId: string, generation: number): boolean {
  return (ledgerOf(db).last.get(keyOf(entityType, entityId)) ?? 0) > generation
}
