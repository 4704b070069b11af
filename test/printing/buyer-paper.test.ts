// The buyer's paper on a real station, from a sale pulled from the simulator
// over HTTP: the invoice with the house's address and VAT number (Settings),
// the buyer's VAT number (Circuit's invoice_data), line totals, VAT by the
// simulator's margin scheme, Settings' texts, consignment numbers only when
// asked; and print.statement over a buyer's two invoices and a credit note,
// whose figures and net are checkout.invoice's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { Order } from '../../src-main/circuit-sim/types'
import { formatMoney } from '../../src-main/printing'
import type { CheckoutInvoice, CheckoutOrder, PrintResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

const OUT = join(__dirname, '../../test-results/printing')
const BUYER_VAT = 'GB 555 0101 22'
let sim: RunningSimulator
let station: Station
let first: Order
let second: Order
let paddle: string
const cleanups: (() => void)[] = []

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  sim = await startSimulator({ seed: 7, lots: 120, clients: 50, quiet: true })
  // A finished order of three lots or more, split in two: the buyer has two invoices for the sale.
  first = [...sim.store.orders.values()].find(
    (o) => o.saleId === '2' && o.type === 'bidder' && o.status === 'finished' && o.lines.length >= 3
  )!
  const moved = first.lines.at(-1)!
  first.lines = first.lines.slice(0, -1)
  second = {
    ...first,
    id: sim.store.nextId(),
    orderNumber: sim.store.nextOrderNumber(),
    status: 'new',
    lines: [moved],
    charges: [],
    credited: [],
    lockDate: null
  }
  sim.store.addOrder(second)
  sim.store.clients.get(first.ownerId)!.taxId = BUYER_VAT
  paddle = sim.store.paddlesOf('2', first.ownerId)[0]
  const data = tempDir('saleroom-buyer-paper-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, sim.url, { name: 'Desk' })
  await station.pull('2')
  await station.call('settings.update', {
    houseAddress: '12 Market Street\nLewes BN7 2NB',
    houseVatNumber: 'GB 123 4567 89',
    termsText: 'Lots are sold as seen.',
    bankDetails: 'Lewes Bank plc, sort code 12-34-56, account 87654321',
    collectionNotes: 'Collect within 14 days.',
    documentFooter: 'Hartley & Finch Ltd · Registered in England 01234567'
  })
})
afterAll(async () => {
  await station?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

const gbp = (minor: number) => formatMoney(minor, { code: 'GBP', decimals: 2, symbol: '£' })
/** How the statement shows an amount: owed to the buyer marked CR. */
const shown = (minor: number) => (minor < 0 ? `${gbp(-minor)} CR` : gbp(minor))
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const row = (...cells: string[]) => new RegExp(cells.map(escape).join('\\s+'))
function read(pdf: string, name: string): { text: string; words: string } {
  copyFileSync(pdf, join(OUT, `${name}.pdf`))
  execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(OUT, name)])
  return {
    text: execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }),
    words: execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  }
}
const buyer = () => station.call<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle })

