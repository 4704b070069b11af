// The order's entity sync adapter (entity type "order"): Circuit's orders
// written into the replica as a pull brings them (replacing the provisional
// ones made here), and the desk's order changes taken to Circuit: status,
// charges, split, credit note, cancel and reissue. The commands are not
// idempotent on Circuit, so the read-back decides from their effects, read
// in the shapes the API docs show (owner, sale, type, items, created).
import type { CircuitApiClient } from '../circuit'
import type { CircuitOrder } from '../circuit/types'
import { recordAudit } from '../core/audit'
import { systemClock, type Clock } from '../core/clock'
import type { Decision, EntityAdapter, Mismatch } from '../core/sync-adapter'
import { readSettings } from '../core/settings'
import type { Kysely } from 'kysely'
import { jsonTextValues, jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES, type Database, type OutboxRow } from '../db/schema'
import { rawJson } from '../db/upsert'
import { chargesMatch, describeCharges, specOfServer, type ChargesPayload } from './charges'
import { creditTarget } from './invoice-view'
import type { OrderCommandPayload } from './order-commands'
import { STATUS_LABEL, type StatusPayload } from './order-status'
import { resolveProvisional, WAIT_FOR_ORDER_MS } from './provisional'

function hasOpenEntries(db: Replica, entityType: string, entityId: string): boolean {
  const open = db.q
    .selectFrom('outbox')
    .select('seq')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .where('state', 'in', OPEN_OUTBOX_STATES)
    .limit(1)
  return db.first(open) !== undefined
}

// Writing Circuit's orders runs once per order a pull brings, and per line and charge: each
// statement is compiled once. A list of ids is bound as JSON text (`jsonTextValues`).
const ORDERS_NAMED = (q: Kysely<Database>, a: { ids: string; except: string }) =>
  q
    .selectFrom('orders')
    .select(['id', 'credit_for', 'credit_reason'])
    .where('id', 'in', jsonTextValues(a.ids))
    .where('id', '<>', a.except)

/** Provisional orders of the buyer, sale and kind with no lot outside `a.items`, and not empty unless nothing hangs on them. */
const PROVISIONAL_WITHIN = (
  q: Kysely<Database>,
  a: { saleId: string; clientId: string; type: string; items: string }
) =>
  q
    .selectFrom('orders as p')
    .select(['id', 'credit_for', 'credit_reason'])
    .where('p.sale_id', '=', a.saleId)
    .where('p.client_id', '=', a.clientId)
    .where('p.type', '=', a.type)
    .where('p.server_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('order_lines as l')
            .select((eb) => eb.lit(1).as('one'))
            .whereRef('l.order_id', '=', 'p.id')
            .where('l.item_id', 'not in', jsonTextValues(a.items))
        )
      )
    )
    .where(({ or, and, not, exists, selectFrom }) =>
      or([
        exists(
          selectFrom('order_lines as l')
            .select((eb) => eb.lit(1).as('one'))
            .whereRef('l.order_id', '=', 'p.id')
        ),
        and([
          not(
            exists(
              selectFrom('transactions as t')
                .select((eb) => eb.lit(1).as('one'))
                .whereRef('t.order_id', '=', 'p.id')
            )
          ),
          not(
            exists(
              selectFrom('order_charges as c')
                .select((eb) => eb.lit(1).as('one'))
                .whereRef('c.order_id', '=', 'p.id')
            )
          )
        ])
      ])
    )

type OrderValues = {
  id: string
  orderNumber: string | null
  type: string
  status: string
  saleId: string | null
  clientId: string | null
  customerNumber: string | null
  grandTotal: number | null
  amountDue: number | null
  paymentReceived: number | null
  created: string | null
  updated: string | null
  raw: string
  invoice: string | null
  owner: string | null
  basis: number | null
  provisionalNumber: string | null
}

