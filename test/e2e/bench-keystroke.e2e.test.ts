// The keystroke bench of `npm run bench`, small, as the command runs it (tsx,
// its own process): a real web host, a small sale, Chromium typing a few keys
// on the look-up and the podium. No figure is asserted; the bench must run to
// its end (its selectors must still find the screens) and report.
import { expect, it } from 'vitest'
import { runBenchSmoke, showIfFailed } from '../bench/run-bench'

it('the keystroke bench runs, small, and reports its five figures', async () => {
  const run = await runBenchSmoke(['keystroke'])
  showIfFailed(run)
  expect(run.code, 'npm run bench -- --smoke failed: its output is above').toBe(0)
  expect(run.ran.get('keystroke')).toBe(5)
  for (const line of run.lines) expect(line).toMatch(/p50 \d/)
})
