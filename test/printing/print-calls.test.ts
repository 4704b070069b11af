// The print.* calls on a real station: documents made from a sale pulled
// from the simulator (its orders, payments, cards and lots), saved, sent to a
// recording printer, read back with pdftotext and rendered to PNG for a
// person to look at; the cheque register only moves forward.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { recordingPrinter } from '../../src-main/core/ports'
import { formatMoney } from '../../src-main/printing'
import type { ChequeAccount, ChequePrintResult, CheckoutOrder, PrintResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

const OUT = join(__dirname, '../../test-results/printing')
let sim: RunningSimulator
let station: Station
const printer = recordingPrinter()
const cleanups: (() => void)[] = []

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  sim = await startSimulator({ seed: 4, lots: 200, clients: 80, quiet: true })
  const data = tempDir('saleroom-print-')
  cleanups.push(data.cleanup)
  // A refund by cheque on sale 2 (a cheque is only printed for money the house pays out).
  const paid = [...sim.store.transactions.values()].find(
    (x) => x.type === 'Cheque' && x.bankId && sim.store.orders.get(x.orderId)?.saleId === '2'
  )!
  sim.store.addTransaction({ ...paid, id: sim.store.nextId(), amount: -Math.floor(paid.amount / 2), info: 'Refund' })
  station = await startStation(data.dir, sim.url, { name: 'Cashier', printer })
  await station.pull('2')
  await station.pull('1')
})
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

const text = (pdf: string) => execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
/** A PNG of the first page beside the test results, for a person to look at. */
function picture(pdf: string, name: string) {
  copyFileSync(pdf, join(OUT, `${name}.pdf`))
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(OUT, name)])
}
const gbp = (minor: number) => formatMoney(minor, { code: 'GBP', decimals: 2, symbol: '£' })