const UPSERT_ORDER = (q: Kysely<Database>, a: OrderValues) =>
  q
    .insertInto('orders')
    .values({
      id: a.id,
      server_id: a.id,
      order_number: a.orderNumber,
      type: a.type,
      status: a.status,
      sale_id: a.saleId,
      client_id: a.clientId,
      customer_number: a.customerNumber,
      grand_total: a.grandTotal,
      amount_due: a.amountDue,
      payment_received: a.paymentReceived,
      created: a.created,
      server_updated: a.updated,
      raw: a.raw,
      invoice: a.invoice,
      owner_name: a.owner,
      server_basis: a.basis,
      provisional_number: a.provisionalNumber
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        server_id: eb.ref('excluded.server_id'),
        order_number: eb.ref('excluded.order_number'),
        type: eb.ref('excluded.type'),
        status: eb.ref('excluded.status'),
        sale_id: eb.ref('excluded.sale_id'),
        client_id: eb.ref('excluded.client_id'),
        customer_number: eb.ref('excluded.customer_number'),
        grand_total: eb.ref('excluded.grand_total'),
        amount_due: eb.ref('excluded.amount_due'),
        payment_received: eb.ref('excluded.payment_received'),
        created: eb.ref('excluded.created'),
        server_updated: eb.ref('excluded.server_updated'),
        raw: eb.ref('excluded.raw'),
        invoice: eb.ref('excluded.invoice'),
        owner_name: eb.ref('excluded.owner_name'),
        server_basis: eb.ref('excluded.server_basis'),
        provisional_number: eb.ref('excluded.provisional_number')
      }))
    )

const DELETE_LINES = (q: Kysely<Database>, a: { orderId: string }) =>
  q.deleteFrom('order_lines').where('order_id', '=', a.orderId)

const PUT_LINE = (
  q: Kysely<Database>,
  a: {
    orderId: string
    itemId: string
    lot: string | null
    description: string | null
    hammer: number | null
    premium: number | null
    taxId: string | null
    tax: number | null
    consignmentNumber: string | null
  }
) =>
  q.insertInto('order_lines').orReplace().values({
    order_id: a.orderId,
    item_id: a.itemId,
    lot: a.lot,
    description: a.description,
    hammer: a.hammer,
    premium: a.premium,
    tax_id: a.taxId,
    tax: a.tax,
    consignment_number: a.consignmentNumber
  })

const DELETE_CHARGES = (q: Kysely<Database>, a: { orderId: string }) =>
  q.deleteFrom('order_charges').where('order_id', '=', a.orderId)

const ADD_CHARGE = (
  q: Kysely<Database>,
  a: {
    orderId: string
    termId: string | null
    label: string | null
    amount: number
    tax: number
    description: string | null
    date: string | null
    taxRateBp: number | null
  }
) =>
  q.insertInto('order_charges').values({
    order_id: a.orderId,
    term_id: a.termId,
    label: a.label,
    amount: a.amount,
    tax: a.tax,
    description: a.description,
    date: a.date,
    tax_rate_bp: a.taxRateBp
  })

type Move = { to: string; from: string }
const MOVE_CHARGES = (q: Kysely<Database>, a: Move) =>
  q.updateTable('order_charges').set({ order_id: a.to }).where('order_id', '=', a.from)
const MOVE_PAYMENTS = (q: Kysely<Database>, a: Move) =>
  q.updateTable('transactions').set({ order_id: a.to }).where('order_id', '=', a.from)
const MOVE_OPEN_ENTRIES = (q: Kysely<Database>, a: Move) =>
  q
    .updateTable('outbox')
    .set({ entity_id: a.to })
    .where('entity_type', '=', 'order')
    .where('entity_id', '=', a.from)
    .where('state', 'not in', ['done', 'discarded'])
const MOVE_CREDIT_FOR = (q: Kysely<Database>, a: Move) =>
  q.updateTable('orders').set({ credit_for: a.to }).where('credit_for', '=', a.from)
