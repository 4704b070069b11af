// The clerking calls (src-main/circuit/clerking-ops.ts) against the simulator
// over real HTTP: every result Circuit is told, and what it answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createCircuitClient, type CircuitApiClient } from '../../src-main/circuit/client'
import * as ops from '../../src-main/circuit/clerking-ops'
import { CircuitConfigError, CircuitHttpError } from '../../src-main/circuit/errors'
import { createMemorySecretStore } from '../../src-main/circuit/secret-store'

let sim: RunningSimulator
let client: CircuitApiClient
let ids: string[]
let buyer: { clientId: string; paddle: string }

beforeAll(async () => {
  sim = await startSimulator({ seed: 8, lots: 40, clients: 30, quiet: true })
  client = createCircuitClient({
    baseUrl: sim.url,
    now: Date.now,
    secrets: createMemorySecretStore(),
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' })
  })
  ids = [...sim.store.items.values()].filter((i) => i.saleId === '1').map((i) => i.id)
  const b = [...sim.store.bidders.values()].find((x) => x.saleId === '1')!
  buyer = { clientId: b.clientId, paddle: b.number }
})
afterAll(async () => {
  await sim.close()
})

const state = (id: string) => {
  const i = sim.store.items.get(id)!
  return { status: i.status, hammer: i.hammer, winner: i.winnerId }
}

describe('clerking calls', () => {
  it('sell sends integer cents and the winner; the answer is the item as Circuit recorded it', async () => {
    const item = await ops.sell(client, ids[0], { ...buyer, amount: 85_000 })
    expect(ops.clerkState(item)).toEqual({ status: 'sold', hammer: 85_000, winnerClientId: buyer.clientId })
    expect(state(ids[0])).toEqual({ status: 'sold', hammer: 85_000, winner: buyer.clientId })
  })

  it('pass is sent as "unsold"; the simulator takes "passed" as the same status', async () => {
    expect(ops.clerkState(await ops.pass(client, ids[1])).status).toBe('unsold')
    expect(ops.PASS_STATUS).toBe('unsold')
    await client.items.patch(ids[2], { field_sold_status: 'passed' })
    expect(state(ids[2]).status).toBe('unsold')
  })

  it('withdraw (PATCH field_withdrawn) and the seed form items-bulk both withdraw', async () => {
    expect(ops.clerkState(await ops.withdraw(client, ids[3])).status).toBe('withdrawn')
    const bulk = await client.items.bulkUpdateStatus([ids[4], ids[5]], 'withdrawn')
    expect(bulk).toMatchObject({ operation: 'update_status', updated: 2, items: [ids[4], ids[5]] })
    expect([state(ids[4]).status, state(ids[5]).status]).toEqual(['withdrawn', 'withdrawn'])
    // A bad id in the list changes nothing.
    await expect(client.items.bulkUpdateStatus([ids[6], 'nope'], 'withdrawn')).rejects.toBeInstanceOf(CircuitHttpError)
    expect(state(ids[6]).status).toBe('available')
  })

  it('reopen takes a sold, a passed and a withdrawn lot back to available', async () => {
    await ops.sell(client, ids[7], { ...buyer, amount: 10_000 })
    await ops.pass(client, ids[8])
    await ops.withdraw(client, ids[9])
    for (const [id, from] of [
      [ids[7], 'sold'],
      [ids[8], 'unsold'],
      [ids[9], 'withdrawn']
    ] as const) {
      expect(ops.clerkState(await ops.reopen(client, id, from))).toEqual({
        status: 'available',
        hammer: null,
        winnerClientId: null
      })
    }
  })

  it('a replayed delete-winning-bid answers 422 "no winning bid", which reads as already applied', async () => {
    await ops.sell(client, ids[10], { ...buyer, amount: 10_000 })
    await client.items.deleteWinningBid(ids[10])
    const replay = await client.items.deleteWinningBid(ids[10]).catch((e: unknown) => e)
    expect(replay).toBeInstanceOf(CircuitHttpError)
    expect(ops.isNotSoldAnswer(replay)).toBe(true)
    // unsell treats it so, and answers the item as it stands.
    expect(ops.clerkState(await ops.unsell(client, ids[10])).status).toBe('available')
  })

  it('readItems fetches up to 100 items in one request, keyed by id; more is refused', async () => {
    const got = await ops.readItems(client, [ids[0], ids[1], 'no-such'])
    expect([...got.keys()].sort()).toEqual([ids[0], ids[1]].sort())
    expect(got.get(ids[0])!.updated).toBeTruthy()
    await expect(
      ops.readItems(
        client,
        Array.from({ length: 101 }, (_, i) => String(i))
      )
    ).rejects.toBeInstanceOf(CircuitConfigError)
  })

  it('the simulator logs each applied change once, in order', async () => {
    const log = sim.store.clerkingLog.filter((c) => c.item === ids[7])
    expect(log.map((c) => c.status)).toEqual(['sold', 'available'])
  })
})
