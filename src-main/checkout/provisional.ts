// Orders made here before Circuit has them (lots sold at the podium while
// Circuit was away, a split, a reissue, a credit note) take payments and
// charges at once. What is queued for such an order waits (the adapter's
// `wait` decision) until Circuit has made the order that replaces it; then
// the read-back asks Circuit for the buyer's orders itself, writes the one
// holding the provisional order's lots (as a pull would: `writeOrder`
// re-points the payments, charges and queued changes to it), and the entry
// is sent under the same read-back rules as any other.
import type { CircuitApiClient } from '../circuit'
import type { CircuitOrder } from '../circuit/types'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'

/** How soon an entry waiting for Circuit's order is looked at again. */
export const WAIT_FOR_ORDER_MS = 1_500

export interface ProvisionalOrder {
  id: string
  sale_id: string | null
  client_id: string | null
  type: string
  made_from: string | null
  provisional_number: string | null
}

// Each runs once per order an entry waits on (`resolveProvisional`): compiled once.
const ORDER_SERVER_ID = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('orders').select('server_id').where('id', '=', a.id)

const MAPPED_ORDER_ID = (q: Kysely<Database>, a: { localId: string }) =>
  q.selectFrom('id_map').select('server_id').where('entity_type', '=', 'order').where('local_id', '=', a.localId)

const PROVISIONAL_ORDER = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('orders')
    .select(['id', 'sale_id', 'client_id', 'type', 'made_from', 'provisional_number'])
    .where('id', '=', a.id)
    .where('server_id', 'is', null)

/** The lots of the order whose result is not yet settled with Circuit. */
const LOTS_NOT_ON_CIRCUIT = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('order_lines as l')
    .select('l.lot')
    .where('l.order_id', '=', a.orderId)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('outbox as e')
          .select((eb) => eb.lit(1).as('one'))
          .where('e.entity_type', '=', 'item')
          .whereRef('e.entity_id', '=', 'l.item_id')
          .where('e.state', 'not in', ['done', 'discarded'])
      )
    )

const ORDER_CHANGE_NOT_ON_CIRCUIT = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('outbox')
    .select((eb) => eb.lit(1).as('one'))
    .where('entity_type', '=', 'order')
    .where('entity_id', '=', a.orderId)
    .where('state', 'not in', ['done', 'discarded'])
    .limit(1)

const ANY_LINE = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('order_lines')
    .select((eb) => eb.lit(1).as('one'))
    .where('order_id', '=', a.orderId)
    .limit(1)

const LINE_ITEMS = (q: Kysely<Database>, a: { orderId: string }) =>
  q.selectFrom('order_lines').select('item_id').where('order_id', '=', a.orderId)

/** The order's id on Circuit: its own, or the one that replaced it while it was provisional. */
export function serverOrderId(db: Replica, orderId: string): string | null {
  return (
    db.prepared(ORDER_SERVER_ID).first({ id: orderId })?.server_id ??
    db.prepared(MAPPED_ORDER_ID).first({ localId: orderId })?.server_id ??
    null
  )
}

export function provisionalOrder(db: Replica, orderId: string): ProvisionalOrder | null {
  return db.prepared(PROVISIONAL_ORDER).first({ id: orderId }) ?? null
}

/**
 * Why Circuit cannot have made this order yet, or null when it should have: every lot's
 * result acknowledged by Circuit, and the change that makes it (a split, a reissue) too.
 */
export function notYetOnCircuit(db: Replica, p: ProvisionalOrder): string | null {
  const number = p.provisional_number ?? p.id
  const lots = db.prepared(LOTS_NOT_ON_CIRCUIT).all({ orderId: p.id })
  if (lots.length) {
    const named = lots
      .slice(0, 5)
      .map((l) => l.lot ?? '?')
      .join(', ')
    return `Waits for Circuit's order for ${number}: lot(s) ${named} not yet on Circuit.`
  }
  if (p.made_from && db.prepared(ORDER_CHANGE_NOT_ON_CIRCUIT).first({ orderId: p.made_from })) {
    return `Waits for Circuit's order for ${number}: the change that makes it is not yet on Circuit.`
  }
  if (!db.prepared(ANY_LINE).first({ orderId: p.id })) {
    return `Order ${number} has no lots left, so Circuit has no order for it; void its payments or move them.`
  }
  return null
}

/** Circuit's order of the buyer for the sale, of the same kind, that holds every lot of the provisional order. */
export function replacementOf(
  db: Replica,
  p: ProvisionalOrder,
  candidates: readonly CircuitOrder[]
): CircuitOrder | null {
  const lots = db
    .prepared(LINE_ITEMS)
    .all({ orderId: p.id })
    .map((l) => l.item_id)
  if (!lots.length) return null
  return (
    candidates.find(
      (o) =>
        o.type === p.type &&
        o.status !== 'canceled' &&
        o.saleId === p.sale_id &&
        o.clientId === p.client_id &&
        lots.every((i) => o.lines.some((l) => l.itemId === i))
    ) ?? null
  )
}

/**
 * For the read-back of entries on provisional orders: Circuit's replacement for each, written
 * into the replica (`write`, which re-points what waits), or why it must wait. One request per buyer.
 */
export async function resolveProvisional(
  client: CircuitApiClient,
  db: Replica,
  orderIds: string[],
  write: (o: CircuitOrder) => void
): Promise<Map<string, { serverId: string } | { waiting: string }>> {
  const out = new Map<string, { serverId: string } | { waiting: string }>()
  const byBuyer = new Map<string, { sale: string; owner: string; orders: ProvisionalOrder[] }>()
  for (const id of new Set(orderIds)) {
    const known = serverOrderId(db, id)
    if (known) {
      out.set(id, { serverId: known })
      continue
    }
    const p = provisionalOrder(db, id)
    if (!p || !p.sale_id || !p.client_id) {
      out.set(id, { waiting: `Order ${id} is no longer on this station.` })
      continue
    }
    const reason = notYetOnCircuit(db, p)
    if (reason) {
      out.set(id, { waiting: reason })
      continue
    }
    const key = `${p.sale_id}/${p.client_id}`
    const b = byBuyer.get(key) ?? { sale: p.sale_id, owner: p.client_id, orders: [] }
    b.orders.push(p)
    byBuyer.set(key, b)
  }
  for (const b of byBuyer.values()) {
    const theirs = await client.listAll('orders.list', { filter: { sale: b.sale, owner: b.owner } }, { range: 100 })
    for (const p of b.orders) {
      const o = replacementOf(db, p, theirs)
      if (!o) {
        out.set(p.id, {
          waiting: `Circuit has no order yet holding the lots of ${p.provisional_number ?? p.id}.`
        })
        continue
      }
      write(o)
      out.set(p.id, { serverId: o.id })
    }
  }
  return out
}