const MOVE_MADE_FROM = (q: Kysely<Database>, a: Move) =>
  q.updateTable('orders').set({ made_from: a.to }).where('made_from', '=', a.from)

const KEEP_CREDIT = (q: Kysely<Database>, a: { id: string; creditFor: string | null; creditReason: string | null }) =>
  q
    .updateTable('orders')
    .set((eb) => ({
      credit_for: eb.fn.coalesce('credit_for', eb.val(a.creditFor)),
      credit_reason: eb.fn.coalesce('credit_reason', eb.val(a.creditReason))
    }))
    .where('id', '=', a.id)

const MAP_ORDER_ID = (q: Kysely<Database>, a: { localId: string; serverId: string; at: number }) =>
  q
    .insertInto('id_map')
    .orIgnore()
    .values({ entity_type: 'order', local_id: a.localId, server_id: a.serverId, mapped_at: a.at })

const DELETE_ORDER = (q: Kysely<Database>, a: { id: string }) => q.deleteFrom('orders').where('id', '=', a.id)

/** Provisional credit notes for or made from the order, with no payment taken on them. */
const PROVISIONAL_CREDIT_NOTES = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('orders')
    .select(['id', 'provisional_number'])
    .where('type', '=', 'credit_note')
    .where('server_id', 'is', null)
    .where((eb) => eb.or([eb('credit_for', '=', a.orderId), eb('made_from', '=', a.orderId)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('transactions as t')
            .select((eb) => eb.lit(1).as('one'))
            .whereRef('t.order_id', '=', 'orders.id')
        )
      )
    )

/** Circuit's credit notes of the buyer for the sale holding any of `a.items`. */
const THEIR_CREDIT_NOTES = (
  q: Kysely<Database>,
  a: { saleId: string | null; clientId: string | null; items: string }
) =>
  q
    .selectFrom('orders as n')
    .select(['n.id', 'n.order_number'])
    .where('n.type', '=', 'credit_note')
    .where('n.server_id', 'is not', null)
    .where('n.sale_id', '=', a.saleId)
    .where('n.client_id', '=', a.clientId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('order_lines as l')
          .select((eb) => eb.lit(1).as('one'))
          .whereRef('l.order_id', '=', 'n.id')
          .where('l.item_id', 'in', jsonTextValues(a.items))
      )
    )

const SET_NOTICE = (q: Kysely<Database>, a: { id: string; notice: string }) =>
  q.updateTable('orders').set({ notice: a.notice }).where('id', '=', a.id)

/** What Circuit's grand total is made of: its lines and charges, with their tax. */
function basisOf(o: CircuitOrder): number {
  let total = 0n
  for (const l of o.lines) total += BigInt(l.hammer ?? 0) + BigInt(l.premium ?? 0) + BigInt(l.tax ?? 0)
  for (const c of o.charges) total += BigInt(c.amount) + BigInt(c.taxAmount)
  // Beyond exact minor units: no basis, so the view shows Circuit's figure as it is (and says so).
  return total > BigInt(Number.MAX_SAFE_INTEGER) || total < -BigInt(Number.MAX_SAFE_INTEGER) ? NaN : Number(total)
}

/**
 * The provisional orders Circuit's order replaces: made here for the same buyer, sale and kind,
 * every one of whose lots Circuit's order now holds. A provisional order with no lots is
 * replaced only when nothing hangs on it (no payment, no charge).
 */
function replacedBy(
  db: Replica,
  o: CircuitOrder
): { id: string; credit_for: string | null; credit_reason: string | null }[] {
  // From a venue hub: the hub's own provisional orders that this one took the place of, by id.
  const named = o.replaces?.length
    ? db.prepared(ORDERS_NAMED).all({ ids: JSON.stringify(o.replaces), except: o.id })
    : []
  return [...named, ...replacedByLots(db, o).filter((p) => !named.some((n) => n.id === p.id))]
}

