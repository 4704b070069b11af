// The collection desk's releases, against a real station (its own SQLite
// file) that pulled a sale with paid and unpaid invoices from the simulator
// over HTTP. Paid or not is the checkout's own figure: a lot whose invoice is
// paid goes out at once; an unpaid one asks first, and goes out on a second
// call with confirm, with the reason kept and audited with who released it.
// Releases stay on the station (no outbox entry) and reach the audit CSV in
// words.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type {
  AuditEntry,
  Collection,
  DeskBuyer,
  DeskMatch,
  PaymentResult,
  ReleaseResult
} from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from '../checkout/desk'

const desk = useDesk({ seed: 41, lots: 200, clients: 80, sales: ['2'], name: 'Stores' })

const store = () => desk.sim.store
const lotOf = (itemId: string) => {
  const i = store().items.get(itemId)!
  return `${i.lotNumber}${i.lotLetter}`
}
const raw = () => desk.station.core.replica()!.raw
const buyerOrders = () =>
  [...store().orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status !== 'canceled')
/** A buyer of sale 2 who owes nothing, with at least three lots. */
const paidOrder = () => {
  const o = buyerOrders().find(
    (o) =>
      store().orderTotals(o).amountDue === 0 &&
      store().orderLines(o).length >= 3 &&
      [...store().clientOrders(o.ownerId)].every((x) => x.saleId !== '2' || store().orderTotals(x).amountDue <= 0)
  )
  if (!o) throw new Error('the seed has no paid buyer with three lots')
  return o
}
let unpaidTurn = 0
const unpaidOrder = () => {
  const all = buyerOrders().filter((o) => store().orderTotals(o).amountDue > 0 && store().orderLines(o).length >= 2)
  if (!all.length) throw new Error('the seed has no unpaid order')
  return all[unpaidTurn++ % all.length]
}
const lotsOf = (orderId: string) =>
  store()
    .orderLines(store().orders.get(orderId)!)
    .map((l) => l.itemId)
