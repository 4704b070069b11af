// The bench smoke: every benchmark of `npm run bench` runs here, small (a few
// iterations on little data), the way the command runs them (tsx, its own
// process), so a change that breaks one is seen in `npm test`, not on the day
// someone measures. No figure is asserted: on a shared machine they mean
// nothing; each bench must run to its end and report. The keystroke bench
// drives Chromium and runs with the end-to-end tests
// (test/e2e/bench-keystroke.e2e.test.ts).
import { expect, it } from 'vitest'
import { runBenchSmoke, showIfFailed } from './run-bench'

it('npm run bench runs every bench but the keystroke one, small, to its end', { timeout: 120_000 }, async () => {
  const run = await runBenchSmoke(['--except=keystroke'])
  showIfFailed(run)
  expect(run.code, 'npm run bench -- --smoke failed: its output is above').toBe(0)
  expect([...run.ran.keys()]).toEqual(['replica', 'circuit', 'write-path', 'printing', 'checkout', 'startup', 'venue'])
  for (const [name, figures] of run.ran) expect(figures, `${name} reports figures`).toBeGreaterThan(0)
  for (const line of run.lines) expect(line).toMatch(/\d/)
})