function replacedByLots(
  db: Replica,
  o: CircuitOrder
): { id: string; credit_for: string | null; credit_reason: string | null }[] {
  if (!o.saleId || !o.clientId || o.status === 'canceled') return []
  const found = db.prepared(PROVISIONAL_WITHIN).all({
    saleId: o.saleId,
    clientId: o.clientId,
    type: o.type,
    items: JSON.stringify(o.lines.map((l) => l.itemId))
  })
  if (o.type !== 'credit_note' || !found.length) return found
  // A credit note replaces ours only if it credits the same order: after a cancel and reissue,
  // the reissued order's lots are also on the cancelled order's note.
  const credits = creditTarget(db, {
    saleId: o.saleId,
    clientId: o.clientId,
    serverId: o.id,
    itemIds: o.lines.map((l) => l.itemId)
  })
  return found.filter((p) => p.credit_for === null || credits === null || p.credit_for === credits.id)
}

/**
 * Circuit's order as it stands, whatever waits locally (the sender's acknowledgement, a pull).
 * It takes the place of the provisional orders it replaces, keeping what hangs on them: their
 * payments and charges move to it, and so do their queued changes (re-pointed, in order), so
 * they go out against Circuit's order. A provisional credit note made from this order that no
 * change of ours is still making is gone once Circuit's order is written: Circuit's own credit
 * note stands for it, or Circuit has none (the change was discarded) — said on the order and
 * in the audit.
 */
export function writeOrder(db: Replica, o: CircuitOrder, now: number = systemClock.now()): void {
  const replaced = replacedBy(db, o)
  // Charges made here on a provisional order and not yet on Circuit stay until they are.
  const keepCharges = replaced.some((p) => hasOpenEntries(db, 'order', p.id))
  const basis = basisOf(o)
  const owner = refLabelOf((o.raw as { owner?: unknown } | null)?.owner)
  // A value missing from Circuit's order is bound as NULL (as better-sqlite3 binds undefined).
  db.prepared(UPSERT_ORDER).run({
    id: o.id,
    // A venue hub's provisional order: sent to by its id, shown with the hub's provisional number.
    orderNumber: (o.provisional ? null : o.orderNumber) ?? null,
    type: o.type,
    status: o.status,
    saleId: o.saleId ?? null,
    clientId: o.clientId ?? null,
    customerNumber: o.customerNumber ?? null,
    grandTotal: o.grandTotal ?? null,
    amountDue: o.amountDue ?? null,
    paymentReceived: o.paymentReceived ?? null,
    created: o.created ?? null,
    updated: o.updated ?? null,
    raw: rawJson(o.raw),
    invoice: o.invoice ? JSON.stringify(o.invoice) : null,
    owner,
    basis: Number.isNaN(basis) ? null : basis,
    provisionalNumber: (o.provisional ? o.orderNumber : null) ?? null
  })
  db.prepared(DELETE_LINES).run({ orderId: o.id })
  for (const l of o.lines) {
    db.prepared(PUT_LINE).run({
      orderId: o.id,
      itemId: l.itemId,
      lot: l.lot ?? null,
      description: l.description ?? null,
      hammer: l.hammer ?? null,
      premium: l.premium ?? null,
      taxId: l.taxId ?? null,
      tax: l.tax ?? null,
      consignmentNumber: l.consignmentNumber ?? null
    })
  }
  if (!keepCharges) {
    db.prepared(DELETE_CHARGES).run({ orderId: o.id })
    for (const c of o.charges) {
      db.prepared(ADD_CHARGE).run({
        orderId: o.id,
        termId: c.termId ?? null,
        label: c.label ?? null,
        amount: c.amount,
        tax: c.taxAmount,
        description: c.description ?? null,
        date: c.date ?? null,
        taxRateBp: c.taxRateBp ?? null
      })
    }
  }
  for (const p of replaced) {
    const move = { to: o.id, from: p.id }
    if (keepCharges) {
      if (hasOpenEntries(db, 'order', p.id)) {
        db.prepared(DELETE_CHARGES).run({ orderId: o.id })
        db.prepared(MOVE_CHARGES).run(move)
      }
    }
    db.prepared(MOVE_PAYMENTS).run(move)
    db.prepared(MOVE_OPEN_ENTRIES).run(move)
    db.prepared(MOVE_CREDIT_FOR).run(move)
    db.prepared(MOVE_MADE_FROM).run(move)
    // A credit note made here keeps what it credits and why, on Circuit's note that replaces it.
    if (o.type === 'credit_note')
      db.prepared(KEEP_CREDIT).run({ id: o.id, creditFor: p.credit_for, creditReason: p.credit_reason })
    // A screen that still shows the provisional order finds Circuit's by the old id.
    db.prepared(MAP_ORDER_ID).run({ localId: p.id, serverId: o.id, at: now })
    db.prepared(DELETE_LINES).run({ orderId: p.id })
    db.prepared(DELETE_CHARGES).run({ orderId: p.id })
    db.prepared(DELETE_ORDER).run({ id: p.id })
  }
  if (o.type === 'bidder') removeStaleCreditNotes(db, o, now)
}

