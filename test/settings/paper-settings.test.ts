// Settings for the paper: the terms, the bank details, collection notes, the
// footer, whether invoices print consignment numbers (off unless asked), and
// the charge defaults — Circuit's term defaults (the demo's Shipping Fee:
// 25.00 and 20 % VAT) until the station sets its own. On a real station that
// pulled the demo's sale over HTTP; every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { Settings } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 1, lots: 20, clients: 20, quiet: true })
  const t = tempDir('saleroom-paper-settings-')
  cleanups.push(t.cleanup)
  station = await startStation(t.dir, sim.url, { name: 'Cashier' })
  await station.pull('1')
})
afterAll(async () => {
  await station?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

const settings = () => station.call<Settings>('settings.get')
const shipping = (s: Settings) => s.chargeDefaults.find((c) => c.label === 'Shipping Fee')

describe('the paper texts in Settings', () => {
  it('start empty, with consignment numbers off', async () => {
    expect(await settings()).toMatchObject({
      termsText: '',
      bankDetails: '',
      collectionNotes: '',
      documentFooter: '',
      printConsignmentNumbers: false
    })
  })

  it('keep several lines each, and survive a read back', async () => {
    const texts = {
      termsText: 'Buyers pay within 7 days.\nLots are sold as seen.',
      bankDetails: 'Barclays, Kensington\nSort code 20-00-00 · Account 12345678\nIBAN GB33BUKB20201555555555',
      collectionNotes: 'Collect from the warehouse, Mon–Fri 9–5.\nShipping quotes on request.',
      documentFooter: 'Hartley & Finch Ltd · Registered in England 01234567',
      printConsignmentNumbers: true
    }
    const saved = await station.call<Settings>('settings.update', texts)
    expect(saved).toMatchObject(texts)
    expect(await settings()).toMatchObject(texts)
  })

  it('refuse control characters and over-long texts, and change nothing', async () => {
    const before = await settings()
    for (const bad of [{ termsText: 'Pay \u0007now' }, { bankDetails: 'x'.repeat(1001) }, { documentFooter: 42 }]) {
      const r = await station.send('settings.update', bad)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input')
        expect(
          Object.values(r.error.fields ?? {})
            .flat()
            .join(' ')
        ).not.toBe('')
      }
    }
    expect(await settings()).toEqual(before)
  })
})

describe('charge defaults', () => {
  it("are Circuit's term defaults when the station has set none: the demo's shipping is 25.00 at 20 %", async () => {
    const s = await settings()
    expect(shipping(s)).toMatchObject({ amount: 25_00, vatRateBp: 2000, source: 'circuit' })
    // Every kind of charge Circuit has, even one without defaults of its own.
    expect(s.chargeDefaults.map((c) => c.label).sort()).toEqual(
      ['Card surcharge', 'Insurance', 'Packing', 'Shipping Fee', 'Storage'].sort()
    )
    expect(s.chargeDefaults.find((c) => c.label === 'Packing')).toMatchObject({ amount: 8_50, vatRateBp: 2000 })
  })

  it("take the station's own amount and VAT, and go back to Circuit's when asked", async () => {
    const termId = shipping(await settings())!.termId
    const own = await station.call<Settings>('settings.update', {
      chargeDefaults: [{ termId, amount: 30_00, vatRateBp: 0 }]
    })
    expect(shipping(own)).toMatchObject({ amount: 30_00, vatRateBp: 0, source: 'station' })
    expect(shipping(await settings())).toMatchObject({ amount: 30_00, vatRateBp: 0, source: 'station' })
    const back = await station.call<Settings>('settings.update', { chargeDefaults: [{ termId, useCircuit: true }] })
    expect(shipping(back)).toMatchObject({ amount: 25_00, vatRateBp: 2000, source: 'circuit' })
  })

  it('refuse a kind of charge Circuit does not have, a negative amount or VAT over 100 %, changing nothing', async () => {
    const before = await settings()
    const termId = shipping(before)!.termId
    const unknown = await station.send('settings.update', {
      userName: 'Someone else',
      chargeDefaults: [{ termId: '999', amount: 1_00, vatRateBp: 2000 }]
    })
    expect(!unknown.ok && unknown.error).toMatchObject({ code: 'invalid_input' })
    expect(!unknown.ok && unknown.error.message).toContain('no kind of charge 999')
    for (const bad of [
      { termId, amount: -1, vatRateBp: 2000 },
      { termId, amount: 1_00, vatRateBp: 10_001 }
    ]) {
      const r = await station.send('settings.update', { chargeDefaults: [bad] })
      expect(!r.ok && r.error.code).toBe('invalid_input')
    }
    // The user name in the refused call was not written either: one transaction.
    expect(await settings()).toEqual(before)
  })
})
