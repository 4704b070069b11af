// The cashier's queue end to end, keyboard only, in Chromium against the web
// host and the simulator: five buyers of a clerked sale — one split, one
// partial payment then a second, one cheque, one card, one credit note —
// with Circuit gone for part of it. At the end the simulator holds exactly
// those orders and payments, each once, and every order's totals on the
// station equal the simulator's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { Order } from '../../src-main/circuit-sim/types'
import type { CheckoutInvoice } from '../../src-shared/contract'
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

let sim: RunningSimulator
let proxy: TestProxy
let proxyPort = 0
let host: RunningHost
let browser: Browser
let page: Page
let cleanup: () => void

beforeAll(async () => {
  ensureRendererBuilt()
  sim = await startSimulator({ seed: 21, lots: 300, clients: 80, quiet: true })
  proxy = await startProxy(sim.url)
  proxyPort = Number(new URL(proxy.url).port)
  const t = tempDir('saleroom-queue-e2e-')
  cleanup = t.cleanup
  host = await startHost(t.dir, {
    CIRCUIT_URL: proxy.url,
    CIRCUIT_EMAIL: 'demo@saleroom.test',
    CIRCUIT_PASSWORD: 'demo'
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await page.goto(host.url)
})

afterAll(async () => {
  await page?.screenshot({ path: join(RESULTS, 'checkout-queue-last.png') }).catch(() => {})
  await browser?.close()
  await host?.stop()
  await proxy?.close()
  await sim?.close()
  cleanup?.()
})

const paddleOf = (o: Order) => sim.store.paddlesOf('2', o.ownerId)[0]
const ourPayments = () => [...sim.store.transactions.values()].filter((t) => (t.info ?? '').includes('[saleroom:'))
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))

async function serve(paddle: string, orderNumber: string) {
  await expect.poll(focused).toBe('checkout-search')
  await page.keyboard.type(paddle)
  await expect.poll(() => page.getByTestId('checkout-buyers').textContent()).toContain(paddle)
  await page.keyboard.press('Enter')
  await expect.poll(() => page.getByTestId('checkout-order').textContent()).toContain(orderNumber)
}

async function pay(o: { method: 'card' | 'cheque' | 'wire'; amount?: string; fields: string[] }) {
  await page.keyboard.press('Alt+KeyP')
  await expect.poll(() => page.getByTestId('pay-form').isVisible()).toBe(true)
  await expect.poll(focused).toBe('pay-amount')
  if (o.method !== 'card') {
    // The method is a radio group before the amount: back to it, then along.
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('ArrowRight')
    if (o.method === 'wire') await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Tab')
  }
  if (o.amount !== undefined) {
    await page.keyboard.press('Control+A')
    await page.keyboard.type(o.amount)
  }
  for (const f of o.fields) {
    await page.keyboard.press('Tab')
    await page.keyboard.press('Control+A')
    await page.keyboard.type(f)
  }
  await page.keyboard.press('Enter')
  await expect.poll(() => page.getByTestId('checkout-message').textContent()).toMatch(/Paid|Change due/)
}

const next = async () => {
  await page.keyboard.press('Enter')
  await expect.poll(focused).toBe('checkout-search')
}

