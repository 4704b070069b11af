// F17: a WAL that lost its tail. A station commits lots, dies (SIGKILL, so
// the -wal is not checkpointed), and the -wal's last bytes are damaged: SQLite
// drops the last transaction without a word. At the next start the outbox
// witness names the entry that can no longer be found, in the status bar,
// until the user dismisses it.
import { afterEach, describe, expect, it } from 'vitest'
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { replicaPath } from '../../src-main/app/boot'
import { readWitness, witnessPath } from '../../src-main/safety-net/witness'
import type { StatusSnapshot } from '../../src-shared/events'
import type { AuditEntry } from '../../src-shared/contract'
import { tempDir, testCore } from '../helpers'
import { killedStation } from './kill-station'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Scribble over the last frame of a -wal file (its last commit). */
function damageWalTail(wal: string): void {
  const size = statSync(wal).size
  const fd = openSync(wal, 'r+')
  try {
    writeSync(fd, Buffer.alloc(4096 + 24, 0x5a), 0, 4096 + 24, size - (4096 + 24))
  } finally {
    closeSync(fd)
  }
}

describe('the outbox witness', () => {
  it('names the entries a damaged WAL tail dropped, and keeps naming them until dismissed', async () => {
    const t = tempDir('saleroom-witness-')
    cleanups.push(t.cleanup)
    const committed = await killedStation({ dataDir: t.dir, lots: 5, checkpointAfter: 2 })
    expect(committed.map((e) => e.label)).toEqual([1, 2, 3, 4, 5].map((n) => `Lot ${n} passed`))
    // Each entry was witnessed after its commit, without waiting for an fsync.
    expect(readWitness(witnessPath(t.dir)).map((e) => e.opId)).toEqual(committed.map((e) => e.opId))

    damageWalTail(`${replicaPath(t.dir)}-wal`)

    const core = await testCore(t.dir)
    cleanups.push(() => core.close())
    const info = await core.dispatch('app.info', {})
    expect(info).toMatchObject({ ok: true, data: { damaged: null } }) // the database opens: it is consistent
    const db = core.replica()!
    const seqs = db.raw.prepare('SELECT op_id AS opId FROM outbox ORDER BY seq').all() as { opId: string }[]
    expect(seqs.map((r) => r.opId)).toEqual(committed.slice(0, 4).map((e) => e.opId)) // the last one is gone

    const status = (await core.dispatch('app.status', {})) as { ok: true; data: StatusSnapshot }
    expect(status.data.lostEntries).toEqual([committed[4]])

    // The witness now holds the entries still open, whole.
    expect(readWitness(witnessPath(t.dir)).map((e) => e.opId)).toEqual(committed.slice(0, 4).map((e) => e.opId))
    expect(readFileSync(witnessPath(t.dir), 'utf8').endsWith('\n')).toBe(true)

    // Restarted again, it is still listed (kept in the database, not only in memory).
    await core.close()
    cleanups.pop()
    const again = await testCore(t.dir)
    cleanups.push(() => again.close())
    const later = (await again.dispatch('app.status', {})) as { ok: true; data: StatusSnapshot }
    expect(later.data.lostEntries).toEqual([committed[4]])

    // Entered again by hand, the user clears the list: audited.
    expect(await again.dispatch('backups.dismissLost', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' }
    })
    expect(await again.dispatch('backups.dismissLost', { confirm: true })).toEqual({ ok: true, data: { dismissed: 1 } })
    const cleared = (await again.dispatch('app.status', {})) as { ok: true; data: StatusSnapshot }
    expect(cleared.data.lostEntries).toEqual([])
    const audit = (await again.dispatch('audit.list', { limit: 1 })) as { ok: true; data: AuditEntry[] }
    expect(audit.data[0]).toMatchObject({ action: 'backups.dismissLost', before: { lostEntries: [committed[4]] } })
  }, 60_000)

  it('witnesses what this station commits, and reports nothing after a clean restart', async () => {
    const t = tempDir('saleroom-witness-')
    cleanups.push(t.cleanup)
    const core = await testCore(t.dir)
    const raw = core.replica()!.raw
    raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('s1', 'Sale', 'published', '{}')`)
    raw.exec(
      `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES ('i1', 's1', '1', '000000001', 'Lot 1', 'available', '{}')`
    )
    expect((await core.dispatch('clerking.pass', { itemId: 'i1' })).ok).toBe(true)
    const entry = raw.prepare('SELECT seq, op_id AS opId, label FROM outbox').get()
    expect(readWitness(join(t.dir, 'outbox-witness.log'))).toEqual([entry])
    await core.close()

    const again = await testCore(t.dir)
    cleanups.push(() => again.close())
    const status = (await again.dispatch('app.status', {})) as { ok: true; data: StatusSnapshot }
    expect(status.data.lostEntries).toEqual([])
    expect(status.data.pending).toBe(1)
  })
})
