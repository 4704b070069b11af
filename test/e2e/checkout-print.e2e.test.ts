// The cashier's queue end to end in Chromium against the web host: a sale
// with orders pulled, a buyer found by paddle on the Checkout screen (F2),
// what they owe shown at once, the invoice printed to a preview inside the
// app (saved, with its page count), Enter for the next buyer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import {
  ensureRendererBuilt,
  launchChromium,
  pullSaleFromPodium,
  RESULTS,
  startHost,
  type RunningHost
} from './harness'

let sim: RunningSimulator
let host: RunningHost
let browser: Browser
let page: Page
let cleanup: () => void

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 3, lots: 120, clients: 60, quiet: true })
  const t = tempDir('saleroom-checkout-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, { CIRCUIT_URL: sim.url, CIRCUIT_EMAIL: 'demo@saleroom.test', CIRCUIT_PASSWORD: 'demo' })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'checkout-last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await sim?.close()
  cleanup?.()
})

describe('checkout', () => {
  it('finds a buyer by paddle, shows what they owe and previews the printed invoice', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    // The house's name goes on its documents.
    await page.keyboard.press('F5')
    await page.getByTestId('house-name').fill('Sotherby & Dvořák')
    await page.getByTestId('house-name').press('Enter')
    await expect.poll(() => page.getByText('The house details are saved').count()).toBeGreaterThan(0)

    // Open the sale with past orders (the second one) on the podium: it is pulled with its orders.
    const sale = [...sim.store.sales.values()].find((s) => s.id === '2')!
    await pullSaleFromPodium(page, sale.label)

    const order = [...sim.store.orders.values()].find(
      (o) => o.saleId === '2' && o.type === 'bidder' && sim.store.orderTotals(o).amountDue > 0
    )!
    const paddle = sim.store.paddlesOf('2', order.ownerId)[0]
    const due = sim.store.orderTotals(order).amountDue

    await page.keyboard.press('F2')
    await page.getByTestId('checkout-sale').selectOption('2')
    await page.getByTestId('checkout-search').focus()
    await page.keyboard.type(paddle)
    await expect.poll(() => page.getByTestId('checkout-buyers').textContent()).toContain(paddle)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-order').textContent()).toContain(order.orderNumber)
    const pounds = (due / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })
    expect(await page.getByTestId('checkout-due').textContent()).toContain(pounds)

    // A partial card payment by keyboard: Alt+P, the amount, the card, Enter.
    await page.keyboard.press('Alt+KeyP')
    await expect.poll(() => page.getByTestId('pay-form').isVisible()).toBe(true)
    await page.keyboard.type('10')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.type('4242')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-message').textContent()).toContain('Paid £10.00')
    const after = ((due - 1000) / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })
    await expect.poll(() => page.getByTestId('checkout-due').textContent()).toContain(after)
    // Circuit has it (the status line's "0 waiting" can still be the snapshot from before the payment was queued).
    const paid = () =>
      [...sim.store.transactions.values()].filter(
        (t) => t.orderId === order.id && (t.info ?? '').includes('[saleroom:')
      )
    await expect.poll(() => paid().length, { timeout: 20_000 }).toBe(1)
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000 }).toMatch(/0 waiting/)
    expect(paid().map((t) => [t.type, t.amount, t.creditCardLast4])).toEqual([['Payment', 1000, '4242']])

    // A charge by keyboard: Alt+C, the kind (the first), the amount, its tax rate, Enter.
    const chargesBefore = sim.store.orders.get(order.id)!.charges.length
    await page.keyboard.press('Alt+KeyC')
    await expect.poll(() => page.getByTestId('charge-form').isVisible()).toBe(true)
    await page.keyboard.press('Tab')
    await page.keyboard.type('25')
    await page.keyboard.press('Tab')
    await page.keyboard.type('20')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-message').textContent()).toContain('Charge added')
    await expect.poll(() => sim.store.orders.get(order.id)!.charges.length, { timeout: 20_000 }).toBe(chargesBefore + 1)
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000 }).toMatch(/0 waiting/)
    const charges = sim.store.orders.get(order.id)!.charges
    expect(charges).toHaveLength(chargesBefore + 1)
    expect(charges.at(-1)).toMatchObject({ amount: 2500, taxBp: 2000 })

    await page.keyboard.press('Alt+KeyI')
    await expect.poll(() => page.getByTestId('print-preview').isVisible()).toBe(true)
    await expect.poll(() => page.getByTestId('print-pages').textContent()).toMatch(/\d+ pages?/)
    const saved = ((await page.getByTestId('print-path').textContent()) ?? '').replace(/^Saved as /, '')
    const text = execFileSync('pdftotext', ['-layout', saved, '-'], { encoding: 'utf8' })
    expect(text).toContain('Sotherby & Dvořák')
    expect(text).toContain(order.orderNumber)
    await page.screenshot({ path: join(RESULTS, 'checkout-preview.png') })

    // Esc closes the preview; Alt+T prints the buyer's statement of all their orders for the sale.
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)
    await page.keyboard.press('Alt+KeyT')
    await expect.poll(() => page.getByTestId('print-preview').isVisible()).toBe(true)
    await expect.poll(() => page.getByTestId('print-path').textContent()).toMatch(/Saved as .*\.pdf/)
    const statement = execFileSync(
      'pdftotext',
      ['-layout', ((await page.getByTestId('print-path').textContent()) ?? '').replace(/^Saved as /, ''), '-'],
      { encoding: 'utf8' }
    )
    expect(statement).toMatch(/statement/i)
    expect(statement).toContain(order.orderNumber)
    expect(statement).toContain(paddle)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)
    // Enter takes the next buyer.
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('checkout-search')
  })
})
