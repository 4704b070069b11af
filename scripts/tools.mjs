// Finding (and on Debian/Ubuntu as root, installing) what the tests need
// outside npm: Chromium for the end-to-end tests, poppler-utils for PDFs,
// zbar-tools to read the barcodes printed on lot tags back.
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
  let zbarimg = which('zbarimg')
  if (chrome && pdftoppm && zbarimg) return { chrome }
  const isDebian = existsSync('/etc/debian_version')
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isDebian || !isRoot) {
    console.error(
      'The tests need Chromium, poppler-utils and zbar-tools: install them (Debian/Ubuntu: apt-get install chromium poppler-utils zbar-tools) or set CHROME_PATH.'
    )
    process.exit(1)
  }
  console.log('Installing chromium, poppler-utils and zbar-tools with apt-get (first run on this machine)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils', 'zbar-tools'], {
    stdio: 'inherit',
    env
  })
  chrome = findChromium()
  pdftoppm = which('pdftoppm')
  zbarimg = which('zbarimg')
  if (!chrome || !pdftoppm || !zbarimg) {
    console.error('apt-get finished but chromium, pdftoppm or zbarimg is still missing.')
    process.exit(1)
  }
  return { chrome }
}
