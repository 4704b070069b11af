// A sale's audit log as CSV, for the house's records: every user action on
// the sale, oldest first, with who, where and what it was before and after.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../src-shared/rpc'
import { iso } from '../core/clock'
import { stamp, type Replica } from '../db/replica'

const COLUMNS = ['id', 'at', 'station', 'user', 'action', 'record', 'record_id', 'lot', 'before', 'after']

/**
 * One CSV cell. Text a spreadsheet would run as a formula (=, +, -, @ first)
 * gets a leading apostrophe: a client named "=HYPERLINK(…)" stays a name.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

interface AuditRow {
  id: number
  at: number
  station: string
  actor: string
  action: string
  entity_type: string | null
  entity_id: string | null
  before: string | null
  after: string | null
}

function lotOf(row: AuditRow): string | null {
  for (const side of [row.after, row.before]) {
    if (!side) continue
    const v = JSON.parse(side) as { lot?: unknown }
    if (typeof v?.lot === 'string') return v.lot
  }
  return null
}

export function auditCsv(db: Replica, saleId: string): { csv: string; rows: number } {
  const rows: AuditRow[] = db.all(
    db.q
      .selectFrom('audit_log')
      .select(['id', 'at', 'station', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after'])
      .where('sale_id', '=', saleId)
      .orderBy('id')
  )
  const lines = [COLUMNS.join(',')]
  for (const r of rows) {
    lines.push(
      [r.id, iso(r.at), r.station, r.actor, r.action, r.entity_type, r.entity_id, lotOf(r), r.before, r.after]
        .map(csvCell)
        .join(',')
    )
  }
  // CRLF, as RFC 4180 and spreadsheets expect; a byte-order mark so Excel reads Łukasz as Łukasz.
  return { csv: '\ufeff' + lines.join('\r\n') + '\r\n', rows: rows.length }
}

export function exportAudit(db: Replica, saleId: string, dir: string, now: number): { path: string; rows: number } {
  const sale = db.first(db.q.selectFrom('sales').select('sale_number').where('id', '=', saleId))
  if (!sale) throw new AppError('not_found', `There is no sale ${saleId} on this station.`)
  const { csv, rows } = auditCsv(db, saleId)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const name = `audit-sale-${(sale.sale_number ?? saleId).replace(/[^A-Za-z0-9-]+/g, '_')}-${stamp(now)}.csv`
  const path = join(dir, name)
  // Written whole or not at all.
  writeFileSync(`${path}.partial`, csv, { mode: 0o600 })
  renameSync(`${path}.partial`, path)
  return { path, rows }
}
