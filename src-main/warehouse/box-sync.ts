// The shipping box's entity sync adapter (entity type "shipping_box"):
// POST shipping-box creates or updates the order's box with that number, so
// the box number is the key. Before any send (and after a lost answer) the
// order's boxes are read back (GET shipping-box?filter[order]=): Circuit's
// box already holding what we want is done without sending; one holding what
// this station last knew (or no box, for a new one) is sent; anything else
// (another station packed that box differently) is a conflict.
import type { CircuitApiClient } from '../circuit'
import type { CircuitShippingBox } from '../circuit/records'
import type { BalanceSource } from '../core/ports'
import type { Decision, EntityAdapter, Mismatch, ServerRecord } from '../core/sync-adapter'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { WAIT_FOR_ORDER_MS } from './shipment-sync'
import type { BoxContents, BoxPayload, DimensionsMm } from './shipping'

export interface ServerBox extends ServerRecord {
  id: string
  updated: string | null
  orderId: string | null
  localOrderId: string | null
  boxNumber: number | null
  /** Circuit's box of that number on the order; null when it has none. */
  box: CircuitShippingBox | null
  waiting?: string
  missing?: string
}

const payloadOf = (entry: OutboxRow) => JSON.parse(entry.payload) as BoxPayload

const PER_UNIT_MM: Record<string, number> = { mm: 1, cm: 10, in: 25.4, m: 1000 }

/** "30x20x15cm" → millimetres; null when Circuit keeps none or it cannot be read. */
export function boxDimensionsMm(text: string | null): DimensionsMm | null {
  const m = text ? /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)\s*(mm|cm|in|m)$/.exec(text.trim()) : null
  if (!m) return null
  const per = PER_UNIT_MM[m[4]]
  return {
    length: Math.round(Number(m[1]) * per),
    width: Math.round(Number(m[2]) * per),
    height: Math.round(Number(m[3]) * per)
  }
}

function contentsOfBox(b: CircuitShippingBox): BoxContents {
  return { itemIds: b.itemIds, weightGrams: b.weightGrams, dimensionsMm: boxDimensionsMm(b.dimensions) }
}

function holds(b: BoxContents, want: BoxContents): boolean {
  return (
    [...b.itemIds].sort().join() === [...want.itemIds].sort().join() &&
    (want.weightGrams === null || b.weightGrams === want.weightGrams) &&
    (want.dimensionsMm === null || JSON.stringify(b.dimensionsMm) === JSON.stringify(want.dimensionsMm))
  )
}

