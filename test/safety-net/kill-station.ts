// Runs station-child.ts until it has committed its lots, then kills it with
// SIGKILL: a station that died mid-sale, its -wal file not checkpointed.
import { spawn } from 'node:child_process'
import type { LostEntry } from '../../src-shared/events'

export async function killedStation(o: {
  dataDir: string
  lots: number
  checkpointAfter: number
  share?: string
}): Promise<LostEntry[]> {
  const args = [
    '--import',
    'tsx',
    'test/safety-net/station-child.ts',
    o.dataDir,
    String(o.lots),
    String(o.checkpointAfter),
    ...(o.share ? [o.share] : [])
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)))
  let out = ''
  try {
    await new Promise<void>((ok, fail) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('READY\n')) ok()
        if (out.includes('FAILED')) fail(new Error(out))
      })
      child.on('exit', () => fail(new Error(`the station ended on its own: ${out}`)))
    }).finally(() => child.kill('SIGKILL'))
    const signal = await exited
    if (signal !== 'SIGKILL') throw new Error(`the station was not killed (${signal})`)
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  return parseCommitted(out)
}

/** The entries the child says it committed, in order. */
export function parseCommitted(out: string): LostEntry[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('COMMITTED '))
    .map((l) => JSON.parse(l.slice('COMMITTED '.length)) as LostEntry)
}
