// Runs `npm run bench -- --smoke <names>` as `npm run bench` runs it (tsx, in
// its own process), so what breaks the command itself (an import that tsx
// cannot load, a bench that throws) fails here too.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(__dirname, '../..')

export interface BenchRun {
  code: number | null
  /** The figures' lines ("- …"). */
  lines: string[]
  /** Each bench that ran to its end, with how many figures it gave. */
  ran: Map<string, number>
  output: string
}

/**
 * The run's output, printed when it failed (as the test's console output: put
 * in an assertion's message, its stack traces would be parsed as the test's own).
 */
export function showIfFailed(run: BenchRun): void {
  if (run.code !== 0) console.error(run.output)
}

/** `args`: bench names, or `--except=name`. */
export function runBenchSmoke(args: string[]): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    proc.stdout.on('data', (d) => (output += d))
    proc.stderr.on('data', (d) => (output += d))
    proc.on('error', reject)
    proc.on('exit', (code) => {
      const all = output.split('\n')
      const ran = new Map<string, number>()
      for (const l of all) {
        const m = /^# (\S+): (\d+) figures$/.exec(l)
        if (m) ran.set(m[1], Number(m[2]))
      }
      resolve({ code, output, ran, lines: all.filter((l) => l.startsWith('- ')) })
    })
  })
}
