// "A cashier's ten minutes": every desk and paper defect of the money issue,
// done as a cashier does it — keyboard only, in Chromium, against the real web
// host and the Circuit simulator — each ending right, the paper read back
// with pdftotext:
// - an invoice paid in full (cash, then card) prints Balance due £0.00, and
//   the receipt after each payment its own balance; Alt+R prints the payment
//   just taken; Enter twice on a payment records one;
// - cash 5,000.00 with 5,020.00 handed over records 5,000.00, change 20.00;
// - a charge without a description stops nothing;
// - 99,999,999,999.00 is refused, an over-payment asks first, and a payment
//   keyed on the wrong order is voided (VOID on its receipt);
// - a credit note prints as a CREDIT NOTE with its reason and the refund, and
//   the buyer is shown "Refund owed";
// - £ on screen; our read-back reference nowhere on screen or paper;
// - with Circuit away, a lot sold at the podium makes a provisional order that
//   takes a payment, and the payment lands on Circuit's order once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { Order } from '../../src-main/circuit-sim/types'
import { formatMoney } from '../../src-shared/money'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import { ensureRendererBuilt, launchChromium, RESULTS, startHost, type RunningHost } from './harness'

const SHOTS = join(RESULTS, 'ten-minutes')
let sim: RunningSimulator
let proxy: TestProxy
let proxyPort = 0
let host: RunningHost
let browser: Browser
let page: Page
let cleanup: () => void

beforeAll(async () => {
  ensureRendererBuilt()
  mkdirSync(SHOTS, { recursive: true })
  sim = await startSimulator({ seed: 3, lots: 40, clients: 60, quiet: true })
  proxy = await startProxy(sim.url)
  proxyPort = Number(new URL(proxy.url).port)
  const t = tempDir('saleroom-ten-minutes-')
  cleanup = t.cleanup
  host = await startHost(t.dir, {
    CIRCUIT_URL: proxy.url,
    CIRCUIT_EMAIL: 'demo@saleroom.test',
    CIRCUIT_PASSWORD: 'demo'
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(SHOTS, 'last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await proxy?.close()
  await sim?.close()
  cleanup?.()
})

const gbp = (minor: number) => formatMoney(minor, { code: 'GBP', decimals: 2, symbol: '£' })
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A label and its amount on one line of the PDF's text. */
const row = (label: string, minor: number) => new RegExp(`${label}\\s+${escape(gbp(minor))}`)
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))
const message = async () => ((await page.getByTestId('checkout-message').locator('.text').textContent()) ?? '').trim()
const status = () => page.getByTestId('status-line').textContent()
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) })
const ours = (orderId: string) =>
  [...sim.store.transactions.values()].filter((t) => t.orderId === orderId && (t.info ?? '').includes('[saleroom:'))

/** Our read-back reference is never on screen. */
async function noReferenceOnScreen() {
  expect(await page.locator('body').innerText()).not.toContain('[saleroom:')
}

/**
 * The document just printed, from its preview: read back with pdftotext and kept beside the
 * screenshots (with a picture of its first page when asked); Esc closes the preview.
 */
async function printed(name: string, picture = false): Promise<string> {
  await expect.poll(() => page.getByTestId('print-preview').count()).toBe(1)
  const path = ((await page.getByTestId('print-path').textContent()) ?? '').replace(/^Saved as /, '')
  copyFileSync(path, join(SHOTS, `${name}.pdf`))
  if (picture) execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', path, join(SHOTS, name)])
  const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })
  expect(text).not.toContain('[saleroom:')
  await page.keyboard.press('Escape')
  await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)
  return text
}

async function serve(paddle: string, orderNumber: string) {
  await expect.poll(focused).toBe('checkout-search')
  await page.keyboard.type(paddle)
  await expect.poll(() => page.getByTestId('checkout-buyers').textContent()).toContain(paddle)
  await page.keyboard.press('Enter')
  await expect.poll(() => page.getByTestId('checkout-order').textContent()).toContain(orderNumber)
}

async function next() {
  await page.keyboard.press('Enter')
  await expect.poll(focused).toBe('checkout-search')
}

/** On the podium's sale list (F1), the row of the sale named; Enter then pulls it, or opens it once pulled. */
async function chooseSale(label: string) {
  await page.keyboard.press('F1')
  await expect.poll(() => page.getByTestId('sale-row').count()).toBeGreaterThan(1)
  const rows = await page.getByTestId('sale-row').count()
  for (let i = 0; i < rows; i++) await page.keyboard.press('ArrowUp')
  for (let i = 0; i < rows; i++) {
    if ((await page.locator('tr[aria-selected="true"]').textContent())?.includes(label)) return
    await page.keyboard.press('ArrowDown')
  }
  throw new Error(`no sale ${label} on the podium's list`)
}

