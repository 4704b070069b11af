// Exactly once from the keyboard up (issue 16, F1): a double click sends the
// same call twice, at once. With one idempotency key per user action, the
// web host answers both with the first call's result, the replica holds one
// payment, and Circuit records it once. Real station, real SQLite file, the
// simulator over HTTP, the real web host.
import { join } from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import type { CheckoutOrder, PaymentResult } from '../../src-shared/contract'
import type { RpcResult } from '../../src-shared/rpc'
import { snapshotTables, tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
let host: WebHost
let cleanup = () => {}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, lots: 120, clients: 60, quiet: true })
  const t = tempDir('saleroom-keys-')
  cleanup = t.cleanup
  station = await startStation(join(t.dir, 'data'), sim.url, { name: 'Cashier' })
  await station.pull('2')
  const renderer = join(t.dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Saleroom</title>')
  host = await startWebHost({ core: station.core, rendererDir: renderer })
})
afterAll(async () => {
  await host.close()
  await station.close()
  await sim.close()
  cleanup()
})

function post<T>(name: string, body: unknown, key?: string): Promise<RpcResult<T>> {
  return fetch(`${host.url}rpc/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-saleroom-token': host.token,
      ...(key ? { 'idempotency-key': key } : {})
    },
    body: JSON.stringify(body)
  }).then((r) => r.json() as Promise<RpcResult<T>>)
}

/** An open order of sale 2 with something due, on this station. */
function openOrder(skip = 0): { id: string; due: number } {
  const o = [...sim.store.orders.values()].filter(
    (x) =>
      x.saleId === '2' &&
      x.type === 'bidder' &&
      (x.status === 'new' || x.status === 'in_process') &&
      sim.store.orderTotals(x).amountDue > 10_000
  )[skip]
  return { id: o.id, due: sim.store.orderTotals(o).amountDue }
}

const paymentsOn = (orderId: string) =>
  station.core.replica()!.raw.prepare('SELECT id, amount FROM transactions WHERE order_id = ?').all(orderId) as {
    id: string
    amount: number
  }[]
const oursOnCircuit = (orderId: string) =>
  [...sim.store.transactions.values()].filter((t) => t.orderId === orderId && (t.info ?? '').includes('[saleroom:'))

describe('idempotency keys', () => {
  it('a double click: the same card payment sent twice at once with one key is one payment, on Circuit once', async () => {
    const order = openOrder(0)
    const before = paymentsOn(order.id).length
    const pay = { orderId: order.id, method: 'card', amount: 5_000, cardType: 'VISA', last4: '4242' }
    const [a, b] = await Promise.all([
      post<PaymentResult>('checkout.pay', pay, 'ui-double-click-0001'),
      post<PaymentResult>('checkout.pay', pay, 'ui-double-click-0001')
    ])
    expect(a.ok && b.ok).toBe(true)
    // Both answers are the first call's: the same payment.
    expect(b).toEqual(a)
    expect(paymentsOn(order.id)).toHaveLength(before + 1)
    await station.settle()
    expect(oursOnCircuit(order.id)).toHaveLength(1)
  })

  it('without a key, two sends are two actions (the key is what makes them one)', async () => {
    const order = openOrder(1)
    const pay = { orderId: order.id, method: 'card', amount: 1_000, cardType: 'VISA', last4: '1111' }
    await Promise.all([post('checkout.pay', pay), post('checkout.pay', pay)])
    expect(paymentsOn(order.id).filter((p) => p.amount === 1_000)).toHaveLength(2)
  })

  it('a retry after the first was answered gets the same answer and changes nothing', async () => {
    const order = openOrder(2)
    const pay = { orderId: order.id, method: 'cheque', amount: 2_000, chequeNumber: '000777', chequeDate: '2026-11-20' }
    const first = await post<PaymentResult>('checkout.pay', pay, 'ui-retry-after-answer-01')
    expect(first.ok).toBe(true)
    await station.settle()
    const raw = station.core.replica()!.raw
    const snapshot = snapshotTables(raw)
    const again = await post<PaymentResult>('checkout.pay', pay, 'ui-retry-after-answer-01')
    expect(again).toEqual(first)
    expect(snapshotTables(raw)).toEqual(snapshot)
  })

  it('the same key with a different request is refused and changes nothing', async () => {
    const order = openOrder(3)
    const ok = await post(
      'checkout.pay',
      { orderId: order.id, method: 'card', amount: 3_000, cardType: 'VISA', last4: '2222' },
      'ui-changed-request-01'
    )
    expect(ok.ok).toBe(true)
    await station.settle()
    const raw = station.core.replica()!.raw
    const snapshot = snapshotTables(raw)
    const other = await post(
      'checkout.pay',
      { orderId: order.id, method: 'card', amount: 3_100, cardType: 'VISA', last4: '2222' },
      'ui-changed-request-01'
    )
    expect(other).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(snapshotTables(raw)).toEqual(snapshot)
  })

  it('a charge added twice at once with one key is one charge', async () => {
    const order = openOrder(0)
    const term = sim.store.taxonomies.get('additional_charges')![0]
    const charge = { orderId: order.id, termId: term.id, amount: 25_00, taxRateBp: 2000 }
    const [a, b] = await Promise.all([
      post<CheckoutOrder>('checkout.addCharge', charge, 'ui-charge-twice-0001'),
      post<CheckoutOrder>('checkout.addCharge', charge, 'ui-charge-twice-0001')
    ])
    expect(a).toEqual(b)
    const charges = station.core
      .replica()!
      .raw.prepare('SELECT count(*) AS n FROM order_charges WHERE order_id = ? AND amount = 2500')
      .get(order.id) as { n: number }
    expect(charges.n).toBe(1)
  })

  it('a malformed key is refused before anything runs', async () => {
    const order = openOrder(0)
    const r = await post(
      'checkout.pay',
      { orderId: order.id, method: 'card', amount: 100, cardType: 'VISA', last4: '4242' },
      'x y'
    )
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
