import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { replicaPath } from '../../src-main/app/boot'
import { openReplica } from '../../src-main/db/replica'
import { tempDir, testCore } from '../helpers'

let cleanup = () => {}
afterEach(() => cleanup())

describe('starting on a damaged replica', () => {
  it('starts a recovery core that explains the damage, refuses other calls, and restores the latest backup', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const file = replicaPath(t.dir)
    // A healthy replica at v1, then opened at latest: that takes a backup.
    ;(await openReplica(file, { now: () => 0, targetVersion: 1 })).close()
    const db = await openReplica(file, { now: () => 1000 })
    db.raw.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('stationName', '\"Warehouse\"', 1)").run()
    db.close()
    writeFileSync(file, Buffer.alloc(8192, 0x5a))
    for (const s of ['-wal', '-shm']) if (existsSync(file + s)) writeFileSync(file + s, '')

    const core = await testCore(t.dir)
    const info = await core.dispatch('app.info', {})
    expect(info).toMatchObject({
      ok: true,
      data: { damaged: { latestBackup: expect.stringMatching(/before-migration\.db$/) } }
    })
    expect(await core.dispatch('lookup.lots', { q: '1' })).toMatchObject({
      ok: false,
      error: { code: 'replica_damaged' }
    })
    expect(readFileSync(file).every((b) => b === 0x5a)).toBe(true)

    const restored = await core.dispatch('app.restoreLatestBackup', {})
    expect(restored.ok).toBe(true)
    const after = await core.dispatch('app.info', {})
    expect(after).toMatchObject({ ok: true, data: { damaged: null } })
    expect(await core.dispatch('lookup.lots', { q: '1' })).toEqual({ ok: true, data: [] })
    if (restored.ok)
      expect(readFileSync((restored.data as { damagedCopy: string }).damagedCopy).every((b) => b === 0x5a)).toBe(true)
    await core.close()
  })
})
