// Credits (F4, F15, §7): a lot is credited once — never credited again nor
// split off, and cancel and reissue credits and re-bills only what is not yet
// credited. A provisional credit note is replaced by Circuit's, or removed
// (with the reason shown) when Circuit has none for it. The read-back that
// stops a credit note being made twice decides from what the API docs show
// (owner, sale, type, items, created), not from the simulator's
// `credit_note_for`. Against the simulator over HTTP and a real SQLite file.
import { describe, expect, it } from 'vitest'
import type { AuditEntry, CheckoutInvoice, CheckoutOrder, OutboxEntry } from '../../src-shared/contract'
import { simFaults, useDesk } from './desk'

const desk = useDesk({ seed: 10, lots: 300, clients: 60, gate: true })

/** The sale's bidder orders with no lot credited yet. */
const simOrders = (pred: (o: { status: string; lines: unknown[]; type: string }) => boolean) =>
  [...desk.sim.store.orders.values()].filter(
    (o) => o.saleId === '2' && o.type === 'bidder' && o.credited.length === 0 && pred(o)
  )
const notesOn = (orderId: string) =>
  [...desk.sim.store.orders.values()].filter((o) => o.type === 'credit_note' && o.creditFor === orderId)
const invoice = (ownerId: string) =>
  desk.station.call<CheckoutInvoice>('checkout.invoice', {
    saleId: '2',
    paddle: desk.sim.store.paddlesOf('2', ownerId)[0]
  })
const simOutstanding = (ownerId: string) =>
  [...desk.sim.store.orders.values()]
    .filter((o) => o.saleId === '2' && o.ownerId === ownerId)
    .reduce((n, o) => n + desk.sim.store.orderTotals(o).amountDue, 0)
const openEntries = async () =>
  (await desk.station.call<OutboxEntry[]>('outbox.list', { limit: 500 })).filter((e) => e.state !== 'done')
const used = new Set<string>()
const take = <T extends { id: string }>(list: T[]) => {
  const o = list.find((x) => !used.has(x.id))!
  used.add(o.id)
  return o
}

