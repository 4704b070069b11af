// Shared set-up for end-to-end tests: the host and browser helpers (host.ts)
// and the steps several tests take through the UI.
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export * from './host'

/** On the podium (F1), select the sale by keyboard and pull it (Enter); resolves once it is on this station. */
export async function pullSaleFromPodium(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1')
  await expect.poll(() => page.getByTestId('sale-row').count()).toBeGreaterThan(1)
  for (let i = 0; i < 5; i++) {
    if ((await page.locator('tr[aria-selected="true"]').textContent())?.includes(label)) break
    await page.keyboard.press('ArrowDown')
  }
  await page.keyboard.press('Enter')
  await expect
    .poll(() => page.locator('tr[aria-selected="true"]').textContent(), { timeout: 30_000 })
    .toContain('Pulled')
}
