// `npm start`: build and launch the Electron app. Where the Electron binary
// cannot be had (build machines, headless boxes), say so in one line and
// start the web host instead, so this command always starts Saleroom.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ELECTRON_DIR = join(import.meta.dirname, '..', 'node_modules', 'electron')

/** The binary's path, without requiring the package (which would try a noisy download). */
function electronBinary() {
  const pathFile = join(ELECTRON_DIR, 'path.txt')
  if (!existsSync(pathFile)) return null
  const bin = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) ? bin : null
}

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

let binary = electronBinary()
if (!binary && existsSync(join(ELECTRON_DIR, 'install.js'))) {
  // Electron 42+ fetches its binary on first use; try once, quietly.
  spawnSync(process.execPath, [join(ELECTRON_DIR, 'install.js')], { stdio: 'ignore', timeout: 120_000 })
  binary = electronBinary()
}
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)

if (binary && hasDisplay) {
  const r = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 0)
}
console.log(
  binary
    ? 'No display here, so Saleroom starts as a web host: open the address below in a browser.'
    : 'The Electron binary cannot be downloaded on this machine, so Saleroom starts as a web host: open the address below in a browser.'
)
const port = process.env.PORT ?? '5170'
const r = spawnSync('npx', ['tsx', 'src-main/web/cli.ts', '--port', port, ...process.argv.slice(2)], {
  stdio: 'inherit'
})
process.exit(r.status ?? 0)
