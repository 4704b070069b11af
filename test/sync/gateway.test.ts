// The Circuit connection through the whole core: demo mode, logging in from
// Settings (the password is never stored), and coming back after a restart.
import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { circuitSide, fileSecrets } from '../../src-main/app/host-setup'
import type { Core } from '../../src-main/app/boot'
import { tempDir, testCore } from '../helpers'
import { startProxy } from './proxy'
import type { PullProgress } from '../../src-shared/events'

let cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.reverse()) await c()
  cleanups = []
})

async function core(dataDir: string, env: { url?: string; email?: string; password?: string } = {}): Promise<Core> {
  const c = await testCore(dataDir, { connect: circuitSide({ env, secrets: fileSecrets, probeIntervalMs: 0 }) })
  cleanups.push(() => c.close())
  return c
}

async function sim(password = 'correct horse'): Promise<RunningSimulator> {
  const s = await startSimulator({ lots: 40, clients: 20, user: 'cashier@house.test', password, quiet: true })
  cleanups.push(() => s.close())
  return s
}

async function connection(c: Core): Promise<string> {
  const r = await c.dispatch('app.status', {})
  return r.ok ? (r.data as { connection: string }).connection : 'error'
}

function allFileText(dir: string): string {
  let out = ''
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    out += statSync(p).isDirectory() ? allFileText(p) : readFileSync(p).toString('latin1')
  }
  return out
}

describe('Circuit connection', () => {
  it('with no server configured, runs the demo simulator in-process and says so', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const c = await core(t.dir)
    expect(await c.dispatch('app.status', {})).toMatchObject({
      ok: true,
      data: { connection: 'online', demo: true, serverUrl: null }
    })
    const sales = await c.dispatch('sales.list', {})
    expect(sales.ok && (sales.data as { id: string }[]).length).toBeGreaterThan(0)
  })

  it("the demo house prints with a name, an address, a VAT number and paper texts, and never over the station's own", async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const c = await core(t.dir)
    const seeded = await c.dispatch('settings.get', {})
    expect(seeded).toMatchObject({
      ok: true,
      data: {
        houseName: 'Saleroom Demo Auctions',
        houseAddress: expect.stringContaining('Lewes'),
        houseVatNumber: expect.stringMatching(/^GB /),
        termsText: expect.stringContaining('conditions of sale'),
        bankDetails: expect.stringContaining('Sort code'),
        documentFooter: expect.stringContaining('demonstration')
      }
    })
    // The station's own (an address cleared on purpose too) stays when the demo starts again.
    await c.dispatch('settings.update', { houseName: 'Hartley & Finch', houseAddress: '' })
    await c.close()
    const again = await testCore(t.dir, { connect: circuitSide({ env: {}, secrets: fileSecrets, probeIntervalMs: 0 }) })
    cleanups.push(() => again.close())
    expect(await again.dispatch('settings.get', {})).toMatchObject({
      ok: true,
      data: { houseName: 'Hartley & Finch', houseAddress: '', houseVatNumber: expect.stringMatching(/^GB /) }
    })
  })

  it('a wrong password is a clear error and changes nothing', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const server = await sim()
    const c = await core(t.dir)
    const r = await c.dispatch('circuit.connect', { url: server.url, email: 'cashier@house.test', password: 'wrong' })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'auth_required', message: expect.stringContaining(server.url) }
    })
    expect(await c.dispatch('settings.get', {})).toMatchObject({
      ok: true,
      data: { circuitUrl: null, circuitEmail: null }
    })
    expect(await c.dispatch('audit.list', { limit: 10 })).toEqual({ ok: true, data: [] })
    expect(await c.dispatch('app.status', {})).toMatchObject({ ok: true, data: { demo: true } })
  })

  it('logs in from Settings, stores the server and the token but never the password, and survives a restart', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const password = 'correct horse battery'
    const server = await sim(password)
    const c = await core(t.dir)
    const r = await c.dispatch('circuit.connect', { url: server.url, email: 'cashier@house.test', password })
    expect(r).toMatchObject({ ok: true, data: { circuitUrl: server.url, circuitEmail: 'cashier@house.test' } })
    expect(await c.dispatch('app.status', {})).toMatchObject({
      ok: true,
      data: { connection: 'online', demo: false, serverUrl: server.url }
    })
    const audit = await c.dispatch('audit.list', { limit: 1 })
    expect(audit).toMatchObject({ ok: true, data: [{ action: 'circuit.connect', after: { circuitUrl: server.url } }] })
    await c.close()

    expect(allFileText(t.dir)).not.toContain(password)
    const secrets = statSync(join(t.dir, 'secrets.json'))
    expect(secrets.mode & 0o777).toBe(0o600)

    // A new start uses the saved server and token: no password needed.
    const again = await core(t.dir)
    await expect.poll(() => connection(again)).toBe('online')
    expect(await again.dispatch('app.status', {})).toMatchObject({
      ok: true,
      data: { connection: 'online', demo: false, serverUrl: server.url }
    })
    const sales = await again.dispatch('sales.list', {})
    expect(sales.ok).toBe(true)
  })

  it('reads CIRCUIT_URL, CIRCUIT_EMAIL and CIRCUIT_PASSWORD for kiosks, and reports offline when the server goes', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const server = await sim('kiosk')
    const c = await core(t.dir, { url: server.url, email: 'cashier@house.test', password: 'kiosk' })
    await expect.poll(() => connection(c)).toBe('online')
    expect(await c.dispatch('app.status', {})).toMatchObject({ ok: true, data: { connection: 'online', demo: false } })
    await server.close()
    const sales = await c.dispatch('sales.list', {})
    expect(sales).toEqual({ ok: true, data: [] }) // nothing pulled yet, and no error: the replica answers
    expect(await c.dispatch('app.status', {})).toMatchObject({ ok: true, data: { connection: 'offline' } })
    const open = await c.dispatch('sale.open', { saleId: '1' })
    expect(open.ok).toBe(true) // the pull starts and reports its failure as progress
  })
})

