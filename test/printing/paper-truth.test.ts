// The paper tells the truth: printed from the checkout's own figures, on a
// real station whose payments have not reached Circuit yet (Circuit away), so
// Circuit's old amount_due is still in the replica. An invoice paid in full
// (cash, then card) says Balance due £0.00; each receipt says what had been
// paid once it was taken and the balance then; our read-back reference in a
// payment's `info` is printed nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { formatMoney } from '../../src-main/printing'
import type { CheckoutInvoice, CheckoutOrder, PaymentResult, PrintResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import { startStation, type Station } from '../sync/stations'

const OUT = join(__dirname, '../../test-results/printing')
let sim: RunningSimulator
let proxy: TestProxy
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  sim = await startSimulator({ seed: 7, lots: 120, clients: 50, quiet: true })
  proxy = await startProxy(sim.url)
  const data = tempDir('saleroom-paper-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, proxy.url, { name: 'Desk' })
  await station.pull('2')
})
afterAll(async () => {
  await station.close()
  await proxy.close()
  await sim.close()
  for (const c of cleanups) c()
})

const gbp = (minor: number) => formatMoney(minor, { code: 'GBP', decimals: 2, symbol: '£' })
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const row = (label: string, minor: number) => new RegExp(`${label}\\s+${escape(gbp(minor))}`)
function read(pdf: string, name: string): string {
  copyFileSync(pdf, join(OUT, `${name}.pdf`))
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(OUT, name)])
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
}

describe('the paper tells the truth', () => {
  it('an invoice paid in full by cash then card says Balance due £0.00, and each receipt its own balance', async () => {
    const order = [...sim.store.orders.values()].find(
      (o) =>
        o.saleId === '2' &&
        o.type === 'bidder' &&
        (o.status === 'new' || o.status === 'in_process') &&
        sim.store.orderTotals(o).paymentReceived === 0 &&
        sim.store.orderTotals(o).amountDue > 10_000
    )!
    const total = sim.store.orderTotals(order).grandTotal
    // Circuit goes away: what is paid here is not on Circuit, whose amount_due stays the whole total.
    await proxy.close()

    const cash = Math.floor(total / 3)
    const first = await station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'cash',
      amount: cash
    })
    const second = await station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: total - cash,
      cardType: 'VISA',
      last4: '4242'
    })
    expect(second.order.totals.amountDue).toBe(0)

    const invoice = read(
      (await station.call<PrintResult>('print.invoice', { orderId: order.id })).path,
      'truth-invoice'
    )
    expect(invoice).toMatch(row('Total', total))
    expect(invoice).toMatch(row('Total paid', total))
    expect(invoice).toMatch(row('Balance due', 0))
    expect(invoice).not.toContain('Amount due')
    expect(invoice).not.toContain('[saleroom:')
    expect(invoice).toContain('VISA •••• 4242')

    const cashReceipt = read(
      (await station.call<PrintResult>('print.receipt', { transactionId: first.payment.id })).path,
      'truth-receipt-cash'
    )
    expect(cashReceipt).toMatch(row('Amount received', cash))
    expect(cashReceipt).toMatch(row('Order total', total))
    expect(cashReceipt).toMatch(row('Paid to date', cash))
    expect(cashReceipt).toMatch(row('Balance due', total - cash))
    expect(cashReceipt).not.toContain('[saleroom:')

    const cardReceipt = read(
      (await station.call<PrintResult>('print.receipt', { transactionId: second.payment.id })).path,
      'truth-receipt-card'
    )
    expect(cardReceipt).toMatch(row('Amount received', total - cash))
    expect(cardReceipt).toMatch(row('Paid to date', total))
    expect(cardReceipt).toMatch(row('Balance due', 0))

    // Receipt numbers are short and human: the station's own series until Circuit's id is known.
    expect(first.payment.receiptNumber).toMatch(/^R-DESK-\d{4}$/)
    expect(cashReceipt).toContain(`No. ${first.payment.receiptNumber}`)
    expect(cardReceipt).toContain(`No. ${second.payment.receiptNumber}`)
    expect(`${cashReceipt}${cardReceipt}`).not.toMatch(/local-|R-local/)

    // The screen says the same.
    const paddle = sim.store.paddlesOf('2', order.ownerId)[0]
    const shown = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle })
    expect(shown.orders.find((o) => o.id === order.id)!.totals).toMatchObject({ paid: total, amountDue: 0 })
  })

  it('a payment keyed on the wrong order, voided: its receipt says VOID, the invoice counts it for nothing', async () => {
    const order = [...sim.store.orders.values()].find(
      (o) =>
        o.saleId === '2' &&
        o.type === 'bidder' &&
        (o.status === 'new' || o.status === 'in_process') &&
        sim.store.orderTotals(o).amountDue > 20_000 &&
        // Partly paid on Circuit already (the order the first test paid is not: its payments wait here).
        sim.store.orderTotals(o).paymentReceived > 0
    )!
    const { grandTotal: total, paymentReceived: paid } = sim.store.orderTotals(order)
    const wrong = await station.call<PaymentResult>('checkout.pay', {
      orderId: order.id,
      method: 'card',
      amount: 10_000,
      cardType: 'MASTERCARD',
      last4: '5555'
    })
    await station.call('checkout.voidPayment', { paymentId: wrong.payment.id, reason: 'Keyed on the wrong order' })
    const receipt = read(
      (await station.call<PrintResult>('print.receipt', { transactionId: wrong.payment.id })).path,
      'truth-receipt-void'
    )
    expect(receipt).toContain('VOID')
    expect(receipt).toContain('Keyed on the wrong order')
    expect(receipt).toMatch(row('Paid to date', paid))
    expect(receipt).toMatch(row('Balance due', total - paid))
    const invoice = read(
      (await station.call<PrintResult>('print.invoice', { orderId: order.id })).path,
      'truth-invoice-void'
    )
    expect(invoice).toContain('VOID: Keyed on the wrong order')
    expect(invoice).toMatch(row('Total paid', paid))
    expect(invoice).toMatch(row('Balance due', total - paid))
  })

  it('a credit note prints as a CREDIT NOTE for its invoice, with the address, the lots, the reason and the refund', async () => {
    const finished = [...sim.store.orders.values()].find(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.status === 'finished' && o.lines.length >= 2
    )!
    const line = finished.lines[0]
    const note = await station.call<CheckoutOrder>('checkout.creditNote', {
      orderId: finished.id,
      itemIds: [line.itemId],
      reason: 'Frame damaged in the saleroom'
    })
    expect(note.type).toBe('credit_note')
    const text = read(
      (await station.call<PrintResult>('print.invoice', { orderId: note.id })).path,
      'truth-credit-note'
    )
    const owner = sim.store.clients.get(finished.ownerId)!
    const address = sim.store.defaultAddress(finished.ownerId)?.address
    expect(text).toContain('CREDIT NOTE')
    expect(text).toContain(`Credit for invoice ${finished.orderNumber}`)
    expect(text).toContain(sim.store.clientLabel(owner))
    if (owner.customerNumber) expect(text).toContain(owner.customerNumber)
    if (address?.locality) expect(text).toContain(address.locality)
    expect(text).toContain(sim.store.items.get(line.itemId)!.title.slice(0, 20))
    expect(text).toContain('Frame damaged in the saleroom')
    expect(text).toMatch(row('Refund due', -note.totals.amountDue))
    expect(-note.totals.amountDue).toBeGreaterThan(0)
    expect(text).not.toMatch(/\bINVOICE\b|Amount due|Bill to/)
    expect(text).not.toContain('-£')
  })
})
