// The outbox sender against the simulator over real HTTP, with real SQLite
// files: every clerking action reaches Circuit exactly once, whatever the
// network does, and nothing is overwritten or dropped silently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, ClerkResult, OutboxEntry, StatusSnapshot } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from './stations'
import { makeClient } from '../circuit/helpers'
import { startProxy } from './proxy'
import { applyPulledPage } from '../../src-main/sync/pulled'
import { senderGeneration } from '../../src-main/sync/sender-writes'
import { buildSyncRegistry } from '../../src-main/app/compose'

let sim: RunningSimulator
let dirs: { cleanup(): void }[] = []
let stations: Station[] = []

async function station(name = 'A') {
  const t = tempDir()
  dirs.push(t)
  const s = await startStation(t.dir, sim.url, { name })
  stations.push(s)
  await s.pull('1')
  return s
}

const simPost = (path: string, body: unknown) =>
  fetch(`${sim.url}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  }).then((r) => r.json())

const simItem = (id: string) => sim.store.items.get(id)!

beforeEach(async () => {
  sim = await startSimulator({ seed: 5, lots: 60, clients: 40, quiet: true })
})
afterEach(async () => {
  for (const s of stations) await s.close()
  stations = []
  await sim.close()
  for (const d of dirs) d.cleanup()
  dirs = []
})

/** The lots of sale 1 with a paddle that is registered in it. */
async function board(s: Station) {
  const b = await s.call<ClerkBoard>('clerking.board', { saleId: '1' })
  const paddle = b.bidders[0]
  return { b, lots: b.lots, paddle }
}

describe('the outbox sender', () => {
  it('takes sell, pass, withdraw, reopen and undo to Circuit and ends with the replica equal to the server', async () => {
    const s = await station()
    const { lots, paddle } = await board(s)
    const price = (lots[0].reserve ?? 0) + 100_00
    await s.call<ClerkResult>('clerking.sell', {
      itemId: lots[0].id,
      paddle: paddle.paddle,
      amount: price,
      confirm: true
    })
    await s.call('clerking.pass', { itemId: lots[1].id })
    await s.call('clerking.withdraw', { itemId: lots[2].id })
    await s.call('clerking.sell', { itemId: lots[3].id, paddle: paddle.paddle, amount: 50_00, confirm: true })
    await s.call('clerking.undo')
    await s.call('clerking.pass', { itemId: lots[4].id })
    await s.call('clerking.reopen', { itemId: lots[4].id })
    expect((await s.call<StatusSnapshot>('app.status')).pending).toBe(7)

    await s.settle()
    expect(simItem(lots[0].id)).toMatchObject({ status: 'sold', hammer: price, winnerId: paddle.clientId })
    expect(simItem(lots[1].id).status).toBe('unsold')
    expect(simItem(lots[2].id).status).toBe('withdrawn')
    expect(simItem(lots[3].id).status).toBe('available')
    expect(simItem(lots[4].id).status).toBe('available')
    expect(s.openEntries()).toEqual([])
    const status = await s.call<StatusSnapshot>('app.status')
    expect(status).toMatchObject({ pending: 0, needsAttention: 0, conflicts: 0 })
    expect(status.lastSyncAt).not.toBeNull()

    // The replica now holds Circuit's own stamps for what it sent.
    const db = s.core.replica()!.raw
    for (const lot of lots.slice(0, 5)) {
      const row = db.prepare('SELECT status, hammer, server_updated FROM items WHERE id = ?').get(lot.id) as {
        status: string
        hammer: number | null
        server_updated: string
      }
      expect(row.status).toBe(simItem(lot.id).status)
      expect(row.hammer).toBe(simItem(lot.id).hammer)
      expect(Date.parse(row.server_updated)).toBe(Math.floor(simItem(lot.id).updated / 1000) * 1000)
    }
  })

  it('an answer lost after Circuit applied the hammer is read back, not sent again', async () => {
    const s = await station()
    const { lots, paddle } = await board(s)
    await simPost('faults', { dropAfterApplyRate: 1 })
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 120_00, confirm: true })
    await s.core.pusher()!.drain()
    // Sent once, its answer lost: the outcome is unknown — unless the retry's read-back (a few
    // milliseconds later) has already found it applied. Either way it is never sent again.
    const sentOnce = () =>
      s.core.replica()!.raw.prepare(`SELECT state, attempts FROM outbox`).get() as { state: string; attempts: number }
    expect(sentOnce().attempts).toBe(1)
    expect(['unknown', 'in_flight', 'done']).toContain(sentOnce().state)
    expect(simItem(lots[0].id).status).toBe('sold')
    const historyBefore = sim.store.items.get(lots[0].id)!.updated

    await simPost('faults', { dropAfterApplyRate: 0 })
    await s.settle()
    expect(s.openEntries()).toEqual([])
    // Nothing was written a second time: the record's stamp did not move.
    expect(sim.store.items.get(lots[0].id)!.updated).toBe(historyBefore)
    expect(s.core.pusher()!.totals.alreadyApplied).toBe(1)
    expect(sentOnce()).toEqual({ state: 'done', attempts: 1 })
  })

  it('a lot clerked differently on Circuit meanwhile stops that lot as a conflict with both versions; others go on', async () => {
    const s = await station()
    const { lots, paddle, b } = await board(s)
    const other = b.bidders[1]
    await simPost('station-edit', { op: 'sell', item: lots[0].id, paddle: other.paddle, price: '999.00' })
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
    await s.call('clerking.pass', { itemId: lots[0].id }) // waits behind the conflict
    await s.call('clerking.pass', { itemId: lots[1].id }) // another lot: not blocked
    await s.settle()

    const entries = await s.call<OutboxEntry[]>('outbox.list', {})
    expect(entries.map((e) => e.state)).toEqual(['conflict', 'pending'])
    expect(entries[0].conflict).toMatchObject({
      ours: expect.stringContaining(`paddle ${paddle.paddle} for £150.00`),
      theirs: expect.stringContaining('£999.00')
    })
    expect(simItem(lots[0].id)).toMatchObject({ status: 'sold', hammer: 999_00, winnerId: other.clientId })
    expect(simItem(lots[1].id).status).toBe('unsold')
    const board2 = await s.call<ClerkBoard>('clerking.board', { saleId: '1' })
    expect(board2.lots.find((l) => l.id === lots[0].id)?.conflict).toBe(true)

    // Keep mine: sent over Circuit's version, then the pass behind it.
    await s.call('outbox.keepMine', { seq: entries[0].seq })
    await s.settle()
    expect(simItem(lots[0].id).status).toBe('unsold')
    expect(s.openEntries()).toEqual([])
  })

  it("take theirs drops this station's unsent changes to that lot and shows Circuit's result", async () => {
    const s = await station()
    const { lots, paddle, b } = await board(s)
    await simPost('station-edit', { op: 'sell', item: lots[0].id, paddle: b.bidders[1].paddle, price: '640.00' })
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
    await s.settle()
    const [entry] = await s.call<OutboxEntry[]>('outbox.list', {})
    expect(entry.state).toBe('conflict')
    await s.call('outbox.takeTheirs', { seq: entry.seq })
    const lot = (await s.call<ClerkBoard>('clerking.board', { saleId: '1' })).lots.find((l) => l.id === lots[0].id)!
    expect(lot).toMatchObject({
      status: 'sold',
      hammer: 640_00,
      paddle: b.bidders[1].paddle,
      conflict: false,
      pending: false
    })
    expect(s.openEntries()).toEqual([])
    const audit = await s.call<{ action: string }[]>('audit.list', { limit: 5 })
    expect(audit[0].action).toBe('outbox.takeTheirs')
  })

  it('a pull finds the conflict before the sender does, and never overwrites the unsent change', async () => {
    const s = await station()
    const { lots, paddle, b } = await board(s)
    // Offline: the sender is not running; the hammer waits in the outbox.
    await s.core.pusher()!.close()
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
    await simPost('station-edit', { op: 'sell', item: lots[0].id, paddle: b.bidders[1].paddle, price: '640.00' })
    await s.pull('1')
    const [entry] = await s.call<OutboxEntry[]>('outbox.list', {})
    expect(entry.state).toBe('conflict')
    const row = s.core.replica()!.raw.prepare('SELECT hammer FROM items WHERE id = ?').get(lots[0].id) as {
      hammer: number
    }
    expect(row.hammer).toBe(150_00)
  })

  it('a page read before our last change reached Circuit is a stale read, not a conflict with the next change', async () => {
    const s = await station()
    const { lots, paddle } = await board(s)
    // The page is asked for now and answered only after the change below has been acknowledged: it
    // shows the lot as it was before (a follow-up pull overtaken by the sender).
    const { client } = makeClient(sim.url)
    const stale = (await client.listAll('items.list', { filter: { sale: '1' } }, { range: 100 })).find(
      (r) => r.id === lots[0].id
    )!
    expect(stale.status).toBe('available')
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
    await s.settle()
    expect(s.openEntries()).toEqual([])
    // The next change waits (offline): based on the lot sold at 150.
    await s.core.pusher()!.close()
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 175_00, confirm: true })
    const db = s.core.replica()!
    db.tx(() => applyPulledPage(db, buildSyncRegistry(db), 'item', [stale]))
    expect(s.openEntries()).toEqual([{ state: 'pending', n: 1 }])
    const row = db.raw.prepare('SELECT hammer FROM items WHERE id = ?').get(lots[0].id) as { hammer: number }
    expect(row.hammer).toBe(175_00)
    // A version that is neither what we had nor what we make is still a conflict at once.
    const theirs = { ...stale, status: 'sold' as const, hammer: 640_00 }
    db.tx(() => applyPulledPage(db, buildSyncRegistry(db), 'item', [theirs]))
    expect(s.openEntries()).toEqual([{ state: 'conflict', n: 1 }])
  })

  it('a copy fetched before the sender wrote Circuit’s answer to our change is not put back over it (a venue follower)', async () => {
    const s = await station()
    const { lots, paddle } = await board(s)
    const db = s.core.replica()!
    // The follower takes the sender's generation, then awaits its fetch; meanwhile our hammer is acknowledged.
    const readFrom = senderGeneration(db)
    const { client } = makeClient(sim.url)
    const fetched = (await client.listAll('items.list', { filter: { sale: '1' } }, { range: 100 })).filter((r) =>
      [lots[0].id, lots[1].id].includes(r.id)
    )
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
    await s.settle()
    expect(s.openEntries()).toEqual([])
    const retitled = fetched.map((r) => (r.id === lots[1].id ? { ...r, title: 'Retitled at the hub' } : r))
    db.tx(() => applyPulledPage(db, buildSyncRegistry(db), 'item', retitled, { readFrom }))
    const row = (id: string) =>
      db.raw.prepare('SELECT status, hammer, title FROM items WHERE id = ?').get(id) as {
        status: string
        hammer: number | null
        title: string
      }
    // The sold lot stays sold (the fetched copy is older); the other lot takes the fetched copy.
    expect(row(lots[0].id)).toMatchObject({ status: 'sold', hammer: 150_00 })
    expect(row(lots[1].id).title).toBe('Retitled at the hub')
    // Without the generation, the older copy would have been written back: the race this guards.
    db.tx(() => applyPulledPage(db, buildSyncRegistry(db), 'item', fetched))
    expect(row(lots[0].id).status).toBe('available')
  })

  it('a sale pull whose page was asked for before our hammer reached Circuit, and answered after, does not put the lot back', async () => {
    const proxy = await startProxy(sim.url)
    const t = tempDir()
    dirs.push(t)
    const s = await startStation(t.dir, proxy.url)
    stations.push(s)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let answered!: () => void
    const fetched = new Promise<void>((r) => (answered = r))
    try {
      await s.pull('1')
      const { lots, paddle } = await board(s)
      // Retitled on Circuit, so the next (delta) pull's page of lots holds the lot, as it is before our hammer.
      await simPost('station-edit', { op: 'edit-item', item: lots[0].id, fields: { title: 'Retitled on Circuit' } })
      let armed = true
      proxy.rule = (path) => {
        if (!armed || !path.includes('/datatable-items?')) return 'pass'
        armed = false
        return { holdAnswer: held, answered }
      }
      const pulling = s.pull('1')
      await fetched
      await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 150_00, confirm: true })
      await s.settle()
      expect(simItem(lots[0].id)).toMatchObject({ status: 'sold' })
      release()
      await pulling
      const row = s.core
        .replica()!
        .raw.prepare('SELECT status, hammer, title FROM items WHERE id = ?')
        .get(lots[0].id) as { status: string; hammer: number | null; title: string }
      // The sender's copy (Circuit's answer to the hammer) stays; it already has the new title.
      expect(row).toEqual({ status: 'sold', hammer: 150_00, title: 'Retitled on Circuit' })
      expect(s.openEntries()).toEqual([])
    } finally {
      release()
      await proxy.close()
    }
  })

  it('a row a pull skipped while our change was waiting arrives once Circuit acknowledges the change', async () => {
    const t = tempDir()
    dirs.push(t)
    const s = await startStation(t.dir, sim.url)
    await s.pull('1')
    const { lots } = await board(s)
    await s.core.pusher()!.close()
    await s.call('clerking.pass', { itemId: lots[0].id })
    await simPost('station-edit', { op: 'edit-item', item: lots[0].id, fields: { title: 'Retitled on Circuit' } })
    await s.pull('1') // skips the row: our pass is still waiting
    const title = (st: Station) =>
      (st.core.replica()!.raw.prepare('SELECT title FROM items WHERE id = ?').get(lots[0].id) as { title: string })
        .title
    expect(title(s)).not.toBe('Retitled on Circuit')
    // The edit did not touch the result, so it is no conflict: our pass is still to send.
    expect(s.openEntries()).toEqual([{ state: 'pending', n: 1 }])
    await s.close()

    // After a restart the sender sends it; the acknowledgement brings Circuit's row, edit included.
    const again = await startStation(t.dir, sim.url)
    stations = [again]
    await again.settle()
    expect(title(again)).toBe('Retitled on Circuit')
    expect(simItem(lots[0].id).status).toBe('unsold')
  })

  it('429 pauses the whole queue until retry_after; a 4xx needs attention and only that lot waits', async () => {
    const s = await station()
    const { lots, paddle } = await board(s)
    await simPost('faults', { rate429: 1, retryAfterSeconds: 1 })
    await s.call('clerking.pass', { itemId: lots[0].id })
    await s.core.pusher()!.drain()
    const paused = await s.call<StatusSnapshot>('app.status')
    expect(paused.paused?.reason).toMatch(/asked us to wait/)
    expect(paused.pending).toBe(1)
    await simPost('faults', { rate429: 0 })

    // A paddle nobody registered, confirmed at the podium: Circuit cannot take it.
    await s.call('clerking.sell', { itemId: lots[1].id, paddle: '9999', amount: 100_00, confirm: true })
    await s.call('clerking.pass', { itemId: lots[1].id })
    await s.call('clerking.sell', { itemId: lots[2].id, paddle: paddle.paddle, amount: 100_00, confirm: true })
    await s.settle()
    const entries = await s.call<OutboxEntry[]>('outbox.list', {})
    expect(entries.map((e) => [e.entityId, e.state])).toEqual([
      [lots[1].id, 'needs_attention'],
      [lots[1].id, 'pending']
    ])
    expect(entries[0].lastError).toMatch(/Paddle 9999 is not registered/)
    expect(simItem(lots[0].id).status).toBe('unsold')
    expect(simItem(lots[2].id).status).toBe('sold')
    expect((await s.call<StatusSnapshot>('app.status')).needsAttention).toBe(1)

    // Discard asks for confirmation, then the lot's next change goes through.
    expect((await s.send('outbox.discard', { seq: entries[0].seq })).ok).toBe(false)
    await s.call('outbox.discard', { seq: entries[0].seq, confirm: true })
    await s.settle()
    expect(simItem(lots[1].id).status).toBe('unsold')
  })

  it('entries left in flight by a crash go back on start and are decided by reading Circuit', async () => {
    const t = tempDir()
    dirs.push(t)
    const s = await startStation(t.dir, sim.url)
    await s.pull('1')
    const { lots, paddle } = await board(s)
    await s.core.pusher()!.close()
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 110_00, confirm: true })
    await s.call('clerking.pass', { itemId: lots[1].id })
    // As if the process died mid-send: one applied on Circuit, both leased.
    await simPost('station-edit', { op: 'sell', item: lots[0].id, paddle: paddle.paddle, price: '110.00' })
    s.core.replica()!.raw.exec(`UPDATE outbox SET state = 'in_flight', lease_until = 1, sent_at = 1 WHERE seq = 1`)
    s.core.replica()!.raw.exec(`UPDATE outbox SET state = 'in_flight', lease_until = 1 WHERE seq = 2`)
    const stamp = simItem(lots[0].id).updated
    await s.close()
    stations = []

    const again = await startStation(t.dir, sim.url)
    stations.push(again)
    await again.settle()
    expect(again.openEntries()).toEqual([])
    expect(simItem(lots[0].id).updated).toBe(stamp) // read back as applied, not sent twice
    expect(simItem(lots[1].id).status).toBe('unsold')
  })
})

describe('the outbox sender when Circuit says something unexpected', () => {
  it('a write Circuit records differently (a hammer 100× off) stops all sending with a clear error until retried', async () => {
    const { startProxy } = await import('./proxy')
    const { serializeItem } = await import('../../src-main/circuit-sim/routes/items')
    const proxy = await startProxy(sim.url)
    const t = tempDir()
    dirs.push(t)
    const s = await startStation(t.dir, proxy.url)
    stations.push(s)
    await s.pull('1')
    const { lots, paddle } = await board(s)
    // Circuit answers the PATCH as if it had read our cents as units.
    const item = sim.store.items.get(lots[0].id)!
    const claimed = { ...item, status: 'sold' as const, hammer: 120_00 * 100, winnerId: paddle.clientId }
    proxy.rule = (path) =>
      path.startsWith(`/api/v1.0/datatable-items/${lots[0].id}`) && !path.includes('?')
        ? { body: JSON.stringify({ data: [serializeItem(sim.store, claimed)] }) }
        : 'pass'
    await s.call('clerking.sell', { itemId: lots[0].id, paddle: paddle.paddle, amount: 120_00, confirm: true })
    await s.call('clerking.pass', { itemId: lots[1].id })
    await s.core.pusher()!.drain()
    const status = await s.call<StatusSnapshot>('app.status')
    expect(status.paused?.reason).toMatch(
      /Sending stopped: Circuit recorded lot \d+ as sold to paddle \w+ for £12,000\.00, not sold to paddle \w+ for £120\.00/
    )
    expect(status.needsAttention).toBe(1)
    // Nothing else was sent after the mismatch.
    expect(sim.store.items.get(lots[1].id)!.status).toBe('available')
    // Once it is looked into and retried from the Sync screen, sending goes on.
    proxy.rule = () => 'pass'
    const [stuck] = await s.call<OutboxEntry[]>('outbox.list', {})
    expect(stuck.state).toBe('needs_attention')
    await s.call('outbox.retry', { seq: stuck.seq })
    await s.settle()
    expect(sim.store.items.get(lots[0].id)).toMatchObject({ status: 'sold', hammer: 120_00 })
    expect(sim.store.items.get(lots[1].id)!.status).toBe('unsold')
    expect((await s.call<StatusSnapshot>('app.status')).paused).toBeNull()
    await proxy.close()
  })

  it('a log-in Circuit refuses (401) pauses sending and asks for credentials; it resumes when Circuit answers again', async () => {
    const { startProxy } = await import('./proxy')
    const proxy = await startProxy(sim.url)
    const t = tempDir()
    dirs.push(t)
    const s = await startStation(t.dir, proxy.url)
    stations.push(s)
    await s.pull('1')
    const { lots } = await board(s)
    const unauthorized = JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'Wrong credentials.' })
    await simPost('expire-tokens', {})
    proxy.rule = () => ({ status: 401, body: unauthorized })
    await s.call('clerking.pass', { itemId: lots[0].id })
    await s.core.pusher()!.drain()
    const paused = await s.call<StatusSnapshot>('app.status')
    expect(paused.paused?.reason).toMatch(/log in again/)
    expect(paused.pending).toBe(1)
    expect(sim.store.items.get(lots[0].id)!.status).toBe('available')
    proxy.rule = () => 'pass'
    await expect.poll(async () => (await s.call<StatusSnapshot>('app.status')).pending, { timeout: 10_000 }).toBe(0)
    expect(sim.store.items.get(lots[0].id)!.status).toBe('unsold')
    await proxy.close()
  })
})
