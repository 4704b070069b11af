// Phone-bidder cards: the client and the simulator against one fixture (the
// documented body). Settled in one place (PhoneCardInput in the client):
// session_id is required — the docs' client treats it as optional, but a card
// without a session cannot be matched again, and the simulator refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import { phoneCardDecoder } from '../../src-main/circuit/decoders'
import { CircuitConfigError, CircuitHttpError } from '../../src-main/circuit/errors'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'
import type { PhoneCardInput } from '../../src-main/circuit'
import { caught } from './helpers'

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/phone-card-upsert.json'), 'utf8')) as {
  request: PhoneCardInput
  row: unknown
}

let sim: RunningSimulator
let client: CircuitApiClient
const sentBodies: unknown[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 8, lots: 40, clients: 30, quiet: true })
  client = createCircuitClient({
    baseUrl: sim.url,
    now: Date.now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
    fetch: async (url, init) => {
      if (String(url).includes('phone_bidder_cards') && init?.method === 'POST')
        sentBodies.push(JSON.parse(String(init.body)))
      return fetch(url, init)
    }
  })
})
afterAll(async () => {
  await sim.close()
})

describe('phone card upsert, one fixture for client and simulator', () => {
  it('the client sends exactly the documented body, and the simulator upserts it', async () => {
    const card = await client.phoneCards.upsert(fixture.request)
    expect(sentBodies.at(-1)).toEqual(fixture.request)
    expect(card).toMatchObject({ saleId: '1', sessionId: '204', clientId: '139', paddle: '301', lots: ['164', '165'] })
    const onSim = [...sim.store.phoneCards.values()].filter((c) => c.clientId === '139' && c.sessionId === '204')
    expect(onSim).toHaveLength(1)
    // Sent again: the same card, updated in place.
    await client.phoneCards.upsert(fixture.request)
    expect(
      [...sim.store.phoneCards.values()].filter((c) => c.clientId === '139' && c.sessionId === '204')
    ).toHaveLength(1)
  })

  it('without session_id the client refuses to send, and the simulator refuses the body', async () => {
    const { session_id: _s, ...noSession } = fixture.request
    const before = sentBodies.length
    expect(await caught(client.phoneCards.upsert(noSession as PhoneCardInput))).toBeInstanceOf(CircuitConfigError)
    expect(sentBodies).toHaveLength(before)
    const res = await client.call('phoneCards.upsert', { body: noSession }).catch((e: unknown) => e)
    expect(res).toBeInstanceOf(CircuitHttpError)
    expect((res as CircuitHttpError).status).toBe(422)
  })

  it('the documented row (no session, no lots) decodes, with the session left unknown', () => {
    const r = phoneCardDecoder.decode(fixture.row)
    expect(r.ok && r.value).toMatchObject({ id: '5001', sessionId: null, lots: [], paddle: '301' })
  })
})
