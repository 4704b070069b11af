// The Circuit client's cost: a page of 100 lots through the client (query
// building, token, HTTP, JSON, validation, normalisation) against a bare
// fetch of the same URL from the same simulator; decoding alone against
// JSON.parse of the same page; and a whole sale pulled into a replica.
import { buildSyncRegistry } from '../src-main/app/compose'
import { join } from 'node:path'
import { startSimulator } from '../src-main/circuit-sim'
import { createCircuitClient, createMemorySecretStore, endpoints } from '../src-main/circuit'
import { openReplica } from '../src-main/db/replica'
import { manualClock } from '../src-main/core/clock'
import { EventBus } from '../src-main/core/event-bus'
import { silentLogger } from '../src-main/core/ports'
import { createCircuitGateway } from '../src-main/sync/circuit-gateway'
import { createSalePull } from '../src-main/sync/sale-pull'
import { tempDir } from '../test/helpers'
import { measure, measurePair, ratioLine, size, type BenchOptions } from './harness'
import { lookupBuyers, lookupLots } from '../src-main/lookup/lookup'

export async function circuitBench(lines: string[], o: BenchOptions): Promise<void> {
  const sim = await startSimulator({ lots: size(o, 1200, 300), clients: size(o, 400, 50), quiet: true })
  const ms = size(o, 800, 20)
  const t = tempDir('saleroom-bench-')
  try {
    const client = createCircuitClient({
      baseUrl: sim.url,
      now: Date.now,
      secrets: createMemorySecretStore(),
      credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' })
    })
    await client.me() // log in once, outside the measurement
    const probe = await client.fetchPage('items.list', { filter: { sale: '1' } }, 2, 100)
    if (probe.rows.length !== 100) throw new Error('expected a full page of 100 lots')

    // The exact URL the client sends, fetched bare with the same token.
    const login = await fetch(`${sim.url}/api/login-token`, {
      headers: { authorization: `Basic ${Buffer.from('demo@saleroom.test:demo').toString('base64')}` }
    }).then((r) => r.json() as Promise<{ data: { token: string }[] }>)
    const token = login.data[0].token
    let seenUrl = ''
    const spy = createCircuitClient({
      baseUrl: sim.url,
      now: Date.now,
      secrets: createMemorySecretStore(),
      credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' }),
      fetch: (input, init) => {
        seenUrl = String(input)
        return fetch(input, init)
      }
    })
    await spy.fetchPage('items.list', { filter: { sale: '1' } }, 2, 100)

    const bare = await measure(
      'bare fetch + JSON.parse of the same page',
      async () => {
        const r = await fetch(seenUrl, { headers: { authorization: `Bearer ${token}` } })
        return r.json()
      },
      ms
    )
    const viaClient = await measure(
      'client.fetchPage (100 lots, validated)',
      () => client.fetchPage('items.list', { filter: { sale: '1' } }, 2, 100),
      ms
    )
    lines.push(ratioLine(viaClient, bare))
    lines.push(
      `client overhead per request: ${(viaClient.meanMicros - bare.meanMicros).toFixed(0)} µs over a bare fetch`
    )

    const pageText = await fetch(seenUrl, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text())
    const decoder = endpoints['items.list'].decoder
    const [decode, parseOnly] = await measurePair(
      [
        'JSON.parse + decode of a 100-lot page',
        () => {
          const body = JSON.parse(pageText) as { data: unknown[] }
          for (const row of body.data) if (!decoder.decode(row).ok) throw new Error('decode failed')
        }
      ],
      ['JSON.parse of a 100-lot page', () => JSON.parse(pageText)],
      { ms: size(o, 200, 10), rounds: size(o, 7, 1) }
    )
    lines.push(ratioLine(decode, parseOnly))
    lines.push(`pages of 100 lots decoded per second: ${Math.round(decode.opsPerSec)}`)

    await pullBench(lines, size(o, 1200, 200), size(o, 400, 50), ms)
    if (!o.smoke) await pullBench(lines, 20_000, 5_000, ms)
  } finally {
    await sim.close()
    t.cleanup()
  }
}

/** Pull a whole sale of `lots` lots into an empty replica, then time look-ups on it. */
async function pullBench(lines: string[], lots: number, clients: number, measureMs: number): Promise<void> {
  const sim = await startSimulator({ lots, clients, quiet: true })
  const t = tempDir('saleroom-bench-')
  try {
    const db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
    const gateway = await createCircuitGateway({
      db,
      clock: manualClock(Date.now()),
      secrets: createMemorySecretStore(),
      env: { url: sim.url, email: 'demo@saleroom.test', password: 'demo' },
      log: silentLogger,
      demo: false,
      probeIntervalMs: 0
    })
    const pull = createSalePull({
      registry: buildSyncRegistry(db),
      db,
      gateway,
      clock: manualClock(Date.now()),
      events: new EventBus(),
      log: silentLogger
    })
    const started = performance.now()
    await pull.open('1')
    await pull.wait('1')
    const pullMs = performance.now() - started
    const rows = ['items', 'clients', 'sale_bidders', 'phone_bidder_cards'].reduce(
      (n, table) => n + (db.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
      0
    )
    lines.push(
      `pulling a ${lots}-lot sale whole (${rows} rows with clients, paddles, cards) into an empty replica: ${pullMs.toFixed(0)} ms, ${Math.round((rows / pullMs) * 1000)} rows/s`
    )
    const byNumber = await measure('lot by number', () => lookupLots(db, '412', undefined, 50), measureMs)
    const byWords = await measure('lots by words', () => lookupLots(db, 'silver sauce', undefined, 50), measureMs)
    const byPaddle = await measure('buyer by paddle', () => lookupBuyers(db, '204', undefined, 20), measureMs)
    const byName = await measure('buyer by name', () => lookupBuyers(db, 'marchetti', undefined, 20), measureMs)
    lines.push(
      `look-ups on that replica: lot by number ${byNumber.meanMicros.toFixed(0)} µs, by words ${byWords.meanMicros.toFixed(0)} µs, buyer by paddle ${byPaddle.meanMicros.toFixed(0)} µs, by name ${byName.meanMicros.toFixed(0)} µs (target < 50,000 µs)`
    )
    await gateway.close()
    db.close()
  } finally {
    await sim.close()
    t.cleanup()
  }
}
