// The write path, each figure against a baseline measured in the same run:
// - a hammer through the whole contract path (validation, queue, transaction,
//   outbox, audit, undo stack, the lot on the buyer's order) against a bare
//   better-sqlite3 transaction writing the same rows;
// - the outbox drain rate against the simulator's bare serial round-trip rate;
// - a whole 20,000-lot pull against a bare fetch + JSON.parse of the same pages.
import { buildSyncRegistry } from '../src-main/app/compose'
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { startSimulator } from '../src-main/circuit-sim'
import { createMemorySecretStore } from '../src-main/circuit'
import { manualClock } from '../src-main/core/clock'
import { EventBus } from '../src-main/core/event-bus'
import { silentLogger } from '../src-main/core/ports'
import { openReplica } from '../src-main/db/replica'
import { createCircuitGateway } from '../src-main/sync/circuit-gateway'
import { createSalePull } from '../src-main/sync/sale-pull'
import type { ClerkBoard } from '../src-shared/contract'
import { startProxy } from '../test/sync/proxy'
import { startStation } from '../test/sync/stations'
import { tempDir, testCore } from '../test/helpers'

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

async function token(url: string): Promise<string> {
  const login = await fetch(`${url}/api/login-token`, {
    headers: { authorization: `Basic ${Buffer.from('demo@saleroom.test:demo').toString('base64')}` }
  }).then((r) => r.json() as Promise<{ data: { token: string }[] }>)
  return login.data[0].token
}

async function hammerBench(lines: string[]): Promise<void> {
  const sim = await startSimulator({ seed: 1, lots: 1200, clients: 400, quiet: true })
  const t = tempDir('saleroom-bench-')
  try {
    const seeding = await startStation(t.dir, sim.url)
    await seeding.pull('1')
    await seeding.close()
    // No server: the hammer is measured alone, with nothing sending in the background.
    const core = await testCore(t.dir)
    const board = (await core.dispatch('clerking.board', { saleId: '1' })) as { ok: true; data: ClerkBoard }
    const lots = board.data.lots
    const paddle = board.data.bidders[0]
    const N = 3000
    const viaContract: number[] = []
    for (let i = 0; i < N; i++) {
      const started = performance.now()
      const r = await core.dispatch('clerking.sell', {
        itemId: lots[i % lots.length].id,
        paddle: paddle.paddle,
        amount: (i + 1) * 100,
        confirm: true
      })
      viaContract.push(performance.now() - started)
      if (!r.ok) throw new Error(r.error.message)
    }
    await core.close()

    // The same rows, written by hand in one bare transaction.
    const raw = new BetterSqlite3(join(t.dir, 'saleroom.db'))
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = FULL')
    const upd = raw.prepare(
      'UPDATE items SET status = ?, hammer = ?, winner_client_id = ?, winner_paddle = ? WHERE id = ?'
    )
    const out = raw.prepare(
      `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_version, label, next_attempt_at, created_at)
       VALUES (?, 'item', ?, 'clerk.sell', ?, 1, ?, 0, 0)`
    )
    const aud = raw.prepare(
      `INSERT INTO audit_log (at, actor, station, action, entity_type, entity_id, before, after) VALUES (0, 'a', 'b', 'clerking.sell', 'item', ?, ?, ?)`
    )
    const stack = raw.prepare(
      `INSERT INTO clerk_actions (at, station, item_id, action, before, after, audit_id) VALUES (0, 'b', ?, 'clerking.sell', ?, ?, ?)`
    )
    // The lot on the buyer's order (the checkout's mirror of the hammer): the buyer's open order, found and written.
    const findOrder = raw.prepare(
      `SELECT id FROM orders WHERE sale_id = ? AND client_id = ? AND type = 'bidder' AND status IN ('new', 'in_process') LIMIT 1`
    )
    const line = raw.prepare(
      `INSERT OR REPLACE INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax) VALUES (?, ?, ?, '', ?, 0, NULL, 0)`
    )
    const tx = raw.transaction((i: number) => {
      const lot = lots[i % lots.length]
      const state = JSON.stringify({
        status: 'sold',
        hammer: i,
        winnerClientId: paddle.clientId,
        paddle: paddle.paddle
      })
      upd.run('sold', i, paddle.clientId, paddle.paddle, lot.id)
      out.run(`bench-${i}`, lot.id, JSON.stringify({ base: state, target: state }), `Lot ${lot.lot}`)
      const a = aud.run(lot.id, state, state)
      stack.run(lot.id, state, state, Number(a.lastInsertRowid))
      const order = findOrder.get('1', paddle.clientId) as { id: string } | undefined
      if (order) line.run(order.id, lot.id, lot.lot, i)
    })
    const bare: number[] = []
    for (let i = 0; i < N; i++) {
      const started = performance.now()
      tx(i)
      bare.push(performance.now() - started)
    }
    raw.close()
    viaContract.sort((a, b) => a - b)
    bare.sort((a, b) => a - b)
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`
    lines.push(
      `hammer through the contract path (validation, queue, transaction, outbox, audit, undo stack, buyer's order): p50 ${us(pct(viaContract, 50))}, p99 ${us(pct(viaContract, 99))} vs a bare better-sqlite3 transaction writing the same rows p50 ${us(pct(bare, 50))}, p99 ${us(pct(bare, 99))} → ${(pct(viaContract, 50) / pct(bare, 50)).toFixed(2)}× at p50, ${(pct(viaContract, 99) / pct(bare, 99)).toFixed(2)}× at p99 (goal ≤ 1.5× at p50)`
    )
  } finally {
    await sim.close()
    t.cleanup()
  }
}

