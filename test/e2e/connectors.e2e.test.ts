// End to end in Chromium, by keyboard, on the demo: F8, preview the
// FairWarning demo catalogue into Winter Interiors (the refused lots listed
// with their reasons), import it, then publish the sale to the demo's
// Bidlogix auction — asked first, since its lots are not locked — and the end
// says the items are DRAFT in Bidlogix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { focusedTestId, openApp, RESULTS, type OpenApp } from './harness'
import { shootScreen, statusBarOneLine } from './shots'

let app: OpenApp
let page: Page

beforeAll(async () => {
  app = await openApp()
  page = app.page
})

afterAll(async () => {
  await app?.close()
})

describe('connectors, by keyboard', () => {
  it('previews the FairWarning catalogue with the refused lots and their reasons', async () => {
    await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true)
    // F8, or Ctrl+8 on a keyboard without F-keys.
    await page.keyboard.press('Control+8')
    await expect.poll(() => page.locator('main').getAttribute('data-screen')).toBe('connectors')
    await page.keyboard.press('F1')
    await expect.poll(() => page.locator('main').getAttribute('data-screen')).toBe('podium')
    await page.keyboard.press('F8')
    await expect.poll(() => focusedTestId(page)).toBe('fw-sale')
    await expect
      .poll(() => page.getByTestId('fw-sale').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text))
      .toContain('Winter Interiors')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('fw-summary').textContent())
      .toBe('31 to create · 0 to update · 0 unchanged · 8 refused')
    const refused = await page.getByTestId('fw-refused-row').allTextContents()
    expect(refused).toHaveLength(8)
    const text = refused.join('\n')
    expect(text).toMatch(/lot 38 is already in this sale on Circuit/)
    expect(text).toMatch(/suffix "BIS" is longer than one character/)
    expect(text).toMatch(/FairWarning category 99 has no Circuit category/)
    expect(text).toMatch(/250\.125 has more than two decimals/)
    expect(await page.getByTestId('fw-collisions').textContent()).toContain('38, 40')
    await page.screenshot({ path: join(RESULTS, 'connectors-fairwarning-preview.png'), fullPage: true })
    await shootScreen(page, 'connectors-fairwarning', async () => {
      await page.getByTestId('fw-summary').scrollIntoViewIfNeeded()
      await statusBarOneLine(page)
    })
  })

  it('imports the lots into Circuit with progress (Alt+I)', async () => {
    await page.keyboard.press('Alt+i')
    await expect
      .poll(() => page.getByTestId('job-progress').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('done')
    await expect
      .poll(() => page.getByTestId('fw-result').textContent())
      .toBe('31 created, 0 updated, 0 unchanged, 8 refused.')
    expect(await page.getByTestId('job-message').textContent()).toMatch(
      /Winter Interiors: 31 created, 0 updated, 0 unchanged on Circuit, 8 refused\./
    )
  })

  it('publishes the sale to Bidlogix after asking (Alt+B, Enter, Alt+U, Enter); the items are DRAFT', async () => {
    await page.keyboard.press('Alt+b')
    await expect.poll(() => focusedTestId(page)).toBe('bl-auction')
    await page.keyboard.type('1001')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('bl-summary').textContent())
      .toBe('71 to create · 0 to update · 0 unchanged · 0 refused')
    expect(await page.getByTestId('bl-preview').textContent()).toMatch(/tiered.*buyersPremium is not sent/)
    await page.keyboard.press('Alt+u')
    await expect.poll(() => page.getByTestId('bl-confirm').isVisible()).toBe(true)
    expect(await page.getByTestId('bl-confirm').textContent()).toMatch(/not locked on Circuit/)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('bl-result').textContent(), { timeout: 30_000 })
      .toMatch(/^71 created in Bidlogix \(as DRAFT — make them live in Bidlogix\), 0 unchanged,\s+0 refused\.$/)
    expect(await page.getByTestId('job-message').textContent()).toMatch(/DRAFT — make them live in Bidlogix/)
    await expect
      .poll(() => page.getByTestId('bl-summary').textContent())
      .toBe('0 to create · 0 to update · 71 unchanged · 0 refused')
    await page.screenshot({ path: join(RESULTS, 'connectors-bidlogix-published.png'), fullPage: true })
    await shootScreen(page, 'connectors-bidlogix', () => statusBarOneLine(page))
    expect(app.pageErrors).toEqual([])
  })
})
