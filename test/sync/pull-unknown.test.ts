// A sale id Circuit does not know leaves no pull behind and is never retried;
// an interrupted pull is retried alone only a few times in a row, then waits
// for the user, who can also drop it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createMemorySecretStore } from '../../src-main/circuit'
import { openReplica, type Replica } from '../../src-main/db/replica'
import { manualClock } from '../../src-main/core/clock'
import { EventBus } from '../../src-main/core/event-bus'
import { silentLogger } from '../../src-main/core/ports'
import { createCircuitGateway } from '../../src-main/sync/circuit-gateway'
import { createSalePull, MAX_AUTO_RETRIES, readCursor } from '../../src-main/sync/sale-pull'
import type { PullProgress } from '../../src-shared/events'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from './proxy'

let sim: RunningSimulator
let proxy: TestProxy
let db: Replica
let cleanup: () => void
const closers: (() => Promise<void>)[] = []

beforeEach(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  sim = await startSimulator({ seed: 4, lots: 60, clients: 30, quiet: true })
  proxy = await startProxy(sim.url)
  db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
})
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
  db.close()
  await proxy.close()
  await sim.close()
  cleanup()
})

async function puller() {
  const events = new EventBus()
  const progress: PullProgress[] = []
  events.subscribe((name, p) => name === 'pull.progress' && progress.push(p as PullProgress))
  const gateway = await createCircuitGateway({
    db,
    clock: manualClock(Date.now()),
    secrets: createMemorySecretStore(),
    env: { url: proxy.url, email: 'demo@saleroom.test', password: 'demo' },
    log: silentLogger,
    demo: false,
    probeIntervalMs: 0
  })
  closers.push(() => gateway.close())
  const pull = createSalePull({ db, gateway, clock: manualClock(Date.now()), events, log: silentLogger, pageSize: 20 })
  return { pull, progress }
}

describe('pulls that cannot finish', () => {
  it('an unknown sale id saves nothing, says so, and is not retried on reconnect', async () => {
    const { pull, progress } = await puller()
    await pull.open('999999')
    await pull.wait('999999')
    expect(readCursor(db, '999999')).toBeNull()
    expect(progress.at(-1)).toMatchObject({ phase: 'failed', error: expect.stringContaining('no sale 999999') })
    expect(pull.resumeInterrupted()).toEqual([])
  })

  it('a sale deleted on Circuit while its pull was cut off is dropped, not retried forever', async () => {
    const { pull } = await puller()
    proxy.rule = (path) => (path.includes('datatable-clients') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(db, '1')).toMatchObject({ complete: false, phase: 'clients' })
    // Meanwhile the sale goes from Circuit; the resumed pull learns it (delta pulls re-read the sale)…
    sim.store.sales.delete('1')
    db.exec(`UPDATE sync_state SET value = json_set(value, '$.phase', 'sale') WHERE key = 'pull:1'`)
    proxy.rule = () => 'pass'
    expect(pull.resumeInterrupted()).toEqual(['1'])
    await pull.wait('1')
    expect(readCursor(db, '1')).toBeNull()
    expect(pull.resumeInterrupted()).toEqual([])
  })

  it(`an interrupted pull resumes alone at most ${MAX_AUTO_RETRIES} times in a row, then waits for the user`, async () => {
    const { pull, progress } = await puller()
    proxy.rule = (path) => (path.includes('datatable-clients') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    for (let i = 0; i < MAX_AUTO_RETRIES + 2; i++) {
      for (const id of pull.resumeInterrupted()) await pull.wait(id)
    }
    expect(readCursor(db, '1')!.failures).toBe(MAX_AUTO_RETRIES)
    expect(progress.at(-1)!.error).toMatch(/Gave up after 5 tries in a row; open the sale again to retry/)
    expect(pull.resumeInterrupted()).toEqual([])
    // The user opens it again once the network is back: it finishes.
    proxy.rule = () => 'pass'
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(db, '1')).toMatchObject({ complete: true, failures: 0 })
  })

  it('forget drops an interrupted pull', async () => {
    const { pull } = await puller()
    proxy.rule = (path) => (path.includes('datatable-items') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(db, '1')).not.toBeNull()
    pull.forget('1')
    expect(readCursor(db, '1')).toBeNull()
    expect(pull.resumeInterrupted()).toEqual([])
  })
})
