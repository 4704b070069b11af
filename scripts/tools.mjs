// Finding (and on Debian/Ubuntu as root, installing) what the tests need
// outside npm: Chromium for the end-to-end tests, poppler-utils for PDFs.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : null
}

export function findChromium() {
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH
  return which('chromium') ?? which('chromium-browser') ?? which('google-chrome')
}

export function ensureTestTools() {
  let chrome = findChromium()
  let pdftoppm = which('pdftoppm')
  if (chrome && pdftoppm) return { chrome }
  const isDebian = existsSync('/etc/debian_version')
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isDebian || !isRoot) {
    console.error(
      'The tests need Chromium and poppler-utils: install them (Debian/Ubuntu: apt-get install chromium poppler-utils) or set CHROME_PATH.'
    )
    process.exit(1)
  }
  console.log('Installing chromium and poppler-utils with apt-get (first run on this machine)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils'], { stdio: 'inherit', env })
  chrome = findChromium()
  pdftoppm = which('pdftoppm')
  if (!chrome || !pdftoppm) {
    console.error('apt-get finished but chromium or pdftoppm is still missing.')
    process.exit(1)
  }
  return { chrome }
}
