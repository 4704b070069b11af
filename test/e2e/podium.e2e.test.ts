// The podium end to end, keyboard only, in Chromium against the real web host
// and the Circuit simulator over HTTP: clerk 100 lots (sales, passes, a
// withdrawal, an undo, a reopen, a jump); halfway through Circuit goes away —
// clerking never pauses, the waiting count grows — and when it comes back the
// outbox drains to zero and the simulator holds exactly those results. Then
// the hammer's checks as the clerk meets them: a figure far above the
// estimate and one off the steps ask first, Esc selects the figure for the
// correction, and Ctrl+Z while typing a paddle edits the paddle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import {
  ensureRendererBuilt,
  launchChromium,
  pullSaleFromPodium,
  RESULTS,
  startHost,
  type RunningHost
} from './harness'
import type { Browser } from 'playwright-core'

let sim: RunningSimulator
let proxy: TestProxy
let proxyPort = 0
let host: RunningHost
let browser: Browser
let page: Page
let cleanup: () => void

/** The result the test expects on Circuit for each lot it touched. */
const expected = new Map<string, { status: string; hammer: number | null; paddle: string | null }>()

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 1, lots: 300, clients: 120, quiet: true })
  proxy = await startProxy(sim.url)
  proxyPort = Number(new URL(proxy.url).port)
  const t = tempDir('saleroom-podium-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, {
    CIRCUIT_URL: proxy.url,
    CIRCUIT_EMAIL: 'demo@saleroom.test',
    CIRCUIT_PASSWORD: 'demo'
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'podium-last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await proxy?.close()
  await sim?.close()
  cleanup?.()
})

const currentLot = () => page.getByTestId('current-lot').getAttribute('data-lot')
const waiting = async () =>
  Number(/(\d+) waiting/.exec((await page.getByTestId('status-line').textContent()) ?? '')?.[1])
const itemId = (lot: string) =>
  [...sim.store.items.values()].find((i) => i.saleId === '1' && `${i.lotNumber}${i.lotLetter}` === lot)!.id
const paddles = () =>
  [...sim.store.bidders.values()].filter((b) => b.saleId === '1' && b.type === 'floor').map((b) => b.number)

async function sell(paddle: string, amount: number) {
  const lot = (await currentLot())!
  await page.keyboard.type(paddle)
  await page.keyboard.press('Enter')
  await page.keyboard.type(String(amount))
  await page.keyboard.press('Enter')
  // A hammer under the reserve or off the steps asks for Enter again.
  await expect
    .poll(async () => ((await page.getByTestId('hammer-warning').count()) > 0 ? 'warned' : await currentLot()))
    .not.toBe(lot)
  if ((await page.getByTestId('hammer-warning').count()) > 0) {
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).not.toBe(lot)
  }
  expected.set(lot, { status: 'sold', hammer: amount * 100, paddle })
}

async function chord(keys: string, status: 'unsold' | 'withdrawn') {
  const lot = (await currentLot())!
  await page.keyboard.press(keys)
  await expect.poll(currentLot).not.toBe(lot)
  expected.set(lot, { status, hammer: null, paddle: null })
}

/** Clerk `count` lots from the current one: mostly sales (on the bid steps), a pass every seventh lot. */
async function clerkRun(count: number, start: number) {
  const ps = paddles()
  for (let i = start; i < start + count; i++) {
    if (i % 7 === 3) await chord('Alt+KeyP', 'unsold')
    else await sell(ps[i % ps.length], 100 + (i % 9) * 40)
  }
}

