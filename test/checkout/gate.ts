// A loopback proxy in front of the simulator that can hold requests: while it
// holds, the sender's round waits on its read-back, so what a test queues
// meanwhile stays unclaimed — a deterministic "not yet sent", with no timing.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Gate {
  url: string
  /** Hold every request from now on (each waits until release). */
  hold(): void
  release(): void
  /** Requests waiting at the gate. */
  held(): number
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

export async function startGate(target: string): Promise<Gate> {
  let holding = false
  let waiting: (() => void)[] = []
  const server = createServer(async (req, res) => {
    const body = await readAll(req)
    if (holding) await new Promise<void>((ok) => waiting.push(ok))
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v
    try {
      const upstream = await fetch(target + (req.url ?? '/'), {
        method: req.method,
        headers,
        body: body.length && req.method !== 'GET' ? new Uint8Array(body) : undefined
      })
      const text = Buffer.from(await upstream.arrayBuffer())
      const out: Record<string, string> = {}
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v
      })
      res.writeHead(upstream.status, out).end(text)
    } catch {
      req.socket.destroy()
    }
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const gate: Gate = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => {
      holding = true
    },
    release: () => {
      holding = false
      const w = waiting
      waiting = []
      for (const ok of w) ok()
    },
    held: () => waiting.length,
    close: async () => {
      gate.release()
      server.closeAllConnections()
      await new Promise<void>((ok) => server.close(() => ok()))
    }
  }
  return gate
}
