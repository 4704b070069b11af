// The real `serve` entry point on a temporary data dir, and Debian's Chromium
// driven by playwright-core. No test framework here: the benchmarks use it
// too (they run under tsx, where Vitest cannot be imported).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { tempDir } from '../helpers'

export const ROOT = join(__dirname, '../..')
export const RESULTS = join(ROOT, 'test-results')

export function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) return
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('electron-vite build failed')
}

export interface RunningHost {
  url: string
  proc: ChildProcess
  output: () => string
  stop(): Promise<void>
}

/**
 * Starts `node --import tsx src-main/web/cli.ts` and waits for its "Saleroom at …" line.
 * One process, not the `tsx` wrapper: the wrapper runs the host in a child that
 * a SIGKILL of the wrapper would leave running after the tests.
 */
export async function startHost(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = []
): Promise<RunningHost> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/web/cli.ts', '--data-dir', dataDir, '--port', '0', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (out += d))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`web host did not start:\n${out}`)), 30_000)
    const check = () => {
      const m = /Saleroom at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    }
    proc.stdout!.on('data', check)
    proc.on('exit', (code) => fail(new Error(`web host exited (${code}):\n${out}`)))
  })
  return {
    url,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((ok) => {
        if (proc.exitCode !== null) return ok()
        proc.once('exit', () => ok())
        proc.kill('SIGTERM')
      })
  }
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
}

export interface OpenApp {
  host: RunningHost
  browser: Browser
  page: Page
  /** Uncaught errors in the page, for "no page errors" assertions. */
  pageErrors: string[]
  close(): Promise<void>
}

/** The built renderer, the real web host on a fresh data dir, and a Chromium page on it. */
export async function openApp(viewport = { width: 1280, height: 860 }): Promise<OpenApp> {
  ensureRendererBuilt()
  const t = tempDir('saleroom-e2e-')
  const host = await startHost(t.dir)
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport })
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  await page.goto(host.url)
  return {
    host,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close()
      await host.stop()
      t.cleanup()
    }
  }
}

/** The data-testid of the focused element. */
export const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))
