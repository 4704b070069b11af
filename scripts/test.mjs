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

// Unit and component tests first, then the end-to-end tests on their own, so
// a browser test never competes for the CPU with the crash and pull tests.
function vitest(label, projects, report) {
  rmSync(report, { force: true })
  const ok = step(label, 'npx', [
    'vitest',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`
  ])
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'))
    return { ok, passed: r.numPassedTests, failed: r.numFailedTests || (ok ? 0 : 1) }
  } catch {
    return { ok, passed: 0, failed: 1 }
  }
}
const runs = [
  vitest('unit, integration and component tests', ['node', 'dom'], 'test-results/vitest-unit.json'),
  vitest('end-to-end tests in Chromium', ['e2e'], 'test-results/vitest-e2e.json')
]
let passed = runs.reduce((n, r) => n + r.passed, 0)
let failed = runs.reduce((n, r) => n + r.failed, 0)
const vitestOk = runs.every((r) => r.ok)
if (!vitestOk && failed === 0) failed = 1
// Each static check counts as one test, so a red check cannot hide behind green tests.
passed += checks.length - failedChecks.length
failed += failedChecks.length
if (failedChecks.length) console.log(`\nFailed checks: ${failedChecks.join(', ')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
