import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'node:http'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import type { Core } from '../../src-main/app/boot'
import { CALL_NAMES } from '../../src-shared/contract'
import { tempDir, testCore } from '../helpers'

let host: WebHost
let core: Core
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  const renderer = join(t.dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Saleroom</title>')
  core = await testCore(join(t.dir, 'data'))
  host = await startWebHost({ core, rendererDir: renderer })
})
afterAll(async () => {
  await host.close()
  await core.close()
  cleanup()
})

const auth = () => ({ 'x-saleroom-token': host.token })

describe('web host', () => {
  it('binds to 127.0.0.1 and prints an address with the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(host.openUrl).toBe(`${host.url}?token=${host.token}`)
  })

  it('answers 401 to any call or event stream without the token, or with a wrong one', async () => {
    for (const path of ['rpc', 'rpc/app.status', 'events', `rpc?token=${host.token}`]) {
      const res = await fetch(host.url + path, {
        method: path.startsWith('rpc/') ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json' }
      })
      expect(res.status, path).toBe(401)
      await res.body?.cancel()
    }
    const wrong = await fetch(host.url + 'rpc', { headers: { 'x-saleroom-token': 'nope' } })
    expect(wrong.status).toBe(401)
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((ok, fail) => {
      const req = request(host.url + 'rpc', { headers: { host: 'evil.example:80', ...auth() } }, (res) => {
        res.resume()
        ok(res.statusCode ?? 0)
      })
      req.on('error', fail)
      req.end()
    })
    expect(status).toBe(403)
  })

  it('lists the contract with JSON schemas at GET /rpc', async () => {
    const body = await (await fetch(host.url + 'rpc', { headers: auth() })).json()
    expect(body.calls.map((c: { name: string }) => c.name)).toEqual(CALL_NAMES)
    const update = body.calls.find((c: { name: string }) => c.name === 'settings.update')
    expect(update).toMatchObject({ mutates: true, input: { type: 'object', additionalProperties: false } })
    expect(body.events).toContain('status')
  })

  it('calls a method with POST /rpc/<name> and returns the envelope', async () => {
    const res = await fetch(host.url + 'rpc/settings.update', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ stationName: 'Cashier 2' })
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, data: { stationName: 'Cashier 2' } })
  })

  it('answers bad JSON, bad input and unknown methods with typed errors', async () => {
    const post = (path: string, body: string) =>
      fetch(host.url + path, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body }).then(
        async (r) => [r.status, await r.json()]
      )
    expect(await post('rpc/settings.update', '{"stationName":')).toEqual([
      400,
      { ok: false, error: { code: 'invalid_input', message: expect.any(String) } }
    ])
    const [status, body] = await post('rpc/settings.update', '{"stationName": 42}')
    expect(status).toBe(400)
    expect(body.error.fields).toHaveProperty('stationName')
    expect((await post('rpc/no.such.call', '{}'))[0]).toBe(404)
  })

  it('streams core events over SSE, starting with the current status', async () => {
    const res = await fetch(`${host.url}events?token=${host.token}`)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.getReader()
    let text = ''
    while (!text.includes('event: status')) text += new TextDecoder().decode((await reader.read()).value)
    expect(text).toMatch(/event: status\ndata: \{"seq":\d+,"connection":"not-configured"/)
    await reader.cancel()
  })

  it('serves the renderer (no data in it) with a strict CSP, and never sets a cookie', async () => {
    const res = await fetch(`${host.openUrl}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('set-cookie')).toBeNull()
    const traversal = await fetch(host.url + '..%2f..%2fpackage.json', { headers: auth() })
    expect([403, 404]).toContain(traversal.status)
  })

  it('refuses a call from another origin, and one that is not JSON (no CSRF by form or text/plain)', async () => {
    const before = await (
      await fetch(host.url + 'rpc/settings.get', {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' }
      })
    ).json()
    const evil = await fetch(host.url + 'rpc/settings.update', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ stationName: 'pwned' })
    })
    expect(evil.status).toBe(403)
    const otherPort = await fetch(host.url + 'rpc/settings.update', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', origin: `http://127.0.0.1:${host.port + 1}` },
      body: JSON.stringify({ stationName: 'pwned' })
    })
    expect(otherPort.status).toBe(403)
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await fetch(host.url + 'rpc/settings.update', {
        method: 'POST',
        headers: { ...auth(), 'content-type': type },
        body: JSON.stringify({ stationName: 'pwned' })
      })
      expect(r.status, type).toBe(415)
    }
    const after = await (
      await fetch(host.url + 'rpc/settings.get', {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' }
      })
    ).json()
    expect(after).toEqual(before)
    // A venue script with the token header and JSON still works.
    const script = await fetch(host.url + 'rpc/app.status', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}'
    })
    expect(script.status).toBe(200)
  })
})