/** Provisional credit notes made from this order that no change of ours is still making. */
function removeStaleCreditNotes(db: Replica, o: CircuitOrder, now: number): void {
  if (hasOpenEntries(db, 'order', o.id)) return
  const stale = db.prepared(PROVISIONAL_CREDIT_NOTES).all({ orderId: o.id })
  if (!stale.length) return
  const number = o.orderNumber ?? o.id
  // Circuit's own credit notes that credit this order's lots, as the docs show them (owner, sale, lots).
  const theirs = db.prepared(THEIR_CREDIT_NOTES).all({
    saleId: o.saleId ?? null,
    clientId: o.clientId ?? null,
    items: JSON.stringify(o.lines.map((l) => l.itemId))
  })
  const settings = readSettings(db)
  for (const n of stale) {
    const name = n.provisional_number ?? n.id
    const reason = theirs.length
      ? `Provisional credit note ${name} removed: Circuit's credit note ${theirs.map((t) => t.order_number ?? t.id).join(', ')} for order ${number} stands in its place.`
      : `Provisional credit note ${name} removed: Circuit has no credit note for it (the change never reached Circuit).`
    db.prepared(DELETE_LINES).run({ orderId: n.id })
    db.prepared(DELETE_ORDER).run({ id: n.id })
    db.prepared(SET_NOTICE).run({ id: o.id, notice: reason })
    recordAudit(db, { actor: 'Circuit sync', station: settings.stationName }, now, {
      action: 'checkout.provisionalRemoved',
      entityType: 'order',
      entityId: n.id,
      saleId: o.saleId,
      after: { order: number, reason }
    })
  }
}

function refLabelOf(v: unknown): string | null {
  if (typeof v === 'string') return null // a bare id
  if (v && typeof v === 'object' && typeof (v as { label?: unknown }).label === 'string')
    return (v as { label: string }).label
  return null
}

/** An id made by a station or a venue hub (never Circuit's). */
const isMadeHere = (id: string) => id.startsWith('local-')

function provisionalNumberOf(db: Replica, id: string): string | null {
  return (
    db.first(db.q.selectFrom('orders').select('provisional_number').where('id', '=', id))?.provisional_number ?? null
  )
}

export interface ServerOrder {
  id: string
  updated: string | null
  /** Null while the order is provisional and Circuit has not made it yet (`waiting` says why). */
  order: CircuitOrder | null
  waiting?: string
  /** The lots that credit notes made since our first send hold (read only when a credit note waits). */
  creditedItems?: string[]
  /** The buyer's other orders for the sale (read when a command waits): what the command made. */
  related?: CircuitOrder[]
}

type AnyPayload = StatusPayload & OrderCommandPayload & ChargesPayload
const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as AnyPayload

