// The shipment's entity sync adapter (entity type "shipment"): a shipment
// recorded at the desk goes to Circuit once. POST shipments has no
// idempotency key and the shipment has no id before Circuit makes one, so
// before any send (and after a lost answer) the order's shipments are read
// back (GET shipments?filter[order]=): one holding exactly our lots is ours,
// already made, and is never made again; one holding some of our lots is
// another station's or the back office's, and stops ours as a conflict. What
// Circuit answers is checked against what was sent.
import type { CircuitApiClient } from '../circuit'
import type { CircuitShipment } from '../circuit/records'
import type { BalanceSource } from '../core/ports'
import { moneyScale, type Decision, type EntityAdapter, type Mismatch, type ServerRecord } from '../core/sync-adapter'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { shipmentItemIds } from './desk'
import { ADD_SHIPMENT_ITEM, type DimensionsMm, type ShipmentPayload } from './shipping'

/** A shipment of a provisional order waits for Circuit's order; looked at again after this long. */
export const WAIT_FOR_ORDER_MS = 15_000

export interface ServerShipment extends ServerRecord {
  /** Our local id (the outbox entry's entity id). */
  id: string
  updated: string | null
  /** Circuit's order, and the order on this station that it is. */
  orderId: string | null
  localOrderId: string | null
  /** Ours on Circuit (by its id, or by holding exactly our lots); null when Circuit has none. */
  shipment: CircuitShipment | null
  /** Another shipment on Circuit that holds some of our lots. */
  clash: CircuitShipment | null
  waiting?: string
  /** Gone from this station (its order too), so there is nothing to send. */
  missing?: string
}

const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as ShipmentPayload
const sameSet = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join()

const PER_UNIT_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4, m: 1000 }

/** Circuit's dimensions as whole millimetres, whatever unit it answers in. */
export function dimensionsInMm(d: CircuitShipment['dimensions']): DimensionsMm | null {
  if (!d) return null
  const per = PER_UNIT_MM[d.unit] ?? 10
  return {
    length: Math.round(d.length * per),
    width: Math.round(d.width * per),
    height: Math.round(d.height * per)
  }
}

const words = (
  s: { itemIds: string[]; method: string | null; trackingNumber?: string | null },
  lots: (ids: string[]) => string
) =>
  `a shipment of ${lots(s.itemIds)} by ${s.method ?? '(no method)'}${s.trackingNumber ? `, tracking ${s.trackingNumber}` : ''}`

