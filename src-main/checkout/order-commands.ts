// Splitting an order, a credit note, cancel and reissue: done at the desk at
// once (the replica shows the orders Circuit will make, provisional until a
// pull brings Circuit's), sent through the outbox. These commands are not
// idempotent on Circuit, so each is read back before it is sent: a split whose
// lots have left the order, a credit note for those lots, a cancelled order —
// those already happened and are not sent again.
//
// A lot is credited once. Circuit's docs say a credit note is "for specific
// items in a finished/locked order" (README.txt, order-create-credit-note)
// and that cancel and reissue makes "credit note + new order"; they do not
// spell out a second credit for the same lot. That a lot is credited at most
// once is Circuit's rule as our simulator models it (`createCreditNote`
// refuses an item "already credited"; its cancel and reissue credits and
// re-bills only the lots not yet credited) and what the books need: a
// second credit would refund the same lot twice. So here: a credited lot
// cannot be credited again nor split off, and cancel and reissue credits,
// and issues again, only the lots not yet credited.
import type { CheckoutOrder } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { ActionTx } from '../core/action'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import { creditedItems, orderRowById, orderView, type OrderRow } from './invoice-view'
import type { CheckoutDeps } from './payments'

export const MAX_CREDIT_NOTE_LOTS = 100

export interface OrderCommandPayload {
  orderId: string
  number: string | null
  saleId: string
  clientId: string
  itemIds: string[]
}

function loadOpen(db: Replica, orderId: string): OrderRow & { client_id: string } {
  const o = orderRowById(db, orderId) as OrderRow & { client_id: string }
  const c = db.first(db.q.selectFrom('orders').select('client_id').where('id', '=', o.id)) as { client_id: string }
  return { ...o, client_id: c.client_id }
}

function linesOf(db: Replica, orderId: string): string[] {
  return db.all(db.q.selectFrom('order_lines').select('item_id').where('order_id', '=', orderId)).map((r) => r.item_id)
}

function newOrder(
  db: Replica,
  tx: ActionTx,
  o: {
    id: string
    type: string
    saleId: string
    clientId: string
    number: string
    madeFrom: string
    creditFor?: string
    creditReason?: string | null
  }
) {
  db.run(
    db.q.insertInto('orders').values({
      id: o.id,
      server_id: null,
      provisional_number: o.number,
      type: o.type,
      status: 'new',
      sale_id: o.saleId,
      client_id: o.clientId,
      created: new Date(tx.now).toISOString(),
      made_from: o.madeFrom,
      credit_for: o.creditFor ?? null,
      credit_reason: o.creditReason ?? null
    })
  )
}

/** Copy lines onto another order, negated for a credit note. */
function copyLines(db: Replica, from: string, to: string, itemIds: string[], sign: 1 | -1) {
  db.run(
    db.q
      .insertInto('order_lines')
      .orReplace()
      .columns([
        'order_id',
        'item_id',
        'lot',
        'description',
        'hammer',
        'premium',
        'tax_id',
        'tax',
        'consignment_number'
      ])
      .expression((eb) =>
        eb
          .selectFrom('order_lines')
          .select((s) => [
            s.val(to).as('order_id'),
            'item_id',
            'lot',
            'description',
            s(s.val<number>(sign), '*', s.ref('hammer')).as('hammer'),
            s(s.val<number>(sign), '*', s.ref('premium')).as('premium'),
            'tax_id',
            s(s.val<number>(sign), '*', s.ref('tax')).as('tax'),
            'consignment_number'
          ])
          .where('order_id', '=', from)
          .where('item_id', 'in', jsonValues(itemIds))
      )
  )
}

/** A provisional order of the buyer's made from some of `o`'s lots (negated for a credit note). */
function provisionalFrom(
  db: Replica,
  tx: ActionTx,
  o: OrderRow & { client_id: string },
  made: { id: string; type: 'bidder' | 'credit_note'; kind: string; itemIds: string[]; reason?: string | null }
): void {
  const note = made.type === 'credit_note'
  newOrder(db, tx, {
    id: made.id,
    type: made.type,
    saleId: o.sale_id!,
    clientId: o.client_id,
    number: provisionalNumber(made.kind, o),
    madeFrom: o.id,
    ...(note ? { creditFor: o.id, creditReason: made.reason ?? null } : {})
  })
  copyLines(db, o.id, made.id, made.itemIds, made.type === 'credit_note' ? -1 : 1)
}

