// Screenshots of a screen for a person to look at: at 1366×768 and at
// 1920×1080, into test-results/screens/<name>-<width>x<height>.png. What must
// hold on the screen is checked at each size before its picture.
import type { Page } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { RESULTS } from './host'

export const SHOTS = join(RESULTS, 'screens')
export const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 }
] as const

/** Both sizes of the screen as it is now; `check` runs at each size before its picture. The page's own size comes back after. */
export async function shootScreen(
  page: Page,
  name: string,
  check: () => Promise<void> = async () => {}
): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  const before = page.viewportSize()
  for (const size of SIZES) {
    await page.setViewportSize(size)
    // Two frames: the grids measure their new height and scroll to what they must show.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    await check()
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}x${size.height}.png`) })
  }
  if (before) await page.setViewportSize(before)
}

/** The status bar is one line high. */
export async function statusBarOneLine(page: Page): Promise<void> {
  const bar = (await page.getByTestId('status-bar').boundingBox())!
  expect(bar.height).toBeLessThan(36)
}
