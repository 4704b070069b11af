// Property: any sequence of podium actions taken offline, then sent through
// any mix of failures, leaves Circuit, the replica and a plain model of the
// lots in the same state, with nothing left in the outbox.
import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from './proxy'
import { startStation, type Station } from './stations'

type Lot = { status: 'available' | 'sold' | 'unsold' | 'withdrawn'; hammer: number | null; paddle: string | null }
type Action =
  | { kind: 'sell'; lot: number; paddle: number; amount: number }
  | { kind: 'pass' | 'withdraw' | 'reopen'; lot: number }
  | { kind: 'undo' }

const LOTS = 3
const UNCLERKED: Lot = { status: 'available', hammer: null, paddle: null }

/** The podium's rules, written as plainly as possible. */
class Model {
  lots: Lot[] = Array.from({ length: LOTS }, () => ({ ...UNCLERKED }))
  stack: { lot: number; before: Lot; after: Lot; undone: boolean }[] = []

  private set(lot: number, next: Lot) {
    this.stack.push({ lot, before: this.lots[lot], after: next, undone: false })
    this.lots[lot] = next
  }

  apply(a: Action, paddles: string[]): void {
    if (a.kind === 'undo') {
      const last = [...this.stack].reverse().find((e) => !e.undone)
      if (!last) return
      const now = this.lots[last.lot]
      if (now.status !== last.after.status || now.hammer !== last.after.hammer || now.paddle !== last.after.paddle)
        return
      last.undone = true
      this.lots[last.lot] = last.before
      return
    }
    const cur = this.lots[a.lot]
    if (a.kind === 'sell') {
      const paddle = paddles[a.paddle]
      if (cur.status === 'sold' && cur.hammer === a.amount && cur.paddle === paddle) return
      this.set(a.lot, { status: 'sold', hammer: a.amount, paddle })
      return
    }
    const status = a.kind === 'pass' ? 'unsold' : a.kind === 'withdraw' ? 'withdrawn' : 'available'
    if (cur.status === status) return
    this.set(a.lot, { status, hammer: null, paddle: null })
  }
}

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('sell' as const),
    lot: fc.nat(LOTS - 1),
    paddle: fc.nat(2),
    amount: fc.integer({ min: 1, max: 4 }).map((n) => n * 50_00)
  }),
  fc.record({ kind: fc.constantFrom('pass' as const, 'withdraw' as const, 'reopen' as const), lot: fc.nat(LOTS - 1) }),
  fc.constant({ kind: 'undo' as const })
)

const failures = fc.record({
  error500Rate: fc.constantFrom(0, 0.2, 0.5),
  dropAfterApplyRate: fc.constantFrom(0, 0.2, 0.5),
  rate429: fc.constantFrom(0, 0.1)
})

let open: { sim: RunningSimulator; proxy: TestProxy; station: Station; cleanup(): void }[] = []
afterEach(async () => {
  for (const o of open) {
    await o.station.close()
    await o.proxy.close()
    await o.sim.close()
    o.cleanup()
  }
  open = []
})

describe('outbox property', () => {
  it('offline actions + random failures converge on the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), failures, async (actions, faults) => {
        const sim = await startSimulator({ seed: 21, lots: 20, clients: 20, quiet: true })
        const proxy = await startProxy(sim.url)
        const t = tempDir('saleroom-prop-')
        const station = await startStation(t.dir, proxy.url)
        open.push({ sim, proxy, station, cleanup: t.cleanup })
        try {
          await station.pull('1')
          const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
          const lots = board.lots.slice(0, LOTS)
          const paddles = board.bidders.slice(0, 3).map((b) => b.paddle)

          // Offline: every request is cut before it reaches Circuit.
          proxy.rule = () => 'drop'
          const model = new Model()
          for (const a of actions) {
            model.apply(a, paddles)
            const input =
              a.kind === 'undo'
                ? {}
                : a.kind === 'sell'
                  ? { itemId: lots[a.lot].id, paddle: paddles[a.paddle], amount: a.amount, confirm: true }
                  : { itemId: lots[a.lot].id }
            await station.send(`clerking.${a.kind}`, input)
          }
          await station.core.pusher()!.drain()

          // Back online, through failures.
          await fetch(`${sim.url}/_sim/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ ...faults, retryAfterSeconds: 0 })
          })
          proxy.rule = () => 'pass'
          await station.settle(10_000)
          expect(station.openEntries()).toEqual([])

          const local = await station.call<ClerkBoard['lots']>('clerking.lots', { ids: lots.map((l) => l.id) })
          for (let i = 0; i < LOTS; i++) {
            const want = model.lots[i]
            const server = sim.store.items.get(lots[i].id)!
            const here = local.find((l) => l.id === lots[i].id)!
            expect({ status: server.status, hammer: server.hammer }).toEqual({
              status: want.status,
              hammer: want.hammer
            })
            expect({ status: here.status, hammer: here.hammer, paddle: here.paddle }).toEqual(want)
          }
        } finally {
          const o = open.pop()!
          await o.station.close()
          await o.proxy.close()
          await o.sim.close()
          o.cleanup()
        }
      }),
      { numRuns: Number(process.env.SALEROOM_PROPERTY_RUNS ?? 25), seed: 4242, endOnFailure: true } // no shrinking: each failing run waits out a drain time-out
    )
  }, 300_000)
})
