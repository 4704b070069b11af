// Every screen of the sale day as the user sees it, at 1366×768 and at
// 1920×1080, saved to test-results/screens/ for a person to look at — and
// what must hold on them checked as the screens are taken: a clerk's 30 lots
// by keyboard with the current lot in view in every shot (the panel and its
// row in the grid), the grid's headings, the last sold line, the asking price
// and next step, the pace, phone marks, the paddle field taking the next
// paddle after a warning and a move, the status bar on one line, words for
// states (never a code), the look-up's one call per keystroke and its lot
// order, the Sync screen's audit log in words with a conflict settled from
// the keyboard, the settings' paper texts, the clerk sheet's preview, and the
// recovery screen. Against the real web host and the simulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import {
  ensureRendererBuilt,
  focusedTestId,
  launchChromium,
  pullSaleFromPodium,
  startHost,
  type RunningHost
} from './harness'
import { shootScreen, SHOTS, SIZES, statusBarOneLine as barOneLine } from './shots'

let sim: RunningSimulator
let proxy: TestProxy
let host: RunningHost
let browser: Browser
let page: Page
const pageErrors: string[] = []
const cleanups: (() => void)[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  mkdirSync(SHOTS, { recursive: true })
  sim = await startSimulator({ seed: 1, lots: 160, clients: 80, quiet: true })
  proxy = await startProxy(sim.url)
  const t = tempDir('saleroom-screens-e2e-')
  cleanups.push(t.cleanup)
  host = await startHost(t.dir, {
    CIRCUIT_URL: proxy.url,
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
  await proxy?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

/** Both sizes of the screen as it is now (shots.ts); `check` runs at each size before its picture. */
const shoot = (name: string, check?: () => Promise<void>) => shootScreen(page, name, check)

const currentLot = () => page.getByTestId('current-lot').getAttribute('data-lot')
const floorPaddles = () =>
  [...sim.store.bidders.values()].filter((b) => b.saleId === '1' && b.type === 'floor').map((b) => b.number)

/** The current lot is on screen: its panel in the window, and its row (the chosen one) inside the grid's view. */
async function currentLotInView() {
  const lot = await currentLot()
  const viewport = page.viewportSize()!
  const panel = (await page.getByTestId('current-lot').boundingBox())!
  expect(panel.y + panel.height, 'the lot panel is in the window').toBeLessThanOrEqual(viewport.height)
  const row = page.locator(`[data-testid="lot-list-row"][data-lot="${lot}"]`)
  await expect.poll(() => row.getAttribute('aria-selected'), { message: `lot ${lot}'s row` }).toBe('true')
  const grid = (await page.locator('.lot-grid').boundingBox())!
  const head = (await page.locator('.lot-grid th').first().boundingBox())!
  // The headings stay on top of the grid however far it has scrolled.
  expect(Math.abs(head.y - grid.y), 'the headings sit at the top of the grid').toBeLessThan(3)
  const box = (await row.boundingBox())!
  expect(box.y, `lot ${lot}'s row is below the headings`).toBeGreaterThanOrEqual(head.y + head.height - 1)
  expect(box.y + box.height, `lot ${lot}'s row is above the grid's foot`).toBeLessThanOrEqual(grid.y + grid.height + 1)
  expect(grid.y + grid.height, 'the grid ends in the window').toBeLessThanOrEqual(viewport.height)
}

/** The status bar is one line high. */
const statusBarOneLine = () => barOneLine(page)

/** No state is shown as a code. */
async function noCodes() {
  const text = (await page.locator('main').innerText()).toLowerCase()
  for (const code of ['in_process', 'credit_note', 'needs_attention', 'in_flight', 'unsold', 'invalid input for']) {
    expect(text, code).not.toContain(code)
  }
}

async function sell(paddle: string, amount: number) {
  const lot = (await currentLot())!
  await page.keyboard.type(paddle)
  await page.keyboard.press('Enter')
  await page.keyboard.type(String(amount))
  await page.keyboard.press('Enter')
  await expect
    .poll(async () => ((await page.getByTestId('hammer-warning').count()) > 0 ? 'warned' : await currentLot()))
    .not.toBe(lot)
  if ((await page.getByTestId('hammer-warning').count()) > 0) {
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).not.toBe(lot)
  }
}

describe('the screens of a sale day', () => {
  it('opens on Settings the first time, then lists the sales at the podium', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    await shoot('settings-first-run', statusBarOneLine)
    await pullSaleFromPodium(page, 'Fine Art, Silver & Antiques')
    await shoot('podium-sales', noCodes)
  })

  it('a clerk’s 30 lots by keyboard, the current lot in view in every shot', async () => {
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe('1')
    await expect.poll(() => focusedTestId(page)).toBe('paddle-input')
    const headings = await page.locator('.lot-grid th').allTextContents()
    expect(headings).toEqual(['Lot', '☎', 'Title', 'Estimate', 'Reserve', 'Paddle', 'Buyer', 'Hammer', 'Status'])
    await currentLotInView()

    const paddles = floorPaddles()
    let done = 0
    const steps = [100, 140, 180, 220, 260, 300, 350, 400, 450]
    let lastSold: { lot: string; paddle: string } | null = null
    while (done < 30) {
      const lot = (await currentLot())!
      if (done === 7) {
        await page.keyboard.press('Alt+KeyP')
        await expect.poll(currentLot).not.toBe(lot)
      } else if (done === 12) {
        await page.keyboard.press('Alt+KeyW')
        await expect.poll(currentLot).not.toBe(lot)
      } else {
        const paddle = paddles[done % paddles.length]
        await sell(paddle, steps[done % steps.length])
        lastSold = { lot, paddle }
      }
      done++
      if (done === 14) {
        // A jump ahead and back: the grid follows the current lot both ways.
        await page.keyboard.press('Alt+KeyJ')
        await page.keyboard.type('120')
        await page.keyboard.press('Enter')
        await expect.poll(currentLot).toBe('120')
        await shoot('podium-after-jump', currentLotInView)
        await page.keyboard.press('Alt+KeyJ')
        await page.keyboard.type(String(Number(lot) + 1))
        await page.keyboard.press('Enter')
        await expect.poll(currentLot).not.toBe('120')
      }
      if (done % 5 === 0) await shoot(`podium-lot-${String(done).padStart(2, '0')}`, currentLotInView)
    }
    // Above the grid: the last lot sold, the asking price and the next step, the pace.
    expect(await page.getByTestId('last-sold').textContent()).toContain(`Lot ${lastSold!.lot}`)
    expect(await page.getByTestId('last-sold').textContent()).toContain(lastSold!.paddle)
    expect(await page.getByTestId('asking').textContent()).toMatch(/Asking.*·\s*next step/s)
    await expect.poll(() => page.getByTestId('pace').textContent()).toMatch(/\d+ lots an hour/)
    // Lots with phone bidders carry a mark in the grid.
    expect(await page.locator('.lot-grid .phone').count()).toBeGreaterThan(0)
    await shoot('podium', async () => {
      await currentLotInView()
      await statusBarOneLine()
      await noCodes()
    })
  })

  it('after Esc on a warning and Alt+↓, the next paddle lands in the paddle field, selected', async () => {
    const lot = (await currentLot())!
    await page.keyboard.type(floorPaddles()[0])
    await page.keyboard.press('Enter')
    await page.keyboard.type('63')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('hammer-warning').count()).toBe(1)
    await shoot('podium-warning', currentLotInView)
    await page.keyboard.press('Escape')
    await expect.poll(() => focusedTestId(page)).toBe('price-input')
    await page.keyboard.press('Alt+ArrowDown')
    await expect.poll(currentLot).not.toBe(lot)
    await expect.poll(() => focusedTestId(page)).toBe('paddle-input')
    await page.keyboard.type('204')
    expect(await page.getByTestId('paddle-input').inputValue()).toBe('204')
    expect(await page.getByTestId('price-input').inputValue()).toBe('')
    // Back to the lot before: the half-typed paddle was for this lot, and goes.
    await page.keyboard.press('Alt+ArrowUp')
    await expect.poll(currentLot).toBe(lot)
    await expect.poll(() => focusedTestId(page)).toBe('paddle-input')
    expect(await page.getByTestId('paddle-input').inputValue()).toBe('')
  })

  it('phone cards and the clerk sheet’s preview', async () => {
    await page.keyboard.press('Alt+KeyB')
    await expect.poll(() => page.getByTestId('card').count()).toBeGreaterThan(0)
    await shoot('phone-cards', noCodes)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('clerk-view').isVisible()).toBe(true)
    await page.keyboard.press('Alt+KeyK')
    await expect.poll(() => page.getByTestId('print-pages').textContent()).toMatch(/\d+ pages?/)
    // The PDF viewer draws the page a moment after the frame loads.
    await page.waitForTimeout(500)
    await shoot('print-preview-clerk-sheet')
    // Headless Chromium has no PDF viewer: the paper itself, first page, beside the preview's picture.
    const saved = (await page.getByTestId('print-path').getAttribute('title'))!
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', saved, join(SHOTS, 'clerk-sheet-paper')])
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)
  })

  it('looks up with one call per keystroke, lots by word in lot order, states in words', async () => {
    const calls: string[] = []
    page.on('request', (r) => {
      const m = /\/rpc\/(lookup\.[a-zA-Z]+)/.exec(r.url())
      if (m) calls.push(m[1])
    })
    await page.keyboard.press('F3')
    await expect.poll(() => focusedTestId(page)).toBe('lookup-input')
    await page.keyboard.type('silver', { delay: 30 })
    await expect.poll(() => page.getByTestId('lookup-screen').getAttribute('data-searched')).toBe('silver')
    expect(calls).toEqual(Array(6).fill('lookup.search'))
    const lots = await page
      .locator('[data-testid="lot-results"] [data-testid="lot-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-lot')!))
    expect(lots.length).toBeGreaterThan(1)
    const key = (l: string) => Number(/^\d+/.exec(l)?.[0] ?? 0) * 10 + (/[A-Z]$/.test(l) ? 1 : 0)
    expect(lots.map(key)).toEqual([...lots.map(key)].sort((a, b) => a - b))
    await shoot('lookup', async () => {
      await noCodes()
      await statusBarOneLine()
    })
    await page.keyboard.press('Control+a')
    await page.keyboard.type(floorPaddles()[0])
    await expect.poll(() => page.getByTestId('buyer-row').count()).toBeGreaterThan(0)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('buyer-lots').isVisible()).toBe(true)
    await shoot('lookup-buyer', noCodes)
  })

  it('the Sync screen: a conflict settled by keyboard, the choice kept, the audit log in words', async () => {
    // Circuit goes quiet while the clerk sells a lot that another station then sells on Circuit.
    await page.keyboard.press('F1')
    await expect.poll(() => page.getByTestId('clerk-view').isVisible()).toBe(true)
    proxy.rule = () => 'drop'
    const lot = (await currentLot())!
    const item = [...sim.store.items.values()].find((i) => i.saleId === '1' && `${i.lotNumber}${i.lotLetter}` === lot)!
    await sell(floorPaddles()[1], 500)
    const other = [...sim.store.bidders.values()].find(
      (b) => b.saleId === '1' && b.type === 'floor' && b.number !== floorPaddles()[1]
    )!
    sim.store.applyItemHistory(
      item.id,
      { soldStatus: 'sold', hammer: 550_00, winnerId: other.clientId },
      'station-edit'
    )
    proxy.rule = () => 'pass'
    await page.keyboard.press('F4')
    await expect
      .poll(() => page.locator('[data-testid="outbox-row"][data-state="conflict"]').count(), { timeout: 30_000 })
      .toBe(1)
    await expect.poll(() => page.getByTestId('conflict-versions').textContent()).toContain('Circuit')
    const audit = await page.getByTestId('audit-table').innerText()
    expect(audit).toMatch(/Lot \d+[A-Z]? sold to \d+ \(.+\) for £[\d,]+\.\d\d/)
    expect(audit).toContain('podium')
    expect(audit).not.toMatch(/[{}"]|clerking\.sell/)
    await shoot('sync', async () => {
      await noCodes()
      await statusBarOneLine()
    })
    // Keep mine: the choice stays on the entry (now waiting to be sent), then it drains.
    await page.keyboard.press('k')
    await expect.poll(() => page.getByTestId('app-message').getAttribute('data-kind')).toBe('success')
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 30_000 }).toMatch(/0 waiting/)
    await shoot('sync-settled', statusBarOneLine)
  })

  it('Settings: the house, the invoice texts and the charge defaults from Circuit', async () => {
    await page.keyboard.press('F5')
    await page.getByTestId('terms-text').scrollIntoViewIfNeeded()
    await page.getByTestId('terms-text').fill('Payment within 7 days of the sale.\nLots are sold as seen.')
    await page.getByTestId('terms-text').press('Control+Enter')
    await expect.poll(() => page.getByTestId('app-message').textContent()).toContain('invoice texts are saved')
    const shipping = page.locator('[data-testid="charge-default"]', { hasText: 'Shipping Fee' })
    expect(await shipping.locator('input').first().inputValue()).toBe('25.00')
    expect(await shipping.locator('input').nth(1).inputValue()).toBe('20.00')
    await shoot('settings', async () => {
      await noCodes()
      await page.getByTestId('paper-settings').scrollIntoViewIfNeeded()
    })
  })

  it('the recovery screen, when the local database cannot be used', async () => {
    const t = tempDir('saleroom-screens-damaged-')
    cleanups.push(t.cleanup)
    writeFileSync(join(t.dir, 'saleroom.db'), 'this is not a database '.repeat(200))
    const damaged = await startHost(t.dir, { CIRCUIT_URL: proxy.url, CIRCUIT_EMAIL: 'x@y.z', CIRCUIT_PASSWORD: 'x' })
    try {
      await page.goto(damaged.url)
      await expect.poll(() => page.getByTestId('damaged-screen').isVisible()).toBe(true)
      await shoot('recovery')
    } finally {
      await damaged.stop()
    }
    expect(pageErrors).toEqual([])
  })
})
