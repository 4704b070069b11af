// Findings of the web host probe (issue "Harden the web host…") fixed so far:
// control characters refused, a malformed address answered 400, an oversize
// body answered 413 before the connection closes, no internal text in any
// answer, and the data folder and database files private to the user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import type { Core } from '../../src-main/app/boot'
import { snapshotTables, tempDir, testCore } from '../helpers'

let core: Core
let host: WebHost
let dir: string
let cleanup: () => void

beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  dir = join(t.dir, 'fresh', 'data') // a folder Saleroom creates itself
  const old = process.umask(0o022)
  try {
    core = await testCore(dir)
  } finally {
    process.umask(old)
  }
  mkdirSync(join(t.dir, 'renderer'), { recursive: true })
  host = await startWebHost({ core, rendererDir: join(t.dir, 'renderer') })
})
afterAll(async () => {
  await host.close()
  await core.close()
  cleanup()
})

/** A raw request, so nothing cleans the path or the body up on the way. */
function raw(method: string, path: string, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method,
        path,
        headers: {
          host: `127.0.0.1:${host.port}`,
          'x-saleroom-token': host.token,
          'content-type': 'application/json',
          ...(body ? { 'content-length': body.length } : {})
        }
      },
      (res) => {
        let text = ''
        res.on('data', (c) => (text += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }))
      }
    )
    req.on('error', fail)
    req.end(body)
  })
}

describe('hardening', () => {
  it('control characters in a name are refused and change nothing', async () => {
    const before = snapshotTables(core.replica()!.raw)
    for (const userName of ['\u0000', 'Ann\u001b[31m', 'two\nlines']) {
      const r = await core.dispatch('settings.update', { userName })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
    expect((await core.dispatch('lookup.lots', { q: 'a\u0000b' })).ok).toBe(false)
    expect(snapshotTables(core.replica()!.raw)).toEqual(before)
    expect((await core.dispatch('settings.update', { userName: 'Zoë Ørsted' })).ok).toBe(true)
  })

  it('a malformed address answers 400 without internal text', async () => {
    const r = await raw('GET', '/%E0%A4%A')
    expect(r.status).toBe(400)
    expect(r.text).not.toMatch(/URIError|malformed URI|at /)
    expect(JSON.parse(r.text)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect((await raw('POST', '/rpc/%E0%A4%A', Buffer.from('{}'))).status).toBe(400)
  })

  it('a body over the limit gets a clear 413 before the connection closes', async () => {
    const r = await raw('POST', '/rpc/settings.update', Buffer.alloc(1024 * 1024 + 10, 0x20))
    expect(r.status).toBe(413)
    expect(JSON.parse(r.text).error.message).toMatch(/over 1 MB/)
  })

  it('the data folder it creates is 0700 and the database files 0600, under umask 022', () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'saleroom.db')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'saleroom.db-wal')).mode & 0o777).toBe(0o600)
  })
})
