// The consignors' records as a sale pull brings them: the sale's consignments
// (commission rate, payment instructions, consignor) and Circuit's consignment
// statements (its own total per consignment, which ours is checked against).
// Nothing here is changed through the outbox — a settlement is a payment on
// the consignor order, sent by the payment adapter — so both adapters only
// write what a pull brings.
import type { CircuitConsignment, CircuitConsignmentStatement } from '../circuit/records'
import type { EntityAdapter } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import { rawJson } from '../db/upsert'

export function writeConsignment(db: Replica, c: CircuitConsignment): void {
  db.exec(
    `INSERT INTO consignments (id, sale_id, owner_id, number, label, status, commission_bp, commission_steps,
       payment_instructions, owner_name, customer_number, total_hammer, item_count, server_updated, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET sale_id = excluded.sale_id, owner_id = excluded.owner_id, number = excluded.number,
       label = excluded.label, status = excluded.status, commission_bp = excluded.commission_bp,
       commission_steps = excluded.commission_steps, payment_instructions = excluded.payment_instructions,
       owner_name = excluded.owner_name, customer_number = excluded.customer_number,
       total_hammer = excluded.total_hammer, item_count = excluded.item_count,
       server_updated = excluded.server_updated, raw = excluded.raw`,
    c.id,
    c.saleId,
    c.ownerId,
    c.consignmentNumber,
    c.label,
    c.status,
    c.commissionBp,
    JSON.stringify(c.commissionSteps),
    c.paymentInstructions,
    c.ownerName,
    c.customerNumber,
    c.totalHammer,
    c.itemCount,
    c.updated,
    rawJson(c.raw)
  )
}

/** A sale's statements as one pulled record: Circuit sends them whole, without `updated`. */
export interface SaleStatements {
  saleId: string
  rows: readonly CircuitConsignmentStatement[]
}

/** Replaces the sale's statements with what Circuit sent now (a consignment no longer listed has none). */
export function writeSaleStatements(db: Replica, s: SaleStatements): void {
  db.exec('DELETE FROM consignment_statements WHERE sale_id = ?', s.saleId)
  for (const r of s.rows) {
    // The legacy row names no owner: its consignment does.
    const owner =
      r.ownerId ??
      db.sql<{ owner_id: string | null }>('SELECT owner_id FROM consignments WHERE id = ?', r.consignmentId)[0]
        ?.owner_id ??
      null
    db.exec(
      `INSERT INTO consignment_statements (consignment_id, sale_id, owner_id, order_number, status, total,
         actually_paid, received_from_buyers, consignor_label, customer_number, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(consignment_id) DO UPDATE SET sale_id = excluded.sale_id, owner_id = excluded.owner_id,
         order_number = excluded.order_number, status = excluded.status, total = excluded.total,
         actually_paid = excluded.actually_paid, received_from_buyers = excluded.received_from_buyers,
         consignor_label = excluded.consignor_label, customer_number = excluded.customer_number, raw = excluded.raw`,
      r.consignmentId,
      s.saleId,
      owner,
      r.orderNumber,
      r.status,
      r.total,
      r.actuallyPaid,
      r.receivedFromBuyers,
      r.consignorLabel,
      r.customerNumber,
      rawJson(r.raw)
    )
  }
}

export function consignmentAdapter(): EntityAdapter<CircuitConsignment> {
  return {
    entityType: 'consignment',
    pulls: { kind: 'consignment', entityId: (c) => c.id, apply: writeConsignment }
  }
}

export function consignmentStatementsAdapter(): EntityAdapter<SaleStatements> {
  return {
    entityType: 'consignment_statements',
    pulls: { kind: 'consignment_statements', entityId: (s) => s.saleId, apply: writeSaleStatements }
  }
}
