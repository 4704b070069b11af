// The second folder: chosen and checked in Settings, copied to every few
// minutes while the sale is worked (and only then), the newest few kept, a
// failed copy shown in the status, the copies listed for restoring; and the
// audit log of a sale exported as CSV.
import { afterEach, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../src-main/app/boot'
import { manualClock } from '../../src-main/core/clock'
import type { BackupList, StatusSnapshot } from '../../src-shared/contract'
import { tempDir, testCore } from '../helpers'
import { csvCell } from '../../src-main/safety-net/audit-export'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function station(): Promise<{ core: Core; clock: ReturnType<typeof manualClock>; share: string; data: string }> {
  const data = tempDir('saleroom-net-')
  const share = tempDir('saleroom-share-')
  const clock = manualClock()
  const core = await testCore(data.dir, { clock, backupTickMs: 5 })
  cleanups.push(data.cleanup, share.cleanup, () => core.close())
  return { core, clock, share: share.dir, data: data.dir }
}

async function call<T>(core: Core, name: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

const copiesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.db'))

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** The status once it shows what `wanted` looks for. */
async function statusWhen(core: Core, wanted: (s: StatusSnapshot) => boolean, what: string): Promise<StatusSnapshot> {
  const end = Date.now() + 5000
  for (;;) {
    const status = await call<StatusSnapshot>(core, 'app.status')
    if (wanted(status)) return status
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(status.backup)}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('the second folder', () => {
  it('must exist, take a file and lie outside the data folder; each refusal says why and changes nothing', async () => {
    const { core, share, data } = await station()
    const refused = async (folder: string) => {
      const r = await core.dispatch('backups.configure', { folder })
      expect(r.ok).toBe(false)
      return r.ok ? '' : [r.error.message, ...Object.values(r.error.fields ?? {}).flat()].join(' ')
    }
    expect(await refused(join(share, 'not-mounted'))).toContain('There is no folder')
    writeFileSync(join(share, 'a-file'), 'x')
    expect(await refused(join(share, 'a-file'))).toContain('There is no folder')
    expect(await refused(join(data, 'backups'))).toContain("inside this station's own data folder")
    expect(await refused('relative/path')).toContain('full path')
    expect((await call<{ backupFolder: string | null }>(core, 'settings.get')).backupFolder).toBeNull()

    const list = await call<BackupList>(core, 'backups.configure', { folder: share, everyMinutes: 2, keep: 3 })
    expect(list.folder).toBe(share)
    expect(await call(core, 'settings.get')).toMatchObject({
      backupFolder: share,
      backupEveryMinutes: 2,
      backupKeep: 3
    })
  })

  it('copies while the sale is worked — every few minutes, not while nothing changes — keeping the newest few', async () => {
    const { core, clock, share } = await station()
    await call(core, 'backups.configure', { folder: share, everyMinutes: 2, keep: 3 })
    // The change of settings is work: the first copy follows at the next look.
    await until(() => copiesIn(share).length === 1, 'the first copy')
    await new Promise((r) => setTimeout(r, 50))
    expect(copiesIn(share)).toHaveLength(1) // nothing changed since: no more copies

    await call(core, 'settings.update', { userName: 'Anna' })
    await new Promise((r) => setTimeout(r, 50))
    expect(copiesIn(share)).toHaveLength(1) // changed, but two minutes have not passed
    clock.advance(2 * 60_000)
    await until(() => copiesIn(share).length === 2, 'the second copy')

    for (let i = 0; i < 3; i++) {
      const before = (await call<StatusSnapshot>(core, 'app.status')).backup.lastAt
      await call(core, 'settings.update', { userName: `Clerk ${i}` })
      clock.advance(2 * 60_000)
      await statusWhen(core, (s) => s.backup.lastAt !== before, `copy ${i + 3}`)
    }
    expect(copiesIn(share)).toHaveLength(3)
    const status = await call<StatusSnapshot>(core, 'app.status')
    expect(status.backup).toMatchObject({ folder: share, lastError: null })

    // Each copy is a whole database that names its station.
    const list = await call<BackupList>(core, 'backups.list')
    const mine = list.copies.filter((c) => c.place === 'second-folder')
    expect(mine).toHaveLength(3)
    expect(mine[0]).toMatchObject({ kind: 'clerking', station: 'Station 1', unsent: 0, problem: null })
    const db = new BetterSqlite3(mine[0].file, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })

  it('a copy that fails says so in the status, and the next good one clears it', async () => {
    const { core, clock, share } = await station()
    await call(core, 'backups.configure', { folder: share, everyMinutes: 1 })
    await until(() => copiesIn(share).length === 1, 'the first copy')
    // The share goes away; a file stands where it was.
    rmSync(share, { recursive: true, force: true })
    writeFileSync(share, 'not a folder')
    await call(core, 'settings.update', { userName: 'Anna' })
    clock.advance(60_000)
    const failed = await statusWhen(core, (s) => s.backup.lastError !== null, 'the failure')
    expect(failed.backup.lastError).toContain(`Copy to ${share} failed`)
    const now = await core.dispatch('backups.now', {})
    expect(!now.ok && now.error.message).toContain(`Copy to ${share} failed`)

    // Back again: the copy still owed is taken, and the status is clear.
    rmSync(share)
    mkdirSync(share)
    clock.advance(60_000)
    const cleared = await statusWhen(core, (s) => s.backup.lastError === null, 'the copy after the share came back')
    expect(cleared.backup.lastAt).not.toBe(failed.backup.lastAt)
    expect(copiesIn(share)).toHaveLength(1)
  })

  it('lists whole copies only: a half-written one is never offered', async () => {
    const { core, share } = await station()
    await call(core, 'backups.configure', { folder: share })
    await call(core, 'backups.now')
    writeFileSync(join(share, 'saleroom-20261123T090500Z-clerking-podium.db.partial'), 'half')
    writeFileSync(join(share, 'saleroom-20261123T090600Z-clerking-podium.db'), 'not a database')
    const list = await call<BackupList>(core, 'backups.list')
    const files = list.copies.filter((c) => c.place === 'second-folder')
    expect(files.map((c) => c.file.endsWith('.partial'))).not.toContain(true)
    const junk = files.find((c) => c.file.endsWith('090600Z-clerking-podium.db'))!
    expect(junk.problem).toMatch(/not a Saleroom database|damaged/)
    const r = await core.dispatch('backups.restore', { file: junk.file })
    expect(!r.ok && r.error.message).toContain('cannot be restored')
    const outside = await core.dispatch('backups.restore', { file: '/etc/passwd' })
    expect(!outside.ok && outside.error.code).toBe('not_found')
  })
})

describe('the audit log as CSV', () => {
  it('quotes what needs quoting and never lets a cell run as a formula', () => {
    expect(csvCell('Dvořák, Antonín')).toBe('"Dvořák, Antonín"')
    expect(csvCell('say "hammer"')).toBe('"say ""hammer"""')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('-5')).toBe("'-5")
    expect(csvCell(42)).toBe('42')
    expect(csvCell(null)).toBe('')
  })

  it("exports a sale's entries, oldest first, to a file it names", async () => {
    const { core, data } = await station()
    const raw = core.replica()!.raw
    raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('9', 'Autumn, Fine Art', 'open', '{}')`)
    const add = raw.prepare(
      `INSERT INTO audit_log (at, actor, station, action, entity_type, entity_id, before, after, sale_id)
       VALUES (?, ?, 'Podium', ?, 'item', ?, ?, ?, ?)`
    )
    add.run(1, 'Anna', 'clerking.sell', '501', '{"lot":"12","status":"available"}', '{"lot":"12","status":"sold"}', '9')
    add.run(2, '=cmd|x', 'clerking.pass', '502', null, '{"lot":"13","status":"unsold"}', '9')
    add.run(3, 'Other', 'clerking.pass', '900', null, '{"lot":"1"}', '8')
    const r = await call<{ path: string; rows: number }>(core, 'audit.exportCsv', { saleId: '9' })
    expect(r.rows).toBe(2)
    expect(r.path.startsWith(join(data, 'exports'))).toBe(true)
    const text = readFileSync(r.path, 'utf8')
    expect(text.startsWith('\ufeffid,at,station,user,action')).toBe(true)
    const lines = text.slice(1).split('\r\n').filter(Boolean)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain('clerking.sell,item,501,12,')
    expect(lines[2]).toContain("'=cmd|x")
    expect(lines[2]).toContain(',13,')
    const missing = await core.dispatch('audit.exportCsv', { saleId: '404' })
    expect(!missing.ok && missing.error.code).toBe('not_found')
  })
})
