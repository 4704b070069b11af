// The consignors' records as a sale pull brings them: the sale's consignments
// (commission rate, payment instructions, consignor) and Circuit's consignment
// statements (its own total per consignment, which ours is checked against).
// Nothing here is changed through the outbox — a settlement is a payment on
// the consignor order, sent by the payment adapter — so both adapters only
// write what a pull brings.
import type { Kysely } from 'kysely'
import type { CircuitConsignment, CircuitConsignmentStatement } from '../circuit/records'
import type { EntityAdapter } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { ConsignmentStatementsTable, ConsignmentsTable, Database } from '../db/schema'
import { rawJson } from '../db/upsert'

// A pull writes these row by row: each statement is compiled once.

/** A consignment as Circuit sent it: inserted, or every column replaced. */
const UPSERT_CONSIGNMENT = (q: Kysely<Database>, a: ConsignmentsTable) =>
  q
    .insertInto('consignments')
    .values({
      id: a.id,
      sale_id: a.sale_id,
      owner_id: a.owner_id,
      number: a.number,
      label: a.label,
      status: a.status,
      commission_bp: a.commission_bp,
      commission_steps: a.commission_steps,
      payment_instructions: a.payment_instructions,
      owner_name: a.owner_name,
      customer_number: a.customer_number,
      total_hammer: a.total_hammer,
      item_count: a.item_count,
      server_updated: a.server_updated,
      raw: a.raw
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        sale_id: eb.ref('excluded.sale_id'),
        owner_id: eb.ref('excluded.owner_id'),
        number: eb.ref('excluded.number'),
        label: eb.ref('excluded.label'),
        status: eb.ref('excluded.status'),
        commission_bp: eb.ref('excluded.commission_bp'),
        commission_steps: eb.ref('excluded.commission_steps'),
        payment_instructions: eb.ref('excluded.payment_instructions'),
        owner_name: eb.ref('excluded.owner_name'),
        customer_number: eb.ref('excluded.customer_number'),
        total_hammer: eb.ref('excluded.total_hammer'),
        item_count: eb.ref('excluded.item_count'),
        server_updated: eb.ref('excluded.server_updated'),
        raw: eb.ref('excluded.raw')
      }))
    )

const CONSIGNMENT_OWNER = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('consignments').select('owner_id').where('id', '=', a.id)

/** A consignment's statement as Circuit sent it: inserted, or every column replaced. */
const UPSERT_STATEMENT = (q: Kysely<Database>, a: ConsignmentStatementsTable) =>
  q
    .insertInto('consignment_statements')
    .values({
      consignment_id: a.consignment_id,
      sale_id: a.sale_id,
      owner_id: a.owner_id,
      order_number: a.order_number,
      status: a.status,
      total: a.total,
      actually_paid: a.actually_paid,
      received_from_buyers: a.received_from_buyers,
      consignor_label: a.consignor_label,
      customer_number: a.customer_number,
      raw: a.raw
    })
    .onConflict((oc) =>
      oc.column('consignment_id').doUpdateSet((eb) => ({
        sale_id: eb.ref('excluded.sale_id'),
        owner_id: eb.ref('excluded.owner_id'),
        order_number: eb.ref('excluded.order_number'),
        status: eb.ref('excluded.status'),
        total: eb.ref('excluded.total'),
        actually_paid: eb.ref('excluded.actually_paid'),
        received_from_buyers: eb.ref('excluded.received_from_buyers'),
        consignor_label: eb.ref('excluded.consignor_label'),
        customer_number: eb.ref('excluded.customer_number'),
        raw: eb.ref('excluded.raw')
      }))
    )

export function writeConsignment(db: Replica, c: CircuitConsignment): void {
  db.prepared(UPSERT_CONSIGNMENT).run({
    id: c.id,
    sale_id: c.saleId,
    owner_id: c.ownerId,
    number: c.consignmentNumber,
    label: c.label,
    status: c.status,
    commission_bp: c.commissionBp,
    commission_steps: JSON.stringify(c.commissionSteps),
    payment_instructions: c.paymentInstructions,
    owner_name: c.ownerName,
    customer_number: c.customerNumber,
    total_hammer: c.totalHammer,
    item_count: c.itemCount,
    server_updated: c.updated,
    raw: rawJson(c.raw)
  })
}

/** A sale's statements as one pulled record: Circuit sends them whole, without `updated`. */
export interface SaleStatements {
  saleId: string
  rows: readonly CircuitConsignmentStatement[]
}

/** Replaces the sale's statements with what Circuit sent now (a consignment no longer listed has none). */
export function writeSaleStatements(db: Replica, s: SaleStatements): void {
  db.run(db.q.deleteFrom('consignment_statements').where('sale_id', '=', s.saleId))
  for (const r of s.rows) {
    // The legacy row names no owner: its consignment does.
    const owner = r.ownerId ?? db.prepared(CONSIGNMENT_OWNER).first({ id: r.consignmentId })?.owner_id ?? null
    db.prepared(UPSERT_STATEMENT).run({
      consignment_id: r.consignmentId,
      sale_id: s.saleId,
      owner_id: owner,
      order_number: r.orderNumber,
      status: r.status,
      total: r.total,
      actually_paid: r.actuallyPaid,
      received_from_buyers: r.receivedFromBuyers,
      consignor_label: r.consignorLabel,
      customer_number: r.customerNumber,
      raw: rawJson(r.raw)
    })
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