export function shipmentAdapter(db: Replica, balances: BalanceSource): EntityAdapter<never, ServerShipment> {
  const lots = (ids: string[]) => {
    const rows = db.all(db.q.selectFrom('items').select('lot').where('id', 'in', jsonValues(ids)).orderBy('lot_sort'))
    const named = rows.length === ids.length ? rows.map((r) => r.lot) : ids
    return `${named.length === 1 ? 'lot' : 'lots'} ${named.join(', ')}`
  }

  return {
    entityType: 'shipment',
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const rows = new Map(
          db
            .all(
              db.q.selectFrom('shipments').select(['id', 'order_id', 'server_id']).where('id', 'in', jsonValues(ids))
            )
            .map((r) => [r.id, r])
        )
        const items = (id: string) => shipmentItemIds(db, id)
        const out = new Map<string, ServerShipment>()
        const byOrder = new Map<string, string[]>()
        const blank = { updated: null, shipment: null, clash: null, orderId: null, localOrderId: null }
        for (const id of ids) {
          const row = rows.get(id)
          const order = row ? balances.order(row.order_id) : null
          if (!row || !order) {
            out.set(id, { id, ...blank, missing: `Shipment ${id} or its order is no longer on this station.` })
          } else if (!order.serverId) {
            out.set(id, {
              id,
              ...blank,
              localOrderId: order.orderId,
              waiting: `Waits for Circuit's invoice (provisional ${order.number}).`
            })
          } else {
            out.set(id, { id, ...blank, orderId: order.serverId, localOrderId: order.orderId })
            byOrder.set(order.serverId, [...(byOrder.get(order.serverId) ?? []), id])
          }
        }
        for (const [order, locals] of byOrder) {
          const onCircuit = await client.shipments.forOrder(order)
          for (const local of locals) {
            const mine = items(local)
            const serverId = rows.get(local)!.server_id
            const found =
              (serverId ? onCircuit.find((s) => s.id === serverId) : undefined) ??
              onCircuit.find((s) => sameSet(s.itemIds, mine)) ??
              null
            const clash = found ? null : (onCircuit.find((s) => s.itemIds.some((i) => mine.includes(i))) ?? null)
            out.set(local, { ...out.get(local)!, updated: found?.updated ?? null, shipment: found, clash })
          }
        }
        return out
      },

      decide(entry, server): Decision {
        if (server.missing !== undefined) return { kind: 'refused', message: server.missing }
        if (server.waiting !== undefined) return { kind: 'wait', reason: server.waiting, retryInMs: WAIT_FOR_ORDER_MS }
        // Ours is on Circuit already (an earlier send did reach it): never a second time.
        if (server.shipment) return { kind: 'applied' }
        // "Keep mine" on that very shipment: sent beside it.
        if (server.clash && payloadOf(entry).sendOver !== server.clash.id) {
          const c = server.clash
          return {
            kind: 'conflict',
            ours: words(payloadOf(entry), lots),
            theirs: `shipment ${c.id}: ${words(c, lots)}`
          }
        }
        return { kind: 'send' }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        const d = p.dimensionsMm
        const made = await client.shipments.create({
          order: server.orderId!,
          items: p.itemIds,
          method: p.method,
          trackingNumber: p.trackingNumber ?? undefined,
          cost: p.cost ?? undefined,
          weightGrams: p.weightGrams ?? undefined,
          dimensionsCm: d ? { length: d.length / 10, width: d.width / 10, height: d.height / 10 } : undefined
        })
        // An empty answer: what Circuit now holds is read back, the same way as after a lost one.
        const shipment =
          made ?? (await client.shipments.forOrder(server.orderId!)).find((s) => sameSet(s.itemIds, p.itemIds)) ?? null
        return { ...server, updated: shipment?.updated ?? null, shipment, clash: null }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const ours = words(p, lots)
        const s = answer.shipment
        if (!s) {
          return {
            message: `Circuit did not answer with the shipment on order ${answer.orderId}`,
            scope: 'record',
            ours,
            theirs: 'no shipment'
          }
        }
        const theirs = `shipment ${s.id}: ${words(s, lots)}`
        const differs = (what: string): Mismatch => ({
          message: `Circuit recorded the shipment with a different ${what}`,
          scope: 'record',
          ours,
          theirs
        })
        if (s.orderId !== answer.orderId) return differs('order')
        if (!sameSet(s.itemIds, p.itemIds)) return differs('set of lots')
        if ((s.method ?? '').trim() !== p.method.trim()) return differs('method')
        if (p.trackingNumber !== null && s.trackingNumber !== p.trackingNumber) return differs('tracking number')
        if (p.cost !== null && s.cost !== p.cost) {
          return { ...differs('cost'), scope: moneyScale(s.cost, p.cost) ? 'all' : 'record' }
        }
        if (p.weightGrams !== null && s.weightGrams !== p.weightGrams) return differs('weight')
        if (p.dimensionsMm && JSON.stringify(dimensionsInMm(s.dimensions)) !== JSON.stringify(p.dimensionsMm)) {
          return differs('size')
        }
        return null
      },

      applyServer(replica, rec) {
        if (rec.waiting !== undefined || rec.missing !== undefined) return
        const s = rec.shipment
        if (!s) {
          // Never reached Circuit (its change was discarded, or "take theirs"): it is no shipment.
          replica.run(replica.q.deleteFrom('shipments').where('id', '=', rec.id).where('server_id', 'is', null))
          return
        }
        const d = dimensionsInMm(s.dimensions)
        replica.run(
          replica.q
            .updateTable('shipments')
            .set((eb) => ({
              server_id: s.id,
              order_id: eb.fn.coalesce(eb.val(rec.localOrderId), 'order_id'),
              method: eb.fn.coalesce(eb.val(s.method), 'method'),
              tracking_number: s.trackingNumber,
              cost: s.cost,
              weight_grams: s.weightGrams,
              length_mm: d?.length ?? null,
              width_mm: d?.width ?? null,
              height_mm: d?.height ?? null,
              status: s.status,
              server_updated: s.updated,
              raw: JSON.stringify(s.raw ?? null)
            }))
            .where('id', '=', rec.id)
        )
        replica.run(replica.q.deleteFrom('shipment_items').where('shipment_id', '=', rec.id))
        for (const item of new Set(s.itemIds)) {
          replica.prepared(ADD_SHIPMENT_ITEM).run({ shipmentId: rec.id, itemId: item })
        }
      },

      // Keep mine: ours is sent even though Circuit ships some of its lots in that other shipment.
      rebase: (entry, server) => ({ ...payloadOf(entry), sendOver: server.clash?.id ?? null }),
      rebaseAfterDiscard: (next) => payloadOf(next)
    }
  }
}
