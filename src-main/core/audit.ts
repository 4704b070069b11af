import type { AuditEntry } from '../../src-shared/contract'
import type { Replica } from '../db/replica'
import { iso } from './clock'

export interface AuditInput {
  action: string
  entityType?: string
  entityId?: string
  /** The sale the action belongs to, for the per-sale export. */
  saleId?: string | null
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
  const r = db.exec(
    `INSERT INTO audit_log (at, actor, station, action, entity_type, entity_id, before, after, sale_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    at,
    who.actor,
    who.station,
    entry.action,
    entry.entityType ?? null,
    entry.entityId ?? null,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
    entry.saleId ?? null
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
