// The venue end to end in Chromium, keyboard only, with Circuit failing every
// call: three web hosts (`npm run serve`) — a hub, a podium and a checkout
// desk joined to it with its pairing code — and two pages. The clerk sells
// the lot at the podium; the cashier, at the desk, finds the buyer and sees
// the lot on the invoice at once, and takes the amount due in cash with
// change. The payment reaches the hub (its audit names the desk); Circuit
// has nothing yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { AuditEntry, CheckoutInvoice, StatusSnapshot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { freePort, pullSale, stationProcess, until, type StationProcess } from '../venue/processes'
import { ensureRendererBuilt, launchChromium, RESULTS } from './harness'

let sim: RunningSimulator
let browser: Browser
let podiumPage: Page
let deskPage: Page
const stations: StationProcess[] = []
const dirs: { cleanup(): void }[] = []
let hub: StationProcess
let podium: StationProcess
let desk: StationProcess

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 17, lots: 60, clients: 40, quiet: true })
  const folder = (n: string) => {
    const t = tempDir(`saleroom-venue-e2e-${n}-`)
    dirs.push(t)
    return t.dir
  }
  const [hubPort, hubWeb, podiumWeb, deskWeb] = [await freePort(), await freePort(), await freePort(), await freePort()]
  hub = stationProcess('PODIUM-1', folder('hub'), hubWeb, { kind: 'hub', simUrl: sim.url, hubPort })
  stations.push(hub)
  const [chromium] = await Promise.all([launchChromium(), hub.start()])
  browser = chromium
  await pullSale(hub, '1')
  podium = stationProcess('PODIUM-2', folder('podium'), podiumWeb, { kind: 'joined', hub: hub.hub! })
  desk = stationProcess('DESK-1', folder('desk'), deskWeb, { kind: 'joined', hub: hub.hub! })
  stations.push(podium, desk)
  await Promise.all([podium.start(), desk.start()])
  await podium.call('settings.update', { stationName: 'PODIUM-2' })
  await desk.call('settings.update', { stationName: 'DESK-1' })
  // The desk has the sale (pulled from the hub); the podium pulls it from its screen below.
  await pullSale(desk, '1')
  podiumPage = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  deskPage = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await Promise.all([podiumPage.goto(podium.url), deskPage.goto(desk.url)])
})

afterAll(async () => {
  await podiumPage?.screenshot({ path: join(RESULTS, 'venue-podium-last.png') }).catch(() => {})
  await deskPage?.screenshot({ path: join(RESULTS, 'venue-desk-last.png') }).catch(() => {})
  await browser?.close()
  for (const s of stations) await s.stop()
  await sim?.close()
  for (const d of dirs) d.cleanup()
})

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))

