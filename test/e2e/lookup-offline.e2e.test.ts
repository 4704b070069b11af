// Demo mode end to end: open the demo sale from the podium, look up a lot and
// a buyer, then stop the (in-process) simulator: the same look-ups still
// answer from the replica, and the status bar says Offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { focusedTestId, openApp, RESULTS, type OpenApp } from './harness'

let app: OpenApp
let page: Page

beforeAll(async () => {
  app = await openApp()
  page = app.page
})

afterAll(async () => {
  await app?.close()
})

const focused = () => focusedTestId(page)

async function lookUp(text: string) {
  await page.keyboard.press('F3')
  await expect.poll(focused).toBe('lookup-input')
  await page.keyboard.press('Control+a')
  await page.keyboard.type(text)
}

describe('demo sale, look-ups, and the server going away', () => {
  it('shows the demo banner and opens the demo sale from the podium by keyboard, with progress', async () => {
    await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true)
    await page.keyboard.press('F1')
    await expect.poll(() => page.getByTestId('sale-row').count()).toBeGreaterThan(1)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('grid')
    // Newest first: the second sale in the list is today's sale "Fine Art, Silver & Antiques".
    await page.keyboard.press('ArrowDown')
    await expect(page.locator('tr[aria-selected="true"]').textContent()).resolves.toContain(
      'Fine Art, Silver & Antiques'
    )
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('pull-progress').textContent(), { timeout: 30_000 })
      .toContain('is on this station')
    await expect.poll(() => page.locator('tr[aria-selected="true"]').textContent()).toContain('Pulled')
    await expect
      .poll(() => page.getByTestId('status-line').textContent())
      .toMatch(/^Online — 0 waiting — last sync \d\d:\d\d today$/)
    await page.screenshot({ path: join(RESULTS, 'podium-sale-pulled.png') })
  })

  it('looks up a lot by number and a buyer by paddle', async () => {
    await lookUp('412')
    await expect.poll(() => page.getByTestId('lot-row').first().textContent()).toMatch(/^412/)
    await lookUp('204')
    await expect.poll(() => page.getByTestId('buyer-row').first().textContent()).toContain('Marchetti, Laura')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('buyer-lots').textContent()).toContain('paddle 204')
  })

  it('after the simulator stops, the same look-ups still answer and the status bar says Offline', async () => {
    const simUrl = /"msg":"demo Circuit simulator started","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(
      app.host.output()
    )?.[1]
    expect(simUrl).toBeTruthy()
    const stop = await fetch(`${simUrl}/_sim/shutdown`, { method: 'POST' })
    expect(stop.status).toBe(200)
    await expect
      .poll(() =>
        fetch(`${simUrl}/api/login-token`).then(
          () => 'up',
          () => 'down'
        )
      )
      .toBe('down')

    // The podium asks Circuit for its sales, finds it gone, and lists what the station holds.
    await page.keyboard.press('F1')
    await expect
      .poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000 })
      .toMatch(/^Offline — 0 waiting/)
    await expect.poll(() => page.getByTestId('sale-row').count()).toBe(1)

    await lookUp('412')
    await expect.poll(() => page.getByTestId('lot-row').first().textContent()).toMatch(/^412/)
    await lookUp('204')
    await expect.poll(() => page.getByTestId('buyer-row').first().textContent()).toContain('Marchetti, Laura')
    await lookUp('silver')
    await expect.poll(() => page.getByTestId('lot-row').count()).toBeGreaterThan(0)
    await page.screenshot({ path: join(RESULTS, 'lookup-offline.png') })
    expect(app.pageErrors).toEqual([])
  })
})
