// A station killed (SIGKILL) in the middle of a copy: the older copies are
// intact, the half-written one is never offered as a copy, and the next copy
// is good and takes its place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { rollingBackup } from '../../src-main/db/backups'
import { openReplica } from '../../src-main/db/replica'
import { listCopies } from '../../src-main/safety-net/copies'
import { tempDir } from '../helpers'

const ITEMS = 20_000
let data: { dir: string; cleanup(): void }
let share: { dir: string; cleanup(): void }
let file: string

beforeAll(async () => {
  data = tempDir('saleroom-kill-')
  share = tempDir('saleroom-kill-share-')
  file = join(data.dir, 'saleroom.db')
  // A replica big enough (about 15 MB) that a copy takes many steps.
  const replica = await openReplica(file, { now: Date.now })
  replica.raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('1', 'Big sale', 'open', '{}')`)
  const add = replica.raw.prepare(
    `INSERT INTO items (id, sale_id, lot, lot_sort, title, description, status, raw) VALUES (?, '1', ?, ?, ?, ?, 'available', '{}')`
  )
  replica.raw.transaction(() => {
    for (let i = 1; i <= ITEMS; i++) {
      add.run(String(i), String(i), String(i).padStart(9, '0'), `Lot ${i}`, `A description of lot ${i}. `.repeat(20))
    }
  })()
  replica.close()
})
afterAll(() => {
  data.cleanup()
  share.cleanup()
})

const items = (db: string) => {
  const d = new BetterSqlite3(db, { readonly: true })
  try {
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok')
    return (d.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n
  } finally {
    d.close()
  }
}

describe('killed during a copy', () => {
  it('leaves the older copies intact, offers no half copy, and the next copy is good', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/safety-net/backup-child.ts', file, share.dir], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)))
    // Kill it halfway through the fourth copy (three whole ones are there by then).
    await new Promise<void>((ok, fail) => {
      let out = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('HALF 3\n')) {
          child.kill('SIGKILL')
          ok()
        }
      })
      child.on('exit', () => fail(new Error(`the copier ended on its own: ${out}`)))
    })
    expect(await exited).toBe('SIGKILL')

    const names = readdirSync(share.dir).sort()
    const whole = names.filter((f) => f.endsWith('.db'))
    expect(whole).toHaveLength(3)
    expect(names.filter((f) => f.endsWith('.db.partial'))).toHaveLength(1) // it really died mid-copy
    for (const f of whole) expect(items(join(share.dir, f))).toBe(ITEMS)
    const offered = listCopies(share.dir, join(data.dir, 'backups'))
    expect(offered.map((c) => c.file).sort()).toEqual(whole.map((f) => join(share.dir, f)))
    expect(offered.every((c) => c.problem === null)).toBe(true)

    // The station starts again; its next copy is whole, replaces the half one and keeps three.
    const replica = await openReplica(file, { now: Date.now })
    const next = await rollingBackup(replica, 'clerking-podium', Date.UTC(2026, 10, 30, 10, 0), 3, share.dir)
    replica.close()
    expect(items(next)).toBe(ITEMS)
    const after = readdirSync(share.dir).sort()
    expect(after.filter((f) => f.endsWith('.partial'))).toEqual([])
    expect(after.filter((f) => f.endsWith('.db'))).toEqual([...whole.slice(1), next.split('/').pop()])
    expect(items(file)).toBe(ITEMS)
  }, 60_000)
})
