// The cashier's buyer search (checkout.find, checkout/invoice-view.ts
// findBuyers) on a bare replica: a buyer whose paddle is what was typed comes
// first, whatever the names; the rest by name; a % or _ typed is a character,
// not a wildcard.
import { afterEach, describe, expect, it } from 'vitest'
import { findBuyers } from '../../src-main/checkout/invoice-view'
import { writeSale } from '../../src-main/records/adapters'
import type { Replica } from '../../src-main/db/replica'
import { tempReplica } from '../helpers'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function buyer(db: Replica, id: string, name: string, paddle: string, customerNumber: string | null) {
  db.tx(() => {
    db.exec(
      `INSERT INTO clients (id, first_name, last_name, display_name, customer_number, status, raw)
       VALUES (?, '', '', ?, ?, 'active', '{}')`,
      id,
      name,
      customerNumber
    )
    db.exec(
      `INSERT INTO sale_bidders (id, sale_id, client_id, paddle, bidder_type, raw) VALUES (?, '1', ?, ?, 'floor', '{}')`,
      `b-${id}`,
      id,
      paddle
    )
    db.exec(
      `INSERT INTO orders (id, server_id, type, status, sale_id, client_id) VALUES (?, ?, 'bidder', 'new', '1', ?)`,
      `o-${id}`,
      `o-${id}`,
      id
    )
  })
}

describe("the cashier's buyer search", () => {
  it('puts the buyer whose paddle was typed first, then the others by name; % and _ are plain characters', async () => {
    const db = await tempReplica(cleanups)
    db.tx(() =>
      writeSale(db, {
        id: '1',
        label: 'Sale 1',
        saleNumber: null,
        saleDate: '2026-11-23T10:00:00Z',
        status: 'published',
        itemCount: null,
        venue: null,
        lotsLocked: false,
        buyersPremium: null,
        updated: null,
        raw: {}
      })
    )
    buyer(db, 'c1', 'Zed Zebra', '12', 'C900')
    buyer(db, 'c2', 'Aaron Apple', '300', 'C12')
    buyer(db, 'c3', 'Mia Moss', '301', 'C5120')
    buyer(db, 'c4', 'Percy 100% Pure', '302', null)
    expect(findBuyers(db, '1', '12').map((b) => b.name)).toEqual(['Zed Zebra', 'Aaron Apple', 'Mia Moss'])
    expect(findBuyers(db, '1', '%').map((b) => b.name)).toEqual(['Percy 100% Pure'])
    expect(findBuyers(db, '1', 'C_2').map((b) => b.name)).toEqual([])
  })
})
