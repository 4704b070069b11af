// The pinned fetch carries a request's body whole, whatever the method: a
// phone card is deleted at the hub with `DELETE phone_bidder_cards {id}`,
// and Node sends a DELETE's body neither chunked nor sized unless told — the
// hub then read the body as the start of another request and answered 400.
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { pinnedFetch } from '../../src-main/circuit/pinning'
import { loadOrCreateHubIdentity } from '../../src-main/venue/identity'
import { tempDir } from '../helpers'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

describe('the pinned fetch', () => {
  it('sends the body of a DELETE, sized, and the next request on the connection is its own', async () => {
    const t = tempDir('saleroom-pinned-')
    cleanups.push(t.cleanup)
    const id = await loadOrCreateHubIdentity(t.dir, Date.now())
    const seen: { method: string; url: string; body: string }[] = []
    const server = createServer({ cert: id.certPem, key: id.keyPem }, (req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body })
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    const fetchPinned = pinnedFetch(id)

    const body = JSON.stringify({ id: '17', note: 'Müller' })
    const res = await fetchPinned(`${url}/api/v1.0/phone_bidder_cards`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body
    })
    expect(res.status).toBe(200)
    await res.text()
    const next = await fetchPinned(`${url}/api/v1.0/me`, { method: 'GET' })
    expect(next.status).toBe(200)
    await next.text()
    expect(seen).toEqual([
      { method: 'DELETE', url: '/api/v1.0/phone_bidder_cards', body },
      { method: 'GET', url: '/api/v1.0/me', body: '' }
    ])
  })
})
