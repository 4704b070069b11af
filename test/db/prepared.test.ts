// Kysely queries compiled once and run as prepared statements: placeholders
// filled at each run, the query's own constants kept, one compile per query.
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { openReplica, type Replica } from '../../src-main/db/replica'
import type { Database } from '../../src-main/db/schema'
import { tempDir } from '../helpers'

let db: Replica
let cleanup: () => void = () => {}
afterEach(() => {
  db?.close()
  cleanup()
})

async function replica(): Promise<Replica> {
  const t = tempDir()
  cleanup = t.cleanup
  db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
  for (const [key, value] of [
    ['a', 'one'],
    ['b', 'two'],
    ['c', 'three']
  ]) {
    db.exec('INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, 0)', key, value)
  }
  return db
}

let builds = 0
const byKeyAbove = (q: Kysely<Database>, a: { key: string; above: string }) => {
  builds++
  return q
    .selectFrom('sync_state')
    .select(['key', 'value'])
    .where('key', '=', a.key)
    .where('value', '>', a.above)
    .where('updated_at', '=', 0) // a constant of the query, not a placeholder
}
const rename = (q: Kysely<Database>, a: { key: string; value: string }) =>
  q.updateTable('sync_state').set({ value: a.value }).where('key', '=', a.key)

describe('Replica.prepared', () => {
  it('fills the placeholders at each run and keeps the constants, compiling the query once', async () => {
    const db = await replica()
    builds = 0
    expect(db.prepared(byKeyAbove).all({ key: 'b', above: 'a' })).toEqual([{ key: 'b', value: 'two' }])
    expect(db.prepared(byKeyAbove).first({ key: 'b', above: 'z' })).toBeUndefined()
    expect(db.prepared(byKeyAbove).first({ key: 'c', above: 'a' })).toEqual({ key: 'c', value: 'three' })
    expect(builds).toBe(1)
    expect(db.prepared(byKeyAbove).sql).toMatch(/"key" = \? and "value" > \? and "updated_at" = \?/)
    expect(db.prepared(rename).run({ key: 'a', value: 'uno' }).changes).toBe(1)
    expect(db.prepared(byKeyAbove).first({ key: 'a', above: '' })).toEqual({ key: 'a', value: 'uno' })
  })

  it('a run that leaves a placeholder without a value is refused, and changes nothing', async () => {
    const db = await replica()
    expect(() => db.prepared(rename).run({ key: 'a' } as { key: string; value: string })).toThrow(
      'No value for the placeholder "value"'
    )
    expect(db.sql('SELECT value FROM sync_state WHERE key = ?', 'a')).toEqual([{ value: 'one' }])
  })
})
