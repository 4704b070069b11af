// app.currency on a real station: the house's setting until a pull brings
// Circuit's /me, Circuit's code, decimals and symbol after it; a /me that
// says nothing of the currency keeps the last known; the paper prints in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { AppCurrency, PrintResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let proxy: TestProxy
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 4, lots: 60, clients: 30, quiet: true })
  proxy = await startProxy(sim.url)
  const data = tempDir('saleroom-currency-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, proxy.url, { name: 'Cashier' })
})
afterAll(async () => {
  await station.close()
  await proxy.close()
  await sim.close()
  for (const c of cleanups) c()
})

const currency = () => station.call<AppCurrency>('app.currency')

describe('app.currency', () => {
  it("answers the house's setting until Circuit's arrives, and refuses a code that is not one", async () => {
    expect(await currency()).toEqual({ code: 'GBP', decimals: 2, symbol: '£' })
    await station.call('settings.update', { currencyCode: 'JPY' })
    expect(await currency()).toEqual({ code: 'JPY', decimals: 0, symbol: '¥' })
    await station.call('settings.update', { currencyCode: 'KWD' })
    expect(await currency()).toEqual({ code: 'KWD', decimals: 3, symbol: 'KWD' })
    for (const code of ['POUNDS', 'QQQ', 'gbp']) {
      const refused = await station.send('settings.update', { currencyCode: code })
      expect(!refused.ok && refused.error.code).toBe('invalid_input')
      expect(!refused.ok && JSON.stringify(refused.error)).toContain('three capital letters')
    }
    expect(await currency()).toMatchObject({ code: 'KWD' })
  })

  it("takes Circuit's currency from /me at a pull, keeps it when a later /me says nothing of it, and prints in it", async () => {
    sim.store.currency = {
      key: 'eur',
      code: 'EUR',
      symbol: '€',
      template: '@amount @symbol',
      decimal_sign: ',',
      decimal_amount: 2,
      thousands_sign: '.'
    }
    await station.pull('2')
    expect(await currency()).toEqual({ code: 'EUR', decimals: 2, symbol: '€' })

    // A /me shaped like the legacy docs: no config at all.
    proxy.rule = (path) =>
      /\/me(\?|$)/.test(path)
        ? { body: JSON.stringify({ data: [{ id: '1', label: 'Demo Clerk', name: 'Demo Clerk', roles: ['clerk'] }] }) }
        : 'pass'
    await station.pull('2')
    expect(proxy.log.filter((l) => /\/me(\?|$)/.test(l)).length).toBeGreaterThanOrEqual(2)
    expect(await currency()).toEqual({ code: 'EUR', decimals: 2, symbol: '€' })
    proxy.rule = () => 'pass'

    const order = [...sim.store.orders.values()].find((o) => o.saleId === '2' && o.type === 'bidder')!
    const r = await station.call<PrintResult>('print.invoice', { orderId: order.id })
    const text = execFileSync('pdftotext', ['-layout', r.path, '-'], { encoding: 'utf8' })
    const total = sim.store.orderTotals(order).grandTotal
    expect(text).toContain(`€${(total / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`)
    expect(text).not.toContain('£')
  })
})