export function boxAdapter(db: Replica, balances: BalanceSource): EntityAdapter<never, ServerBox> {
  const describe = (c: BoxContents | null) => {
    if (!c) return 'no box'
    const lots = db
      .all(db.q.selectFrom('items').select('lot').where('id', 'in', jsonValues(c.itemIds)).orderBy('lot_sort'))
      .map((r) => r.lot)
    const d = c.dimensionsMm
    return [
      `lots ${(lots.length === c.itemIds.length ? lots : c.itemIds).join(', ')}`,
      c.weightGrams === null ? null : `${c.weightGrams / 1000} kg`,
      d ? `${d.length / 10} × ${d.width / 10} × ${d.height / 10} cm` : null
    ]
      .filter(Boolean)
      .join(', ')
  }

  return {
    entityType: 'shipping_box',
    push: {
      async readBack(c, ids) {
        const client = c as CircuitApiClient
        const rows = new Map(
          db
            .all(
              db.q
                .selectFrom('shipping_boxes')
                .select(['id', 'order_id', 'box_number'])
                .where('id', 'in', jsonValues(ids))
            )
            .map((r) => [r.id, r])
        )
        const out = new Map<string, ServerBox>()
        const byOrder = new Map<string, string[]>()
        const blank = { updated: null, orderId: null, localOrderId: null, boxNumber: null, box: null }
        for (const id of ids) {
          const row = rows.get(id)
          const order = row ? balances.order(row.order_id) : null
          if (!row || !order) {
            out.set(id, { id, ...blank, missing: `Box ${id} or its order is no longer on this station.` })
          } else if (!order.serverId) {
            out.set(id, {
              id,
              ...blank,
              boxNumber: row.box_number,
              localOrderId: order.orderId,
              waiting: `Waits for Circuit's invoice (provisional ${order.number}).`
            })
          } else {
            out.set(id, {
              id,
              ...blank,
              boxNumber: row.box_number,
              orderId: order.serverId,
              localOrderId: order.orderId
            })
            byOrder.set(order.serverId, [...(byOrder.get(order.serverId) ?? []), id])
          }
        }
        for (const [order, locals] of byOrder) {
          const onCircuit = await client.shippingBoxes.forOrder(order)
          for (const local of locals) {
            const number = String(rows.get(local)!.box_number)
            const found = onCircuit.find((b) => b.boxNumber.trim() === number) ?? null
            out.set(local, { ...out.get(local)!, updated: found?.updated ?? null, box: found })
          }
        }
        return out
      },

      decide(entry, server): Decision {
        if (server.missing !== undefined) return { kind: 'refused', message: server.missing }
        if (server.waiting !== undefined) return { kind: 'wait', reason: server.waiting, retryInMs: WAIT_FOR_ORDER_MS }
        const p = payloadOf(entry)
        const onCircuit = server.box ? contentsOfBox(server.box) : null
        // Circuit holds what we want (an earlier send did reach it): never sent again.
        if (onCircuit && holds(onCircuit, p)) return { kind: 'applied' }
        if (!onCircuit) return { kind: 'send' }
        // The box as this station last knew it: our change goes over it.
        if (p.base && holds(onCircuit, p.base)) return { kind: 'send' }
        return {
          kind: 'conflict',
          ours: `box ${p.boxNumber}: ${describe(p)}`,
          theirs: `box ${p.boxNumber}: ${describe(onCircuit)}`
        }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        const d = p.dimensionsMm
        const answer = await client.shippingBoxes.upsert({
          order: server.orderId!,
          items: p.itemIds,
          boxNumber: p.boxNumber,
          weightGrams: p.weightGrams ?? undefined,
          dimensionsCm: d ? { length: d.length / 10, width: d.width / 10, height: d.height / 10 } : undefined
        })
        const box =
          answer ??
          (await client.shippingBoxes.forOrder(server.orderId!)).find(
            (b) => b.boxNumber.trim() === String(p.boxNumber)
          ) ??
          null
        return { ...server, updated: box?.updated ?? null, box }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const ours = `box ${p.boxNumber}: ${describe(p)}`
        if (!answer.box) {
          return { message: `Circuit did not answer with box ${p.boxNumber}`, scope: 'record', ours, theirs: 'no box' }
        }
        const got = contentsOfBox(answer.box)
        if (answer.box.boxNumber.trim() !== String(p.boxNumber) || !holds(got, p)) {
          return {
            message: `Circuit recorded box ${p.boxNumber} differently`,
            scope: 'record',
            ours,
            theirs: `box ${answer.box.boxNumber}: ${describe(got)}`
          }
        }
        return null
      },

      applyServer(replica, rec) {
        if (rec.waiting !== undefined || rec.missing !== undefined) return
        const b = rec.box
        if (!b) {
          // Circuit has no such box and none of ours waits: a box that never reached it is no box.
          replica.run(replica.q.deleteFrom('shipping_boxes').where('id', '=', rec.id).where('server_id', 'is', null))
          return
        }
        const d = boxDimensionsMm(b.dimensions)
        replica.run(
          replica.q
            .updateTable('shipping_boxes')
            .set((eb) => ({
              server_id: b.id,
              order_id: eb.fn.coalesce(eb.val(rec.localOrderId), 'order_id'),
              items: JSON.stringify(b.itemIds),
              weight_grams: b.weightGrams,
              length_mm: eb.fn.coalesce(eb.val(d?.length ?? null), 'length_mm'),
              width_mm: eb.fn.coalesce(eb.val(d?.width ?? null), 'width_mm'),
              height_mm: eb.fn.coalesce(eb.val(d?.height ?? null), 'height_mm'),
              server_updated: b.updated,
              raw: JSON.stringify(b.raw ?? null)
            }))
            .where('id', '=', rec.id)
        )
      },

      // Keep mine: our box is sent over what Circuit holds now.
      rebase: (entry, server) => ({ ...payloadOf(entry), base: server.box ? contentsOfBox(server.box) : null }),
      // The discarded change never reached Circuit: the next one builds on what that one was based on.
      rebaseAfterDiscard: (next, discarded) => ({ ...payloadOf(next), base: payloadOf(discarded).base })
    }
  }
}
