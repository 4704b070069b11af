// The simulators' fixed command line (venue scripts and acceptance checks
// drive it): `npm run sim:fairwarning -- --port N --key K` and
// `npm run sim:bidlogix -- --port N --client-id C --key K` print
// "… simulator listening on http://127.0.0.1:N" and answer GET /_sim/state
// with the items they hold. The scripts run the files below with tsx; the
// test runs them in one node process, so stopping it leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'

const ROOT = join(__dirname, '../..')
let running: ChildProcess[] = []
afterEach(async () => {
  await Promise.all(
    running.map(
      (p) =>
        new Promise<void>((ok) => {
          if (p.exitCode !== null) return ok()
          p.once('exit', () => ok())
          p.kill('SIGTERM')
        })
    )
  )
  running = []
})

function start(file: string, args: string[]): Promise<{ url: string; out: () => string }> {
  const p = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.push(p)
  let out = ''
  p.stdout!.on('data', (d) => (out += d))
  p.stderr!.on('data', (d) => (out += d))
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no listening line:\n${out}`)), 20_000)
    p.stdout!.on('data', () => {
      const m = / simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok({ url: m[1], out: () => out })
      }
    })
    p.on('exit', (code) => fail(new Error(`exited ${code}:\n${out}`)))
  })
}

it('npm scripts run the two simulators', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts
  expect(scripts['sim:fairwarning']).toBe('tsx src-main/connectors/fairwarning/cli.ts')
  expect(scripts['sim:bidlogix']).toBe('tsx src-main/connectors/bidlogix/cli.ts')
})

it('sim:fairwarning -- --port N --key K listens, holds the demo catalogue, and serves items to that key', async () => {
  const s = await start('src-main/connectors/fairwarning/cli.ts', ['--port', '0', '--key', 'K'])
  expect(s.out()).toMatch(/^FairWarning simulator listening on http:\/\/127\.0\.0\.1:\d+$/m)
  const state = (await (await fetch(`${s.url}/_sim/state`)).json()) as { items: { item_lot: number }[] }
  expect(state.items.length).toBe(39)
  const items = await fetch(`${s.url}/items/0/10`, { headers: { 'public-key': 'K', 'private-key': 'K' } })
  expect(items.status).toBe(200)
  const denied = await fetch(`${s.url}/items/0/10`)
  expect(denied.status).toBe(403)
  const faults = await fetch(`${s.url}/_sim/faults`, {
    method: 'POST',
    body: JSON.stringify({ error500Rate: 0.5, dropAfterApplyRate: 0.2 })
  })
  expect(await faults.json()).toEqual({ error500Rate: 0.5, dropAfterApplyRate: 0.2 })
})

it('sim:bidlogix -- --port N --client-id C --key K listens and answers its (empty) items', async () => {
  const s = await start('src-main/connectors/bidlogix/cli.ts', ['--port', '0', '--client-id', '9', '--key', 'K'])
  expect(s.out()).toMatch(/^Bidlogix simulator listening on http:\/\/127\.0\.0\.1:\d+$/m)
  expect(await (await fetch(`${s.url}/_sim/state`)).json()).toEqual({
    auctions: [
      { id: '1001', webcast: false, items: 0 },
      { id: '1002', webcast: true, items: 0 }
    ],
    items: []
  })
  const bad = await fetch(`${s.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ latency: 5 }) })
  expect(bad.status).toBe(400)
})

it('a missing --key is a usage error, not a crash', async () => {
  const p = spawn(process.execPath, ['--import', 'tsx', 'src-main/connectors/bidlogix/cli.ts', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.push(p)
  let err = ''
  p.stderr!.on('data', (d) => (err += d))
  const code = await new Promise<number | null>((ok) => p.on('exit', ok))
  expect(code).toBe(2)
  expect(err).toMatch(/--client-id and --key are required\nUsage: npm run sim:bidlogix/)
})
