// An additional charge's `tax` is a RATE, not an amount (README.txt shows
// "tax": "21.00" on "amount": "25.00"). Decided in one place (CircuitCharge,
// ChargeInput in the client) and tested for the client and the simulator
// against the same fixture: the documented order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { orderDecoder } from '../../src-main/circuit/decoders'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/order-get.json'), 'utf8')) as {
  data: { additional_charges: { amount: string; tax: string }[] }[]
}
const documented = fixture.data[0].additional_charges[0] // {amount: "25.00", tax: "21.00"}

let sim: RunningSimulator
let client: CircuitApiClient
beforeAll(async () => {
  sim = await startSimulator({ seed: 8, lots: 40, clients: 30, quiet: true })
  client = createCircuitClient({
    baseUrl: sim.url,
    now: Date.now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' })
  })
})
afterAll(async () => {
  await sim.close()
})

describe('an additional charge carries a tax rate', () => {
  it('the client reads the documented charge as 21 % of 25.00 = 5.25', () => {
    const r = orderDecoder.decode(fixture.data[0])
    expect(r.ok && r.value.charges[0]).toMatchObject({ amount: 2500, taxRateBp: 2100, taxAmount: 525 })
  })

  it('the simulator takes the same charge as a rate and taxes it the same', async () => {
    const order = [...sim.store.orders.values()].find((o) => o.status === 'new' || o.status === 'in_process')!
    const term = (await client.terms.list('additional_charges')).rows[0]
    const before = sim.store.orderTotals(order)
    const patched = await client.orders.patch(order.id, {
      additional_charges: [
        {
          term: term.id,
          amount: Math.round(Number(documented.amount) * 100),
          taxRateBp: Math.round(Number(documented.tax) * 100)
        }
      ]
    })
    expect(patched!.charges[0]).toMatchObject({ amount: 2500, taxRateBp: 2100, taxAmount: 525 })
    const after = sim.store.orderTotals(sim.store.orders.get(order.id)!)
    expect(after.charges - before.charges).toBe(2500)
    expect(after.chargesVat - before.chargesVat).toBe(525)
  })
})
