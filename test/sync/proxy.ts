// A loopback HTTP proxy in front of the simulator, for tests that need to cut
// a connection or corrupt one answer at a chosen request.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ProxyAction =
  | 'pass'
  | 'drop'
  | { status?: number; body: string }
  /** Forward the request now; hand Circuit's answer back only once `holdAnswer` settles. */
  | { holdAnswer: Promise<void>; answered?: () => void }

export interface TestProxy {
  url: string
  /** Every request path+query seen, in order. */
  log: string[]
  rule: (path: string, n: number) => ProxyAction
  close(): Promise<void>
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => ok(Buffer.concat(chunks)))
    req.on('error', fail)
  })
}

export async function startProxy(target: string, port = 0): Promise<TestProxy> {
  const proxy: TestProxy = { url: '', log: [], rule: () => 'pass', close: async () => {} }
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/'
    proxy.log.push(`${req.method} ${decodeURIComponent(path)}`)
    const action = proxy.rule(decodeURIComponent(path), proxy.log.length)
    if (action === 'drop') {
      req.socket.destroy()
      return
    }
    const hold = typeof action === 'object' && 'holdAnswer' in action ? action : null
    if (action !== 'pass' && !('holdAnswer' in action)) {
      res.writeHead(action.status ?? 200, { 'content-type': 'application/json' }).end(action.body)
      return
    }
    const body = await readAll(req)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v
    let upstream: Response
    let text: Buffer
    try {
      upstream = await fetch(target + path, {
        method: req.method,
        headers,
        body: body.length && req.method !== 'GET' ? new Uint8Array(body) : undefined
      })
      text = Buffer.from(await upstream.arrayBuffer())
    } catch {
      // The server dropped the connection: so does the proxy, to its own caller.
      req.socket.destroy()
      return
    }
    if (hold) {
      hold.answered?.()
      await hold.holdAnswer
    }
    const out: Record<string, string> = {}
    upstream.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v
    })
    res.writeHead(upstream.status, out).end(text)
  })
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = async () => {
    server.closeAllConnections()
    await new Promise<void>((ok) => server.close(() => ok()))
  }
  return proxy
}
