// The venue hub's doors, tried from outside over real sockets: plain http is
// refused, a wrong pairing code is refused (the pin does not match), a wrong
// password is refused and slowed after several tries, no call is answered
// without a token, and the hub's verifier file holds no password. Also: a
// station cannot join with a wrong code, and nothing of its own changes.
import { readdirSync, readFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { pinnedFetch } from '../../src-main/circuit/pinning'
import type { VenueStatus } from '../../src-shared/contract'
import { snapshotTables, tempDir } from '../helpers'
import { joinHub, startHub, type VenueStation } from './stations'

const EMAIL = 'cashier@house.test'
const PASSWORD = 'Hammer-Falls-At-10'

let sim: RunningSimulator
let hub: VenueStation
let venue: NonNullable<VenueStatus['hosting']>
let hubDir: string
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, lots: 20, clients: 20, quiet: true, user: EMAIL, password: PASSWORD })
  const d = tempDir('saleroom-hub-sec-')
  cleanups.push(d.cleanup)
  hubDir = d.dir
  const h = await startHub(d.dir, sim.url, 'PODIUM-1', { email: EMAIL, password: PASSWORD })
  hub = h.station
  venue = h.venue.hosting!
})
afterAll(async () => {
  await hub?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

/** A request that trusts nothing (as an attacker's client would): status and body. */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(venue.url)
  return new Promise((ok, fail) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: 'GET', headers, rejectUnauthorized: false },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }))
      }
    )
    req.on('error', fail)
    req.end()
  })
}

const basic = (user: string, pw: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`
})

describe('the venue hub refuses', () => {
  it('plain http: the port speaks TLS only', async () => {
    const u = new URL(venue.url)
    const answered = await fetch(`http://${u.host}/api/v1.0/me`).then(
      (r) => r.status,
      () => 'refused'
    )
    expect(answered).not.toBe(200)
    // A station will not even try: a hub's address must be https.
    expect(
      await hub.send('venue.join', {
        url: `http://${u.host}`,
        code: venue.pairingCode,
        email: EMAIL,
        password: PASSWORD
      })
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' }
    })
  })

  it('any call without a token, or with a made-up one', async () => {
    for (const path of ['/api/v1.0/datatable-items', '/api/v1.0/orders', '/saleroom/events', '/saleroom/status']) {
      expect((await raw(path)).status, path).toBe(401)
      expect((await raw(path, { authorization: 'Bearer made-up' })).status, path).toBe(401)
    }
  })

  it('a right password gives a token that opens the API; the verifier the hub keeps holds no password', async () => {
    const login = await raw('/api/login-token', basic(EMAIL, PASSWORD))
    expect(login.status).toBe(200)
    const token = (JSON.parse(login.body) as { data: { token: string }[] }).data[0].token
    expect((await raw('/api/v1.0/datatable-items?range=1', { authorization: `Bearer ${token}` })).status).toBe(200)
    const files = readdirSync(join(hubDir, 'venue'))
    expect(files).toContain('verifiers.json')
    for (const f of files) {
      const text = readFileSync(join(hubDir, 'venue', f), 'utf8')
      expect(text, f).not.toContain(PASSWORD)
      expect(text, f).not.toContain(token)
    }
  })

  it('a wrong password, and after a few tries it makes the next wait (429 with retry_after)', async () => {
    const wrong = await raw('/api/login-token', basic(EMAIL, 'not-the-password'))
    expect(wrong.status).toBe(401)
    for (let i = 0; i < 3; i++) await raw('/api/login-token', basic(EMAIL, 'not-the-password'))
    const slowed = await raw('/api/login-token', basic(EMAIL, PASSWORD))
    expect(slowed.status).toBe(429)
    expect(JSON.parse(slowed.body)).toMatchObject({ status: 429, retry_after: expect.any(Number) })
  })

  it('a station with a wrong pairing code cannot join, and nothing of its own changes', async () => {
    const t = tempDir('saleroom-wrong-code-')
    cleanups.push(t.cleanup)
    await expect(
      joinHub(t.dir, { url: venue.url, pairingCode: 'AAAA-AAAA' }, 'DESK-9', { email: EMAIL, password: PASSWORD })
    ).rejects.toThrow(/pairing code does not match/)
    // From a running station too: refused as invalid input, nothing written.
    const before = snapshotTables(hub.core.replica()!.raw)
    const r = await hub.send('venue.join', { url: venue.url, code: 'AAAA-AAAA', email: EMAIL, password: PASSWORD })
    expect(r.ok).toBe(false)
    expect(snapshotTables(hub.core.replica()!.raw)).toEqual(before)
  })

  it('a client pinned to another certificate sends nothing to this hub', async () => {
    const other = tempDir('saleroom-other-hub-')
    cleanups.push(other.cleanup)
    const { loadOrCreateHubIdentity } = await import('../../src-main/venue/identity')
    const otherId = await loadOrCreateHubIdentity(other.dir, Date.now())
    const refused = await pinnedFetch(otherId)(`${venue.url}/api/login-token`, {
      method: 'GET',
      headers: basic(EMAIL, PASSWORD)
    }).catch((e: Error) => e)
    expect(refused).toBeInstanceOf(TypeError)
  })
})
