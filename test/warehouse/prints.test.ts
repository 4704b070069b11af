// The warehouse's paper, printed by the real print calls from a station that
// pulled two sales from the simulator, and read back the way a person or a
// scanner would: every tag's barcode decoded by zbarimg (from the PDF page
// rendered at 300 dpi by pdftoppm) reads as its lot number, on both stocks;
// the pick list, the release note and the packing slip read with pdftotext.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { PrintResult, ReleaseResult, ShipmentResult } from '../../src-shared/contract'
import { compareLots } from '../../src-shared/lots'
import { tempDir } from '../helpers'
import { useDesk } from '../checkout/desk'
import { balanceSource } from '../../src-main/checkout/balance-source'
import { warehousePrintSource } from '../../src-main/warehouse/print-source'

const desk = useDesk({ seed: 47, lots: 300, clients: 80, sales: ['1', '2'], name: 'Stores' })
const scratch = tempDir('saleroom-prints-')
afterAll(() => scratch.cleanup())

const store = () => desk.sim.store
const raw = () => desk.station.core.replica()!.raw
const lotOf = (itemId: string) => {
  const i = store().items.get(itemId)!
  return `${i.lotNumber}${i.lotLetter}`
}
/** The lot column of a pick list's rows, top to bottom (location, then lot, start each row). */
const rowsOf = (t: string) =>
  t
    .split('\n')
    .map((line) => /^\s*\S+\s{2,}(\d+[A-Z]*)\s{2,}/.exec(line)?.[1])
    .filter((lot): lot is string => lot !== undefined)
const text = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })

/** Each page of the PDF at 300 dpi, and the Code 128 symbols zbarimg reads on it. */
function barcodesByPage(pdf: string, name: string): string[][] {
  const prefix = join(scratch.dir, name)
  execFileSync('pdftoppm', ['-r', '300', '-gray', '-png', pdf, prefix])
  return readdirSync(scratch.dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => {
      let out: string
      try {
        out = execFileSync('zbarimg', ['-q', '--raw', '-Sdisable', '-Scode128.enable', join(scratch.dir, f)], {
          encoding: 'utf8'
        })
      } catch (err) {
        // zbarimg exits 4 when it finds no symbol on the page.
        out = (err as { stdout?: string }).stdout ?? ''
      }
      return out.split('\n').filter((l) => l !== '')
    })
}

describe('lot tags', () => {
  it('one 62 × 29 mm label per lot: each barcode reads as its lot number, with the sale, the title and the paddle', async () => {
    const items = [...store().items.values()].filter((i) => i.saleId === '1')
    const lettered = items.find((i) => i.lotLetter !== '')!
    const picked = [items[0], items[8], items[57], lettered, items[items.length - 1]]
    const sold = [...store().items.values()].find((i) => i.saleId === '2' && i.status === 'sold')!
    const r = await desk.station.call<PrintResult>('print.labels', {
      saleId: '1',
      itemIds: picked.map((i) => i.id),
      stock: 'label-62x29'
    })
    expect(r.pages).toBe(picked.length)
    // One page a tag, in catalogue order.
    const pages = barcodesByPage(r.path, 'single')
    expect(pages).toEqual(
      picked
        .map((i) => lotOf(i.id))
        .sort(compareLots)
        .map((lot) => [lot])
    )
    const words = text(r.path)
    expect(words).toContain(`Lot ${lotOf(lettered.id)}`)
    expect(words).toContain(store().sales.get('1')!.label)
    expect(words).toContain(picked[0].title.slice(0, 20))

    // Once sold, the tag carries the buyer's paddle.
    const s = await desk.station.call<PrintResult>('print.labels', {
      saleId: '2',
      itemIds: [sold.id],
      stock: 'label-62x29'
    })
    const paddle = raw().prepare('SELECT winner_paddle FROM items WHERE id = ?').get(sold.id) as {
      winner_paddle: string
    }
    expect(text(s.path)).toContain(`Paddle ${paddle.winner_paddle}`)
    expect(barcodesByPage(s.path, 'sold')).toEqual([[lotOf(sold.id)]])
  })

  it('A4 sheets of 24: every tag on every sheet reads as its lot number', async () => {
    const items = [...store().items.values()].filter((i) => i.saleId === '1').slice(250, 280)
    const r = await desk.station.call<PrintResult>('print.labels', {
      saleId: '1',
      itemIds: items.map((i) => i.id),
      stock: 'a4-24'
    })
    expect(r.pages).toBe(2)
    const pages = barcodesByPage(r.path, 'sheet')
    const lots = items.map((i) => lotOf(i.id))
    expect(pages.map((p) => [...p].sort())).toEqual([lots.slice(0, 24).sort(), lots.slice(24).sort()])
  })

  it('a whole sale when no lots are named; a lot of another sale is refused', async () => {
    const r = await desk.station.call<PrintResult>('print.labels', { saleId: '2', stock: 'a4-24' })
    const count = [...store().items.values()].filter((i) => i.saleId === '2').length
    expect(r.pages).toBe(Math.ceil(count / 24))
    const other = [...store().items.values()].find((i) => i.saleId === '1')!
    const bad = await desk.station.send('print.labels', { saleId: '2', itemIds: [other.id], stock: 'label-62x29' })
    expect(!bad.ok && bad.error.code).toBe('not_found')
  })
})