/** The simulator in its own process, as Circuit would be: its work does not share our thread. */
async function simProcess(lots: number, clients: number): Promise<{ url: string; close(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src-main/circuit-sim/cli.ts',
      '--port',
      '0',
      '--lots',
      String(lots),
      '--clients',
      String(clients)
    ],
    {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit']
    }
  )
  let out = ''
  const url = await new Promise<string>((ok, fail) => {
    proc.stdout!.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) ok(m[1])
    })
    proc.on('exit', (code) => fail(new Error(`simulator exited (${code}): ${out}`)))
  })
  return {
    url,
    close: () =>
      new Promise<void>((ok) => {
        proc.once('exit', () => ok())
        proc.kill('SIGTERM')
      })
  }
}

async function drainBench(lines: string[]): Promise<void> {
  const sim = await simProcess(1200, 400)
  const t = tempDir('saleroom-bench-')
  try {
    const s = await startStation(t.dir, sim.url)
    await s.pull('1')
    const board = await s.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const N = 1000
    await s.core.pusher()!.close() // queue offline, then measure the drain alone
    for (let i = 0; i < N; i++) {
      await s.call('clerking.sell', {
        itemId: board.lots[i].id,
        paddle: board.bidders[i % board.bidders.length].paddle,
        amount: (i + 1) * 500,
        confirm: true
      })
    }
    await s.close()
    const again = await startStation(t.dir, sim.url)
    const started = performance.now()
    await again.settle(300_000)
    const drainMs = performance.now() - started
    await again.close()

    // The simulator's bare serial round trip: the same PATCH, one after another, by plain fetch.
    const tok = await token(sim.url)
    const ids = board.lots.slice(0, N).map((l) => l.id)
    const client = board.bidders[0].clientId
    const bareStart = performance.now()
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${sim.url}/api/v1.0/datatable-items/${ids[i]}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          field_sold_for_amount: (i + 2) * 500,
          field_winner_bidder: client,
          field_sold_status: 'sold'
        })
      })
      JSON.parse(await res.text())
    }
    const bareMs = performance.now() - bareStart
    const rate = (N / drainMs) * 1000
    const bareRate = (N / bareMs) * 1000
    lines.push(
      `outbox drain: ${N} hammers in ${drainMs.toFixed(0)} ms (${rate.toFixed(0)}/s, read-back and verified) vs the simulator's bare serial PATCH round trip ${bareRate.toFixed(0)}/s → ${(rate / bareRate).toFixed(2)}× (goal ≥ 0.8×)`
    )
  } finally {
    await sim.close()
    t.cleanup()
  }
}

async function pullBench(lines: string[], lots: number, clients: number): Promise<void> {
  const sim = await startSimulator({ lots, clients, quiet: true })
  const pull = async (url: string) => {
    const t = tempDir('saleroom-bench-')
    const db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
    const gateway = await createCircuitGateway({
      db,
      clock: manualClock(Date.now()),
      secrets: createMemorySecretStore(),
      env: { url, email: 'demo@saleroom.test', password: 'demo' },
      log: silentLogger,
      demo: false,
      probeIntervalMs: 0
    })
    const p = createSalePull({
      db,
      registry: buildSyncRegistry(db),
      gateway,
      clock: manualClock(Date.now()),
      events: new EventBus(),
      log: silentLogger
    })
    const started = performance.now()
    await p.open('1')
    await p.wait('1')
    const ms = performance.now() - started
    await gateway.close()
    db.close()
    t.cleanup()
    return ms
  }
  try {
    // Once through a recording proxy to learn the exact pages, then timed straight to the simulator.
    const proxy = await startProxy(sim.url)
    await pull(proxy.url)
    const pages = proxy.log.filter((l) => l.startsWith('GET /api/v1.0/')).map((l) => l.slice(4))
    await proxy.close()
    const ms = await pull(sim.url)
    const tok = await token(sim.url)
    const bareStart = performance.now()
    for (const path of pages) {
      const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${tok}` } })
      JSON.parse(await res.text())
    }
    const bareMs = performance.now() - bareStart
    lines.push(
      `whole ${lots}-lot pull into an empty replica: ${ms.toFixed(0)} ms vs a bare fetch + JSON.parse of the same ${pages.length} pages ${bareMs.toFixed(0)} ms → ${(ms / bareMs).toFixed(2)}×`
    )
  } finally {
    await sim.close()
  }
}

export async function writePathBench(lines: string[]): Promise<void> {
  await hammerBench(lines)
  await drainBench(lines)
  await pullBench(lines, 20_000, 5_000)
}
