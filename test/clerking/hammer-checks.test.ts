// The hammer is checked before it is recorded: a price far above the estimate
// or off the sale's bid steps asks for a second Enter (needs_confirmation with
// the reasons), an amount past the contract's bound or a paddle too long is
// refused as invalid input, and none of them changes anything. Against the
// demo's sale (the simulator's seed), pulled over real HTTP into a real
// SQLite file, so the bid steps are the ones Circuit hands out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, ClerkResult, PodiumLot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  // The demo's seed: its sale 1 uses the "Standard" steps.
  sim = await startSimulator({ seed: 1, lots: 120, clients: 40, quiet: true })
  const t = tempDir('saleroom-hammer-')
  cleanups.push(t.cleanup)
  station = await startStation(t.dir, sim.url, { name: 'Podium' })
  await station.pull('1')
})
afterAll(async () => {
  await station?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

const board = () => station.call<ClerkBoard>('clerking.board', { saleId: '1' })

/** What a refused or questioned hammer must leave alone: the lot, the outbox, the audit log. */
function footprint(itemId: string) {
  const raw = station.core.replica()!.raw
  return {
    item: raw.prepare('SELECT status, hammer, winner_paddle FROM items WHERE id = ?').get(itemId),
    outbox: raw.prepare('SELECT count(*) AS n FROM outbox').get(),
    audit: raw.prepare('SELECT count(*) AS n FROM audit_log').get(),
    undo: raw.prepare('SELECT count(*) AS n FROM clerk_actions').get()
  }
}

let used = 0
/** An unclerked lot whose reserve (if any) is not above `amount`, and a paddle of the sale. */
async function freshLot(amount: number, where: (l: PodiumLot) => boolean = () => true) {
  const b = await board()
  const lots = b.lots.filter((l) => l.status === 'available' && (l.reserve ?? 0) <= amount && where(l))
  const lot = lots[used++ % lots.length]
  expect(lot, 'a lot for this check').toBeDefined()
  return { lot, paddle: b.bidders.find((x) => x.type === 'floor')!.paddle }
}

async function questioned(input: { itemId: string; paddle: string; amount: number }): Promise<string[]> {
  const before = footprint(input.itemId)
  const r = await station.send('clerking.sell', input)
  expect(r.ok).toBe(false)
  if (r.ok) return []
  expect(r.error.code).toBe('needs_confirmation')
  expect(footprint(input.itemId)).toEqual(before)
  return r.error.fields!.reasons
}

describe('the hammer is checked', () => {
  it('more than five times the high estimate asks for a second Enter and names the estimate', async () => {
    const { lot, paddle } = await freshLot(
      8_001_000_00,
      (l) => l.estimateLow === 1_200_00 && l.estimateHigh === 1_800_00
    )
    const reasons = await questioned({ itemId: lot.id, paddle, amount: 8_001_000_00 })
    expect(reasons).toEqual(['£8,001,000.00 is more than five times the high estimate of £1,800.00.'])

    // The second Enter records it, as typed.
    const sold = await station.call<ClerkResult>('clerking.sell', {
      itemId: lot.id,
      paddle,
      amount: 8_001_000_00,
      confirm: true
    })
    expect(sold.lot).toMatchObject({ status: 'sold', hammer: 8_001_000_00, paddle })
  })

  it('five times the high estimate exactly, on the steps, goes in on one Enter', async () => {
    const { lot, paddle } = await freshLot(9_000_00, (l) => l.estimateHigh === 1_800_00)
    const sold = await station.call<ClerkResult>('clerking.sell', { itemId: lot.id, paddle, amount: 9_000_00 })
    expect(sold.lot).toMatchObject({ status: 'sold', hammer: 9_000_00 })
  })

  it("the sale's bid steps are the demo's Standard table, in minor units", async () => {
    expect((await board()).bidSteps).toEqual([
      { from: 0, increment: 5_00 },
      { from: 100_00, increment: 10_00 },
      { from: 200_00, increment: 20_00 },
      { from: 500_00, increment: 50_00 },
      { from: 1_000_00, increment: 100_00 },
      { from: 2_000_00, increment: 200_00 },
      { from: 5_000_00, increment: 500_00 },
      { from: 10_000_00, increment: 1_000_00 }
    ])
  })

  it('off the bid steps asks for a second Enter and names the nearest steps', async () => {
    for (const [amount, text] of [
      [63_00, '£63.00 is off the bid steps: the nearest steps are £60.00 and £65.00.'],
      [41_00, '£41.00 is off the bid steps: the nearest steps are £40.00 and £45.00.'],
      [12_345_00, '£12,345.00 is off the bid steps: the nearest steps are £12,000.00 and £13,000.00.']
    ] as const) {
      // A lot whose estimate leaves only the steps to question.
      const { lot, paddle } = await freshLot(amount, (l) => (l.estimateHigh ?? 0) * 5 >= amount)
      expect(await questioned({ itemId: lot.id, paddle, amount })).toEqual([text])
    }
    // On a step, nothing to ask.
    const { lot, paddle } = await freshLot(60_00)
    const sold = await station.call<ClerkResult>('clerking.sell', { itemId: lot.id, paddle, amount: 60_00 })
    expect(sold.lot).toMatchObject({ status: 'sold', hammer: 60_00 })
  })

  it('an amount past the largest the contract takes is refused as invalid input, and nothing changes', async () => {
    const { lot, paddle } = await freshLot(100_000_000_000)
    for (const amount of [99_999_999_999_00, 100_000_000_001]) {
      const before = footprint(lot.id)
      const r = await station.send('clerking.sell', { itemId: lot.id, paddle, amount, confirm: true })
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'Invalid input for clerking.sell.',
          fields: { amount: ['Too large: an amount is at most 1,000,000,000.00 (100,000,000,000 minor units).'] }
        }
      })
      expect(footprint(lot.id)).toEqual(before)
    }
    // The bound itself is an amount (a questioned one).
    const reasons = await questioned({ itemId: lot.id, paddle, amount: 100_000_000_000 })
    expect(reasons.join(' ')).toMatch(/more than five times the high estimate/)
  })

  it('a paddle is at most 12 characters, with a message that says so', async () => {
    const { lot } = await freshLot(100_00)
    const before = footprint(lot.id)
    const r = await station.send('clerking.sell', { itemId: lot.id, paddle: '1234567890123', amount: 100_00 })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fields: { paddle: ['A paddle is at most 12 characters.'] } }
    })
    expect(footprint(lot.id)).toEqual(before)
  })
})
