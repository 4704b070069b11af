// Where the podium's bid steps come from: the sale names its rule, the pull
// keeps the rule's ranges (decoded from Circuit's decimal text) as minor
// units in the reference term, and the podium reads them from there. A term
// in the API docs' shape ({id, label}, no ranges) leaves the podium without
// steps: no off-step warning, nothing refused.
import { afterEach, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, ClerkResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator | undefined
let station: Station | undefined
let cleanup: (() => void) | undefined

afterEach(async () => {
  await station?.close()
  await sim?.close()
  cleanup?.()
  station = sim = cleanup = undefined
})

/** The demo's sale 1 pulled over HTTP, after `prepare` has changed what the simulator hands out. */
async function pulled(prepare: (s: RunningSimulator) => void = () => {}) {
  sim = await startSimulator({ seed: 1, lots: 40, clients: 20, quiet: true })
  prepare(sim)
  const t = tempDir('saleroom-steps-')
  cleanup = t.cleanup
  station = await startStation(t.dir, sim.url, { name: 'Podium' })
  await station.pull('1')
  const s = station
  const board = await s.call<ClerkBoard>('clerking.board', { saleId: '1' })
  const term = (id: string) =>
    s.core
      .replica()!
      .raw.prepare(`SELECT label, attrs FROM reference_terms WHERE vocabulary = 'bid_steps' AND id = ?`)
      .get(id) as { label: string; attrs: string } | undefined
  return { s, board, term }
}

describe('the bid steps reach the podium', () => {
  it("keeps the demo's ranges as minor units in the term's attrs.ranges", async () => {
    const { term, board } = await pulled()
    expect(JSON.parse(term('22')!.attrs)).toEqual({
      ranges: [
        { from: 0, increment: 2_00 },
        { from: 50_00, increment: 5_00 },
        { from: 200_00, increment: 10_00 },
        { from: 1_000_00, increment: 50_00 }
      ]
    })
    expect(board.bidSteps).toHaveLength(8) // the sale's rule is Standard
  })

  it("a term in the docs' shape ({id, label}) gives no steps and questions nothing", async () => {
    const { s, board, term } = await pulled((sim) => {
      sim.store.taxonomies.set('bid_steps', [
        { id: '21', label: 'Standard' },
        { id: '22', label: 'Coins' }
      ])
    })
    expect(term('21')).toMatchObject({ label: 'Standard' })
    expect(JSON.parse(term('21')!.attrs)).toEqual({})
    expect(board.bidSteps).toBeNull()
    const lot = board.lots.find((l) => l.status === 'available' && (l.reserve ?? 0) <= 63_00)!
    const paddle = board.bidders.find((b) => b.type === 'floor')!.paddle
    const sold = await s.call<ClerkResult>('clerking.sell', { itemId: lot.id, paddle, amount: 63_00 })
    expect(sold.lot).toMatchObject({ status: 'sold', hammer: 63_00 })
  })
})
