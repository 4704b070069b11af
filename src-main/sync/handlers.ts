// The sync capability's calls: sales to pull, and the outbox as the Sync
// screen (F4) shows and settles it.
import type { OutboxEntry } from '../../src-shared/contract'
import type { syncCalls } from '../../src-shared/contract/sync'
import { AppError } from '../../src-shared/rpc'
import { payloadChecksum, type Actions } from '../core/action'
import { iso } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import type { SalesPort } from '../core/ports'
import type { SyncRegistry } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { OutboxRow, OutboxState } from '../db/schema'
import { localSales } from './local-sales'
import type { OutboxPusher } from './pusher'

export interface SyncDeps {
  db: Replica
  actions: Actions
  registry: SyncRegistry
  sales?: SalesPort
  pusher?: OutboxPusher
}

interface StoredConflict {
  ours: string
  theirs: string
  serverUpdated: string | null
  record: { id: string; updated: string | null }
}

export function toOutboxEntry(r: OutboxRow): OutboxEntry {
  const c = r.conflict ? (JSON.parse(r.conflict) as StoredConflict) : null
  return {
    seq: r.seq,
    opId: r.op_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    label: r.label,
    op: r.op,
    state: r.state,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    nextAttemptAt: r.state === 'pending' || r.state === 'unknown' ? iso(r.next_attempt_at) : null,
    conflict: c ? { ours: c.ours, theirs: c.theirs, serverUpdated: c.serverUpdated } : null
  }
}

function entryOr404(db: Replica, seq: number): OutboxRow {
  const row = db.first(db.q.selectFrom('outbox').selectAll().where('seq', '=', seq))
  if (!row) throw new AppError('not_found', `There is no outbox entry ${seq}.`)
  return row
}

function reread(db: Replica, seq: number): OutboxEntry {
  return toOutboxEntry(entryOr404(db, seq))
}

export function syncHandlers(deps: SyncDeps): HandlersFor<typeof syncCalls> {
  const { db, actions } = deps

  const settle = (seq: number, action: string, allowed: OutboxRow['state'][], fn: (row: OutboxRow) => void) => {
    const result = actions.run((tx) => {
      const row = entryOr404(db, seq)
      if (!allowed.includes(row.state)) {
        throw new AppError('conflict', `Entry ${seq} is ${row.state.replace('_', ' ')}; it cannot be settled that way.`)
      }
      fn(row)
      tx.audit({
        action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        before: { seq, state: row.state, label: row.label, lastError: row.last_error },
        after: { seq, state: entryOr404(db, seq).state }
      })
      tx.changed(row.entity_type as 'item', [row.entity_id])
      tx.changed('outbox', [String(seq)])
      return reread(db, seq)
    })
    deps.pusher?.resume()
    return result
  }

  return {
    'sales.list': async () => (deps.sales ? deps.sales.list() : localSales(db)),
    'sale.open': async ({ saleId }) => {
      if (!deps.sales)
        throw new AppError('offline', 'No Circuit server is set up on this station, so no sale can be pulled.')
      return deps.sales.open(saleId)
    },
    'sale.forgetPull': ({ saleId }) => {
      if (!deps.sales) throw new AppError('offline', 'No Circuit server is set up on this station.')
      const sales = deps.sales
      // One transaction: the pull's cursor goes with the audit entry (better-sqlite3 nests it as a savepoint).
      actions.run((tx) => {
        sales.forget(saleId)
        tx.audit({ action: 'sale.forgetPull', entityType: 'sale', entityId: saleId })
        tx.changed('sale', null, saleId)
      })
      return { saleId }
    },
    'outbox.list': ({ limit, history }) => {
      let q = db.q.selectFrom('outbox').selectAll().orderBy('seq').limit(limit)
      if (!history) q = q.where('state', 'not in', ['done', 'discarded'])
      return db.all(q).map(toOutboxEntry)
    },
    'outbox.retry': ({ seq }) =>
      settle(seq, 'outbox.retry', ['needs_attention', 'unknown', 'pending'], (row) => {
        db.run(
          db.q
            .updateTable('outbox')
            .set((eb) => ({
              // Never sent: it can go as it is; sent before: its read-back decides first.
              state: eb.case().when('sent_at', 'is', null).then('pending').else('unknown').end().$castTo<OutboxState>(),
              next_attempt_at: 0,
              last_error: null
            }))
            .where('seq', '=', row.seq)
        )
      }),
    'outbox.keepMine': ({ seq }) =>
      settle(seq, 'outbox.keepMine', ['conflict'], (row) => {
        const c = JSON.parse(row.conflict ?? 'null') as StoredConflict | null
        const handler = deps.registry.push(row.entity_type)
        if (!c || !handler) throw new AppError('conflict', `Entry ${seq} has no Circuit version to send over.`)
        const payload = JSON.stringify(handler.rebase(row, c.record))
        db.run(
          db.q
            .updateTable('outbox')
            .set({
              state: 'pending',
              payload,
              payload_sha: payloadChecksum(payload),
              base_version: c.serverUpdated,
              conflict: null,
              last_error: null,
              next_attempt_at: 0
            })
            .where('seq', '=', row.seq)
        )
      }),
    'outbox.takeTheirs': ({ seq }) =>
      settle(seq, 'outbox.takeTheirs', ['conflict'], (row) => {
        const c = JSON.parse(row.conflict ?? 'null') as StoredConflict | null
        const handler = deps.registry.push(row.entity_type)
        if (!c || !handler) throw new AppError('conflict', `Entry ${seq} has no Circuit version to take.`)
        // Every unsent change of ours to that record goes: they were built on the version Circuit no longer has.
        db.run(
          db.q
            .updateTable('outbox')
            .set({ state: 'discarded', lease_until: null })
            .where('entity_type', '=', row.entity_type)
            .where('entity_id', '=', row.entity_id)
            .where('state', 'not in', ['done', 'discarded', 'in_flight'])
        )
        handler.applyServer(db, c.record)
      }),
    'outbox.discard': ({ seq }) => {
      const entry = settle(seq, 'outbox.discard', ['pending', 'unknown', 'needs_attention', 'conflict'], (row) => {
        db.run(db.q.updateTable('outbox').set({ state: 'discarded', lease_until: null }).where('seq', '=', row.seq))
        // The next change to the record was built on this one; it now builds on what this one was based on.
        const next = db.first(
          db.q
            .selectFrom('outbox')
            .selectAll()
            .where('entity_type', '=', row.entity_type)
            .where('entity_id', '=', row.entity_id)
            .where('seq', '>', row.seq)
            .where('state', 'in', ['pending', 'unknown', 'needs_attention', 'conflict'])
            .orderBy('seq')
            .limit(1)
        )
        const handler = deps.registry.push(row.entity_type)
        if (next && handler) {
          const payload = JSON.stringify(handler.rebaseAfterDiscard(next, row))
          db.run(
            db.q
              .updateTable('outbox')
              .set({ payload, payload_sha: payloadChecksum(payload) })
              .where('seq', '=', next.seq)
          )
        }
      })
      // What this station shows may now differ from Circuit: fetch Circuit's version when nothing else waits.
      deps.pusher?.refresh(entry.entityType, [entry.entityId])
      return entry
    },
    'sync.now': () => {
      if (!deps.pusher) return { started: false }
      deps.pusher.resume()
      return { started: true }
    }
  }
}