async function pull(label: string) {
  await chooseSale(label)
  await page.keyboard.press('Enter')
  await expect
    .poll(() => page.locator('tr[aria-selected="true"]').textContent(), { timeout: 30_000 })
    .toContain('Pulled')
}

/** Alt+P, the amount (typed over what is due) or what is due, then the card's last four. */
async function card(amount: string | null, last4: string) {
  await page.keyboard.press('Alt+KeyP')
  await expect.poll(focused).toBe('pay-amount')
  if (amount !== null) await page.keyboard.type(amount)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.keyboard.type(last4)
}

describe("a cashier's ten minutes", () => {
  it('takes the money right, prints the truth, voids, credits, and works with Circuit away', async () => {
    await expect.poll(status).toMatch(/^Online/)
    const sale1 = sim.store.sales.get('1')!
    const sale2 = sim.store.sales.get('2')!
    await pull(sale1.label)
    await pull(sale2.label)

    const orders2 = [...sim.store.orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder')
    const paddleOf = (o: Order) => sim.store.paddlesOf('2', o.ownerId)[0]
    const alone = (o: Order) => orders2.filter((x) => x.ownerId === o.ownerId).length === 1 && !!paddleOf(o)
    const due = (o: Order) => sim.store.orderTotals(o).amountDue
    const unpaid = orders2
      .filter((o) => alone(o) && o.status === 'new' && sim.store.orderTotals(o).paymentReceived === 0)
      .sort((a, b) => due(b) - due(a))
    const [x, y] = unpaid // x owes over 5,100.00: 100 by card, 5,000 cash, the rest by card
    const z = orders2.find((o) => alone(o) && o.status === 'finished' && o.lines.length >= 2 && due(o) === 0)!
    expect(due(x)).toBeGreaterThan(520_000)
    expect(y && z).toBeTruthy()

    // The Checkout screen, on the sale with the orders (the sale list by keyboard: Shift+Tab, arrows).
    await page.keyboard.press('F2')
    await expect.poll(focused).toBe('checkout-search')
    await page.keyboard.press('Shift+Tab')
    expect(await focused()).toBe('checkout-sale')
    for (let i = 0; i < 3 && (await page.getByTestId('checkout-sale').inputValue()) !== '2'; i++) {
      await page.keyboard.press('ArrowDown')
    }
    expect(await page.getByTestId('checkout-sale').inputValue()).toBe('2')
    await page.keyboard.press('Tab')

    // ---- X: a charge, then paid in full: 100.00 by card (Enter twice), 5,000.00 cash, the rest by card.
    await serve(paddleOf(x), x.orderNumber)
    const dueAtFirst = due(x)
    expect(await page.getByTestId('checkout-due').textContent()).toContain(gbp(dueAtFirst)) // £ on screen
    await page.keyboard.press('Alt+KeyC')
    await expect.poll(focused).toBe('charge-term')
    await expect.poll(() => page.getByTestId('charge-term').inputValue()).not.toBe('')
    await page.keyboard.press('Tab')
    await page.keyboard.type('25')
    await page.keyboard.press('Tab')
    await page.keyboard.type('20')
    await page.keyboard.press('Enter')
    await expect.poll(message).toBe('Charge added.')
    const total = dueAtFirst + 2500 + 500 // 25.00 and its 20 % tax
    await expect.poll(() => page.getByTestId('checkout-due').textContent()).toContain(gbp(total))

    await card('100', '4242')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter') // the double Enter
    // The second Enter lands while the payment is on its way (ignored), or just after it (Enter is
    // "next buyer" then): either way one payment is recorded.
    await expect
      .poll(async () => ((await focused()) === 'checkout-search' ? 'next buyer' : await message()))
      .toMatch(/^(Paid £100\.00\.|next buyer)$/)
    if ((await focused()) === 'checkout-search') await serve(paddleOf(x), x.orderNumber)
    await expect.poll(() => page.getByTestId('payment-row').count()).toBe(1)
    await page.keyboard.press('Alt+KeyR')
    const receipt1 = await printed('receipt-1-card')
    expect(receipt1).toMatch(row('Amount received', 10_000))
    expect(receipt1).toMatch(row('Order total', total))
    expect(receipt1).toMatch(row('Paid to date', 10_000))
    expect(receipt1).toMatch(row('Balance due', total - 10_000))
    // Short and human: Circuit's transaction id once it has one, else the station's own series.
    expect(receipt1).toMatch(/No\. (\d+|R-[A-Z0-9]+-\d{4})\n/)

    // Cash: 5,000.00 paid with 5,020.00 handed over.
    await page.keyboard.press('Alt+KeyP')
    await expect.poll(focused).toBe('pay-amount')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('ArrowLeft') // card → cash
    await page.keyboard.press('Tab')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('5,000.00')
    await page.keyboard.press('Tab')
    await page.keyboard.type('5,020.00')
    await expect.poll(() => page.getByTestId('pay-change').textContent()).toBe('Change £20.00')
    await shot('1-cash-change')
    await page.keyboard.press('Enter')
    await expect.poll(message).toBe('Change due £20.00. Paid £5,000.00.')
    await page.keyboard.press('Alt+KeyR')
    const receipt2 = await printed('receipt-2-cash')
    expect(receipt2).toMatch(row('Amount received', 500_000))
    expect(receipt2).toMatch(row('Paid to date', 510_000))
    expect(receipt2).toMatch(row('Balance due', total - 510_000))

    // The rest by card: the amount starts at what is due.
    await card(null, '4111')
    await page.keyboard.press('Enter')
    await expect.poll(message).toBe(`Paid ${gbp(total - 510_000)}.`)
    await expect.poll(() => page.getByTestId('checkout-outstanding').textContent()).toBe('Nothing outstanding')
    expect(await page.getByTestId('checkout-due').textContent()).toContain('£0.00')
    await page.keyboard.press('Alt+KeyR')
    const receipt3 = await printed('receipt-3-card')
    expect(receipt3).toMatch(row('Amount received', total - 510_000))
    expect(receipt3).toMatch(row('Paid to date', total))
    expect(receipt3).toMatch(row('Balance due', 0))
    await page.keyboard.press('Alt+KeyI')
    const invoice = await printed('invoice-paid-in-full', true)
    expect(invoice).toMatch(row('Total', total))
    expect(invoice).toMatch(row('Total paid', total))
    expect(invoice).toMatch(row('Balance due', 0))
    expect(invoice).not.toContain('Amount due')
    await noReferenceOnScreen()
    await shot('2-paid-in-full')
    await next()

    // ---- Y: an amount no one means is refused; an over-payment asks first; a payment on the wrong order is voided.
    await serve(paddleOf(y), y.orderNumber)
    const dueY = due(y) // Circuit's figure moves while the payment below is there and until its void reaches it
    await card('99,999,999,999.00', '1111')
    await page.keyboard.press('Enter')
    await expect.poll(message).toMatch(/at most/)
    expect(await page.getByTestId('payment-row').count()).toBe(0)
    await page.keyboard.press('Escape')
    await card(((dueY + 100_000) / 100).toFixed(2), '1111')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('pay-warning').textContent()).toContain(gbp(dueY))
    await shot('3-over-payment-asks')
    await page.keyboard.press('Escape') // correct it: the amount is selected
    expect(await focused()).toBe('pay-amount')
    expect(await page.getByTestId('pay-warning').count()).toBe(0)
    await page.keyboard.type('50')
    await page.keyboard.press('Enter')
    await expect.poll(message).toBe('Paid £50.00.')
    // That was the wrong buyer's order: void it (Alt+V, the payment just taken, the reason).
    await page.keyboard.press('Alt+KeyV')
    await expect.poll(focused).toBe('void-payment')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Keyed on the wrong order')
    await page.keyboard.press('Enter')
    await expect.poll(message).toContain('voided: Keyed on the wrong order')
    await expect.poll(() => page.getByTestId('payment-void').textContent()).toContain('Keyed on the wrong order')
    expect(await page.getByTestId('checkout-due').textContent()).toContain(gbp(dueY))
    await shot('4-voided')
    await page.keyboard.press('Alt+KeyR')
    const voided = await printed('receipt-void', true)
    expect(voided).toContain('VOID')
    expect(voided).toContain('Keyed on the wrong order')
    expect(voided).toMatch(row('Balance due', dueY))
    await noReferenceOnScreen()
    await next()

    // ---- Z: a credit note for one lot of a paid, finished order, with its reason: a refund is owed.
    await serve(paddleOf(z), z.orderNumber)
    await page.keyboard.press('Alt+KeyL')
    await page.keyboard.press('Space')
    await page.keyboard.press('Alt+KeyN')
    await expect.poll(focused).toBe('credit-reason')
    await page.keyboard.type('Frame damaged in the saleroom')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-order').textContent()).toContain('Credit note')
    const refund = Number(
      ((await page.getByTestId('checkout-due').textContent()) ?? '').replace(/[£,\s]/g, '').replace('.', '')
    )
    expect(refund).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('checkout-outstanding').textContent()).toBe(`Refund owed ${gbp(refund)}`)
    await shot('5-credit-note')
    await page.keyboard.press('Alt+KeyI')
    const note = await printed('credit-note', true)
    expect(note).toContain('CREDIT NOTE')
    expect(note).toContain(`Credit for invoice ${z.orderNumber}`)
    expect(note).toContain('Frame damaged in the saleroom')
    expect(note).toMatch(row('Refund due', refund))
    expect(note).not.toMatch(/\bINVOICE\b|Amount due/)
    await next()

    // ---- Circuit goes away. A lot sold at the podium makes a provisional order; it takes the payment.
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^Online — 0 waiting/)
    await proxy.close()
    const sold1 = new Set([...sim.store.orders.values()].filter((o) => o.saleId === '1').map((o) => o.ownerId))
    const bidder = [...sim.store.bidders.values()].find(
      (b) => b.saleId === '1' && b.type === 'floor' && !sold1.has(b.clientId)
    )!
    await chooseSale(sale1.label)
    await page.keyboard.press('Enter') // pulled already: it opens for clerking
    await expect.poll(focused).toBe('paddle-input')
    const lot = (await page.getByTestId('current-lot').getAttribute('data-lot'))!
    const item = [...sim.store.items.values()].find((i) => i.saleId === '1' && `${i.lotNumber}${i.lotLetter}` === lot)!
    await page.keyboard.type(bidder.number)
    await page.keyboard.press('Enter')
    await page.keyboard.type(String(item.estimateLow / 100))
    await page.keyboard.press('Enter')
    await expect
      .poll(async () =>
        (await page.getByTestId('hammer-warning').count()) > 0
          ? 'warned'
          : await page.getByTestId('current-lot').getAttribute('data-lot')
      )
      .not.toBe(lot)
    if ((await page.getByTestId('hammer-warning').count()) > 0) await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('current-lot').getAttribute('data-lot')).not.toBe(lot)
    await expect.poll(status).toMatch(/^(Offline|Connecting)/)

    await page.keyboard.press('F2')
    await expect.poll(focused).toBe('checkout-search')
    expect(await page.getByTestId('checkout-sale').inputValue()).toBe('1')
    await page.keyboard.type(bidder.number)
    await expect.poll(() => page.getByTestId('checkout-buyers').textContent()).toContain(bidder.number)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-order').textContent()).toContain('provisional')
    const owed = Number(
      ((await page.getByTestId('checkout-due').textContent()) ?? '').replace(/[£,\s]/g, '').replace('.', '')
    )
    await card(null, '4444')
    await page.keyboard.press('Enter')
    await expect.poll(message).toBe(`Paid ${gbp(owed)}.`)
    await shot('6-offline-provisional-paid')
    await next()

    // Circuit is back: the hammer, then the payment on Circuit's own order for the lot, once.
    proxy = await startProxy(sim.url, proxyPort)
    await expect.poll(status, { timeout: 40_000 }).toMatch(/^Online — 0 waiting/)
    expect(await status()).not.toContain('paused')
    const circuitsOrder = [...sim.store.orders.values()].find(
      (o) => o.saleId === '1' && o.type === 'bidder' && o.lines.some((l) => l.itemId === item.id)
    )!
    expect(ours(circuitsOrder.id).map((t) => t.amount)).toEqual([owed])

    // Circuit holds each of the desk's payments once: X's three, none of Y's (voided: deleted on Circuit once).
    expect(ours(x.id).map((t) => t.amount)).toEqual([10_000, 500_000, total - 510_000])
    expect(ours(y.id)).toEqual([])
    expect(sim.store.orderTotals(sim.store.orders.get(x.id)!).amountDue).toBe(0)
    const notes = [...sim.store.orders.values()].filter((o) => o.type === 'credit_note' && o.creditFor === z.id)
    expect(notes).toHaveLength(1)
    await shot('7-all-sent')
  }, 120_000)
})
