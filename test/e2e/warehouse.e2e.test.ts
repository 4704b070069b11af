// The collection desk end to end in Chromium against the web host and the
// simulator, by keyboard only. Lot tags are "scanned": a USB scanner is a
// keyboard, so its code is typed into the page as fast as a scanner types it,
// then Enter. A buyer who has paid collects three lots found by their tags;
// an unpaid lot asks before it goes; one order is packed in two boxes and
// shipped, and Circuit ends up with each box and the shipment once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
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
import { shootScreen, statusBarOneLine } from './shots'

let sim: RunningSimulator
let host: RunningHost
let browser: Browser
let page: Page
let cdp: CDPSession
let cleanup: () => void

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 3, lots: 120, clients: 60, quiet: true })
  const t = tempDir('saleroom-warehouse-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, { CIRCUIT_URL: sim.url, CIRCUIT_EMAIL: 'demo@saleroom.test', CIRCUIT_PASSWORD: 'demo' })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  cdp = await page.context().newCDPSession(page)
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'warehouse-last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await sim?.close()
  cleanup?.()
})

const store = () => sim.store
const lotOf = (itemId: string) => {
  const i = store().items.get(itemId)!
  return `${i.lotNumber}${i.lotLetter}`
}
const saleTwoOrders = () =>
  [...store().orders.values()].filter((o) => o.saleId === '2' && o.type === 'bidder' && o.status !== 'canceled')
const lotsOf = (orderId: string) =>
  store()
    .orderLines(store().orders.get(orderId)!)
    .map((l) => l.itemId)

/**
 * A tag scanned. A USB scanner is a keyboard that types its code and Enter a few milliseconds a key
 * apart: the key events are sent with those time stamps (the page reads the events' own times), so
 * the timing is the scanner's however busy the machine running the test is.
 */