describe('the venue in Chromium', () => {
  it('the clerk sells by keyboard; the cashier sees the lot at once and takes cash, Circuit failing', async () => {
    // Both stations say where they are connected: through the venue hub.
    await expect.poll(() => podiumPage.getByTestId('status-via').textContent()).toMatch(/venue hub/i)
    await expect.poll(() => deskPage.getByTestId('status-via').textContent()).toMatch(/venue hub/i)
    // The podium lists the sales the hub holds (the one it pulled) and pulls it from the hub: Enter.
    await podiumPage.keyboard.press('F1')
    await expect.poll(() => podiumPage.locator('tr[aria-selected="true"]').textContent()).toContain('Fine Art')
    await podiumPage.keyboard.press('Enter')
    await expect
      .poll(() => podiumPage.locator('tr[aria-selected="true"]').textContent(), { timeout: 30_000 })
      .toContain('Pulled')
    await podiumPage.keyboard.press('Enter')
    await expect.poll(() => focused(podiumPage)).toBe('paddle-input')

    await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error500Rate: 1 })
    })
    const lotNumber = (await podiumPage.getByTestId('current-lot').getAttribute('data-lot'))!
    const item = [...sim.store.items.values()].find(
      (i) => i.saleId === '1' && `${i.lotNumber}${i.lotLetter}` === lotNumber
    )!
    const bidder = [...sim.store.bidders.values()].find((b) => b.saleId === '1' && b.type === 'floor')!
    const client = sim.store.clients.get(bidder.clientId)!

    // The cashier is ready at the desk, on the sale's queue.
    await deskPage.keyboard.press('F2')
    await deskPage.getByTestId('checkout-sale').selectOption('1')
    await deskPage.getByTestId('checkout-search').focus()

    // The hammer: paddle, Enter, price, Enter (a second Enter if the podium asks to confirm).
    await podiumPage.keyboard.type(bidder.number)
    await podiumPage.keyboard.press('Enter')
    await podiumPage.keyboard.type('500')
    await podiumPage.keyboard.press('Enter')
    await expect
      .poll(async () =>
        (await podiumPage.getByTestId('hammer-warning').count()) > 0
          ? 'warned'
          : await podiumPage.getByTestId('current-lot').getAttribute('data-lot')
      )
      .not.toBe(lotNumber)
    if ((await podiumPage.getByTestId('hammer-warning').count()) > 0) await podiumPage.keyboard.press('Enter')
    await until(
      'the podium recorded the hammer',
      async () => (await podium.call<{ status: string }[]>('clerking.lots', { ids: [item.id] }))[0].status === 'sold'
    )
    await podiumPage.screenshot({ path: join(RESULTS, 'venue-podium-sold.png') })

    // At the desk: the buyer by paddle, and the lot on the invoice, with nothing pulled by hand.
    await deskPage.keyboard.type(bidder.number)
    await expect.poll(() => deskPage.getByTestId('checkout-buyers').textContent()).toContain(client.lastName)
    await deskPage.keyboard.press('Enter')
    await expect.poll(() => deskPage.getByTestId('checkout-invoice').textContent()).toContain(item.title)
    const invoice = await desk.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: bidder.number })
    const due = invoice.orders[0].totals.amountDue
    expect(invoice.orders[0].lines.map((l) => ({ item: l.itemId, hammer: l.hammer }))).toEqual([
      { item: item.id, hammer: 500_00 }
    ])

    // Cash: Alt+P, the method (back from the amount to the methods, left to Cash), the amount due as
    // offered, what was handed over, Enter.
    await deskPage.keyboard.press('Alt+KeyP')
    await expect.poll(() => focused(deskPage)).toBe('pay-amount')
    await deskPage.keyboard.press('Shift+Tab')
    await deskPage.keyboard.press('ArrowLeft')
    await deskPage.keyboard.press('Tab')
    await expect.poll(() => focused(deskPage)).toBe('pay-amount')
    const handed = Math.ceil(due / 100_00) * 100 + 100
    await deskPage.keyboard.press('Tab')
    await deskPage.keyboard.type(String(handed))
    await deskPage.keyboard.press('Enter')
    await expect.poll(() => deskPage.getByTestId('checkout-message').textContent()).toMatch(/Change due/)
    await expect.poll(() => deskPage.getByTestId('checkout-due').textContent()).toMatch(/0\.00/)
    await deskPage.screenshot({ path: join(RESULTS, 'venue-desk-paid.png') })

    // The payment reached the hub, signed by the desk; Circuit (failing) has nothing.
    await until(
      'the desk sent the payment to the hub',
      async () => (await desk.call<StatusSnapshot>('app.status')).pending === 0
    )
    const audit = await hub.call<AuditEntry[]>('audit.list', { limit: 20 })
    expect(audit.find((a) => a.action === 'checkout.pay')).toMatchObject({ station: 'DESK-1' })
    expect(audit.find((a) => a.action === 'clerking.sell')).toMatchObject({ station: 'PODIUM-2' })
    const paidAtHub = await hub.call<CheckoutInvoice>('checkout.invoice', { saleId: '1', paddle: bidder.number })
    expect(paidAtHub.orders[0].payments.map((p) => ({ method: p.method, amount: p.amount }))).toEqual([
      { method: 'cash', amount: due }
    ])
    expect(sim.store.items.get(item.id)!.status).toBe('available')
    expect([...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:'))).toEqual([])
  })
})
