import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootCore, type BootOptions, type Core } from '../src-main/app/boot'
import { manualClock } from '../src-main/core/clock'
import { sequentialIds } from '../src-main/core/ids'
import { noPrinter, silentLogger } from '../src-main/core/ports'
import { replicaOnly } from '../src-main/app/host-setup'
import { openReplica, type Replica } from '../src-main/db/replica'

export function tempDir(prefix = 'saleroom-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A fresh replica file in a folder of its own; `cleanups` is given what closes it and removes the folder. */
export async function tempReplica(cleanups: (() => void)[]): Promise<Replica> {
  const t = tempDir()
  const db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
  cleanups.push(() => {
    db.close()
    t.cleanup()
  })
  return db
}

export async function testCore(dataDir: string, overrides: Partial<BootOptions> = {}): Promise<Core> {
  return bootCore({
    dataDir,
    clock: manualClock(),
    ids: sequentialIds('t'),
    host: 'web',
    version: '0.0.0-test',
    printer: noPrinter,
    log: silentLogger,
    connect: replicaOnly,
    ...overrides
  })
}

/** Every row of every user table, for "nothing changed" assertions. */
export function snapshotTables(raw: import('better-sqlite3').Database): Record<string, unknown[]> {
  const tables = raw
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name"
    )
    .all() as { name: string }[]
  const out: Record<string, unknown[]> = {}
  for (const { name } of tables) {
    // Sorted in JS: some tables are WITHOUT ROWID.
    out[name] = (raw.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()
  }
  return out
}