describe('a lot is credited once', () => {
  it('a credited lot cannot be credited again nor split off (F15); the note says what it credits and why', async () => {
    const source = take(simOrders((o) => o.status === 'finished' && o.lines.length >= 2))
    const item = source.lines[0].itemId
    const note = await desk.station.call<CheckoutOrder>('checkout.creditNote', {
      orderId: source.id,
      itemIds: [item],
      reason: 'Damaged in transit'
    })
    expect(note).toMatchObject({
      type: 'credit_note',
      provisional: true,
      creditFor: { orderId: source.id, number: source.orderNumber },
      creditReason: 'Damaged in transit'
    })
    await desk.station.settle()
    // Circuit's note took its place, and still says what it credits and why.
    const view = (await invoice(source.ownerId)).orders.find((o) => o.type === 'credit_note')!
    expect(view).toMatchObject({
      provisional: false,
      creditFor: { orderId: source.id },
      creditReason: 'Damaged in transit'
    })

    const again = await desk.station.send('checkout.creditNote', { orderId: source.id, itemIds: [item] })
    expect(!again.ok && again.error.message).toContain('Already credited')
    // Reopened, the order could be split: never the credited lot.
    await desk.station.call('checkout.setStatus', { orderId: source.id, status: 'in_process' })
    const split = await desk.station.send('checkout.split', { orderId: source.id, itemIds: [item] })
    expect(!split.ok && split.error).toMatchObject({ code: 'conflict' })
    expect(!split.ok && split.error.message).toContain('cannot be split off')
    await desk.station.settle()
  })

  it('cancel and reissue after a credit note credits and re-bills only the rest; no phantom note after a pull (F4)', async () => {
    const source = take(simOrders((o) => o.status === 'locked' && o.lines.length >= 2))
    const [first, ...rest] = source.lines.map((l) => l.itemId)
    await desk.station.call('checkout.creditNote', { orderId: source.id, itemIds: [first] })
    await desk.station.settle()
    const reissued = await desk.station.call<CheckoutOrder>('checkout.cancelReissue', { orderId: source.id })
    expect(reissued.lines.map((l) => l.itemId).sort()).toEqual([...rest].sort())
    const mid = await invoice(source.ownerId)
    const provisionalNote = mid.orders.find((o) => o.type === 'credit_note' && o.provisional)!
    expect(provisionalNote.lines.map((l) => l.itemId).sort()).toEqual([...rest].sort())
    await desk.station.settle()
    // Circuit credited each lot once.
    expect(
      notesOn(source.id)
        .flatMap((n) => n.lines.map((l) => l.itemId))
        .sort()
    ).toEqual([first, ...rest].sort())
    await desk.station.pull('2')
    const after = await invoice(source.ownerId)
    expect(after.orders.filter((o) => o.provisional)).toEqual([])
    expect(after.outstanding).toBe(simOutstanding(source.ownerId))
  })

  it('the read-back of a credit note whose answer was lost reads the docs’ fields, not credit_note_for', async () => {
    const source = take(simOrders((o) => o.status === 'finished' && o.lines.length >= 2))
    const item = source.lines[1].itemId
    const applied = desk.station.core.pusher()!.totals.alreadyApplied
    await simFaults(desk, { dropAfterApplyRate: 1 })
    await desk.station.call('checkout.creditNote', { orderId: source.id, itemIds: [item] })
    for (let i = 0; i < 300 && notesOn(source.id).length === 0; i++) await new Promise((ok) => setTimeout(ok, 10))
    const made = notesOn(source.id)
    expect(made).toHaveLength(1)
    // A Circuit shaped like its docs sends no credit_note_for.
    for (const n of desk.sim.store.orders.values()) if (n.type === 'credit_note') n.creditFor = null
    await simFaults(desk, { dropAfterApplyRate: 0 })
    await desk.station.settle()
    expect(await openEntries()).toEqual([])
    expect(desk.station.core.pusher()!.totals.alreadyApplied).toBeGreaterThan(applied)
    const holding = [...desk.sim.store.orders.values()].filter(
      (o) => o.type === 'credit_note' && o.lines.some((l) => l.itemId === item)
    )
    expect(holding.map((n) => n.id)).toEqual([made[0].id])
  })

  it('a credit note on the reissued order is made, although the cancelled order’s older note holds the same lot', async () => {
    const source = take(simOrders((o) => o.status === 'locked' && o.lines.length >= 2))
    const items = source.lines.map((l) => l.itemId)
    const reissued = await desk.station.call<CheckoutOrder>('checkout.cancelReissue', { orderId: source.id })
    await desk.station.settle()
    const inv = await invoice(source.ownerId)
    const again = inv.orders.find(
      (o) => o.type === 'bidder' && !o.provisional && o.status === 'new' && o.lines.some((l) => l.itemId === items[0])
    )!
    expect(again.id).not.toBe(reissued.id) // Circuit's order took the provisional one's place
    await desk.station.call('checkout.setStatus', { orderId: again.id, status: 'finished' })
    await desk.station.call('checkout.creditNote', { orderId: again.id, itemIds: [items[0]] })
    await desk.station.settle()
    expect(await openEntries()).toEqual([])
    expect(desk.sim.store.orders.get(again.id)!.credited).toEqual([items[0]])
  })

  it('a provisional credit note Circuit never made is removed once its change is dropped, and the order says why', async () => {
    const gate = desk.gate!
    const [source, other] = simOrders((o) => o.status === 'new' || o.status === 'in_process')
    await desk.station.call('checkout.setStatus', { orderId: source.id, status: 'finished' })
    await desk.station.settle()
    // The sender waits on Circuit: the credit note stays unsent while it is dropped.
    gate.hold()
    await desk.station.call('checkout.setStatus', {
      orderId: other.id,
      status: other.status === 'new' ? 'in_process' : 'new'
    })
    for (let i = 0; i < 500 && gate.held() === 0; i++) await new Promise((ok) => setTimeout(ok, 5))
    const note = await desk.station.call<CheckoutOrder>('checkout.creditNote', {
      orderId: source.id,
      itemIds: [source.lines[0].itemId]
    })
    const entry = (await openEntries()).find((e) => e.op === 'order.creditNote' && e.state === 'pending')!
    await desk.station.call('outbox.discard', { seq: entry.seq, confirm: true })
    gate.release()
    await desk.station.settle()
    const after = await invoice(source.ownerId)
    expect(after.orders.find((o) => o.id === note.id)).toBeUndefined()
    expect(notesOn(source.id)).toEqual([])
    const order = after.orders.find((o) => o.id === source.id)!
    expect(order.notice).toContain(`Provisional credit note ${note.number} removed`)
    expect(after.outstanding).toBe(simOutstanding(source.ownerId))
    const audit = await desk.station.call<AuditEntry[]>('audit.list', { limit: 50 })
    expect(audit.some((a) => a.action === 'checkout.provisionalRemoved' && a.entityId === note.id)).toBe(true)
  })
})