describe('the checkout queue', () => {
  it('five buyers, Circuit gone for part of it; Circuit ends with each change once and the same totals', async () => {
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^Online/)
    const sale = sim.store.sales.get('2')!
    await pullSaleFromPodium(page, sale.label)

    // Five buyers, one order each on Circuit, to be served in turn.
    const bidderOrders = [...sim.store.orders.values()].filter(
      (o) => o.saleId === '2' && o.type === 'bidder' && paddleOf(o)
    )
    const onlyOrder = (o: Order) => bidderOrders.filter((x) => x.ownerId === o.ownerId).length === 1
    const open = bidderOrders.filter(
      (o) => onlyOrder(o) && (o.status === 'new' || o.status === 'in_process') && sim.store.orderTotals(o).amountDue > 0
    )
    const toSplit = open.find((o) => o.lines.length >= 3)!
    const [partly, byCheque, byCard] = open.filter((o) => o !== toSplit)
    const toCredit = bidderOrders.find((o) => onlyOrder(o) && o.status === 'finished' && o.lines.length >= 2)!
    const ordersBefore = sim.store.orders.size
    const due = (o: Order) => sim.store.orderTotals(o).amountDue
    const dueAtFirst = new Map([partly, byCheque, byCard].map((o) => [o.id, due(o)]))
    const pounds = (minor: number) => (minor / 100).toFixed(2)

    await page.keyboard.press('F2')
    await page.getByTestId('checkout-sale').selectOption('2')
    await page.getByTestId('checkout-search').focus()

    // 1. A split: the first lot picked and split off.
    await serve(paddleOf(toSplit), toSplit.orderNumber)
    await page.keyboard.press('Alt+KeyL')
    await page.keyboard.press('Space')
    await page.keyboard.press('Alt+KeyX')
    await expect.poll(() => page.getByTestId('checkout-message').textContent()).toContain('split off')
    await next()

    // 2. A partial card payment, then the rest by wire.
    await serve(paddleOf(partly), partly.orderNumber)
    await pay({ method: 'card', amount: '50', fields: ['VISA', '1111'] })
    await pay({ method: 'wire', amount: pounds(dueAtFirst.get(partly.id)! - 5000), fields: ['Main Bank', '12345678'] })
    await next()

    // Circuit goes away: the queue goes on.
    await proxy.close()
    // 3. A cheque for what is due.
    await serve(paddleOf(byCheque), byCheque.orderNumber)
    await pay({ method: 'cheque', fields: ['Northern', '000777', '2026-11-30'] })
    await next()
    // 4. A card.
    await serve(paddleOf(byCard), byCard.orderNumber)
    await pay({ method: 'card', fields: ['MASTERCARD', '4444'] })
    await next()
    await expect.poll(() => page.getByTestId('status-line').textContent()).toMatch(/^(Offline|Connecting)/)
    expect(ourPayments().length).toBeLessThanOrEqual(2) // the last two are waiting on this station

    // Circuit is back.
    proxy = await startProxy(sim.url, proxyPort)
    // 5. A credit note for a lot of a finished order.
    await serve(paddleOf(toCredit), toCredit.orderNumber)
    await page.keyboard.press('Alt+KeyL')
    await page.keyboard.press('Space')
    await page.keyboard.press('Alt+KeyN')
    await expect.poll(focused).toBe('credit-reason')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('checkout-message').textContent()).toContain('Credit note')
    await next()
    await expect
      .poll(() => page.getByTestId('status-line').textContent(), { timeout: 60_000 })
      .toMatch(/^Online — 0 waiting/)
    await page.screenshot({ path: join(RESULTS, 'checkout-queue.png') })

    // Exactly those payments, each once…
    const paid = ourPayments().map((t) => [t.orderId, t.type, t.amount])
    expect(paid.sort()).toEqual(
      [
        [partly.id, 'Payment', 5000],
        [partly.id, 'Wire Transfer', dueAtFirst.get(partly.id)! - 5000],
        [byCheque.id, 'Cheque', dueAtFirst.get(byCheque.id)!],
        [byCard.id, 'Payment', dueAtFirst.get(byCard.id)!]
      ].sort()
    )
    expect(due(partly)).toBe(0)
    expect(due(byCheque)).toBe(0)
    expect(due(byCard)).toBe(0)
    // …those orders: one from the split (or merged) and one credit note, nothing else.
    const made = [...sim.store.orders.values()].slice(ordersBefore)
    expect(made.filter((o) => o.type === 'credit_note').map((o) => o.creditFor)).toEqual([toCredit.id])
    expect(made.filter((o) => o.type === 'bidder').map((o) => o.ownerId)).toEqual([toSplit.ownerId])
    expect(made).toHaveLength(2)

    // …and, once a pull has brought Circuit's new orders, every order of these buyers shows
    // Circuit's totals on the station, to the minor unit.
    const rpc = async <T>(name: string, input: unknown): Promise<T> => {
      const res = await fetch(`${new URL(host.url).origin}/rpc/${name}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-saleroom-token': new URL(host.url).searchParams.get('token')!
        },
        body: JSON.stringify(input)
      })
      return ((await res.json()) as { data: T }).data
    }
    await rpc('sale.open', { saleId: '2' })
    const buyers = [toSplit, partly, byCheque, byCard, toCredit]
    await expect
      .poll(
        async () => {
          const all = await Promise.all(
            buyers.map((o) => rpc<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle: paddleOf(o) }))
          )
          return all.flatMap((i) => i.orders).filter((v) => v.provisional).length
        },
        { timeout: 30_000 }
      )
      .toBe(0)
    for (const o of buyers) {
      const inv = await rpc<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle: paddleOf(o) })
      for (const view of inv.orders) {
        const theirs = sim.store.orderTotals(sim.store.orders.get(view.id)!)
        expect({ order: view.number, total: view.totals.grandTotal, due: view.totals.amountDue }).toEqual({
          order: view.number,
          total: theirs.grandTotal,
          due: theirs.amountDue
        })
        expect(view.ours?.grandTotal).toBe(theirs.grandTotal)
      }
    }
  }, 180_000)
})
