// Which order a split moves lots into: the buyer's other open invoice, Circuit's before
// one made here, then by id (order-commands.ts, `split`). Pinned on the replica's rows.
import { describe, expect, it } from 'vitest'
import type { CheckoutOrder } from '../../src-shared/contract'
import { useDesk } from './desk'

const desk = useDesk({ seed: 12, lots: 80, clients: 20 })

describe('split target', () => {
  it("takes Circuit's open order before a provisional one, whatever their ids", async () => {
    const db = desk.station.core.replica()!.raw
    const source = db
      .prepare(
        `SELECT o.id, o.sale_id, o.client_id FROM orders o WHERE o.type = 'bidder' AND o.status IN ('new', 'in_process')
           AND o.server_id IS NOT NULL AND (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id) >= 2
         ORDER BY o.id LIMIT 1`
      )
      .get() as { id: string; sale_id: string; client_id: string }
    expect(source).toBeDefined()
    // Nothing else open for the buyer, so only the two rows below can be chosen.
    db.prepare(
      `UPDATE orders SET status = 'finished' WHERE sale_id = ? AND client_id = ? AND type = 'bidder' AND id <> ?`
    ).run(source.sale_id, source.client_id, source.id)
    const add = db.prepare(
      `INSERT INTO orders (id, server_id, type, status, sale_id, client_id) VALUES (?, ?, 'bidder', ?, ?, ?)`
    )
    add.run('000-provisional', null, 'new', source.sale_id, source.client_id) // sorts first by id
    add.run('zzz-circuit', 'zzz-circuit', 'in_process', source.sale_id, source.client_id)
    const item = (
      db.prepare('SELECT item_id FROM order_lines WHERE order_id = ? LIMIT 1').get(source.id) as {
        item_id: string
      }
    ).item_id
    const [, into] = await desk.station.call<CheckoutOrder[]>('checkout.split', { orderId: source.id, itemIds: [item] })
    expect(into.id).toBe('zzz-circuit')
  })
})
