// The venue hub's trust model, on real TLS sockets and real files: the
// certificate is made once and kept; the pairing code comes from it; a
// station pins it (another certificate is refused before anything is sent);
// plain http is refused; log-ins are checked against Circuit or, offline,
// against a salted verifier that holds no password; wrong passwords slow down.
import { createServer as createHttpsServer } from 'node:https'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../../src-main/core/clock'
import { loadOrCreateHubIdentity, type HubIdentity } from '../../src-main/venue/identity'
import { HubLogins, mergeVerifiers, type UpstreamCheck } from '../../src-main/venue/logins'
import {
  fetchHubCertificate,
  normaliseCode,
  pairingCodeOf,
  PairingError,
  pinnedFetch
} from '../../src-main/circuit/pinning'
import { tempDir } from '../helpers'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

function dir() {
  const t = tempDir('saleroom-venue-')
  cleanups.push(t.cleanup)
  return t.dir
}

/** A TLS server with this identity; `seen` lists the requests that reached it. */
async function tlsServer(id: HubIdentity): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = []
  const server = createHttpsServer({ cert: id.certPem, key: id.keyPem }, (req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }))
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())))
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

describe('the hub identity', () => {
  it('is made once and survives a restart: same certificate, same pairing code', async () => {
    const d = dir()
    const first = await loadOrCreateHubIdentity(d, Date.now())
    const again = await loadOrCreateHubIdentity(d, Date.now())
    expect(again.fingerprint).toBe(first.fingerprint)
    expect(first.pairingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(first.pairingCode).toBe(pairingCodeOf(first.fingerprint))
    const other = await loadOrCreateHubIdentity(dir(), Date.now())
    expect(other.fingerprint).not.toBe(first.fingerprint)
  })

  it('reads a code as people type it', () => {
    expect(normaliseCode('7kq2 m9xd')).toBe('7KQ2-M9XD')
    expect(normaliseCode('7KQ2-M9XO')).toBe('7KQ2-M9X0')
  })
})

describe('pairing and pinning', () => {
  it('a matching code gives the certificate to pin; a wrong code is refused (pin mismatch)', async () => {
    const id = await loadOrCreateHubIdentity(dir(), Date.now())
    const { url, seen } = await tlsServer(id)
    const pin = await fetchHubCertificate(url, id.pairingCode.toLowerCase())
    expect(pin.fingerprint).toBe(id.fingerprint)
    await expect(fetchHubCertificate(url, 'AAAA-AAAA')).rejects.toThrow(/pairing code does not match/)
    // Pairing sends nothing over the connection.
    expect(seen).toEqual([])
  })

  it('plain http is refused, before any connection', async () => {
    await expect(fetchHubCertificate('http://127.0.0.1:1', 'AAAA-AAAA')).rejects.toBeInstanceOf(PairingError)
    const id = await loadOrCreateHubIdentity(dir(), Date.now())
    await expect(pinnedFetch(id)('http://127.0.0.1:1/api/me', { method: 'GET' })).rejects.toThrow(/https only/)
  })

  it('the pinned fetch talks to the paired hub and refuses another certificate at the same address', async () => {
    const hub = await loadOrCreateHubIdentity(dir(), Date.now())
    const { url } = await tlsServer(hub)
    const ok = await pinnedFetch(hub)(`${url}/api/v1.0/me?x=1`, { method: 'GET' })
    expect(await ok.json()).toEqual({ path: '/api/v1.0/me?x=1' })
    // Someone else's hub answers at the address the station knows: the handshake refuses it,
    // so the log-in (and its password) never reaches it.
    const impostor = await loadOrCreateHubIdentity(dir(), Date.now())
    const other = await tlsServer(impostor)
    const refused = await pinnedFetch(hub)(`${other.url}/api/login-token`, {
      method: 'GET',
      headers: { authorization: 'Basic c2VjcmV0' }
    }).catch((e: Error) => e)
    expect(refused).toBeInstanceOf(TypeError)
    expect(other.seen).toEqual([])
  })
})

describe('log-ins at the hub', () => {
  function logins(d: string, upstream: UpstreamCheck, clock = manualClock(1_000_000)) {
    return { logins: new HubLogins(d, clock, upstream), clock }
  }

  it('checks against Circuit while it answers, then offline against a verifier that holds no password', async () => {
    const d = dir()
    let circuit: 'up' | 'down' = 'up'
    const upstream: UpstreamCheck = async (_e, p) =>
      circuit === 'down' ? 'unreachable' : p === 'right-pw' ? 'ok' : 'wrong'
    const { logins: hub } = logins(d, upstream)
    const first = await hub.login('Clerk@House.test', 'right-pw', '10.0.0.2')
    expect(first).toMatchObject({ ok: true, checkedBy: 'circuit' })
    expect(hub.session(first.ok ? first.token : '')).toMatchObject({ email: 'clerk@house.test' })
    // The files in the venue folder hold no password and no usable token.
    for (const f of readdirSync(join(d, 'venue'))) {
      const text = readFileSync(join(d, 'venue', f), 'utf8')
      expect(text).not.toContain('right-pw')
      if (first.ok) expect(text).not.toContain(first.token)
    }
    circuit = 'down'
    expect(await hub.login('clerk@house.test', 'right-pw', '10.0.0.2')).toMatchObject({
      ok: true,
      checkedBy: 'verifier'
    })
    expect(await hub.login('clerk@house.test', 'wrong-pw', '10.0.0.2')).toMatchObject({ ok: false, reason: 'wrong' })
    expect(await hub.login('cashier@house.test', 'any', '10.0.0.3')).toMatchObject({ ok: false, reason: 'unreachable' })
    // A restarted hub keeps both the verifier and the session.
    const restarted = new HubLogins(d, manualClock(1_000_000), upstream)
    if (first.ok) expect(restarted.session(first.token)).not.toBeNull()
    expect(await restarted.login('clerk@house.test', 'right-pw', '10.0.0.2')).toMatchObject({ ok: true })
  })

  it('wrong passwords are refused and, after a few, slowed down; a right one after the wait goes through', async () => {
    const clock = manualClock(5_000_000)
    const { logins: hub } = logins(dir(), async (_e, p) => (p === 'right-pw' ? 'ok' : 'wrong'), clock)
    for (let i = 0; i < 3; i++)
      expect(await hub.login('a@b.test', 'nope', '10.0.0.9')).toMatchObject({ reason: 'wrong' })
    expect(await hub.login('a@b.test', 'nope', '10.0.0.9')).toMatchObject({ reason: 'wrong' })
    const slowed = await hub.login('a@b.test', 'right-pw', '10.0.0.9')
    expect(slowed).toMatchObject({ ok: false, reason: 'slow-down' })
    // The same person from another address is slowed too (per e-mail), and the address for another person.
    expect(await hub.login('a@b.test', 'right-pw', '10.0.0.10')).toMatchObject({ reason: 'slow-down' })
    expect(await hub.login('z@b.test', 'right-pw', '10.0.0.9')).toMatchObject({ reason: 'slow-down' })
    clock.advance(slowed.ok === false && slowed.reason === 'slow-down' ? slowed.retryAfterMs : 0)
    expect(await hub.login('a@b.test', 'right-pw', '10.0.0.9')).toMatchObject({ ok: true })
  })

  it('a token that expired opens nothing', async () => {
    const clock = manualClock(0)
    const { logins: hub } = logins(dir(), async () => 'ok', clock)
    const r = await hub.login('a@b.test', 'pw', 'x')
    clock.advance(13 * 3_600_000)
    expect(hub.session(r.ok ? r.token : '')).toBeNull()
    expect(hub.session(undefined)).toBeNull()
  })
})

describe('verifiers shared for a handover', () => {
  it('a station keeps what its hub shares; the station, made hub, checks log-ins offline with it', async () => {
    const hubDir = dir()
    const stationDir = dir()
    const upstream: UpstreamCheck = async (_e, p) => (p === 'right-pw' ? 'ok' : 'wrong')
    const hub = new HubLogins(hubDir, manualClock(1_000_000), upstream)
    await hub.login('cashier@house.test', 'right-pw', '10.0.0.5')
    expect(mergeVerifiers(stationDir, hub.verifiersToShare())).toBe(1)
    // Again: nothing new.
    expect(mergeVerifiers(stationDir, hub.verifiersToShare())).toBe(0)
    const text = readFileSync(join(stationDir, 'venue', 'verifiers.json'), 'utf8')
    expect(text).not.toContain('right-pw')
    // The station hosts, Circuit away: the person logs in with the shared verifier; a wrong one is refused.
    const taken = new HubLogins(stationDir, manualClock(2_000_000), async () => 'unreachable')
    expect(await taken.login('cashier@house.test', 'right-pw', '10.0.0.5')).toMatchObject({
      ok: true,
      checkedBy: 'verifier'
    })
    expect(await taken.login('cashier@house.test', 'nope', '10.0.0.5')).toMatchObject({ ok: false, reason: 'wrong' })
  })

  it('takes only well-formed verifiers, and for each person the one Circuit confirmed last', async () => {
    const d = dir()
    const good = { salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: 'aGFzaGhhc2hoYXNoaGFzaA==', N: 16384, r: 8, p: 1 }
    expect(
      mergeVerifiers(d, {
        'a@b.test': { ...good, confirmedAt: 10 },
        'huge@b.test': { ...good, N: 1 << 30, confirmedAt: 10 },
        'odd@b.test': { ...good, N: 10000, confirmedAt: 10 },
        'bad@b.test': { ...good, salt: 'not base64!', confirmedAt: 10 },
        'none@b.test': 'password'
      })
    ).toBe(1)
    expect(mergeVerifiers(d, { 'a@b.test': { ...good, hash: 'b2xkZXI=', confirmedAt: 5 } })).toBe(0)
    expect(mergeVerifiers(d, { 'a@b.test': { ...good, hash: 'bmV3ZXI=', confirmedAt: 20 } })).toBe(1)
    const kept = JSON.parse(readFileSync(join(d, 'venue', 'verifiers.json'), 'utf8')) as Record<
      string,
      { hash: string }
    >
    expect(Object.keys(kept)).toEqual(['a@b.test'])
    expect(kept['a@b.test'].hash).toBe('bmV3ZXI=')
    expect(mergeVerifiers(d, null)).toBe(0)
    expect(mergeVerifiers(d, [1, 2])).toBe(0)
  })
})