describe("the buyer's paper from the replica", () => {
  it("an invoice: the house's and the buyer's VAT numbers, line totals, margin-scheme VAT, Settings' texts", async () => {
    const order = (await buyer()).orders.find((o) => o.number === second.orderNumber)!
    const r = await station.call<PrintResult>('print.invoice', { orderId: second.id })
    const { text, words } = read(r.path, 'buyer-invoice')
    expect(r.pages).toBe(1)
    expect(words).toContain('12 Market Street Lewes BN7 2NB VAT No. GB 123 4567 89')
    expect(words).toContain(`VAT No. ${BUYER_VAT}`)
    // The buyer's name once, though Circuit's address begins with it.
    const lines = text.split('\n')
    const billTo = lines.findIndex((l) => l.trim().startsWith('Bill to'))
    const left = (i: number) => lines[i].trim().split(/\s{2,}/)[0]
    expect(left(billTo + 1)).not.toBe('')
    expect(left(billTo + 2)).not.toBe(left(billTo + 1))
    for (const l of order.lines) {
      expect(text).toMatch(row(gbp(l.hammer), gbp(l.premium), gbp(l.tax), gbp(l.hammer + l.premium + l.tax)))
    }
    const lineSum = order.lines.reduce((sum, l) => sum + l.hammer + l.premium + l.tax, 0)
    expect(lineSum).toBe(order.totals.grandTotal)
    // The simulator's lots are all under its margin scheme: VAT on the premium only, at 20 %.
    const premium = order.lines.reduce((sum, l) => sum + l.premium, 0)
    expect(words).toContain('Margin scheme (VAT on premium) 20%')
    expect(text).toMatch(row('20%', gbp(premium), gbp(order.totals.tax)))
    expect(text).toMatch(row('Balance due', gbp(order.totals.amountDue)))
    for (const s of [
      'Payment by bank transfer',
      'Lewes Bank plc, sort code 12-34-56, account 87654321',
      'Collection Collect within 14 days.',
      'Terms of sale',
      'Lots are sold as seen.',
      'Hartley & Finch Ltd · Registered in England 01234567'
    ]) {
      expect(words).toContain(s)
    }
  })

  it('consignment numbers print only once Settings asks for them', async () => {
    const off = read((await station.call<PrintResult>('print.invoice', { orderId: second.id })).path, 'buyer-cons-off')
    expect(off.words).not.toContain('Consignment')
    await station.call('settings.update', { printConsignmentNumbers: true })
    try {
      const on = read((await station.call<PrintResult>('print.invoice', { orderId: second.id })).path, 'buyer-cons-on')
      expect(on.words).toMatch(/Consignment [A-Z]+-\d+/)
    } finally {
      await station.call('settings.update', { printConsignmentNumbers: false })
    }
  })

  it('print.statement: two invoices and a credit note, each with total, paid and balance, and the net', async () => {
    const credited = first.lines[0]
    const note = await station.call<CheckoutOrder>('checkout.creditNote', {
      orderId: first.id,
      itemIds: [credited.itemId],
      reason: 'Damaged in the saleroom'
    })
    const invoice = await buyer()
    expect(invoice.orders.map((o) => o.type).sort()).toEqual(['bidder', 'bidder', 'credit_note'])
    const r = await station.call<PrintResult>('print.statement', { saleId: '2', paddle })
    const { text, words } = read(r.path, 'buyer-statement')
    expect(r.pages).toBe(1)
    expect(words).toContain('STATEMENT')
    expect(words).toContain('12 Market Street Lewes BN7 2NB VAT No. GB 123 4567 89')
    expect(words).toContain(`VAT No. ${BUYER_VAT}`)
    for (const o of invoice.orders) {
      const name = `${o.type === 'credit_note' ? 'Credit note' : 'Invoice'} ${o.number}${o.provisional ? ' (provisional)' : ''}`
      const { grandTotal, paid, amountDue } = o.totals
      expect(text).toMatch(row(name, shown(grandTotal), shown(paid), shown(amountDue)))
    }
    expect(note.totals.grandTotal).toBeLessThan(0)
    expect(text).toContain(`${gbp(-note.totals.grandTotal)} CR`)
    // The net is the orders' balances added up, credit note included, and checkout.invoice's outstanding.
    const net = invoice.orders.reduce((sum, o) => sum + o.totals.amountDue, 0)
    expect(net).toBe(invoice.outstanding)
    expect(text).toMatch(net < 0 ? row('Net refund due to you', gbp(-net)) : row('Net balance due', gbp(net)))
    // Circuit's payments on the first invoice are listed under it.
    for (const t of sim.store.orderTransactions(first.id)) {
      expect(text).toMatch(new RegExp(`Invoice ${first.orderNumber} .*${escape(gbp(t.amount))}`))
    }
    expect(words).toContain('Hartley & Finch Ltd · Registered in England 01234567')
  })

  it('print.statement refuses a paddle that is not one, and one not registered for the sale', async () => {
    const bad = await station.send('print.statement', { saleId: '2', paddle: '12 OR 1' })
    expect(!bad.ok && bad.error.code).toBe('invalid_input')
    const unknown = await station.send('print.statement', { saleId: '2', paddle: 'ZZZ999' })
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('ZZZ999')
    })
  })
})