describe('starting with the network gone', () => {
  it('opens at once when the saved server does not answer, and the replica serves look-ups', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    // A server that accepts connections and never answers: the worst network there is.
    const sockets = new Set<Socket>()
    const silent = createServer((s) => sockets.add(s))
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok))
    cleanups.push(
      () =>
        new Promise<void>((ok) => {
          for (const s of sockets) s.destroy()
          silent.close(() => ok())
        })
    )
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    const started = performance.now()
    const c = await core(t.dir, { url, email: 'a@b.test', password: 'x' })
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(await connection(c)).toBe('connecting')
    expect(await c.dispatch('lookup.lots', { q: '1' })).toEqual({ ok: true, data: [] })
    expect(await c.dispatch('sales.list', {})).toEqual({ ok: true, data: [] })
  })
})

describe('catching up alone', () => {
  it('a pull cut off by the network goes on by itself when Circuit answers again', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const server = await startSimulator({ lots: 400, clients: 30, quiet: true })
    cleanups.push(() => server.close())
    const proxy = await startProxy(server.url)
    cleanups.push(() => proxy.close())
    const c = await testCore(t.dir, {
      connect: circuitSide({
        env: { url: proxy.url, email: 'demo@saleroom.test', password: 'demo' },
        secrets: fileSecrets,
        probeIntervalMs: 50
      })
    })
    cleanups.push(() => c.close())
    const progress: PullProgress[] = []
    c.events.subscribe((name, p) => {
      if (name === 'pull.progress') progress.push(p as PullProgress)
    })

    // The network goes at the second page of lots and stays gone, for every
    // path: the connection probe must not reach Circuit either, or the status
    // would flip back to online between the poll's looks.
    let itemPages = 0
    let cut = false
    proxy.rule = (path) => {
      if (path.includes('/datatable-items?') && ++itemPages >= 2) cut = true
      return cut ? 'drop' : 'pass'
    }
    await c.dispatch('sale.open', { saleId: '1' })
    await expect.poll(() => progress.at(-1)?.phase).toBe('failed')
    expect(progress.at(-1)).toMatchObject({
      label: 'Fine Art, Silver & Antiques',
      error: expect.stringContaining('cannot be reached')
    })
    await expect.poll(() => connection(c)).toBe('offline')

    proxy.rule = () => 'pass'
    await expect.poll(() => progress.at(-1)?.phase, { timeout: 10_000 }).toBe('done')
    expect(await c.dispatch('app.status', {})).toMatchObject({ ok: true, data: { connection: 'online' } })
    const serverLots = [...server.store.items.values()].filter((i) => i.saleId === '1').length
    expect(c.replica()!.raw.prepare("SELECT count(*) AS n FROM items WHERE sale_id = '1'").get()).toEqual({
      n: serverLots
    })
  })
})
