// The Electron shell: one hardened window over the core. This file and the
// preload are the only ones that import electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  protocol,
  safeStorage,
  session,
  type IpcMainInvokeEvent
} from 'electron'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { bootCore, type Core } from './app/boot'
import { systemClock } from './core/clock'
import { randomIds } from './core/ids'
import { consoleLogger, type Printer } from './core/ports'
import { APP_VERSION, circuitEnv, circuitSide, connectorEnv, fileSecrets, resolveDataDir } from './app/host-setup'
import type { SecretStore } from './circuit'

const RPC = 'saleroom:rpc'
const EVENT = 'saleroom:event'
const rendererDir = join(__dirname, '../renderer')
// The renderer is served from our own scheme, not file://: a file URL would give the page (and
// anything it loads) the file system's privileges, and every file: page the same origin.
const SCHEME = 'saleroom'
const APP_ORIGIN = `${SCHEME}://app`
// A development server is honoured only in development: a packaged app never loads a page from elsewhere.
const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
])

let core: Core | null = null

/**
 * Printing through the shell. The printers are Chromium's list. A PDF goes to
 * CUPS with `lp` on Linux and macOS (Chromium's own print of a PDF viewer page
 * is not reliable), and on Windows through a hidden window's print.
 */
const shellPrinter: Printer = {
  // In the system's order; "default" here means the system's default when no printer is named.
  list: async () => {
    const window = BrowserWindow.getAllWindows()[0]
    if (!window) return []
    const printers = await window.webContents.getPrintersAsync()
    return printers.map((p) => p.name)
  },
  print: async (pdf, opts) => {
    const dir = mkdtempSync(join(tmpdir(), 'saleroom-print-'))
    const file = join(dir, 'job.pdf')
    writeFileSync(file, pdf, { mode: 0o600 })
    try {
      if (process.platform === 'win32') await printInWindow(file, opts)
      else await printWithLp(file, opts)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

function printWithLp(file: string, opts: { printer?: string; copies?: number; jobName: string }): Promise<void> {
  const args = [...(opts.printer ? ['-d', opts.printer] : []), '-n', String(opts.copies ?? 1), '-t', opts.jobName, file]
  return new Promise((ok, fail) =>
    execFile('lp', args, (err, _out, stderr) =>
      err ? fail(new Error(`The printer refused the job: ${stderr.trim() || err.message}`)) : ok()
    )
  )
}

async function printInWindow(file: string, opts: { printer?: string; copies?: number }): Promise<void> {
  const window = new BrowserWindow({ show: false, webPreferences: { plugins: true, sandbox: true } })
  try {
    await window.loadURL(pathToFileURL(file).toString())
    await new Promise<void>((ok, fail) =>
      window.webContents.print(
        { silent: true, deviceName: opts.printer, copies: opts.copies ?? 1, printBackground: true },
        (success, reason) => (success ? ok() : fail(new Error(`The printer refused the job: ${reason}`)))
      )
    )
  } finally {
    window.destroy()
  }
}

/**
 * The Circuit token, encrypted with the OS keychain (safeStorage). Where there
 * is no real keychain — no encryption at all, or Linux's "basic_text" backend,
 * a hard-coded key — it says so in the log and uses a 0600 file instead.
 */
function safeStorageSecrets(dataDir: string): SecretStore {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text' || backend === 'unknown') {
    consoleLogger.warn(
      'no OS keychain for the Circuit token and connector keys: keeping them in a file only this user can read (0600)',
      { backend, file: join(dataDir, 'secrets.json') }
    )
    const file = fileSecrets(dataDir)
    return { ...file, where: `${file.where ?? 'a file (0600)'}, because this system has no OS keychain (${backend})` }
  }
  const file = join(dataDir, 'secrets.bin')
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {}
    try {
      return JSON.parse(safeStorage.decryptString(readFileSync(file))) as Record<string, string>
    } catch (err) {
      // A keychain change makes the old file unreadable: it costs a log-in, never blocks one.
      consoleLogger.warn('token store unreadable; treated as empty', { error: String(err) })
      return {}
    }
  }
  const write = (all: Record<string, string>) => {
    writeFileSync(file + '.tmp', safeStorage.encryptString(JSON.stringify(all)), { mode: 0o600 })
    renameSync(file + '.tmp', file)
  }
  return {
    where: 'the OS keychain (Electron safeStorage)',
    get: async (key) => read()[key] ?? null,
    set: async (key, value) => write({ ...read(), [key]: value }),
    delete: async (key) => {
      const all = read()
      delete all[key]
      write(all)
    }
  }
}
let mainWindow: BrowserWindow | null = null

/** Only our own page may call the core. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  // The top-level frame of our window only: no iframes, no other pages.
  if (!frame || frame.parent !== null || !frame.url) return false
  const frameUrl = frame.url
  const url = new URL(frameUrl)
  if (devUrl) return url.origin === new URL(devUrl).origin
  return url.origin === APP_ORIGIN
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Saleroom',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // The print preview shows the PDF in Chromium's own viewer.
      plugins: true
    }
  })
  win.once('ready-to-show', () => win.show())
  // Quitting with changes not yet on Circuit asks first: they are safe on disk and go at the next start,
  // but the clerk should know before walking away from the podium.
  let confirmedClose = false
  win.on('close', (e) => {
    if (confirmedClose || !core) return
    e.preventDefault()
    void core.dispatch('app.status', {}).then((r) => {
      const pending = r.ok ? (r.data as { pending: number }).pending : 0
      const choice =
        pending === 0
          ? 0
          : dialog.showMessageBoxSync(win, {
              type: 'warning',
              buttons: ['Quit anyway', 'Keep Saleroom open'],
              defaultId: 1,
              cancelId: 1,
              title: 'Changes not yet on Circuit',
              message: `${pending} change${pending === 1 ? ' has' : 's have'} not reached Circuit yet.`,
              detail:
                'They are saved on this station and will be sent the next time Saleroom runs with a connection. Quit anyway?'
            })
      if (choice === 0) {
        confirmedClose = true
        win.close()
      }
    })
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.on('will-redirect', (e) => e.preventDefault())
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)
  return win
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })

  void app.whenReady().then(async () => {
    // saleroom://app/<path> serves the built renderer, and nothing outside its folder.
    protocol.handle(SCHEME, (request) => {
      const url = new URL(request.url)
      let path: string
      try {
        path = decodeURIComponent(url.pathname)
      } catch {
        return new Response('Bad address', { status: 400 })
      }
      const file = normalize(join(rendererDir, path))
      if (url.host !== 'app' || (file !== rendererDir && !file.startsWith(rendererDir + sep))) {
        return new Response('Not found', { status: 404 })
      }
      return net.fetch(pathToFileURL(file).toString())
    })
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)

    const dataDir = resolveDataDir(undefined, app.getPath('userData'))
    core = await bootCore({
      dataDir,
      clock: systemClock,
      ids: randomIds,
      host: 'electron',
      version: APP_VERSION,
      printer: shellPrinter,
      log: consoleLogger,
      connect: circuitSide({ env: circuitEnv(), connectors: connectorEnv(), secrets: safeStorageSecrets })
    })
    ipcMain.handle(RPC, async (event, name: unknown, input: unknown, key: unknown) => {
      if (!fromOurPage(event))
        return { ok: false, error: { code: 'forbidden', message: 'Not from the Saleroom window.' } }
      return core!.dispatch(String(name), input, typeof key === 'string' ? { idempotencyKey: key } : {})
    })
    core.events.subscribe((name, payload) => {
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send(EVENT, name, payload)
    })
    mainWindow = createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    void core?.close()
  })
}
