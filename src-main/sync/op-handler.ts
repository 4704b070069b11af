// How one kind of outbox entry reaches Circuit. Each capability that queues
// changes registers one handler per entity type; the sender knows nothing of
// lots or payments, only this interface.
import type { CircuitApiClient } from '../circuit'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'

export type Decision =
  /** Circuit already holds what this entry would make: done without sending (an earlier send did reach it). */
  | { kind: 'applied' }
  /** Circuit holds what this entry was based on: send it. */
  | { kind: 'send' }
  /** Circuit's record moved away from what this entry was based on (another station, the web back office). */
  | { kind: 'conflict'; ours: string; theirs: string }
  /** Circuit no longer has the record, or refuses it for good. */
  | { kind: 'refused'; message: string }

export interface OpHandler<Rec extends { id: string; updated: string | null }> {
  entityType: string
  /** Circuit's current records for these ids, in as few requests as possible; missing ids are absent. */
  readBack(client: CircuitApiClient, ids: string[]): Promise<Map<string, Rec>>
  decide(entry: OutboxRow, server: Rec): Decision
  /** Send the entry; answer Circuit's record as it stands afterwards. */
  send(client: CircuitApiClient, entry: OutboxRow, server: Rec): Promise<Rec>
  /** Did Circuit record what we sent? A message when it did not (the sender then stops). */
  verify(entry: OutboxRow, answer: Rec): string | null
  /** Write Circuit's record into the replica; called only when no later local change waits for it. */
  applyServer(db: Replica, rec: Rec): void
  /** "Keep mine": the payload re-based on Circuit's current record, so it is sent over it. */
  rebase(entry: OutboxRow, server: Rec): unknown
  /**
   * A discarded entry never reached Circuit, so the record's next entry is
   * now based on what the discarded one was based on: its payload, re-based.
   */
  rebaseAfterDiscard(next: OutboxRow, discarded: OutboxRow): unknown
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpHandler = OpHandler<any>

/**
 * The handlers by entity type, for the pull's conflict check. Filled by the
 * composition root; the handlers hold no state of their own beyond the replica.
 */
export const opHandlers = new Map<string, AnyOpHandler>()