describe('pick list, release note, packing slip', () => {
  const paidOrder = () =>
    [...store().orders.values()].find(
      (o) =>
        o.saleId === '2' &&
        o.type === 'bidder' &&
        store().orderTotals(o).amountDue === 0 &&
        store().orderLines(o).length >= 4 &&
        store()
          .clientOrders(o.ownerId)
          .every((x) => x.saleId !== '2' || store().orderTotals(x).amountDue <= 0)
    )!

  it('the pick list holds the paid lots not yet out, by location (none last); a release note and a packing slip print', async () => {
    const o = paidOrder()
    const paddle = store().paddlesOf('2', o.ownerId)[0]
    const [a, b, c, d] = store()
      .orderLines(o)
      .map((l) => l.itemId)
    // The warehouse's shelves (this station's own column).
    const shelve = raw().prepare('UPDATE items SET location = ? WHERE id = ?')
    shelve.run('C1', a)
    shelve.run('B10', b)
    shelve.run('B3', c)

    const before = text((await desk.station.call<PrintResult>('print.pickList', { saleId: '2', paddle })).path)
    expect(before).toContain(`Pick list: paddle ${paddle}`)
    // B3 < B10 < C1 (shelves compared as numbers), then the lots with no location, in catalogue order.
    const rest = store()
      .orderLines(o)
      .map((l) => l.itemId)
      .filter((id) => ![a, b, c].includes(id))
      .map(lotOf)
      .sort(compareLots)
    expect(rowsOf(before)).toEqual([lotOf(c), lotOf(b), lotOf(a), ...rest])

    const rel = await desk.station.call<ReleaseResult>('warehouse.release', {
      itemIds: [a, b],
      collectedBy: 'G. Okafor'
    })
    const note = text((await desk.station.call<PrintResult>('print.releaseNote', { releaseId: rel.releaseId })).path)
    expect(note).toContain('RELEASE NOTE')
    expect(note).toContain('G. Okafor')
    expect(note).toContain(lotOf(a))
    expect(note).toContain(lotOf(b))
    expect(note).toMatch(/Collected by: G\. Okafor/)
    expect(note).toContain(
      raw().prepare('SELECT display_name FROM clients WHERE id = ?').pluck().get(o.ownerId) as string
    )

    const after = text((await desk.station.call<PrintResult>('print.pickList', { saleId: '2', paddle })).path)
    expect(rowsOf(after)).toEqual([lotOf(c), ...rest])
    // The whole sale's list: exactly the paid lots not yet out (the checkout's figures decide paid).
    const db = desk.station.core.replica()!
    const listed = warehousePrintSource(db, balanceSource(db)).pickList('2')
    const paid = [...store().orders.values()]
      .filter((x) => x.saleId === '2' && x.type === 'bidder' && x.status !== 'canceled')
      .filter((x) =>
        store()
          .clientOrders(x.ownerId)
          .every((y) => y.saleId !== '2' || store().orderTotals(y).amountDue <= 0)
          ? true
          : store().orderTotals(x).amountDue <= 0
      )
      .flatMap((x) =>
        store()
          .orderLines(x)
          .map((l) => l.itemId)
      )
      .filter((id) => id !== a && id !== b)
    expect(listed.lots.map((l) => l.itemId).sort()).toEqual(paid.sort())
    expect(text((await desk.station.call<PrintResult>('print.pickList', { saleId: '2' })).path)).toContain(
      `${listed.lots.length} paid lots to hand out`
    )

    const ship = await desk.station.call<ShipmentResult>('warehouse.ship', {
      orderId: o.id,
      itemIds: [c, d],
      method: 'Parcelforce 48',
      tracking: 'PF123456789GB',
      weightKg: 4
    })
    await desk.station.call('warehouse.box', {
      orderId: o.id,
      itemIds: [c],
      boxNumber: 1,
      weightKg: 1.5,
      dimensionsCm: { length: 30, width: 20, height: 15 }
    })
    await desk.station.call('warehouse.box', {
      orderId: o.id,
      itemIds: [d],
      boxNumber: 2,
      weightKg: 2.5,
      dimensionsCm: { length: 40, width: 30, height: 20 }
    })
    const slip = text(
      (await desk.station.call<PrintResult>('print.packingSlip', { shipmentId: ship.shipment.id })).path
    )
    expect(slip).toContain('PACKING SLIP')
    expect(slip).toContain('Parcelforce 48')
    expect(slip).toContain('PF123456789GB')
    expect(slip).toMatch(new RegExp(`${lotOf(c)}\\s.*\\s1\\s`))
    expect(slip).toMatch(new RegExp(`${lotOf(d)}\\s.*\\s2\\s`))
    expect(slip).toContain('40 × 30 × 20 cm')
    await desk.station.settle()
  })
})