/** Of `wanted`, how many `have` holds: none, some or all. */
function share(have: Set<string>, wanted: string[]): 'none' | 'some' | 'all' {
  const n = wanted.filter((i) => have.has(i)).length
  return n === 0 ? 'none' : n === wanted.length ? 'all' : 'some'
}

const COMMANDS = new Set(['order.split', 'order.creditNote', 'order.cancelReissue'])

/** Circuit's order as the replica should hold it after an acknowledgement, unless a change of ours waits for it. */
function writeUnlessWaiting(db: Replica, o: CircuitOrder, now: number): void {
  if (!hasOpenEntries(db, 'order', o.id)) writeOrder(db, o, now)
}

export function orderAdapter(db: Replica, clock: Clock = systemClock): EntityAdapter<CircuitOrder, ServerOrder> {
  /** The open head entry of each record (the one a round sends), for what the read-back needs of it. */
  const heads = (ids: string[]) =>
    new Map(
      db
        .all(
          db.q
            .selectFrom('outbox as o')
            .select(['o.entity_id', 'o.op', 'o.sent_at'])
            .where('o.entity_type', '=', 'order')
            .where('o.state', 'not in', ['done', 'discarded'])
            .where('o.entity_id', 'in', jsonValues(ids))
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('outbox as p')
                    .select((eb) => eb.lit(1).as('one'))
                    .where('p.entity_type', '=', 'order')
                    .whereRef('p.entity_id', '=', 'o.entity_id')
                    .whereRef('p.seq', '<', 'o.seq')
                    .where('p.state', 'not in', ['done', 'discarded'])
                )
              )
            )
        )
        .map((r) => [r.entity_id, r])
    )

  return {
    entityType: 'order',
    pulls: { kind: 'order', entityId: (o) => o.id, apply: (replica, o) => writeOrder(replica, o, clock.now()) },
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const out = new Map<string, ServerOrder>()
        // A provisional order's changes wait for Circuit's order that replaces it (and one replaced
        // since they were claimed — by a payment's read-back, say — goes to Circuit's).
        const resolved = await resolveProvisional(client, db, ids, (o) => db.tx(() => writeOrder(db, o, clock.now())))
        const onCircuit = new Map<string, string>()
        for (const id of ids) {
          const r = resolved.get(id)
          if (r && 'waiting' in r) out.set(id, { id, updated: null, order: null, waiting: r.waiting })
          else onCircuit.set(id, r?.serverId ?? id)
        }
        if (onCircuit.size === 0) return out
        const page = await client.fetchPage(
          'orders.list',
          { filter: { id: { in: [...new Set(onCircuit.values())] } } },
          0,
          100
        )
        const byServer = new Map(page.rows.map((o) => [o.id, o]))
        for (const [id, serverId] of onCircuit) {
          // Through a venue hub, a provisional order of the hub's may have been replaced by Circuit's since.
          const o = byServer.get(serverId) ?? page.rows.find((r) => r.replaces?.includes(serverId))
          if (o) out.set(id, { id, updated: o.updated, order: o })
          else {
            // A hub's provisional order the hub no longer serves has been taken over by Circuit's, which
            // the hub has not served yet: the change waits for it (re-pointed when it comes), rather
            // than being given up as a record Circuit no longer has.
            if (isMadeHere(serverId)) {
              const number = provisionalNumberOf(db, serverId)
              out.set(id, {
                id,
                updated: null,
                order: null,
                waiting: `Waits for Circuit's order that takes the place of ${number ?? 'the provisional order'}.`
              })
            }
          }
        }
        // A command's effects are read from the buyer's orders for the sale (what the docs show:
        // owner, sale, type, items, created): the credit notes that hold the lots, the orders it made.
        const head = heads(ids)
        for (const [id, rec] of out) {
          const h = head.get(id)
          if (!rec.order || !h || !COMMANDS.has(h.op)) continue
          const theirs = await client.listAll(
            'orders.list',
            { filter: { sale: rec.order.saleId ?? '', owner: rec.order.clientId ?? '' } },
            { range: 100 }
          )
          rec.related = theirs.filter((o) => o.id !== rec.order!.id)
          if (h.op === 'order.creditNote') {
            // Only notes made at or after our first send count (Circuit's `created` is to the second):
            // an older note holding the same lots credited another order (before a cancel and reissue).
            const since = h.sent_at === null ? null : Math.floor(h.sent_at / 1000) * 1000
            rec.creditedItems =
              since === null
                ? []
                : rec.related
                    .filter((n) => n.type === 'credit_note' && n.created !== null && Date.parse(n.created) >= since)
                    .flatMap((n) => n.lines.map((l) => l.itemId))
          }
        }
        return out
      },

      decide(entry, server): Decision {
        if (!server.order) {
          return { kind: 'wait', reason: server.waiting ?? "Waits for Circuit's order.", retryInMs: WAIT_FOR_ORDER_MS }
        }
        const p = payloadOf(entry)
        const o = server.order
        switch (entry.op) {
          case 'order.setStatus':
            if (o.status === p.target) return { kind: 'applied' }
            if (o.status === p.base) return { kind: 'send' }
            return { kind: 'conflict', ours: STATUS_LABEL[p.target], theirs: STATUS_LABEL[o.status] ?? o.status }
          case 'order.split': {
            const on = share(new Set(o.lines.map((l) => l.itemId)), p.itemIds)
            if (on === 'none') return { kind: 'applied' } // the lots have left the order: split already
            if (on === 'all' && (o.status === 'new' || o.status === 'in_process')) return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: `split off ${p.itemIds.length} lot(s)`,
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}, ${o.lines.length} lot(s)`
            }
          }
          case 'order.creditNote': {
            const credited = share(new Set(server.creditedItems ?? []), p.itemIds)
            if (credited === 'all') return { kind: 'applied' }
            if (credited === 'none' && (o.status === 'finished' || o.status === 'locked')) return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: `credit ${p.itemIds.length} lot(s)`,
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}, some lots credited already`
            }
          }
          case 'order.setCharges': {
            const now = o.charges.map(specOfServer)
            if (chargesMatch(now, p.target)) return { kind: 'applied' }
            if (chargesMatch(now, p.base) && o.status !== 'locked' && o.status !== 'canceled') return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: describeCharges(db, p.target),
              theirs: `${describeCharges(db, now)}${o.status === 'locked' || o.status === 'canceled' ? `\n(order ${STATUS_LABEL[o.status]})` : ''}`
            }
          }
          case 'order.cancelReissue':
            if (o.status === 'canceled') return { kind: 'applied' }
            if (o.status === 'locked') return { kind: 'send' }
            return {
              kind: 'conflict',
              ours: 'cancel and reissue',
              theirs: `order ${STATUS_LABEL[o.status] ?? o.status}`
            }
          default:
            return { kind: 'refused', message: `This station does not know how to send "${entry.op}".` }
        }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        // A provisional order's change goes to Circuit's order that replaced it.
        const orderId = server.order?.id ?? p.orderId!
        switch (entry.op) {
          case 'order.setStatus': {
            const answer =
              (await client.orders.patch(orderId, { status: p.target })) ?? (await client.orders.get(orderId))
            return { id: entry.entity_id, updated: answer.updated, order: answer }
          }
          case 'order.setCharges': {
            const additional = p.target.map((c) => ({
              term: c.termId ?? '',
              amount: c.amount,
              taxRateBp: c.taxRateBp,
              ...(c.description ? { description: c.description } : {})
            }))
            const answer =
              (await client.orders.patch(orderId, { additional_charges: additional })) ??
              (await client.orders.get(orderId))
            return { id: entry.entity_id, updated: answer.updated, order: answer }
          }
          case 'order.split':
            await client.orders.split(orderId, p.itemIds)
            break
          case 'order.creditNote':
            await client.orders.createCreditNote(orderId, p.itemIds)
            break
          case 'order.cancelReissue':
            await client.orders.cancelAndReissue(orderId)
            break
        }
        // The commands answer with ids only: the order as it stands now, and what it made.
        const order = await client.orders.get(orderId)
        const related = (
          await client.listAll(
            'orders.list',
            { filter: { sale: order.saleId ?? '', owner: order.clientId ?? '' } },
            { range: 100 }
          )
        ).filter((o) => o.id !== order.id)
        return {
          id: entry.entity_id,
          updated: order.updated,
          order,
          related,
          creditedItems: entry.op === 'order.creditNote' ? p.itemIds : undefined
        }
      },

      verify(entry, answer): Mismatch | null {
        const found = verifyMessage(db, entry, answer)
        if (found === null) return null
        return {
          message: found.message,
          scope: 'record',
          ours: found.ours ?? entry.label,
          theirs: found.theirs ?? (answer.order ? describeOrder(answer.order) : 'no order')
        }
      },

      applyServer(replica: Replica, rec) {
        if (!rec.order) return
        const now = clock.now()
        // What a command made first (a credit note, the reissued order, the split's other order),
        // so they replace the provisional ones made here; then the order itself.
        for (const o of rec.related ?? []) writeUnlessWaiting(replica, o, now)
        writeOrder(replica, rec.order, now)
      },

      rebase: (entry, server) =>
        !server.order
          ? payloadOf(entry)
          : entry.op === 'order.setStatus'
            ? { ...payloadOf(entry), base: server.order.status }
            : entry.op === 'order.setCharges'
              ? { ...payloadOf(entry), base: server.order.charges.map(specOfServer) }
              : payloadOf(entry),
      // The next change of the same kind now builds on what the discarded one was based on.
      rebaseAfterDiscard: (next, discarded) =>
        next.op === discarded.op && (next.op === 'order.setStatus' || next.op === 'order.setCharges')
          ? { ...payloadOf(next), base: payloadOf(discarded).base }
          : payloadOf(next)
    }
  }
}

