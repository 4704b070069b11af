import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { focusedTestId, openApp, RESULTS, type OpenApp } from './harness'

let app: OpenApp
let page: Page

beforeAll(async () => {
  app = await openApp({ width: 1280, height: 800 })
  page = app.page
})

afterAll(async () => {
  await app?.close()
})

const screen = () => page.locator('main').getAttribute('data-screen')
const focused = () => focusedTestId(page)

describe('the Saleroom shell in Chromium, keyboard only', () => {
  it('opens on the log-in form the first time, in demo mode, with a status bar that tells the state', async () => {
    await expect.poll(screen).toBe('settings')
    await expect.poll(() => page.getByTestId('welcome').isVisible()).toBe(true)
    await expect.poll(focused).toBe('circuit-url')
    await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true)
    await expect.poll(() => page.getByTestId('status-line').textContent()).toBe('Online — 0 waiting — last sync never')
  })

  it('moves between the screens with F1–F5 and Ctrl+number', async () => {
    for (const [key, id] of [
      ['F2', 'checkout'],
      ['F3', 'lookup'],
      ['F4', 'sync'],
      ['F5', 'settings'],
      ['F1', 'podium'],
      ['Control+4', 'sync']
    ] as const) {
      await page.keyboard.press(key)
      await expect.poll(screen, { message: key }).toBe(id)
      await expect(page.locator('[aria-current="page"]').textContent()).resolves.toContain(
        id === 'lookup' ? 'Look-up' : id[0].toUpperCase() + id.slice(1)
      )
    }
  })

  it('changes a setting by keyboard alone and the audit log shows who did what', async () => {
    await page.keyboard.press('F5')
    // First run: focus is on the server address; the station's name is three fields back.
    await expect.poll(focused).toBe('circuit-url')
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+Tab')
    await expect.poll(focused).toBe('station-name')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Podium laptop')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('Ann')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Station settings saved')
    await page.keyboard.press('F4')
    await expect
      .poll(() => page.getByTestId('audit-table').textContent())
      .toContain('Settings: station name → Podium laptop')
    await expect(page.getByTestId('audit-table').textContent()).resolves.toContain('Podium laptop')
    await page.screenshot({ path: join(RESULTS, 'shell-sync.png') })
  })

  it('saves a screenshot of each screen and raised no page errors', async () => {
    for (const key of ['F1', 'F2', 'F3', 'F5']) {
      await page.keyboard.press(key)
      await page.waitForTimeout(50)
      await page.screenshot({ path: join(RESULTS, `shell-${key}.png`) })
    }
    expect(app.pageErrors).toEqual([])
  })
})