function enqueue(tx: ActionTx, o: OrderRow & { client_id: string }, op: string, itemIds: string[], label: string) {
  const payload: OrderCommandPayload = {
    orderId: o.server_id!,
    number: o.order_number,
    saleId: o.sale_id!,
    clientId: o.client_id,
    itemIds
  }
  tx.enqueue({ entityType: 'order', entityId: o.id, op, payload, label })
}

function requireOnCircuit(o: OrderRow): void {
  if (o.server_id === null) throw new AppError('conflict', 'This order is not on Circuit yet; wait for its number.')
}

/** A lot credited once is never credited again nor split off (see the top of this file). */
function refuseCredited(db: Replica, o: OrderRow, itemIds: string[], what: string): void {
  const credited = creditedItems(db, o)
  const again = itemIds.filter((i) => credited.has(i))
  if (!again.length) return
  const lots = new Map(
    db
      .all(db.q.selectFrom('order_lines').select(['item_id', 'lot']).where('order_id', '=', o.id))
      .map((l) => [l.item_id, l.lot ?? l.item_id])
  )
  const named = again.map((i) => `lot ${lots.get(i) ?? i} (credit note ${credited.get(i)})`).join(', ')
  throw new AppError('conflict', `Already credited: ${named}. A lot is credited once; it cannot be ${what}.`)
}

function requireLines(db: Replica, o: OrderRow, itemIds: string[]): void {
  const on = new Set(linesOf(db, o.id))
  const missing = itemIds.filter((i) => !on.has(i))
  if (missing.length)
    throw new AppError('invalid_input', `Not on order ${o.order_number ?? o.id}: ${missing.join(', ')}.`)
}

function provisionalNumber(kind: string, o: OrderRow): string {
  return `P-${kind}-${o.order_number ?? o.id}`
}

/** Split lots off into the buyer's other open order for the sale, or a new one (Circuit's rule). */
export function split(deps: CheckoutDeps, orderId: string, itemIds: string[]): CheckoutOrder[] {
  const { db } = deps
  const o = loadOpen(db, orderId)
  requireOnCircuit(o)
  if (o.type !== 'bidder') throw new AppError('conflict', 'Only a bidder order can be split.')
  if (o.status !== 'new' && o.status !== 'in_process') {
    throw new AppError(
      'conflict',
      `Order ${o.order_number} is ${o.status}: only new or in-process orders can be split.`
    )
  }
  requireLines(db, o, itemIds)
  refuseCredited(db, o, itemIds, 'split off')
  if (linesOf(db, o.id).length === new Set(itemIds).size) {
    throw new AppError('invalid_input', 'Leave at least one lot on the order: a split cannot take them all.')
  }
  // Circuit's order before a provisional one, then by id.
  const other = db.first(
    db.q
      .selectFrom('orders')
      .select('id')
      .where('sale_id', '=', o.sale_id)
      .where('client_id', '=', o.client_id)
      .where('type', '=', 'bidder')
      .where('status', 'in', ['new', 'in_process'])
      .where('id', '<>', o.id)
      .orderBy((eb) => eb('server_id', 'is', null))
      .orderBy('id')
      .limit(1)
  )
  const targetId = other?.id ?? `local-${deps.ids.next()}`
  deps.actions.run((tx) => {
    if (!other)
      newOrder(db, tx, {
        id: targetId,
        type: 'bidder',
        saleId: o.sale_id!,
        clientId: o.client_id,
        number: provisionalNumber('SPLIT', o),
        madeFrom: o.id
      })
    copyLines(db, o.id, targetId, itemIds, 1)
    db.run(db.q.deleteFrom('order_lines').where('order_id', '=', o.id).where('item_id', 'in', jsonValues(itemIds)))
    enqueue(tx, o, 'order.split', itemIds, `Split ${itemIds.length} lot(s) off order ${o.order_number}`)
    tx.audit({
      action: 'checkout.split',
      entityType: 'order',
      entityId: o.id,
      saleId: o.sale_id,
      after: { itemIds, into: targetId }
    })
    tx.changed('order', [o.id, targetId], o.sale_id ?? undefined)
  })
  return [orderView(db, orderRowById(db, o.id)), orderView(db, orderRowById(db, targetId))]
}