/** Circuit's order in words, for the Sync screen. */
function describeOrder(o: CircuitOrder): string {
  const lots = o.lines.length === 1 ? '1 lot' : `${o.lines.length} lots`
  const charges = o.charges.length === 1 ? '1 charge' : `${o.charges.length} charges`
  return `order ${o.orderNumber ?? o.id}, ${STATUS_LABEL[o.status] ?? o.status}, ${lots}, ${charges}`
}

/** What Circuit recorded differently from an order change, or null. */
function verifyMessage(
  db: Replica,
  entry: OutboxRow,
  answer: ServerOrder
): { message: string; ours?: string; theirs?: string } | null {
  const p = payloadOf(entry)
  const o = answer.order
  const name = p.number ?? p.orderId ?? entry.entity_id
  if (!o) return { message: `Circuit did not answer with order ${name}` }
  switch (entry.op) {
    case 'order.setStatus':
      return o.status === p.target
        ? null
        : {
            message: `Circuit holds order ${name} as ${STATUS_LABEL[o.status] ?? o.status}, not ${STATUS_LABEL[p.target]}`
          }
    case 'order.split':
      return share(new Set(o.lines.map((l) => l.itemId)), p.itemIds) === 'none'
        ? null
        : { message: `Circuit's order ${name} still holds lots that were split off` }
    case 'order.cancelReissue':
      return o.status === 'canceled' ? null : { message: `Circuit did not cancel order ${name}` }
    case 'order.setCharges': {
      const theirs = o.charges.map(specOfServer)
      return chargesMatch(theirs, p.target)
        ? null
        : {
            message: `Circuit holds other charges on order ${name} than those sent`,
            ours: describeCharges(db, p.target),
            theirs: describeCharges(db, theirs)
          }
    }
    default:
      return null
  }
}
