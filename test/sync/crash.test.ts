// Kill the real web host (SIGKILL, no goodbye) in the middle of pulling a sale,
// then check the replica it left behind and that a restart finishes the pull
// by itself: nothing half-written, nothing pulled twice into the replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { replicaPath } from '../../src-main/app/boot'
import { startHost, type RunningHost } from '../e2e/harness'
import { tempDir } from '../helpers'

let sim: RunningSimulator
let dataDir: string
let cleanup: () => void
let host: RunningHost | null = null

beforeAll(async () => {
  sim = await startSimulator({ seed: 5, lots: 4000, clients: 200, quiet: true })
  // Slow answers give the test time to kill the host mid-way through the lots.
  await fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: 40 })
  })
  const t = tempDir('saleroom-crash-')
  dataDir = t.dir
  cleanup = t.cleanup
})
afterAll(async () => {
  await host?.stop()
  await sim.close()
  cleanup()
})

const env = () => ({ CIRCUIT_URL: sim.url, CIRCUIT_EMAIL: 'demo@saleroom.test', CIRCUIT_PASSWORD: 'demo' })

async function call(h: RunningHost, name: string, input: unknown) {
  const url = new URL(h.url)
  const res = await fetch(`${url.origin}/rpc/${name}`, {
    method: 'POST',
    headers: { 'x-saleroom-token': url.searchParams.get('token')!, 'content-type': 'application/json' },
    body: JSON.stringify(input)
  })
  return res.json()
}

function readCursor(): { phase: string; page: number | null; fetched: number; complete: boolean } | null {
  const db = new BetterSqlite3(replicaPath(dataDir), { readonly: true })
  try {
    const row = db.prepare("SELECT value FROM sync_state WHERE key = 'pull:1'").get() as { value: string } | undefined
    return row ? JSON.parse(row.value) : null
  } finally {
    db.close()
  }
}

describe('a crash in the middle of a pull', () => {
  it('leaves a consistent replica, and the next start finishes the pull by itself', async () => {
    host = await startHost(dataDir, env())
    expect(await call(host, 'sale.open', { saleId: '1' })).toEqual({ ok: true, data: { saleId: '1', started: true } })
    await expect
      .poll(() => readCursor(), { timeout: 30_000, interval: 20 })
      .toMatchObject({ phase: 'items', page: expect.any(Number) })
    await expect.poll(() => readCursor()?.fetched ?? 0, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(600)
    host.proc.kill('SIGKILL')
    await host.stop()
    host = null

    const db = new BetterSqlite3(replicaPath(dataDir), { readonly: true })
    expect(db.pragma('quick_check', { simple: true })).toBe('ok')
    const cursor = JSON.parse(
      (db.prepare("SELECT value FROM sync_state WHERE key = 'pull:1'").get() as { value: string }).value
    )
    expect(cursor).toMatchObject({ phase: 'items', complete: false })
    // Every page that committed is whole and the cursor agrees with it.
    const items = (db.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get() as { n: number }).n
    expect(items).toBe(cursor.fetched)
    expect(items).toBeLessThan(4000)
    db.close()

    host = await startHost(dataDir, env())
    await expect.poll(() => readCursor()?.complete, { timeout: 60_000, interval: 100 }).toBe(true)
    const after = new BetterSqlite3(replicaPath(dataDir), { readonly: true })
    const serverItems = [...sim.store.items.values()].filter((i) => i.saleId === '1').length
    expect(after.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get()).toEqual({ n: serverItems })
    expect(after.prepare("SELECT count(DISTINCT id) AS n FROM items WHERE sale_id = '1'").get()).toEqual({
      n: serverItems
    })
    after.close()
  })
})