/** The host's own answer to a call, as a venue script gets it over /rpc. */
async function rpc<T>(name: string, input: unknown): Promise<T> {
  const url = new URL(host.url)
  const res = await fetch(`${url.origin}/rpc/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-saleroom-token': url.searchParams.get('token')! },
    body: JSON.stringify(input)
  })
  const body = (await res.json()) as { ok: boolean; data: T }
  expect(body.ok).toBe(true)
  return body.data
}

const priceText = () => page.getByTestId('price-input').inputValue()
const warning = () => page.getByTestId('hammer-warning').textContent()

describe('clerking at the podium', () => {
  it('opens the sale by keyboard and clerks the first 50 lots with a withdrawal, an undo, a reopen and a jump', async () => {
    // The first start opens on Settings (no server saved yet); wait for that before going to the podium.
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    await pullSaleFromPodium(page, 'Fine Art, Silver & Antiques')
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe('1')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('paddle-input')

    // The bidder's name echoes as the paddle is typed.
    const first = [...sim.store.bidders.values()].find((b) => b.saleId === '1' && b.type === 'floor')!
    await page.keyboard.type(first.number)
    const client = sim.store.clients.get(first.clientId)!
    await expect
      .poll(() => page.getByTestId('bidder-echo').textContent())
      .toBe(`${client.lastName}, ${client.firstName}`)
    await page.keyboard.press('Escape')

    await clerkRun(20, 0)
    // A withdrawal: one chord.
    await chord('Alt+KeyW', 'withdrawn')
    // Undo the last hammer entered: the lot is back, not clerked, and comes up again.
    await sell(paddles()[0], 300)
    const undone = [...expected.keys()].at(-1)!
    await page.keyboard.press('Control+KeyZ')
    await expect.poll(currentLot).toBe(undone)
    expected.delete(undone)
    await expect.poll(() => page.getByTestId('current-result').textContent()).toContain('Not clerked')
    await sell(paddles()[1], 450)
    // Reopen a passed lot and sell it after all.
    const passed = [...expected.entries()].find(([, v]) => v.status === 'unsold')![0]
    await page.keyboard.press('Alt+KeyJ')
    await page.keyboard.type(passed)
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe(passed)
    await page.keyboard.press('Alt+KeyR')
    await expect.poll(() => page.getByTestId('current-result').textContent()).toContain('Not clerked')
    await sell(paddles()[2], 500)
    // Jump ahead to lot 30 and go on from there.
    await page.keyboard.press('Alt+KeyJ')
    await page.keyboard.type('30')
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe('30')
    await clerkRun(28, 30)
    expect(expected.size).toBe(50)
    await expect.poll(waiting, { timeout: 30_000 }).toBe(0)
    await page.screenshot({ path: join(RESULTS, 'podium.png') })
  })

  it('with Circuit gone, clerking goes on, the waiting count grows, and it drains to zero when Circuit is back', async () => {
    await proxy.close()
    const startedAt = Date.now()
    await clerkRun(25, 56)
    const first = await waiting()
    await clerkRun(25, 81)
    const offlineMs = Date.now() - startedAt
    await expect.poll(waiting).toBeGreaterThanOrEqual(first + 20)
    expect(expected.size).toBe(100)
    await expect.poll(() => page.getByTestId('status-line').textContent(), { timeout: 30_000 }).toMatch(/^Offline/)
    await page.screenshot({ path: join(RESULTS, 'podium-offline.png') })

    // Circuit answers again at the same address.
    proxy = await startProxy(sim.url, proxyPort)
    await expect.poll(waiting, { timeout: 60_000 }).toBe(0)
    expect(offlineMs).toBeLessThan(120_000)

    for (const [lot, want] of expected) {
      const item = sim.store.items.get(itemId(lot))!
      expect({
        lot,
        status: item.status,
        hammer: item.hammer,
        paddle: item.status === 'sold' ? item.bidderAlias : null
      }).toEqual({
        lot,
        ...want
      })
    }
    // Nothing else changed on Circuit, and nothing was applied twice.
    const touched = new Set([...expected.keys()].map(itemId))
    const log = sim.store.clerkingLog.filter((c) => c.via !== 'station-edit')
    expect(log.filter((c) => !touched.has(c.item))).toEqual([])
    expect(new Set(log.map((c) => c.item)).size).toBe(touched.size)
  })

  it('a hammer far above the estimate or off the steps asks first, Esc selects it, and Ctrl+Z edits a paddle being typed', async () => {
    // A lot estimated 1,200–1,800 that nothing above has clerked.
    const target = [...sim.store.items.values()].find(
      (i) =>
        i.saleId === '1' &&
        i.status === 'available' &&
        i.lotLetter === '' &&
        i.lotNumber > 120 &&
        i.estimateLow === 1_200_00 &&
        i.estimateHigh === 1_800_00
    )!
    const lot = String(target.lotNumber)
    await page.keyboard.press('Alt+KeyJ')
    await page.keyboard.type(lot)
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).toBe(lot)
    const paddle = paddles()[3]

    // 8001000 (a correction typed after the old figure) asks for a second Enter, naming the estimate.
    await page.keyboard.type(paddle)
    await page.keyboard.press('Enter')
    await page.keyboard.type('8001000')
    await page.keyboard.press('Enter')
    await expect.poll(warning).toContain('£8,001,000.00 is more than five times the high estimate of £1,800.00.')
    await page.screenshot({ path: join(RESULTS, 'podium-far-above-estimate.png') })
    // Esc, then 1000 replaces the figure instead of joining it.
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('hammer-warning').count()).toBe(0)
    await page.keyboard.type('1000')
    expect(await priceText()).toBe('1000')
    await page.keyboard.press('Enter')
    await expect.poll(currentLot).not.toBe(lot)
    await expect.poll(() => sim.store.items.get(target.id)!.hammer, { timeout: 30_000 }).toBe(1_000_00)

    // 63 is off the steps: the warning names the nearest ones.
    const next = (await currentLot())!
    await page.keyboard.type(paddle)
    await page.keyboard.press('Enter')
    await page.keyboard.type('63')
    await page.keyboard.press('Enter')
    await expect.poll(warning).toContain('£63.00 is off the bid steps: the nearest steps are £60.00 and £65.00.')
    await page.screenshot({ path: join(RESULTS, 'podium-off-step.png') })
    await page.keyboard.press('Escape') // the warning
    await page.keyboard.press('Escape') // the row: back to an empty paddle
    await expect.poll(() => page.getByTestId('paddle-input').inputValue()).toBe('')
    expect(await currentLot()).toBe(next)

    // Ctrl+Z while typing a paddle undoes the typing, not the lot sold before.
    const [mark] = await rpc<{ id: number }[]>('audit.list', { limit: 1 })
    await page.keyboard.type('12')
    await page.keyboard.press('Control+KeyZ')
    await expect.poll(() => page.getByTestId('paddle-input').inputValue()).not.toBe('12')
    expect(await currentLot()).toBe(next)
    // Something the clerk does next, to be sure nothing else went before it: the lot passes.
    await page.keyboard.press('Escape')
    await page.keyboard.press('Alt+KeyP')
    await expect.poll(currentLot).not.toBe(next)
    const since = (await rpc<{ id: number; action: string }[]>('audit.list', { limit: 20 })).filter(
      (e) => e.id > mark.id
    )
    expect(since.map((e) => e.action)).toEqual(['clerking.pass'])
    expect(sim.store.items.get(target.id)!.hammer).toBe(1_000_00)
  })
})
