// What the sender writes from the answer to one of our payments
// (checkout/payment-sync.ts applyServer). Through a venue hub that answer may
// name the hub's own id (local-…) while the station has since followed the
// hub's record under Circuit's id (it `replaces` the hub's): Circuit's id is
// kept. Circuit's id or the hub's id over no id, and Circuit's over the hub's,
// are written as before.
import { afterEach, describe, expect, it } from 'vitest'
import { paymentAdapter } from '../../src-main/checkout/payment-sync'
import type { CircuitTransaction } from '../../src-main/circuit/types'
import type { Replica } from '../../src-main/db/replica'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

const answer = (id: string): CircuitTransaction => ({
  id,
  orderId: 'o1',
  type: 'cash',
  amount: 10_00,
  date: '2026-12-02',
  cardType: null,
  cardLast4: null,
  chequeNumber: null,
  chequeDate: null,
  bankId: null,
  bankName: null,
  bankAccountNumber: null,
  bankBranch: null,
  info: '[saleroom:local-desk-1]',
  created: null,
  updated: null,
  raw: {}
})

async function desk(serverId: string | null): Promise<Replica> {
  const db = await tempReplica(cleanups)
  db.exec(`INSERT INTO orders (id, server_id, type, status) VALUES ('o1', 'o1', 'bidder', 'new')`)
  db.exec(
    `INSERT INTO transactions (id, server_id, order_id, type, amount) VALUES ('local-desk-1', ?, 'o1', 'cash', 1000)`,
    serverId
  )
  return db
}

const serverIdAfter = async (before: string | null, answered: string) => {
  const db = await desk(before)
  db.tx(() =>
    paymentAdapter(db).push!.applyServer(db, { id: 'local-desk-1', updated: null, payment: answer(answered) })
  )
  return (db.raw.prepare(`SELECT server_id FROM transactions WHERE id = 'local-desk-1'`).get() as { server_id: string })
    .server_id
}

describe("the sender's answer to a payment", () => {
  it("keeps Circuit's id when the answer names the hub's own id for it", async () => {
    expect(await serverIdAfter('589', 'local-hub-7')).toBe('589')
  })
  it("writes the hub's id or Circuit's where it had none, and Circuit's over the hub's", async () => {
    expect(await serverIdAfter(null, 'local-hub-7')).toBe('local-hub-7')
    expect(await serverIdAfter(null, '589')).toBe('589')
    expect(await serverIdAfter('local-hub-7', '589')).toBe('589')
    expect(await serverIdAfter('local-hub-7', 'local-hub-7')).toBe('local-hub-7')
  })
})
