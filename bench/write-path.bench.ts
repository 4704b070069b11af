// The write path, each figure against a baseline measured in the same run:
// - a hammer through the whole contract path (validation, queue, transaction,
//   outbox, audit, undo stack, the lot on the buyer's order) against a bare
//   better-sqlite3 transaction writing the same rows;
// - the outbox drain rate against the simulator's bare serial round-trip rate;
// - a whole 20,000-lot pull against a bare fetch + JSON.parse of the same pages,
//   the simulator in its own process as for the drain.
import { buildSyncRegistry } from '../src-main/app/compose'
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { copyFileSync } from 'node:fs'
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
import { payloadChecksum } from '../src-main/core/action'
import { describeResult } from '../src-main/clerking/state'
import { premiumFor } from '../src-shared/invoice'
import { parsePremium } from '../src-shared/premium'
import { median, percentile, size, type BenchOptions } from './harness'

async function token(url: string): Promise<string> {
  const login = await fetch(`${url}/api/login-token`, {
    headers: { authorization: `Basic ${Buffer.from('demo@saleroom.test:demo').toString('base64')}` }
  }).then((r) => r.json() as Promise<{ data: { token: string }[] }>)
  return login.data[0].token
}

export async function hammerBench(lines: string[], o: BenchOptions): Promise<void> {
  const N = size(o, 3000, 20)
  // A lot for every hammer: each sells a lot not sold before, as at the podium.
  const sim = await startSimulator({ seed: 1, lots: N + 100, clients: 400, quiet: true })
  const t = tempDir('saleroom-bench-')
  try {
    const seeding = await startStation(t.dir, sim.url)
    await seeding.pull('1')
    await seeding.close()
    // The bare transaction writes into a copy of the same replica, so both start from the same rows.
    const bareFile = join(t.dir, 'bare.db')
    copyFileSync(join(t.dir, 'saleroom.db'), bareFile)
    // No server: the hammer is measured alone, with nothing sending in the background.
    const core = await testCore(t.dir)
    const board = (await core.dispatch('clerking.board', { saleId: '1' })) as { ok: true; data: ClerkBoard }
    const lots = board.data.lots.filter((l) => l.status === 'available')
    if (lots.length < N) throw new Error(`expected ${N} lots not yet sold, the sale has ${lots.length}`)
    const paddle = board.data.bidders[0]
    const viaContract = async (i: number) => {
      const r = await core.dispatch('clerking.sell', {
        itemId: lots[i].id,
        paddle: paddle.paddle,
        amount: (i + 1) * 100,
        confirm: true
      })
      if (!r.ok) throw new Error(r.error.message)
    }

    // The same rows, written by hand in one bare transaction on a connection set up as the replica's:
    // the lot's result, the outbox entry (payload, checksum, label), the audit entry, the undo stack,
    // and the lot on the buyer's open order (found, its premium worked out by the sale's rule).
    const raw = new BetterSqlite3(bareFile)
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = FULL')
    raw.pragma('foreign_keys = ON')
    const sale = raw.prepare('SELECT buyers_premium FROM sales WHERE id = ?').get('1') as { buyers_premium: string }
    const premiumRule = parsePremium(sale.buyers_premium)
    if (!premiumRule.ok) throw new Error(premiumRule.error)
    const station = 'Station 1'
    const upd = raw.prepare(
      'UPDATE items SET status = ?, hammer = ?, winner_client_id = ?, winner_paddle = ? WHERE id = ?'
    )
    const out = raw.prepare(
      `INSERT INTO outbox (op_id, entity_type, entity_id, op, payload, payload_sha, payload_version, label,
         base_version, depends_on, next_attempt_at, station, created_at)
       VALUES (?, 'item', ?, 'clerk.sell', ?, ?, 1, ?, ?, NULL, ?, ?, ?)`
    )
    const aud = raw.prepare(
      `INSERT INTO audit_log (at, actor, station, action, entity_type, entity_id, before, after, sale_id)
       VALUES (?, 'Clerk', ?, 'clerking.sell', 'item', ?, ?, ?, ?)`
    )
    const stack = raw.prepare(
      `INSERT INTO clerk_actions (at, station, item_id, action, before, after, audit_id) VALUES (?, ?, ?, 'clerking.sell', ?, ?, ?)`
    )
    const findOrder = raw.prepare(
      `SELECT id FROM orders WHERE sale_id = ? AND client_id = ? AND type = 'bidder' AND status IN ('new', 'in_process')
       ORDER BY server_id IS NULL, id LIMIT 1`
    )
    const line = raw.prepare(
      `INSERT OR REPLACE INTO order_lines (order_id, item_id, lot, description, hammer, premium, tax_id, tax)
       VALUES (?, ?, ?, ?, ?, ?, NULL, 0)`
    )
    const serverUpdated = new Map(
      (
        raw.prepare("SELECT id, server_updated FROM items WHERE sale_id = '1'").all() as {
          id: string
          server_updated: string | null
        }[]
      ).map((r) => [r.id, r.server_updated])
    )
    const bareTx = raw.transaction((i: number) => {
      const lot = lots[i]
      const now = Date.now()
      const amount = (i + 1) * 100
      const before = { status: 'available', hammer: null, winnerClientId: null, paddle: null }
      const target = { status: 'sold' as const, hammer: amount, winnerClientId: paddle.clientId, paddle: paddle.paddle }
      upd.run('sold', amount, paddle.clientId, paddle.paddle, lot.id)
      const payload = JSON.stringify({ saleId: '1', lot: lot.lot, base: before, target })
      out.run(
        `bare-${i}`,
        lot.id,
        payload,
        payloadChecksum(payload),
        `Lot ${lot.lot} ${describeResult(target)}`,
        serverUpdated.get(lot.id) ?? null,
        now,
        station,
        now
      )
      const a = aud.run(
        now,
        station,
        lot.id,
        JSON.stringify({ lot: lot.lot, ...before }),
        JSON.stringify({ lot: lot.lot, ...target }),
        '1'
      )
      stack.run(now, station, lot.id, JSON.stringify(before), JSON.stringify(target), Number(a.lastInsertRowid))
      let order = findOrder.get('1', paddle.clientId) as { id: string } | undefined
      if (!order) {
        // The buyer's first lot: a provisional order, numbered from the station's series.
        order = { id: `local-bare-${i}` }
        const seq = raw.prepare("SELECT value FROM sync_state WHERE key = 'provisional_order_seq'").get() as
          { value: string } | undefined
        const next = Number(JSON.parse(seq?.value ?? '0')) + 1
        raw
          .prepare(
            `INSERT INTO sync_state (key, value, updated_at) VALUES ('provisional_order_seq', ?, ?)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
          )
          .run(JSON.stringify(next), now)
        raw
          .prepare(
            `INSERT INTO orders (id, server_id, order_number, provisional_number, type, status, sale_id, client_id, created)
             VALUES (?, NULL, NULL, ?, 'bidder', 'new', '1', ?, ?)`
          )
          .run(order.id, `P-STATION1-${String(next).padStart(4, '0')}`, paddle.clientId, new Date(now).toISOString())
      }
      line.run(order.id, lot.id, lot.lot, lot.title, amount, premiumFor(amount, premiumRule.rule))
    })
    const bare = async (i: number) => {
      bareTx(i)
    }

    // In turns, a hundred hammers at a time, so a machine busier in one moment than the next weighs on
    // both alike. The contract path goes first on each lot: it makes the buyer's order the bare one finds.
    const contractTimes: number[] = []
    const bareTimes: number[] = []
    const block = Math.min(100, N)
    for (let from = 0; from < N; from += block) {
      for (const [run, times] of [
        [viaContract, contractTimes],
        [bare, bareTimes]
      ] as const) {
        for (let i = from; i < Math.min(N, from + block); i++) {
          const started = performance.now()
          await run(i)
          times.push(performance.now() - started)
        }
      }
    }
    await core.close()
    raw.close()
    contractTimes.sort((a, b) => a - b)
    bareTimes.sort((a, b) => a - b)
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`
    const p50 = percentile(contractTimes, 50) / percentile(bareTimes, 50)
    const p99 = percentile(contractTimes, 99) / percentile(bareTimes, 99)
    lines.push(
      `hammer through the contract path (validation, queue, transaction, outbox, audit, undo stack, buyer's order), ${N} lots: p50 ${us(percentile(contractTimes, 50))}, p99 ${us(percentile(contractTimes, 99))} vs a bare better-sqlite3 transaction writing the same rows p50 ${us(percentile(bareTimes, 50))}, p99 ${us(percentile(bareTimes, 99))} → ${p50.toFixed(2)}× at p50, ${p99.toFixed(2)}× at p99 (goal ≤ 1.5× at p50: ${p50 <= 1.5 ? 'met' : 'not met'}; ≤ 2× at p99: ${p99 <= 2 ? 'met' : 'not met'})`
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

export async function drainBench(lines: string[], o: BenchOptions): Promise<void> {
  const N = size(o, 1000, 20)
  const rounds = size(o, 3, 1)
  const sim = await simProcess(rounds * N + 200, size(o, 400, 50))
  const t = tempDir('saleroom-bench-')
  try {
    const first = await startStation(t.dir, sim.url)
    await first.pull('1')
    const board = await first.call<ClerkBoard>('clerking.board', { saleId: '1' })
    await first.close()
    const tok = await token(sim.url)
    const client = board.bidders[0].clientId
    // In turns, each round on lots of its own, so a machine (or a simulator) busier in one moment
    // than the next weighs on both alike; medians.
    const drains: number[] = []
    const bares: number[] = []
    for (let r = 0; r < rounds; r++) {
      const lots = board.lots.slice(r * N, (r + 1) * N)
      // Each boot its own id series (ids are per station process, and these share one data folder).
      const s = await startStation(t.dir, sim.url, { ids: `queue-${r}` })
      await s.core.pusher()!.close() // queue offline, then measure the drain alone
      await s.call('clerking.board', { saleId: '1' })
      for (let i = 0; i < N; i++) {
        await s.call('clerking.sell', {
          itemId: lots[i].id,
          paddle: board.bidders[i % board.bidders.length].paddle,
          amount: (i + 1) * 500,
          confirm: true
        })
      }
      await s.close()
      const again = await startStation(t.dir, sim.url, { ids: `drain-${r}` })
      const started = performance.now()
      await again.settle(300_000)
      drains.push(performance.now() - started)
      await again.close()

      // The simulator's bare serial round trip: the same PATCH, one after another, by plain fetch.
      const bareStart = performance.now()
      for (let i = 0; i < N; i++) {
        const res = await fetch(`${sim.url}/api/v1.0/datatable-items/${lots[i].id}`, {
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
      bares.push(performance.now() - bareStart)
    }
    const drainMs = median(drains)
    const rate = (N / drainMs) * 1000
    const bareRate = (N / median(bares)) * 1000
    const ratio = rate / bareRate
    lines.push(
      `outbox drain: ${N} hammers in ${drainMs.toFixed(0)} ms (median of ${rounds}; ${rate.toFixed(0)}/s, read-back and verified) vs the simulator's bare serial PATCH round trip ${bareRate.toFixed(0)}/s → ${ratio.toFixed(2)}× (goal ≥ 0.8×: ${ratio >= 0.8 ? 'met' : 'not met'})`
    )
  } finally {
    await sim.close()
    t.cleanup()
  }
}

export async function pullBench(lines: string[], lots: number, clients: number, rounds = 3): Promise<void> {
  // The simulator in its own process, as Circuit is: its work does not share the pull's thread.
  const sim = await simProcess(lots, clients)
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
    const tok = await token(sim.url)
    const bare = async () => {
      const bareStart = performance.now()
      for (const path of pages) {
        const res = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${tok}` } })
        JSON.parse(await res.text())
      }
      return performance.now() - bareStart
    }
    // In turns, so a machine busier in one moment than the next weighs on both alike; medians.
    const pulls: number[] = []
    const bares: number[] = []
    for (let r = 0; r < rounds; r++) {
      pulls.push(await pull(sim.url))
      bares.push(await bare())
    }
    const ms = median(pulls)
    const bareMs = median(bares)
    const ratio = ms / bareMs
    lines.push(
      `whole ${lots}-lot pull into an empty replica (the simulator in its own process): median ${ms.toFixed(0)} ms over ${rounds} vs a bare fetch + JSON.parse of the same ${pages.length} pages ${bareMs.toFixed(0)} ms → ${ratio.toFixed(2)}× (goal ≤ 2×: ${ratio <= 2 ? 'met' : 'not met'})`
    )
  } finally {
    await sim.close()
  }
}

export async function writePathBench(lines: string[], o: BenchOptions): Promise<void> {
  await hammerBench(lines, o)
  await drainBench(lines, o)
  await pullBench(lines, size(o, 20_000, 300), size(o, 5_000, 50), size(o, 3, 1))
}
