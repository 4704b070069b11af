// Entity sync adapters: how each kind of record travels between the replica
// and Circuit. Every kind has one adapter, owned by its capability (lots by
// clerking, orders and payments by checkout, phone cards by phone-cards…),
// registered in ONE registry that the pull and the outbox sender share. The
// kernel knows only this shape; the sync layer drives it and never imports a
// capability.
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
  /**
   * Not yet: something this entry needs is not on Circuit (a payment on an
   * order Circuit has not made yet). It goes back to the queue, unsent, and is
   * decided again after `retryInMs`.
   */
  | { kind: 'wait'; reason: string; retryInMs: number }

/**
 * Circuit recorded a write differently from what was sent. `record` stops that
 * record's queue (shown with both sides on the Sync screen); `all` stops every
 * send — kept for the money-scale class (an amount 100× off), where the
 * client and Circuit disagree on units and every later write would be wrong too.
 */
export interface Mismatch {
  message: string
  scope: 'record' | 'all'
  /** What we sent and what Circuit holds, in words, for the Sync screen's two sides. */
  ours: string
  theirs: string
}

/**
 * Circuit holds the amount a power of ten away from what was sent (it read
 * minor units as major, or the reverse): the client and Circuit disagree on
 * units, and every later write would be wrong the same way.
 */
export function moneyScale(got: number | null, sent: number | null): boolean {
  if (got === null || sent === null || got === sent || got === 0 || sent === 0) return false
  const [hi, lo] = Math.abs(got) > Math.abs(sent) ? [got, sent] : [sent, got]
  for (let f = 10; f <= 1_000_000; f *= 10) if (hi === lo * f) return true
  return false
}

/** The record as Circuit holds it, keyed by the outbox entry's entity id. */
export interface ServerRecord {
  id: string
  updated: string | null
}

/** The outbox side of an adapter: read back, decide, send, verify, apply Circuit's record, re-base. */
export interface PushSide<Rec extends ServerRecord = ServerRecord, Client = unknown> {
  /** Circuit's current records for these entity ids, in as few requests as possible; missing ids are absent. */
  readBack(client: Client, ids: string[]): Promise<Map<string, Rec>>
  decide(entry: OutboxRow, server: Rec): Decision
  /** Send the entry; answer Circuit's record as it stands afterwards. */
  send(client: Client, entry: OutboxRow, server: Rec): Promise<Rec>
  /** Did Circuit record what we sent? Null when it did. */
  verify(entry: OutboxRow, answer: Rec): Mismatch | null
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

/** The pull side of an adapter: a record of one pull phase written into the replica. */
export interface PullSide<Row = unknown> {
  /** The outbox entity id a pulled row is queued under (a phone card's is its sale/session/client key). */
  entityId(row: Row): string
  /** Write the row (inside the pull's transaction). Only called when no change of ours waits for it. */
  apply(db: Replica, row: Row): void
  /**
   * The pulled row as the push side's server record, so a pull that meets a
   * record with a change of ours waiting can flag a conflict at once. Absent:
   * the pull only skips such a row, and the sender decides.
   */
  asServerRecord?(row: Row): ServerRecord
}

export interface EntityAdapter<Row = unknown, Rec extends ServerRecord = ServerRecord> {
  /** The outbox's entity type ("item", "order", "transaction", "phone_card"…). */
  entityType: string
  /** The pull phase whose rows this adapter writes, if any. */
  pulls?: { kind: PullKind } & PullSide<Row>
  push?: PushSide<Rec>
}

/** What a sale pull brings, by kind (the sync layer maps Circuit's lists onto these). */
export type PullKind =
  | 'sale'
  | 'session'
  | 'client'
  | 'bidder'
  | 'term'
  | 'staff'
  | 'item'
  | 'phone_card'
  | 'order'
  | 'transaction'
  | 'consignment'
  /** A sale's consignment statements, whole (Circuit's rows have no `updated`: each pull replaces the last). */
  | 'consignment_statements'
  | 'shipping_area'
  /** Releases at the collection desk, as a venue hub shares them (never Circuit's). */
  | 'collection'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = EntityAdapter<any, any>

/** One per station, made by the composition root and handed to the pull and the sender alike. */
export class SyncRegistry {
  private readonly byEntity = new Map<string, AnyAdapter>()
  private readonly byPull = new Map<PullKind, AnyAdapter>()
  private readonly afterPull = new Map<PullKind, ((db: Replica, ids: readonly string[]) => void)[]>()

  /**
   * Run `fn` in a pulled page's transaction, after the page's records of `kind` are written, with
   * the ids written (a record left alone for a change of ours on its way is not among them). So a
   * capability follows what a pull changed in another's records without importing it.
   */
  onPulled(kind: PullKind, fn: (db: Replica, ids: readonly string[]) => void): this {
    const list = this.afterPull.get(kind) ?? []
    list.push(fn)
    this.afterPull.set(kind, list)
    return this
  }

  /** Called by the pull once a page of `kind` is written (inside its transaction). */
  pulledPage(kind: PullKind, db: Replica, ids: readonly string[]): void {
    if (!ids.length) return
    for (const fn of this.afterPull.get(kind) ?? []) fn(db, ids)
  }

  register(adapter: AnyAdapter): this {
    if (this.byEntity.has(adapter.entityType)) {
      throw new Error(`A sync adapter for "${adapter.entityType}" is registered twice`)
    }
    if (adapter.pulls && this.byPull.has(adapter.pulls.kind)) {
      throw new Error(`Pulled "${adapter.pulls.kind}" records have two adapters`)
    }
    this.byEntity.set(adapter.entityType, adapter)
    if (adapter.pulls) this.byPull.set(adapter.pulls.kind, adapter)
    return this
  }

  /** The outbox side for an entity type, or undefined when nothing sends it. */
  push(entityType: string): PushSide | undefined {
    return this.byEntity.get(entityType)?.push
  }

  /** The adapter that writes pulled records of this kind. */
  pulled(kind: PullKind): (EntityAdapter & { pulls: NonNullable<EntityAdapter['pulls']> }) | undefined {
    const a = this.byPull.get(kind)
    return a?.pulls ? (a as EntityAdapter & { pulls: NonNullable<EntityAdapter['pulls']> }) : undefined
  }

  entityTypes(): string[] {
    return [...this.byEntity.keys()]
  }
}