const outboxCount = () => (raw().prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n

describe('the collection desk', () => {
  it('finds a paid buyer by a scanned lot number and releases three lots: listed, audited in words, never sent to Circuit', async () => {
    const order = paidOrder()
    const [a, b, c] = lotsOf(order.id)
    const matches = await desk.station.call<DeskMatch[]>('warehouse.find', { saleId: '2', q: lotOf(a), scanned: true })
    expect(matches).toEqual([
      expect.objectContaining({ kind: 'lot', clientId: order.ownerId, itemId: a, message: null })
    ])
    const before = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: order.ownerId })
    expect(before.lots.filter((l) => [a, b, c].includes(l.itemId)).map((l) => [l.paid, l.collected])).toEqual([
      [true, null],
      [true, null],
      [true, null]
    ])

    const sent = outboxCount()
    const r = await desk.station.call<ReleaseResult>('warehouse.release', {
      itemIds: [a, b, c],
      collectedBy: 'Marta Kowalska (carrier)'
    })
    expect(r.confirmed).toEqual([])
    expect(r.collections.map((x) => x.itemId).sort()).toEqual([a, b, c].sort())
    // Kept here only: Circuit has no field for a collection.
    expect(outboxCount()).toBe(sent)

    const listed = await desk.station.call<Collection[]>('warehouse.collections', { saleId: '2' })
    const paddle = store().paddlesOf('2', order.ownerId)[0]
    for (const id of [a, b, c]) {
      const row = listed.find((x) => x.itemId === id)!
      expect(Object.keys(row).sort()).toEqual(['at', 'collectedBy', 'itemId', 'lot', 'paddle'])
      expect(row).toMatchObject({ lot: lotOf(id), paddle, collectedBy: 'Marta Kowalska (carrier)' })
      expect(Number.isNaN(Date.parse(row.at))).toBe(false)
    }
    const after = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: order.ownerId })
    expect(after.lots.find((l) => l.itemId === a)?.collected).toMatchObject({
      collectedBy: 'Marta Kowalska (carrier)',
      station: 'Stores',
      releaseId: r.releaseId,
      confirmedReason: null
    })

    // The audit CSV carries each release in words.
    const { path } = await desk.station.call<{ path: string }>('audit.exportCsv', { saleId: '2' })
    const csv = readFileSync(path, 'utf8')
    for (const id of [a, b, c]) {
      expect(csv).toContain(`Lot ${lotOf(id)} handed out to Marta Kowalska (carrier) for paddle ${paddle}`)
    }
    expect(csv.match(/warehouse\.release/g)?.length).toBeGreaterThanOrEqual(3)

    // The same lot again: refused, nothing written.
    const snap = snapshotTables(raw())
    const again = await desk.station.send('warehouse.release', { itemIds: [b], collectedBy: 'Someone else' })
    expect(!again.ok && again.error.code).toBe('conflict')
    expect(!again.ok && again.error.message).toContain('collected by Marta Kowalska (carrier)')
    expect(snapshotTables(raw())).toEqual(snap)
  })

  it('an unpaid lot asks first; the second call with confirm records it with the reason, audited with who', async () => {
    await desk.station.call('settings.update', { userName: 'Ada Porter' })
    const order = unpaidOrder()
    const [lot] = lotsOf(order.id)
    const snap = snapshotTables(raw())
    const first = await desk.station.send('warehouse.release', { itemIds: [lot], collectedBy: 'The buyer' })
    expect(first.ok).toBe(false)
    const error = !first.ok ? first.error : null
    expect(error?.code).toBe('needs_confirmation')
    expect(error?.fields?.reasons).toEqual([expect.stringContaining(`Lot ${lotOf(lot)} is not paid`)])
    expect(error?.fields?.reasons?.[0]).toContain(`invoice ${order.orderNumber}`)
    expect(snapshotTables(raw())).toEqual(snap)

    const r = await desk.station.call<ReleaseResult>('warehouse.release', {
      itemIds: [lot],
      collectedBy: 'The buyer',
      note: 'Pays by transfer tomorrow',
      confirm: true
    })
    expect(r.confirmed).toEqual(error?.fields?.reasons)
    const kept = raw().prepare('SELECT confirmed_reason, released_by FROM collections WHERE item_id = ?').get(lot)
    expect(kept).toEqual({ confirmed_reason: error?.fields?.reasons?.[0], released_by: 'Ada Porter' })
    const audit = await desk.station.call<AuditEntry[]>('audit.list', { limit: 20 })
    const entry = audit.find((e) => e.action === 'warehouse.release' && e.entityId === lot)!
    expect(entry).toMatchObject({ actor: 'Ada Porter', station: 'Stores' })
    expect(entry.after).toMatchObject({
      confirmedReason: error?.fields?.reasons?.[0],
      note: 'Pays by transfer tomorrow'
    })
    expect((entry.after as { summary: string }).summary).toContain('Released after confirming: Lot')
  })

  it('paid follows the checkout: once the cashier takes what is due, the lot goes out without a question', async () => {
    const order = unpaidOrder()
    const lots = lotsOf(order.id)
    const view = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: order.ownerId })
    const lot = view.lots.find((l) => l.itemId === lots[1])!
    expect(lot.paid).toBe(false)
    expect(lot.due).toBe(store().orderTotals(order).amountDue)
    await desk.station.call<PaymentResult>('checkout.pay', { orderId: order.id, method: 'cash', amount: lot.due! })
    const r = await desk.station.call<ReleaseResult>('warehouse.release', { itemIds: [lots[1]], collectedBy: 'J. Doe' })
    expect(r.confirmed).toEqual([])
    const again = await desk.station.call<DeskBuyer>('warehouse.buyer', { saleId: '2', clientId: order.ownerId })
    expect(again.lots.find((l) => l.itemId === lots[1])).toMatchObject({ paid: true, due: 0 })
  })

  it('refuses what cannot go out, and writes nothing', async () => {
    const snap = snapshotTables(raw())
    const unsold = [...store().items.values()].find((i) => i.saleId === '2' && i.status !== 'sold')!
    const r1 = await desk.station.send('warehouse.release', { itemIds: [unsold.id], collectedBy: 'X' })
    expect(!r1.ok && r1.error.code).toBe('conflict')
    expect(!r1.ok && r1.error.message).toMatch(/only a sold lot goes out/)
    const [p, q] = [paidOrder(), unpaidOrder()].map((o) => lotsOf(o.id).at(-1)!)
    const r2 = await desk.station.send('warehouse.release', { itemIds: [p, q], collectedBy: 'X' })
    expect(!r2.ok && r2.error.code).toBe('invalid_input')
    expect(!r2.ok && r2.error.message).toContain('One buyer at a time')
    const r3 = await desk.station.send('warehouse.release', { itemIds: ['99999999'], collectedBy: 'X' })
    expect(!r3.ok && r3.error.code).toBe('not_found')
    const r4 = await desk.station.send('warehouse.release', { itemIds: [p], collectedBy: '  ' })
    expect(!r4.ok && r4.error.code).toBe('invalid_input')
    expect(snapshotTables(raw())).toEqual(snap)
  })

  it('finds a buyer by a typed paddle or invoice number; a scan looks for lots only', async () => {
    const order = paidOrder()
    const paddle = store().paddlesOf('2', order.ownerId)[0]
    const byPaddle = await desk.station.call<DeskMatch[]>('warehouse.find', { saleId: '2', q: paddle })
    expect(byPaddle.find((m) => m.kind === 'paddle')).toMatchObject({ clientId: order.ownerId })
    const byInvoice = await desk.station.call<DeskMatch[]>('warehouse.find', { saleId: '2', q: order.orderNumber! })
    expect(byInvoice.find((m) => m.kind === 'invoice')).toMatchObject({ clientId: order.ownerId })
    const scanned = await desk.station.call<DeskMatch[]>('warehouse.find', { saleId: '2', q: paddle, scanned: true })
    expect(scanned.every((m) => m.kind === 'lot')).toBe(true)
    const unsold = [...store().items.values()].find((i) => i.saleId === '2' && i.status !== 'sold')!
    const [m] = await desk.station.call<DeskMatch[]>('warehouse.find', {
      saleId: '2',
      q: `${unsold.lotNumber}${unsold.lotLetter}`,
      scanned: true
    })
    expect(m).toMatchObject({ kind: 'lot', clientId: null })
    expect(m.message).toMatch(/nothing to hand out/)
    const none = await desk.station.send('warehouse.find', { saleId: 'nope', q: '1' })
    expect(!none.ok && none.error.code).toBe('not_found')
  })
})
