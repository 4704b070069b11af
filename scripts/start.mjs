// `npm start`: build and launch the Electron app. Where the Electron binary
// cannot be had (build machines, headless boxes), say so in one line and
// start the web host instead, so this command always starts Saleroom.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

let electronPath = null
try {
  // The electron package exports the binary's path, or throws when it was never downloaded.
  const p = createRequire(import.meta.url)('electron')
  if (typeof p === 'string' && existsSync(p)) electronPath = p
} catch {
  electronPath = null
}

if (electronPath && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux')) {
  const r = spawnSync('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 0)
}
console.log(
  electronPath
    ? 'No display here: starting the Saleroom web host instead; open the address below in a browser.'
    : 'The Electron binary is not installed on this machine: starting the Saleroom web host instead; open the address below in a browser.'
)
const r = spawnSync(
  'npx',
  ['tsx', 'src-main/web/cli.ts', '--port', process.env.PORT ?? '5170', ...process.argv.slice(2)],
  {
    stdio: 'inherit'
  }
)
process.exit(r.status ?? 0)
