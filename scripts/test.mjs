// `npm test`: type checks, lint, build, then every Vitest project (unit,
// component, end-to-end in Chromium). Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureTestTools } from './tools.mjs'

const { chrome } = ensureTestTools()
const env = { ...process.env, CHROME_PATH: chrome }

function step(label, cmd, args) {
  console.log(`\n== ${label}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  return r.status === 0
}

const checks = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['svelte-check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['build', 'npx', ['electron-vite', 'build']]
]
const failedChecks = checks.filter(([label, cmd, args]) => !step(label, cmd, args)).map(([label]) => label)

mkdirSync('test-results', { recursive: true })
rmSync('test-results/vitest.json', { force: true })
const vitestOk = step('tests (unit, component, end-to-end)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json'
])

let passed = 0
let failed = 0
try {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'))
  passed = report.numPassedTests
  failed = report.numFailedTests
} catch {
  failed += 1
}
if (!vitestOk && failed === 0) failed = 1
// Each static check counts as one test, so a red check cannot hide behind green tests.
passed += checks.length - failedChecks.length
failed += failedChecks.length
if (failedChecks.length) console.log(`\nFailed checks: ${failedChecks.join(', ')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
