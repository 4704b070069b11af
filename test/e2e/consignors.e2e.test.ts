// The consignors' cheque run end to end in Chromium against the web host and
// the Circuit simulator, keyboard only: a sale sold on Circuit is pulled on
// the podium (F1); on Consignors (F7) a cheque run (Alt+R, Enter) pays its
// four consignors one cheque each in consecutive numbers; one cheque comes
// out spoilt and is reprinted (↓ to it, Alt+X, Enter): the register shows its
// number void and the next one issued; Circuit has each payment exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
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
let cleanup: () => void
const pageErrors: string[] = []

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 3, lots: 120, clients: 60, quiet: true })
  // Sale 1 was sold on Circuit: two lots of each of its four consignors' consignments.
  const store = sim.store
  const buyer = [...store.bidders.values()].find((b) => b.saleId === '1')!.clientId
  for (const c of [...store.consignments.values()].filter((x) => x.saleId === '1')) {
    const [a, b] = store.itemsByConsignment.get(c.id)!
    store.applyItemHistory(a, { hammer: 150_000, winnerId: buyer, soldStatus: 'sold' })
    store.applyItemHistory(b, { hammer: 33_333, winnerId: buyer, soldStatus: 'sold' })
  }
  const t = tempDir('saleroom-consignors-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, { CIRCUIT_URL: sim.url, CIRCUIT_EMAIL: 'demo@saleroom.test', CIRCUIT_PASSWORD: 'demo' })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'consignors-last.png'), fullPage: true }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await sim?.close()
  cleanup?.()
})

const consignorOrders = () => [...sim.store.orders.values()].filter((o) => o.saleId === '1' && o.type === 'consignor')
const ours = (orderId: string) =>
  [...sim.store.transactions.values()].filter((t) => t.orderId === orderId && (t.info ?? '').includes('[saleroom:'))

describe('consignors', () => {
  it('a cheque run pays four consignors; a spoilt cheque is reprinted and the register shows the void', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    const sale = sim.store.sales.get('1')!
    await pullSaleFromPodium(page, sale.label)
    const dues = new Map(consignorOrders().map((o) => [o.ownerId, sim.store.orderTotals(o).amountDue]))
    expect([...dues.values()].every((d) => d > 0)).toBe(true)

    // F7: the consignors of the sale, each with what is owed; the list has the keys.
    await page.keyboard.press('F7')
    await expect.poll(() => page.getByTestId('consignor-row').count()).toBe(4)
    await expect.poll(() => focusedTestId(page)).toBe('consignor-list')
    expect(await page.getByTestId('consignor-list').textContent()).not.toMatch(/Paid already/)

    // Enter: the selected consignor's statement.
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('consignor-statement').isVisible()).toBe(true)
    await shootScreen(page, 'consignors-statement', () => statusBarOneLine(page))
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('consignor-statement').count()).toBe(0)

    // Alt+R asks first (how many, how much, from which number); Enter runs it.
    await page.keyboard.press('Alt+KeyR')
    await expect
      .poll(() => page.getByTestId('consignors-confirm').textContent())
      .toMatch(/Pay 4 consignors .* from 000001/)
    await page.keyboard.press('Enter')
    await expect
      .poll(() => page.getByTestId('consignors-message').textContent(), { timeout: 30_000 })
      .toMatch(/Cheque run 1: 4 cheques/)
    await expect.poll(() => focusedTestId(page)).toBe('run-lines')
    const numbers = await page.getByTestId('run-line').locator('td:first-child').allTextContents()
    expect(numbers).toEqual(['000001', '000002', '000003', '000004'])

    // The second cheque came out of the printer spoilt: ↓ to it, Alt+X, Enter.
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Alt+KeyX')
    await expect.poll(() => page.getByTestId('consignors-confirm').textContent()).toMatch(/Cheque 000002 .* spoilt/)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('consignors-message').textContent()).toMatch(/Cheque 000002 is void/)
    // The register: 000002 void, 000005 issued in its place; the run shows it.
    await expect
      .poll(() => page.locator('[data-testid="register-entry"][data-state="void"]').allTextContents())
      .toEqual([expect.stringMatching(/^000002.*VOID — spoilt, reprinted$/)])
    expect(await page.locator('[data-testid="register-entry"][data-state="issued"]').count()).toBe(4)
    expect(await page.getByTestId('run-line').nth(1).textContent()).toMatch(/^000005.*spoilt 000002 void/)
    await page.screenshot({ path: join(RESULTS, 'consignors-run.png'), fullPage: true })
    await shootScreen(page, 'consignors-run', () => statusBarOneLine(page))

    // The positive-pay file lists the cheques that stand: 000002 is not among them, 000005 is.
    const files = (await page.getByTestId('run-files').textContent()) ?? ''
    const csvPath = /positive-pay file (\S+\.csv)/.exec(files)![1]
    const csv = readFileSync(csvPath, 'utf8').split('\r\n').slice(1, -1)
    expect(csv.map((r) => r.split(',')[1]).sort()).toEqual(['000001', '000003', '000004', '000005'])

    // Circuit has each payment once, for what was owed; nothing is left to pay.
    await expect.poll(() => consignorOrders().every((o) => ours(o.id).length > 0), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 20_000 }).toMatch(/0 waiting/)
    for (const o of consignorOrders()) {
      expect(ours(o.id).map((t) => [t.type, t.amount])).toEqual([['Cheque', dues.get(o.ownerId)]])
      expect(sim.store.orderTotals(o).amountDue).toBe(0)
    }
    await expect.poll(() => page.getByTestId('consignor-list').textContent()).toMatch(/Paid already/)
    expect(pageErrors).toEqual([])
  })
})
