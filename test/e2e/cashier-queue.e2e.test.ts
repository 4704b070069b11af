// A cashier working the queue by keyboard, in Chromium against the web host
// and the simulator: Checkout opens on the buyers waiting to pay (newest
// hammer first, as checkout.queue answers), Enter takes the top one, a card
// pays them in full, Esc goes back, the buyer has left the queue and Enter
// takes the next. Screens of the queue and of an open buyer are saved at
// 1366×768 and 1920×1080 in test-results/screens/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { CheckoutInvoice, CheckoutQueueEntry } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import {
  ensureRendererBuilt,
  focusedTestId,
  launchChromium,
  pullSaleFromPodium,
  RESULTS,
  startHost,
  type RunningHost
} from './harness'

const SHOTS = join(RESULTS, 'screens')
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 }
] as const

let sim: RunningSimulator
let host: RunningHost
let browser: Browser
let page: Page
const pageErrors: string[] = []
let cleanup: () => void = () => {}

beforeAll(async () => {
  ensureRendererBuilt()
  mkdirSync(SHOTS, { recursive: true })
  sim = await startSimulator({ seed: 31, lots: 160, clients: 60, quiet: true })
  const t = tempDir('saleroom-cashier-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, {
    CIRCUIT_URL: sim.url,
    CIRCUIT_EMAIL: 'demo@saleroom.test',
    CIRCUIT_PASSWORD: 'demo'
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: SIZES[0] })
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  await page.goto(host.url)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  await sim?.close()
  cleanup()
})

async function rpc<T>(name: string, input: unknown): Promise<T> {
  const url = new URL(host.url)
  const res = await fetch(`${url.origin}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-saleroom-token': url.searchParams.get('token')! },
    body: JSON.stringify(input)
  })
  const body = (await res.json()) as { ok: boolean; data: T }
  if (!body.ok) throw new Error(`${name}: ${JSON.stringify(body)}`)
  return body.data
}

/** Both sizes of the screen as it is now. */
async function shoot(name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}.png`) })
  }
  await page.setViewportSize(SIZES[0])
}

const focused = () => focusedTestId(page)
const queueShown = () =>
  page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-paddle')))
const hint = () => page.getByTestId('queue-hint').innerText()

/** What the buyer owes, paid in full by card from the keyboard (the form starts at the amount due). */
async function payInFull() {
  await page.keyboard.press('Alt+KeyP')
  await expect.poll(focused).toBe('pay-amount')
  for (const field of ['VISA', '4242']) {
    await page.keyboard.press('Tab')
    await page.keyboard.press('Control+A')
    await page.keyboard.type(field)
  }
  await page.keyboard.press('Enter')
  await expect.poll(() => page.getByTestId('checkout-message').textContent()).toMatch(/Paid/)
  await expect.poll(() => page.getByTestId('checkout-outstanding').textContent()).toBe('Nothing outstanding')
}

describe('a cashier working the queue', () => {
  it('Enter takes the top buyer, paid in full they leave the queue, Enter takes the next', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    await pullSaleFromPodium(page, sim.store.sales.get('2')!.label)
    const waiting = await rpc<CheckoutQueueEntry[]>('checkout.queue', { saleId: '2' })
    expect(waiting.length).toBeGreaterThanOrEqual(3)
    const [first, second] = waiting
    // Each of the first two owes on one open invoice: one card payment settles them.
    for (const b of [first, second]) {
      const inv = await rpc<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle: b.paddle })
      expect(inv.orders.map((o) => [o.type, o.locked, o.totals.amountDue])).toEqual([['bidder', false, b.outstanding]])
    }

    await page.keyboard.press('F2')
    await page.getByTestId('checkout-sale').selectOption('2')
    await page.getByTestId('checkout-search').focus()
    // The queue as the core answers it, newest hammer first, with what Enter does said on screen.
    await expect.poll(async () => await queueShown()).toEqual(waiting.map((w) => w.paddle))
    await expect.poll(hint).toContain(`takes the next buyer: ${first.paddle} ${first.name}`)
    await shoot('checkout-queue')

    // Enter: the top buyer.
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-invoice').locator('h2').innerText()).toContain(first.paddle)
    await expect.poll(() => page.getByTestId('line-total').count()).toBe(first.lots)
    await payInFull()
    await shoot('checkout-buyer-paid')

    // Esc: back to the queue, read again — the buyer just paid has left it — and Enter takes the next.
    await page.keyboard.press('Escape')
    await expect.poll(focused).toBe('checkout-search')
    await expect.poll(async () => (await queueShown())[0]).toBe(second.paddle)
    expect(await queueShown()).not.toContain(first.paddle)
    await expect.poll(hint).toContain(`takes the next buyer: ${second.paddle}`)
    const after = await rpc<CheckoutQueueEntry[]>('checkout.queue', { saleId: '2' })
    expect(after.map((w) => w.paddle)).toEqual(waiting.slice(1).map((w) => w.paddle))

    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-invoice').locator('h2').innerText()).toContain(second.paddle)
    await payInFull()
    // Enter this time (Esc or Enter go back): the third buyer is next.
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await queueShown())[0]).toBe(waiting[2].paddle)
    expect(pageErrors).toEqual([])
  }, 120_000)
})
