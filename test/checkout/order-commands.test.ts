// Split, credit note, cancel and reissue at the desk: shown at once, sent
// once — also when Circuit does it and the answer is lost — and replaced by
// Circuit's orders when a pull brings them.
import { describe, expect, it } from 'vitest'
import type { CheckoutInvoice, CheckoutOrder } from '../../src-shared/contract'
import { snapshotTables } from '../helpers'
import { useDesk } from './desk'

const desk = useDesk({ seed: 10, lots: 300, clients: 60 })

const faults = (f: Record<string, number>) =>
  fetch(`${desk.sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })
const orders = (pred: (o: { status: string; lines: unknown[] }) => boolean) =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && pred(o))
const buyerOrders = (ownerId: string) =>
  [...desk.sim.store.orders.values()].filter((o) => o.saleId === '2' && o.ownerId === ownerId)
const invoice = (ownerId: string) =>
  desk.station.call<CheckoutInvoice>('checkout.invoice', {
    saleId: '2',
    paddle: desk.sim.store.paddlesOf('2', ownerId)[0]
  })

describe('order commands', () => {
  it("split: the lots move into the buyer's other order, on Circuit once, and Circuit's order replaces ours", async () => {
    const source = orders((o) => (o.status === 'new' || o.status === 'in_process') && o.lines.length >= 3)[0]
    const before = buyerOrders(source.ownerId).length
    const moving = [source.lines[0].itemId]
    const [left, into] = await desk.station.call<CheckoutOrder[]>('checkout.split', {
      orderId: source.id,
      itemIds: moving
    })
    expect(left.lines.map((l) => l.itemId)).not.toContain(moving[0])
    expect(into.lines.map((l) => l.itemId)).toContain(moving[0])
    await desk.station.settle()
    expect(desk.sim.store.orders.get(source.id)!.lines.map((l) => l.itemId)).not.toContain(moving[0])
    const after = buyerOrders(source.ownerId)
    expect(after.length).toBeLessThanOrEqual(before + 1)
    expect(after.filter((o) => o.lines.some((l) => l.itemId === moving[0]))).toHaveLength(1)
    await desk.station.pull('2')
    const view = await invoice(source.ownerId)
    expect(view.orders.filter((o) => o.provisional)).toEqual([])
    expect(view.orders.filter((o) => o.lines.some((l) => l.itemId === moving[0]))).toHaveLength(1)
  })

  it('credit note: Circuit makes it and the answer is lost; read back, never a second note', async () => {
    const source = orders((o) => o.status === 'finished' && o.lines.length >= 2)[0]
    const item = source.lines[1].itemId
    const note = await desk.station.call<CheckoutOrder>('checkout.creditNote', { orderId: source.id, itemIds: [item] })
    expect(note).toMatchObject({ type: 'credit_note', provisional: true })
    expect(note.lines[0].hammer).toBeLessThan(0)
    const readBackBefore = desk.station.core.pusher()!.totals.alreadyApplied
    await faults({ dropAfterApplyRate: 1 })
    const notes = () =>
      [...desk.sim.store.orders.values()].filter((o) => o.type === 'credit_note' && o.creditFor === source.id)
    for (let i = 0; i < 300 && notes().length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    await faults({ dropAfterApplyRate: 0 })
    await desk.station.settle()
    expect(notes()).toHaveLength(1)
    expect(desk.station.core.pusher()!.totals.alreadyApplied).toBeGreaterThan(readBackBefore) // the lost answer, read back
    expect(notes()[0].lines.map((l) => l.itemId)).toEqual([item])
    // The same lot cannot be credited twice.
    const again = await desk.station.send('checkout.creditNote', { orderId: source.id, itemIds: [item] })
    expect(!again.ok && again.error.message).toContain('Already credited')
  })

  it('cancel and reissue a locked order: cancelled, credited and issued again, once each', async () => {
    const source = orders((o) => o.status === 'locked')[0]
    const before = buyerOrders(source.ownerId).length
    const reissued = await desk.station.call<CheckoutOrder>('checkout.cancelReissue', { orderId: source.id })
    expect(reissued).toMatchObject({ provisional: true, status: 'new' })
    expect(reissued.lines.map((l) => l.itemId).sort()).toEqual(source.lines.map((l) => l.itemId).sort())
    await desk.station.settle()
    expect(desk.sim.store.orders.get(source.id)!.status).toBe('canceled')
    expect(buyerOrders(source.ownerId)).toHaveLength(before + 2)
    await desk.station.pull('2')
    const view = await invoice(source.ownerId)
    expect(view.orders.filter((o) => o.provisional)).toEqual([])
  })

  it("refuses what Circuit's rules refuse, changing nothing", async () => {
    const open = orders((o) => o.status === 'new' && o.lines.length >= 1)[0]
    const finished = orders((o) => o.status === 'finished')[0]
    const before = snapshotTables(desk.station.core.replica()!.raw)
    const all = await desk.station.send('checkout.split', {
      orderId: open.id,
      itemIds: open.lines.map((l) => l.itemId)
    })
    expect(!all.ok && all.error.message).toContain('cannot take them all')
    const noteOnNew = await desk.station.send('checkout.creditNote', {
      orderId: open.id,
      itemIds: [open.lines[0].itemId]
    })
    expect(!noteOnNew.ok && noteOnNew.error.message).toContain('finished or locked')
    const reissueFinished = await desk.station.send('checkout.cancelReissue', { orderId: finished.id })
    expect(!reissueFinished.ok && reissueFinished.error.message).toContain('Only a locked bidder order')
    const notOnOrder = await desk.station.send('checkout.split', { orderId: open.id, itemIds: ['nope'] })
    expect(!notOnOrder.ok && notOnOrder.error.code).toBe('invalid_input')
    expect(snapshotTables(desk.station.core.replica()!.raw)).toEqual(before)
  })
})
