// Sales pulled from Circuit, and the outbox of changes on their way to it.
import { z } from 'zod'
import { call, id, noInput } from './define'

export interface SaleSummary {
  id: string
  label: string
  saleNumber: string | null
  saleDate: string | null
  status: string
  itemCount: number | null
  /** Pulled into the replica; null when it has never been opened here. */
  pulledAt: string | null
  complete: boolean
}

export interface PullJob {
  saleId: string
  started: boolean
}

export type OutboxState = 'pending' | 'in_flight' | 'unknown' | 'needs_attention' | 'conflict' | 'done' | 'discarded'

export interface OutboxEntry {
  seq: number
  opId: string
  entityType: string
  entityId: string
  /** What the change is, in words: "Lot 12 sold to paddle 204 for £850.00". */
  label: string
  op: string
  state: OutboxState
  attempts: number
  lastStatus: number | null
  lastError: string | null
  createdAt: string
  nextAttemptAt: string | null
  /** Both versions when Circuit's record no longer matches what this change was based on. */
  conflict: { ours: string; theirs: string; serverUpdated: string | null } | null
}

const seq = z.object({ seq: z.number().int().positive() }).strict()

export const syncCalls = {
  'sales.list': call<SaleSummary[]>()(noInput, {
    mutates: false,
    summary: "Circuit's sales (from the server when reachable) with what the replica holds"
  }),
  'sale.open': call<PullJob>()(z.object({ saleId: id }).strict(), {
    mutates: true,
    summary: 'Pull a sale whole into the replica; progress comes as pull.progress events'
  }),
  'sale.forgetPull': call<{ saleId: string }>()(z.object({ saleId: id }).strict(), {
    mutates: true,
    summary: "Drop a sale's unfinished pull, so it is no longer retried (what was pulled stays)"
  }),
  'outbox.list': call<OutboxEntry[]>()(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(200),
        /** Include entries Circuit has acknowledged (done) or the user discarded. */
        history: z.boolean().default(false)
      })
      .strict(),
    { mutates: false, summary: 'Changes waiting for Circuit, oldest first' }
  ),
  'outbox.retry': call<OutboxEntry>()(seq, {
    mutates: true,
    summary: 'Send an entry that needs attention again now (after the cause was fixed)'
  }),
  'outbox.keepMine': call<OutboxEntry>()(seq, {
    mutates: true,
    summary: "Conflict: send this station's version over Circuit's"
  }),
  'outbox.takeTheirs': call<OutboxEntry>()(seq, {
    mutates: true,
    summary: "Conflict: take Circuit's version and drop this station's unsent changes to that record"
  }),
  'outbox.discard': call<OutboxEntry>()(
    z.object({ seq: z.number().int().positive(), confirm: z.literal(true) }).strict(),
    {
      mutates: true,
      summary: 'Drop one unsent change for good (asks for confirm: true; written to the audit log)'
    }
  ),
  'sync.now': call<{ started: boolean }>()(noInput, {
    mutates: false,
    summary: 'Send waiting changes now rather than at the next timer tick'
  })
} as const
