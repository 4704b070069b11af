import type { AuditEntry } from '../../src-shared/contract'
import { auditText, type AuditFacts } from '../../src-shared/audit-words'
import { formatMoney } from '../../src-shared/money'
import { houseCurrency } from './currency'
import type { Insertable, Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { AuditLogTable, Database } from '../db/schema'
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

/** One entry of the audit log (every action writes one: compiled once). */
const RECORD = (q: Kysely<Database>, a: Insertable<AuditLogTable>) =>
  q.insertInto('audit_log').values({
    at: a.at,
    actor: a.actor,
    station: a.station,
    action: a.action,
    entity_type: a.entity_type,
    entity_id: a.entity_id,
    before: a.before,
    after: a.after,
    sale_id: a.sale_id
  })

/** Record one user action. Call inside the same transaction as the change itself. */
export function recordAudit(
  db: Replica,
  who: { actor: string; station: string },
  at: number,
  entry: AuditInput
): number {
  const r = db.prepared(RECORD).run({
    at,
    actor: who.actor,
    station: who.station,
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    sale_id: entry.saleId ?? null
  })
  return Number(r.lastInsertRowid)
}

/** Money as the house shows it: Circuit's currency from the last pull, else the house's from Settings. */
function houseMoney(db: Replica): (minor: number) => string {
  const currency = houseCurrency(db)
  return (minor) => formatMoney(minor, currency)
}

/** Names and invoice numbers for the words, each read once per list. */
function auditFacts(db: Replica): AuditFacts {
  const once = <T>(read: (id: string) => T): ((id: string) => T) => {
    const seen = new Map<string, T>()
    return (id) => {
      if (!seen.has(id)) seen.set(id, read(id))
      return seen.get(id)!
    }
  }
  return {
    money: houseMoney(db),
    clientName: once(
      (id) => db.first(db.q.selectFrom('clients').select('display_name').where('id', '=', id))?.display_name ?? null
    ),
    orderNumber: once(
      (id) =>
        db.first(
          db.q
            .selectFrom('orders')
            .select((eb) => eb.fn.coalesce('order_number', 'provisional_number').as('n'))
            .where((eb) => eb.or([eb('id', '=', id), eb('server_id', '=', id)]))
        )?.n ?? null
    )
  }
}

export function listAudit(db: Replica, limit: number, beforeId?: number): AuditEntry[] {
  let q = db.q.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit)
  if (beforeId !== undefined) q = q.where('id', '<', beforeId)
  const facts = auditFacts(db)
  return db.all(q).map((r) => {
    const entry = {
      id: r.id,
      at: iso(r.at),
      actor: r.actor,
      station: r.station,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after)
    }
    return { ...entry, text: auditText(entry, facts) }
  })
}
