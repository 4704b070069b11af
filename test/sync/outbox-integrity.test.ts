// The outbox when something other than the network goes wrong: a payload
// changed on disk (issue 16, F17), a round's save the disk refuses (F11), an
// ordinary difference in what Circuit recorded (issue 18 §2); and a retry
// from the Sync screen (never sent: as it is; sent: read back first). Real station,
// real SQLite file, the simulator over HTTP (through a proxy where Circuit
// must answer differently).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, OutboxEntry, StatusSnapshot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from './proxy'
import { startStation, type Station } from './stations'

let sim: RunningSimulator
let proxy: TestProxy
let station: Station
let cleanup = () => {}

beforeEach(async () => {
  sim = await startSimulator({ seed: 8, lots: 60, clients: 40, quiet: true })
  proxy = await startProxy(sim.url)
  const t = tempDir()
  cleanup = t.cleanup
  station = await startStation(t.dir, proxy.url, { name: 'Podium' })
  await station.pull('1')
})
afterEach(async () => {
  await station.close()
  await proxy.close()
  await sim.close()
  cleanup()
})

async function board() {
  const b = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
  return { lots: b.lots, bidders: b.bidders }
}
const raw = () => station.core.replica()!.raw
const entries = () => station.call<OutboxEntry[]>('outbox.list', {})

describe('what waits in the outbox is what was recorded', () => {
  it('retried from the Sync screen, an entry never sent goes as it is, and one sent before is read back first', async () => {
    const { lots, bidders } = await board()
    // The sender is stopped: what the retry leaves is looked at, not taken away at once.
    await station.core.pusher()!.close()
    await station.call('clerking.sell', { itemId: lots[0].id, paddle: bidders[0].paddle, amount: 88_00, confirm: true })
    await station.call('clerking.pass', { itemId: lots[1].id })
    const [never, sent] = await entries()
    raw().prepare(`UPDATE outbox SET state = 'needs_attention', last_error = 'stuck' WHERE seq = ?`).run(never.seq)
    raw()
      .prepare(`UPDATE outbox SET state = 'needs_attention', last_error = 'stuck', sent_at = 1 WHERE seq = ?`)
      .run(sent.seq)
    for (const e of [never, sent]) await station.call('outbox.retry', { seq: e.seq })
    const after = new Map((await entries()).map((e) => [e.seq, e]))
    expect(after.get(never.seq)).toMatchObject({ state: 'pending', lastError: null })
    expect(after.get(sent.seq)).toMatchObject({ state: 'unknown', lastError: null })
  })

  it('a stored payload changed on disk is never sent: that entry needs attention, the others go on (F17)', async () => {
    const { lots, bidders } = await board()
    // Nothing goes out while the rows are tampered with.
    proxy.rule = () => 'drop'
    await station.call('clerking.sell', { itemId: lots[0].id, paddle: bidders[0].paddle, amount: 88_00, confirm: true })
    await station.call('clerking.pass', { itemId: lots[1].id })
    // The sender has tried and given up for now: the entries wait on disk, not in its hands.
    await station.core.pusher()!.drain()
    // One changed byte: £88 becomes £98 in the waiting entry (the checksum stays as written).
    raw()
      .prepare(`UPDATE outbox SET payload = replace(payload, '"hammer":8800', '"hammer":9800') WHERE entity_id = ?`)
      .run(lots[0].id)
    proxy.rule = () => 'pass'
    await station.settle()
    const [damaged] = (await entries()).filter((e) => e.entityId === lots[0].id)
    expect(damaged.state).toBe('needs_attention')
    expect(damaged.lastError).toMatch(/damaged on disk/)
    expect(sim.store.items.get(lots[0].id)!.status).toBe('available')
    expect(sim.store.items.get(lots[1].id)!.status).toBe('unsold')
  })
})

describe('a round whose save the disk refuses', () => {
  it('keeps what Circuit answered, saves it once the disk takes writes again, and a later change of that lot still reaches Circuit (F11)', async () => {
    const { lots } = await board()
    const db = raw()
    // The moment Circuit has the pass, the station's disk stops taking writes.
    proxy.rule = (path) => {
      if (path.startsWith(`/api/v1.0/datatable-items/${lots[2].id}`) && !path.includes('?')) {
        db.pragma('query_only = ON')
      }
      return 'pass'
    }
    await station.call('clerking.pass', { itemId: lots[2].id })
    await station.core.pusher()!.drain()
    expect(sim.store.items.get(lots[2].id)!.status).toBe('unsold')
    const stuck = await station.call<StatusSnapshot>('app.status')
    expect(stuck.lastError).toMatch(/could not save what Circuit answered/)
    // The disk takes writes again: the round's decisions are saved, nothing is sent twice.
    proxy.rule = () => 'pass'
    db.pragma('query_only = OFF')
    await station.settle()
    const [pass] = (await station.call<OutboxEntry[]>('outbox.list', { history: true })).filter(
      (e) => e.entityId === lots[2].id
    )
    expect(pass.state).toBe('done')
    expect(proxy.log.filter((l) => l.startsWith(`PATCH /api/v1.0/datatable-items/${lots[2].id}`))).toHaveLength(1)
    // A reopen of that lot reaches Circuit (it was stuck behind an entry left in flight before).
    await station.call('clerking.reopen', { itemId: lots[2].id })
    await station.settle()
    expect(sim.store.items.get(lots[2].id)!.status).toBe('available')
    expect((await station.call<StatusSnapshot>('app.status')).lastError).toBeNull()
  })
})

describe('Circuit recording a write differently', () => {
  it('stops only that lot, as a conflict with both sides; others go on; keep mine sends ours over it', async () => {
    const { serializeItem } = await import('../../src-main/circuit-sim/routes/items')
    const { lots, bidders } = await board()
    const [mine, other] = [bidders[0], bidders[1]]
    // Circuit records the PATCH with the lot sold to another buyer (an ordinary difference, not units).
    proxy.rule = (path) => {
      if (path.startsWith(`/api/v1.0/datatable-items/${lots[3].id}`) && !path.includes('?')) {
        const item = sim.store.items.get(lots[3].id)!
        sim.store.applyItemHistory(
          item.id,
          { hammer: 150_00, winnerId: other.clientId, alias: other.paddle, soldStatus: 'sold' },
          'station-edit'
        )
        return { body: JSON.stringify({ data: [serializeItem(sim.store, item)] }) }
      }
      return 'pass'
    }
    await station.call('clerking.sell', { itemId: lots[3].id, paddle: mine.paddle, amount: 150_00, confirm: true })
    await station.call('clerking.pass', { itemId: lots[4].id })
    await station.settle()
    const status = await station.call<StatusSnapshot>('app.status')
    expect(status.paused).toBeNull()
    expect(status.conflicts).toBe(1)
    const [conflict] = (await entries()).filter((e) => e.entityId === lots[3].id)
    expect(conflict.state).toBe('conflict')
    expect(conflict.conflict).toMatchObject({
      ours: `sold to paddle ${mine.paddle} for £150.00`,
      theirs: expect.stringMatching(/^sold to /)
    })
    expect(sim.store.items.get(lots[4].id)!.status).toBe('unsold')
    // Keep mine: sent again over what Circuit holds, and this time it records ours.
    proxy.rule = () => 'pass'
    await station.call('outbox.keepMine', { seq: conflict.seq })
    await station.settle()
    expect(sim.store.items.get(lots[3].id)).toMatchObject({ status: 'sold', hammer: 150_00, winnerId: mine.clientId })
    expect((await entries()).filter((e) => e.entityId === lots[3].id)).toEqual([])
  })
})
