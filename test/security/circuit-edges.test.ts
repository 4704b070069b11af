// The Circuit client's edges: plain http never leaves the machine, a path
// parameter cannot walk the path, and a broken token store never blocks a log-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createCircuitClient } from '../../src-main/circuit/client'
import { CircuitConfigError } from '../../src-main/circuit/errors'
import { createFileSecretStore, createMemorySecretStore } from '../../src-main/circuit/secret-store'
import { tempDir } from '../helpers'
import { startProxy, type TestProxy } from '../sync/proxy'

let sim: RunningSimulator
let proxy: TestProxy
beforeAll(async () => {
  sim = await startSimulator({ seed: 2, lots: 10, clients: 10, quiet: true })
  proxy = await startProxy(sim.url)
})
afterAll(async () => {
  await proxy.close()
  await sim.close()
})

const client = (baseUrl: string, secrets = createMemorySecretStore()) =>
  createCircuitClient({
    baseUrl,
    now: Date.now,
    secrets,
    credentials: () => ({ email: 'demo@saleroom.test', password: 'demo' })
  })

describe('Circuit client edges', () => {
  it('plain http is refused for *.localhost names (they can resolve off the machine)', () => {
    expect(() => client('http://evil.localhost:8080')).toThrow(CircuitConfigError)
    expect(() => client('http://a.b.localhost')).toThrow(/must use https/)
    expect(() => client('http://localhost:8080')).not.toThrow()
  })

  it('"..", "." and encoded or slashed ids never reach another path', async () => {
    const c = client(proxy.url)
    for (const id of ['..', '.']) await expect(c.sales.get(id)).rejects.toBeInstanceOf(CircuitConfigError)
    proxy.log.length = 0
    for (const id of ['%2e%2e', '../../api/me']) await c.sales.get(id).catch(() => null)
    const paths = proxy.log.filter((l) => !l.includes('login-token'))
    expect(paths.length).toBe(2)
    // Each stayed a single segment under datatable-sales (the proxy logs the decoded path).
    for (const p of paths) expect(p).toMatch(/^GET \/api\/v1\.0\/datatable-sales\/\S+$/)
    expect(proxy.log.some((l) => /^GET \/api\/me/.test(l) || l === 'GET /api/v1.0/')).toBe(false)
  })

  it('a token store that cannot be read or written does not block the log-in', async () => {
    const t = tempDir()
    try {
      // A directory where the file should be: unreadable, and in the way of the write.
      const file = join(t.dir, 'secrets.json')
      mkdirSync(file)
      const store = createFileSecretStore(file)
      expect(await store.get('x')).toBeNull()
      const c = client(sim.url, store)
      await expect(c.login('demo@saleroom.test', 'demo')).resolves.toMatchObject({ expiresAt: expect.any(Number) })
      await expect(c.me()).resolves.toBeTruthy()
      // The broken one was moved aside and the token written in its place.
      expect(readdirSync(t.dir).some((f) => f.startsWith('secrets.json.broken-'))).toBe(true)
      expect(Object.keys(JSON.parse(readFileSync(file, 'utf8'))).length).toBe(1)

      // A corrupt file: treated as empty, overwritten by the next log-in.
      writeFileSync(file, '{not json')
      const again = client(sim.url, createFileSecretStore(file))
      await expect(again.login('demo@saleroom.test', 'demo')).resolves.toBeTruthy()
      expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow()
    } finally {
      t.cleanup()
    }
  })
})
