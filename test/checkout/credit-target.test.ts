// Which order a credit note credits, when Circuit's note does not say
// (checkout/invoice-view.ts creditTarget): the buyer's invoice for the sale that
// holds every one of the note's lots and came before the note.
import { afterEach, describe, expect, it } from 'vitest'
import type { Replica } from '../../src-main/db/replica'
import { creditTarget } from '../../src-main/checkout/invoice-view'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

const replica = () => tempReplica(cleanups)

function invoice(db: Replica, serverId: string, items: string[], clientId = 'c1') {
  db.tx(() => {
    db.exec(
      `INSERT INTO orders (id, server_id, type, status, sale_id, client_id) VALUES (?, ?, 'bidder', 'new', '1', ?)`,
      serverId,
      serverId,
      clientId
    )
    for (const item of items) {
      db.exec('INSERT INTO order_lines (order_id, item_id, hammer, premium) VALUES (?, ?, 1000, 0)', serverId, item)
    }
  })
}

const note = (serverId: string | null, itemIds: string[]) => ({ saleId: '1', clientId: 'c1', serverId, itemIds })

describe('the order a credit note credits', () => {
  it('holds every one of its lots: a later invoice holding only some of them is not it', async () => {
    const db = await replica()
    invoice(db, '10', ['i1', 'i2'])
    invoice(db, '11', ['i1']) // reissued with one of the lots
    invoice(db, '12', ['i1', 'i2'], 'c2') // another buyer's
    expect(creditTarget(db, note('20', ['i1', 'i2']))?.id).toBe('10')
    // Both hold the one lot: the latest before the note.
    expect(creditTarget(db, note('20', ['i1']))?.id).toBe('11')
    expect(creditTarget(db, note('11', ['i1']))?.id).toBe('10')
    // A lot no invoice holds: none.
    expect(creditTarget(db, note('20', ['i1', 'i9']))).toBeNull()
    expect(creditTarget(db, note('20', []))).toBeNull()
  })
})