async function scan(code: string) {
  const keys = [
    ...[...code].map((ch) => ({
      key: ch,
      code: /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`,
      text: ch,
      windowsVirtualKeyCode: ch.toUpperCase().charCodeAt(0)
    })),
    { key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13 }
  ]
  const start = Date.now() / 1000
  for (const [i, k] of keys.entries()) {
    const timestamp = start + i * 0.008
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp })
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...k, text: undefined, timestamp: timestamp + 0.003 })
  }
}
/**
 * Typing into a form's field. Playwright types as fast as a scanner; what a field takes is still
 * the field's unless it reads as a lot number followed at once by Enter (names, weights followed by
 * Tab, tracking numbers are never taken for tags).
 */
const typeIn = (text: string) => page.keyboard.type(text)
const row = (lot: string) => page.locator(`[data-testid="desk-lot"][data-lot="${lot}"]`)

describe('the collection desk', () => {
  it('releases a paid buyer’s three scanned lots, asks before an unpaid one, and ships an order in two boxes', async () => {
    // A buyer who owes nothing, with three lots; a lot of a buyer who owes; an order to ship.
    const paid = saleTwoOrders().find(
      (o) =>
        store().orderLines(o).length >= 3 &&
        store()
          .clientOrders(o.ownerId)
          .every((x) => x.saleId !== '2' || store().orderTotals(x).amountDue <= 0)
    )!
    const unpaid = saleTwoOrders().find((o) => store().orderTotals(o).amountDue > 0 && o.ownerId !== paid.ownerId)!
    const toShip = saleTwoOrders().find(
      (o) => o.ownerId !== paid.ownerId && o.ownerId !== unpaid.ownerId && store().orderLines(o).length >= 3
    )!
    expect([paid, unpaid, toShip].every(Boolean)).toBe(true)

    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    await pullSaleFromPodium(page, store().sales.get('2')!.label)
    await page.keyboard.press('Control+6')
    await expect.poll(() => focusedTestId(page)).toBe('desk-search')
    expect(await page.getByTestId('desk-sale').inputValue()).toBe('2')
    await shootScreen(page, 'warehouse-search', () => statusBarOneLine(page))

    // Three tags scanned: the first opens the buyer, each picks its lot.
    const [a, b, c] = lotsOf(paid.id).map(lotOf)
    await scan(a)
    await expect.poll(() => row(a).getAttribute('data-picked')).toBe('true')
    expect(await page.getByTestId('desk-buyer').textContent()).toContain(store().paddlesOf('2', paid.ownerId)[0])
    await scan(b)
    await scan(c)
    await expect.poll(() => row(c).getAttribute('data-picked')).toBe('true')
    expect(await row(b).getAttribute('data-picked')).toBe('true')
    for (const lot of [a, b, c]) expect(await row(lot).getByTestId('desk-lot-paid').textContent()).toContain('paid')
    await shootScreen(page, 'warehouse-buyer', () => statusBarOneLine(page))

    await page.keyboard.press('Alt+KeyR')
    await expect.poll(() => focusedTestId(page)).toBe('release-collected-by')
    await typeIn('Sam Carter')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('desk-message').textContent()).toContain('released to Sam Carter')
    for (const lot of [a, b, c]) {
      await expect.poll(() => row(lot).getByTestId('desk-lot-out').textContent()).toContain('Sam Carter')
    }
    // The gate pass prints (saved, previewed); Esc closes it.
    await page.keyboard.press('Alt+KeyG')
    await expect.poll(() => page.getByTestId('print-pages').textContent()).toBe('1 page')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)

    // The next buyer: an unpaid lot asks first, then goes out on a second Enter.
    await page.keyboard.press('Escape')
    await expect.poll(() => focusedTestId(page)).toBe('desk-search')
    const u = lotOf(lotsOf(unpaid.id)[0])
    await scan(u)
    await expect.poll(() => row(u).getAttribute('data-picked')).toBe('true')
    await expect.poll(() => page.getByTestId('desk-message').textContent()).toContain('not paid')
    await page.keyboard.press('Alt+KeyR')
    await expect.poll(() => focusedTestId(page)).toBe('release-collected-by')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('release-reasons').textContent()).toContain(`Lot ${u} is not paid`)
    expect(await row(u).getByTestId('desk-lot-out').textContent()).toBe('—')
    await page.keyboard.press('Enter')
    await expect.poll(() => row(u).getByTestId('desk-lot-out').textContent()).toContain('(unpaid)')

    // One order packed in two boxes, then shipped.
    await page.keyboard.press('Escape')
    await expect.poll(() => focusedTestId(page)).toBe('desk-search')
    const [s1, s2, s3] = lotsOf(toShip.id)
    await scan(lotOf(s1))
    await expect.poll(() => row(lotOf(s1)).getAttribute('data-picked')).toBe('true')
    await scan(lotOf(s2))
    await expect.poll(() => row(lotOf(s2)).getAttribute('data-picked')).toBe('true')
    await page.keyboard.press('Alt+KeyB')
    await expect.poll(() => focusedTestId(page)).toBe('box-weight')
    expect(await page.getByTestId('box-number').inputValue()).toBe('1')
    for (const text of ['3.5', '40', '30', '20']) {
      await typeIn(text)
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('desk-message').textContent()).toContain('Box 1:')
    await scan(lotOf(s3))
    await expect.poll(() => row(lotOf(s3)).getAttribute('data-picked')).toBe('true')
    await page.keyboard.press('Alt+KeyB')
    await expect.poll(() => focusedTestId(page)).toBe('box-weight')
    expect(await page.getByTestId('box-number').inputValue()).toBe('2')
    await shootScreen(page, 'warehouse-box-form')
    for (const text of ['1.25', '25', '20', '10']) {
      await typeIn(text)
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('desk-message').textContent()).toContain('Box 2:')
    for (const s of [s1, s2, s3]) await scan(lotOf(s))
    await expect.poll(() => page.locator('[data-testid="desk-lot"][data-picked="true"]').count()).toBe(3)
    await page.keyboard.press('Alt+KeyS')
    await expect.poll(() => focusedTestId(page)).toBe('ship-method')
    await typeIn('Parcelforce 48')
    await page.keyboard.press('Tab')
    await typeIn('PF123456789GB')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('desk-message').textContent()).toContain('Shipment by Parcelforce 48')

    // Everything reached Circuit (the desk says so once the sender has it acknowledged), each once.
    const onCircuit = (what: string) => page.locator(`[data-testid="${what}"][data-state="on_circuit"]`).count()
    await expect.poll(() => onCircuit('desk-box'), { timeout: 20_000 }).toBe(2)
    await expect.poll(() => onCircuit('desk-shipment'), { timeout: 20_000 }).toBe(1)
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/0 waiting/)
    const boxes = [...store().shippingBoxes.values()].filter((x) => x.orderId === toShip.id)
    expect(boxes.map((x) => [x.boxNumber, [...x.items].sort(), x.weightGrams, x.dimensions]).sort()).toEqual([
      ['1', [s1, s2].sort(), 3500, '40x30x20cm'],
      ['2', [s3], 1250, '25x20x10cm']
    ])
    const shipments = [...store().shipments.values()].filter((x) => x.orderId === toShip.id)
    expect(shipments.map((x) => [[...x.items].sort(), x.method, x.trackingNumber])).toEqual([
      [[s1, s2, s3].sort(), 'Parcelforce 48', 'PF123456789GB']
    ])
    await page.screenshot({ path: join(RESULTS, 'warehouse-desk.png') })
    await shootScreen(page, 'warehouse-shipped', () => statusBarOneLine(page))
  })
})
