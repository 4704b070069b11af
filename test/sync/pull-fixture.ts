// A simulator behind a recording proxy, a fresh replica, and sale pulls over
// them: what the pull tests share.
import { buildSyncRegistry } from '../../src-main/app/compose'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src-main/circuit-sim'
import { createMemorySecretStore } from '../../src-main/circuit'
import { manualClock, type Clock } from '../../src-main/core/clock'
import { EventBus } from '../../src-main/core/event-bus'
import { silentLogger } from '../../src-main/core/ports'
import { openReplica, type Replica } from '../../src-main/db/replica'
import { createCircuitGateway } from '../../src-main/sync/circuit-gateway'
import { createSalePull, type SalePullOptions } from '../../src-main/sync/sale-pull'
import type { PullProgress } from '../../src-shared/events'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from './proxy'

export interface PullFixture {
  sim: RunningSimulator
  proxy: TestProxy
  db: Replica
  /** A sale pull through the proxy, with the progress it reports. */
  puller(o?: {
    clock?: Clock
    pageSize?: number
    fullPullEveryMs?: SalePullOptions['fullPullEveryMs']
  }): Promise<{ pull: ReturnType<typeof createSalePull>; progress: PullProgress[] }>
  close(): Promise<void>
}

export async function pullFixture(simOptions: SimulatorOptions): Promise<PullFixture> {
  const t = tempDir()
  const sim = await startSimulator({ quiet: true, ...simOptions })
  const proxy = await startProxy(sim.url)
  const db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
  const closers: (() => Promise<void>)[] = []
  return {
    sim,
    proxy,
    db,
    async puller(o = {}) {
      const clock = o.clock ?? manualClock(Date.now())
      const events = new EventBus()
      const progress: PullProgress[] = []
      events.subscribe((name, p) => {
        if (name === 'pull.progress') progress.push(p as PullProgress)
      })
      const gateway = await createCircuitGateway({
        db,
        clock,
        secrets: createMemorySecretStore(),
        env: { url: proxy.url, email: 'demo@saleroom.test', password: 'demo' },
        log: silentLogger,
        demo: false,
        probeIntervalMs: 0
      })
      closers.push(() => gateway.close())
      const pull = createSalePull({
        registry: buildSyncRegistry(db),
        db,
        gateway,
        clock,
        events,
        log: silentLogger,
        pageSize: o.pageSize ?? 20,
        fullPullEveryMs: o.fullPullEveryMs
      })
      return { pull, progress }
    },
    async close() {
      for (const c of closers.splice(0)) await c()
      db.close()
      await proxy.close()
      await sim.close()
      t.cleanup()
    }
  }
}