/** A credit note for lots of a finished or locked order (at most 100 lots), with the cashier's reason. */
export function creditNote(deps: CheckoutDeps, orderId: string, itemIds: string[], reason?: string): CheckoutOrder {
  const { db } = deps
  const o = loadOpen(db, orderId)
  requireOnCircuit(o)
  if (o.type !== 'bidder') throw new AppError('conflict', 'Credit notes are issued for bidder orders.')
  if (o.status !== 'finished' && o.status !== 'locked') {
    throw new AppError(
      'conflict',
      `Order ${o.order_number} is ${o.status}: a credit note is for a finished or locked order.`
    )
  }
  if (itemIds.length > MAX_CREDIT_NOTE_LOTS)
    throw new AppError('invalid_input', `At most ${MAX_CREDIT_NOTE_LOTS} lots per credit note.`)
  requireLines(db, o, itemIds)
  refuseCredited(db, o, itemIds, 'credited again')
  const noteId = `local-${deps.ids.next()}`
  deps.actions.run((tx) => {
    provisionalFrom(db, tx, o, { id: noteId, type: 'credit_note', kind: 'CN', itemIds, reason: reason ?? null })
    enqueue(tx, o, 'order.creditNote', itemIds, `Credit note for ${itemIds.length} lot(s) of order ${o.order_number}`)
    tx.audit({
      action: 'checkout.creditNote',
      entityType: 'order',
      entityId: o.id,
      saleId: o.sale_id,
      after: { itemIds, note: noteId, reason: reason ?? null }
    })
    tx.changed('order', [o.id, noteId], o.sale_id ?? undefined)
  })
  return orderView(db, orderRowById(db, noteId))
}

/** A locked order: cancelled, its lots not yet credited credited, and issued again as a new order with them. */
export function cancelReissue(deps: CheckoutDeps, orderId: string): CheckoutOrder {
  const { db } = deps
  const o = loadOpen(db, orderId)
  requireOnCircuit(o)
  if (o.type !== 'bidder' || o.status !== 'locked') {
    throw new AppError(
      'conflict',
      `Only a locked bidder order can be cancelled and reissued (order ${o.order_number} is ${o.status}).`
    )
  }
  // Lots credited already were refunded: they are neither credited again nor billed again.
  const credited = creditedItems(db, o)
  const items = linesOf(db, o.id).filter((i) => !credited.has(i))
  if (!items.length) {
    throw new AppError(
      'conflict',
      `Every lot of order ${o.order_number} has been credited already: there is nothing to reissue.`
    )
  }
  const noteId = `local-${deps.ids.next()}`
  const newId = `local-${deps.ids.next()}`
  deps.actions.run((tx) => {
    provisionalFrom(db, tx, o, { id: noteId, type: 'credit_note', kind: 'CN', itemIds: items })
    provisionalFrom(db, tx, o, { id: newId, type: 'bidder', kind: 'RE', itemIds: items })
    db.run(
      db.q
        .insertInto('order_charges')
        .columns(['order_id', 'term_id', 'label', 'amount', 'tax', 'description', 'date', 'tax_rate_bp'])
        .expression((eb) =>
          eb
            .selectFrom('order_charges')
            .select((s) => [
              s.val(newId).as('order_id'),
              'term_id',
              'label',
              'amount',
              'tax',
              'description',
              'date',
              'tax_rate_bp'
            ])
            .where('order_id', '=', o.id)
        )
    )
    db.run(db.q.updateTable('orders').set({ status: 'canceled' }).where('id', '=', o.id))
    enqueue(tx, o, 'order.cancelReissue', items, `Cancel and reissue order ${o.order_number}`)
    tx.audit({
      action: 'checkout.cancelReissue',
      entityType: 'order',
      entityId: o.id,
      saleId: o.sale_id,
      after: { note: noteId, reissued: newId }
    })
    tx.changed('order', [o.id, noteId, newId], o.sale_id ?? undefined)
  })
  return orderView(db, orderRowById(db, newId))
}
