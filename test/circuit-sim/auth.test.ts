import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim/index'
import { basic, login } from './helpers'

describe('circuit-sim auth', () => {
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0)
  let sim: RunningSimulator

  beforeAll(async () => {
    sim = await startSimulator({ quiet: true, lots: 50, clients: 20, tokenTtlSeconds: 600, now: () => clock })
  })
  afterAll(() => sim.close())

  it('issues a login-token via HTTP Basic and reuses it while unexpired', async () => {
    const r1 = await fetch(`${sim.url}/api/login-token`, { headers: { authorization: basic() } })
    expect(r1.status).toBe(200)
    const b1 = (await r1.json()) as any
    expect(b1.data[0]).toMatchObject({ type: 'access_token', uid: '1', expire: Math.floor(clock / 1000) + 600 })
    expect(typeof b1.data[0].token).toBe('string')
    const b2 = (await (
      await fetch(`${sim.url}/api/login-token`, { headers: { authorization: basic() } })
    ).json()) as any
    expect(b2.data[0].token).toBe(b1.data[0].token)
  })

  it('answers 401 with the documented bodies', async () => {
    const none = await fetch(`${sim.url}/api/login-token`)
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      detail: 'No authentication credentials provided.',
      type: expect.any(String)
    })
    const wrong = await fetch(`${sim.url}/api/login-token`, {
      headers: { authorization: basic('demo@saleroom.test', 'nope') }
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ title: 'Unauthorized', status: 401, detail: 'Wrong credentials.' })
    const noToken = await fetch(`${sim.url}/api/v1.0/datatable-sales`)
    expect(noToken.status).toBe(401)
    expect(((await noToken.json()) as any).detail).toBe('No authentication credentials provided.')
    const badToken = await fetch(`${sim.url}/api/v1.0/datatable-sales`, { headers: { authorization: 'Bearer nope' } })
    expect(badToken.status).toBe(401)
    expect(((await badToken.json()) as any).detail).toBe('Wrong credentials.')
  })

  it('accepts the token as Bearer, access-token header and ?access_token=, versioned or not', async () => {
    const token = await login(sim.url)
    const viaBearer = await fetch(`${sim.url}/api/v1.0/me`, { headers: { authorization: `Bearer ${token}` } })
    const viaHeader = await fetch(`${sim.url}/api/v1.0/datatable-sales`, { headers: { 'access-token': token } })
    const viaQuery = await fetch(`${sim.url}/api/me?access_token=${token}`)
    expect([viaBearer.status, viaHeader.status, viaQuery.status]).toEqual([200, 200, 200])
    const me = (await viaQuery.json()) as any
    expect(me.data[0]).toMatchObject({ id: '1', mail: 'demo@saleroom.test', roles: expect.arrayContaining(['clerk']) })
    expect(me.data[0].config.currency).toEqual({
      key: 'gbp',
      symbol: '£',
      template: '@symbol@amount',
      decimal_sign: '.',
      decimal_amount: 2,
      thousands_sign: ','
    })
  })

  it('supports the legacy bo_auth login', async () => {
    const res = await fetch(`${sim.url}/api/v1.0/bo_auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo@saleroom.test', password: 'demo' })
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as any
    expect(body.data.user).toMatchObject({ id: '1', email: 'demo@saleroom.test', roles: expect.any(Array) })
    const bad = await fetch(`${sim.url}/api/v1.0/bo_auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y' })
    })
    expect(bad.status).toBe(401)
    const ok = await fetch(`${sim.url}/api/v1.0/datatable-sales`, {
      headers: { authorization: `Bearer ${body.data.access_token}` }
    })
    expect(ok.status).toBe(200)
  })

  it('expires tokens through the injected clock (403), then login-token issues a new one', async () => {
    const token = await login(sim.url)
    clock += 601_000
    const res = await fetch(`${sim.url}/api/v1.0/datatable-sales`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ title: 'Forbidden', status: 403, detail: 'Access token expired.' })
    const fresh = await login(sim.url)
    expect(fresh).not.toBe(token)
    expect(
      (await fetch(`${sim.url}/api/v1.0/datatable-sales`, { headers: { authorization: `Bearer ${fresh}` } })).status
    ).toBe(200)
  })

  it('expires every token via /_sim/expire-tokens', async () => {
    const token = await login(sim.url)
    const ctl = await fetch(`${sim.url}/_sim/expire-tokens`, { method: 'POST' })
    expect(ctl.status).toBe(200)
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${sim.url}/api/v1.0/me`, { headers: { 'access-token': token } })
      expect(res.status).toBe(403)
      expect(((await res.json()) as any).detail).toBe('Access token expired.')
    }
  })

  it('refuses a non-loopback host', async () => {
    await expect(startSimulator({ host: '0.0.0.0', quiet: true })).rejects.toThrow(/loopback/)
  })
})
