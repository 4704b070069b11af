import type { AuditEntry } from '../../src-shared/contract'
import type { Replica } from '../db/replica'
import { iso } from './clock'

export interface AuditInput {
  action: string
  entityType?: string
  entityId?: string
  before?: unknown
  after?: unknown
}

/** Record one user action. Call inside the same transaction as the change itself. */
export function recordAudit(
  db: Replica,
  who: { actor: string; station: string },
  at: number,
  entry: AuditInput
): number {
  const r = db.run(
    db.q.insertInto('audit_log').values({
      at,
      actor: who.actor,
      station: who.station,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after)
    })
  )
  return Number(r.lastInsertRowid)
}

export function listAudit(db: Replica, limit: number, beforeId?: number): AuditEntry[] {
  let q = db.q.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit)
  if (beforeId !== undefined) q = q.where('id', '<', beforeId)
  return db.all(q).map((r) => ({
    id: r.id,
    at: iso(r.at),
    actor: r.actor,
    station: r.station,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after)
  }))
}