describe('printing from the replica', () => {
  it("an invoice carries every lot and Circuit's totals, and goes to the printer named", async () => {
    const order = [...sim.store.orders.values()]
      .filter((o) => o.saleId === '2' && o.type === 'bidder')
      .sort((a, b) => b.lines.length - a.lines.length)[0]
    const r = await station.call<PrintResult>('print.invoice', { orderId: order.id, printer: 'Front desk' })
    expect(r.printed).toBe(true)
    expect(printer.jobs.at(-1)).toMatchObject({ printer: 'Front desk', jobName: `invoice ${order.id}` })
    const body = text(r.path)
    expect(body).toContain(`Invoice ${order.orderNumber}`)
    const totals = sim.store.orderTotals(order)
    for (const l of order.lines) {
      const item = sim.store.items.get(l.itemId)!
      expect(body).toContain(item.title.slice(0, 20))
    }
    expect(body).toContain(gbp(totals.grandTotal))
    expect(body).toContain(gbp(totals.hammer))
    const owner = sim.store.clients.get(order.ownerId)!
    expect(body).toContain(sim.store.clientLabel(owner))
    picture(r.path, 'from-replica-invoice')

    const missing = await station.send('print.invoice', { orderId: 'nope', printer: 'Front desk' })
    expect(!missing.ok && missing.error.code).toBe('not_found')
    const noSuchPrinter = await station.send('print.invoice', { orderId: order.id, printer: 'Basement' })
    expect(!noSuchPrinter.ok && noSuchPrinter.error.message).toMatch(
      /Saved as .*\.pdf, but not printed: There is no printer "Basement"/
    )
  })

  it("a receipt for one of Circuit's payments: Circuit's number, the order's total, paid to date, the balance", async () => {
    const paidOnce = (orderId: string) => [...sim.store.transactions.values()].filter((x) => x.orderId === orderId)
    const t = [...sim.store.transactions.values()].find(
      (x) => sim.store.orders.get(x.orderId)?.saleId === '2' && paidOnce(x.orderId).length === 1
    )!
    const r = await station.call<PrintResult>('print.receipt', { transactionId: t.id })
    expect(r).toMatchObject({ pages: 1, printed: false })
    const body = text(r.path)
    const totals = sim.store.orderTotals(sim.store.orders.get(t.orderId)!)
    expect(body).toContain(`No. ${t.id}`)
    expect(body).toMatch(new RegExp(`Amount received\\s+${gbp(t.amount).replace(/[.$]/g, '\\$&')}`))
    expect(body).toMatch(new RegExp(`Order total\\s+${gbp(totals.grandTotal).replace(/[.$]/g, '\\$&')}`))
    expect(body).toMatch(new RegExp(`Paid to date\\s+${gbp(t.amount).replace(/[.$]/g, '\\$&')}`))
    expect(body).toMatch(new RegExp(`Balance due\\s+${gbp(totals.amountDue).replace(/[.$]/g, '\\$&')}`))
    picture(r.path, 'from-replica-receipt')
  })

  it("a credit note printed by the id it had while provisional prints Circuit's note that replaced it", async () => {
    const finished = [...sim.store.orders.values()].find(
      (o) => o.saleId === '2' && o.type === 'bidder' && o.status === 'finished' && o.lines.length >= 2
    )!
    const note = await station.call<CheckoutOrder>('checkout.creditNote', {
      orderId: finished.id,
      itemIds: [finished.lines[0].itemId],
      reason: 'Chipped rim'
    })
    expect(note.provisional).toBe(true)
    await station.settle()
    const circuits = [...sim.store.orders.values()].find(
      (o) => o.type === 'credit_note' && o.creditFor === finished.id
    )!
    // The screen may still show the provisional note: its id prints Circuit's.
    const r = await station.call<PrintResult>('print.invoice', { orderId: note.id })
    const body = text(r.path)
    expect(body).toContain('CREDIT NOTE')
    expect(body).toContain(`No. ${circuits.orderNumber}`)
    expect(body).toContain(`Credit for invoice ${finished.orderNumber}`)
    expect(body).toContain('Chipped rim')
    expect(body).not.toContain('PROVISIONAL')
  })

  it('cheques take the next number of their account; a spoilt one is voided, never reused', async () => {
    const t = [...sim.store.transactions.values()].find((x) => x.amount < 0 && x.bankId)!
    const account = t.bankId!
    const back = await station.send('cheques.setNext', { bankAccountId: account, next: 1001 })
    expect(back.ok).toBe(true)
    const first = await station.call<ChequePrintResult>('print.cheque', { transactionId: t.id, payee: 'Zoë Ørsted' })
    expect(first.chequeNumber).toBe(1001)
    const body = text(first.path)
    expect(body).toContain('Zoë Ørsted')
    expect(body).toContain('001001')
    const words = execFileSync('pdftotext', [first.path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(words).toMatch(new RegExp(`and ${String(Math.abs(t.amount) % 100).padStart(2, '0')}/100`))
    picture(first.path, 'from-replica-cheque')

    const again = await station.send('print.cheque', { transactionId: t.id })
    expect(!again.ok && again.error.message).toContain('already printed')
    const reprint = await station.call<ChequePrintResult>('print.cheque', { transactionId: t.id, reprint: true })
    expect(reprint.chequeNumber).toBe(1002)
    const register = (await station.call<ChequeAccount[]>('cheques.accounts')).find((a) => a.bankAccountId === account)!
    expect(register.nextNumber).toBe(1003)
    // cheques.accounts keeps its shape (venue scripts read it): the account, and each register entry.
    expect(Object.keys(register).sort()).toEqual(['bankAccountId', 'entries', 'label', 'nextNumber'])
    expect(Object.keys(register.entries[0]).sort()).toEqual([
      'amount',
      'at',
      'bankAccountId',
      'number',
      'payee',
      'state',
      'transactionId',
      'voidReason'
    ])
    expect(register.entries.map((e) => [e.number, e.state])).toEqual([
      [1002, 'issued'],
      [1001, 'void']
    ])
    const backwards = await station.send('cheques.setNext', { bankAccountId: account, next: 1001 })
    expect(!backwards.ok && backwards.error.message).toContain('only move forward')
    await station.call('cheques.void', { bankAccountId: account, number: 1003, reason: 'torn in the printer' })
    const after = (await station.call<ChequeAccount[]>('cheques.accounts')).find((a) => a.bankAccountId === account)!
    expect(after.nextNumber).toBe(1004)

    const align = await station.call<PrintResult>('print.chequeAlignment', {})
    expect(text(align.path)).toMatch(/payee/i)
    picture(align.path, 'from-replica-cheque-alignment')
  })

  it("phone-bidder cards, a page per bidder, and the session's clerk sheet", async () => {
    const session = [...sim.store.sessions.values()].find((s) => s.saleId === '1' && s.number === 1)!
    const cards = [...sim.store.phoneCards.values()].filter((c) => c.sessionId === session.id)
    const r = await station.call<PrintResult>('print.phoneCards', { sessionId: session.id })
    expect(r.pages).toBeGreaterThanOrEqual(cards.length)
    const body = text(r.path)
    for (const c of cards) {
      const client = sim.store.clients.get(c.clientId)!
      expect(body).toContain(`${client.lastName}, ${client.firstName}`)
      expect(body).toContain(sim.store.staff.get(c.staffId)!.name)
    }
    picture(r.path, 'from-replica-phone-cards')

    const sheet = await station.call<PrintResult>('print.clerkSheet', { sessionId: session.id })
    const lots = [...sim.store.items.values()].filter((i) => i.sessionId === session.id)
    const sheetText = text(sheet.path)
    for (const i of lots) expect(sheetText).toContain(i.title.slice(0, 18))
    picture(sheet.path, 'from-replica-clerk-sheet')
  })

  it('only saved prints can be read back for the preview', async () => {
    const session = [...sim.store.sessions.values()].find((s) => s.saleId === '1')!
    const r = await station.call<PrintResult>('print.clerkSheet', { sessionId: session.id })
    const file = await station.call<{ base64: string }>('print.file', { path: r.path })
    expect(Buffer.from(file.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    for (const path of [
      '/etc/passwd',
      join(r.path, '..', '..', 'saleroom.db'),
      `${r.path}/../../${basename(r.path)}x.pdf`
    ]) {
      const refused = await station.send('print.file', { path })
      expect(!refused.ok && refused.error.code).toMatch(/forbidden|not_found/)
    }
  })
})
