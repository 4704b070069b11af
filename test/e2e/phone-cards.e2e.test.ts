// Phone-bidder cards end to end, keyboard only, in Chromium against the real
// web host and the Circuit simulator over HTTP: two cards built, a lot moved
// between them, the podium showing who is on the phone as their lots come up,
// and the cards found on Circuit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
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
  sim = await startSimulator({ seed: 2, lots: 120, clients: 60, quiet: true })
  const t = tempDir('saleroom-phone-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, {
    CIRCUIT_URL: sim.url,
    CIRCUIT_EMAIL: 'demo@saleroom.test',
    CIRCUIT_PASSWORD: 'demo'
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'phone-cards-last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await sim?.close()
  cleanup?.()
})

const currentLot = () => page.getByTestId('current-lot').getAttribute('data-lot')
const lotOf = (id: string) => {
  const i = sim.store.items.get(id)!
  return `${i.lotNumber}${i.lotLetter}`
}

async function selectCard(paddle: string) {
  for (let i = 0; i < 40; i++) {
    if ((await page.locator('[data-testid="card"][aria-selected="true"]').getAttribute('data-paddle')) === paddle)
      return
    await page.keyboard.press('ArrowDown')
  }
  throw new Error(`no card for paddle ${paddle}`)
}

describe('phone-bidder cards', () => {
  it('builds two cards by keyboard, moves a lot, shows them at the podium and on Circuit', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    await pullSaleFromPodium(page, 'Fine Art, Silver & Antiques')
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe('1')

    // Two floor bidders with no card yet, and session-1 lots nobody is called for.
    const session = [...sim.store.sessions.values()].find((s) => s.saleId === '1' && s.number === 1)!
    const carded = new Set([...sim.store.phoneCards.values()].map((c) => c.clientId))
    const [a, b] = [...sim.store.bidders.values()].filter(
      (x) => x.saleId === '1' && x.type === 'floor' && !carded.has(x.clientId)
    )
    const called = new Set([...sim.store.phoneCards.values()].flatMap((c) => c.lots))
    const free = [...sim.store.items.values()]
      .filter((i) => i.sessionId === session.id && !called.has(i.id) && i.lotNumber > 1)
      .sort((x, y) => x.position - y.position)
      .slice(0, 3)
    const [l1, l2, l3] = free.map((i) => lotOf(i.id))

    await page.keyboard.press('Alt+KeyB')
    await expect.poll(() => page.getByTestId('phone-cards').isVisible()).toBe(true)
    // The session's cards as Circuit holds them, once the screen has read them.
    const before = [...sim.store.phoneCards.values()].filter((c) => c.sessionId === session.id).length
    await expect.poll(() => page.getByTestId('card').count()).toBe(before)

    // Card A: Priya calls lots l1 and l2.
    await page.keyboard.press('n')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('card-paddle')
    await page.keyboard.type(a.number)
    await expect.poll(() => page.getByTestId('card-paddle-note').textContent()).toContain('floor paddle')
    await page.keyboard.press('Tab')
    await page.keyboard.type('+44 20 7946 0101')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Priya')
    await page.keyboard.press('Tab')
    await page.keyboard.type(`${l1}, ${l2}`)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('card-message').textContent()).toContain('Saved')
    await expect.poll(() => page.getByTestId('card').count()).toBe(before + 1)

    // Card B: Tom calls lot l3.
    await page.keyboard.press('n')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('card-paddle')
    await page.keyboard.type(b.number)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Tom')
    await page.keyboard.press('Tab')
    await page.keyboard.type(l3)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('card').count()).toBe(before + 2)

    // Move l2 from A's card to B's.
    await selectCard(a.number)
    await page.keyboard.press('m')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('move-lot')
    await page.keyboard.press('Control+A')
    await page.keyboard.type(l2)
    await page.keyboard.press('Tab')
    await page.keyboard.type(b.number)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('card-message').textContent()).toContain(`Lot ${l2} moved`)
    const lotsOn = (paddle: string) =>
      page
        .locator(`[data-testid="card"][data-paddle="${paddle}"] [data-testid="card-lots-list"] .lot`)
        .allTextContents()
    await expect.poll(() => lotsOn(b.number)).toEqual([l2, l3])
    await expect.poll(() => lotsOn(a.number)).toEqual([l1])
    await page.screenshot({ path: join(RESULTS, 'phone-cards.png') })

    // The cards print for the phone bank: one page per bidder at least, previewed in the app.
    await page.keyboard.press('p')
    await expect.poll(() => page.getByTestId('print-preview').isVisible()).toBe(true)
    const pages = Number(/(\d+) page/.exec((await page.getByTestId('print-pages').textContent()) ?? '')?.[1])
    expect(pages).toBeGreaterThanOrEqual(await page.getByTestId('card').count())
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)

    // Back at the podium: on lot l1 the phone bank sees A with Priya, and B coming up.
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('clerk-view').isVisible()).toBe(true)
    await page.keyboard.press('Alt+KeyJ')
    await page.keyboard.type(l1)
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe(l1)
    const clientName = (id: string) => {
      const c = sim.store.clients.get(id)!
      return c.lastName
    }
    await expect.poll(() => page.getByTestId('phone-now').textContent()).toContain('Priya Raman calling')
    expect(await page.getByTestId('phone-now').textContent()).toContain(clientName(a.clientId))
    await expect.poll(() => page.getByTestId('phone-ahead').textContent()).toContain('Tom Hallett calling')
    expect(await page.getByTestId('phone-ahead').textContent()).toContain(`Lot ${l2}`)
    await page.screenshot({ path: join(RESULTS, 'phone-cards-podium.png') })

    // The clerk sheet, the paper fallback, from the podium.
    await page.keyboard.press('Alt+KeyK')
    await expect.poll(() => page.getByTestId('print-preview').isVisible()).toBe(true)
    await expect.poll(() => page.getByTestId('print-pages').textContent()).toMatch(/\d+ pages?/)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('print-preview').count()).toBe(0)

    // On Circuit, once each.
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000 }).toMatch(/0 waiting/)
    const onSim = (clientId: string) =>
      [...sim.store.phoneCards.values()].filter((c) => c.clientId === clientId && c.sessionId === session.id)
    expect(onSim(a.clientId)).toHaveLength(1)
    expect(onSim(b.clientId)).toHaveLength(1)
    expect(onSim(a.clientId)[0]).toMatchObject({ staffId: '4', phone: '+44 20 7946 0101', lots: [free[0].id] })
    expect(onSim(b.clientId)[0]).toMatchObject({ staffId: '5' })
    expect([...onSim(b.clientId)[0].lots].sort()).toEqual([free[1].id, free[2].id].sort())
  })
})
