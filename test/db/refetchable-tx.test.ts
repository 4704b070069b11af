// A pulled page commits without waiting for the disk (Circuit still has it;
// its cursor commits with it), and nothing else does: the connection is back
// to synced commits the moment the page's transaction ends, whether it
// committed or threw, and a transaction inside another never changes it.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openReplica, type Replica } from '../../src-main/db/replica'
import { tempDir } from '../helpers'

const FULL = 2
const NORMAL = 1

let t: ReturnType<typeof tempDir>
let db: Replica
const synchronous = () => db.raw.pragma('synchronous', { simple: true }) as number

beforeEach(async () => {
  t = tempDir()
  db = await openReplica(join(t.dir, 'saleroom.db'), { now: () => 0 })
})
afterEach(() => {
  db.close()
  t.cleanup()
})

describe('refetchable transactions', () => {
  it('commit unsynced, and every other commit stays synced', () => {
    expect(synchronous()).toBe(FULL)
    let inside = 0
    db.tx(
      () => {
        inside = synchronous()
        db.exec("INSERT INTO sync_state (key, value, updated_at) VALUES ('pull:1', '{}', 0)")
      },
      { refetchable: true }
    )
    expect(inside).toBe(NORMAL)
    expect(synchronous()).toBe(FULL)
    db.tx(() => {
      inside = synchronous()
    })
    expect(inside).toBe(FULL)
    expect(db.sql<{ key: string }>('SELECT key FROM sync_state')).toEqual([{ key: 'pull:1' }])
  })

  it('a page that fails to write leaves the connection synced, and nothing of it', () => {
    expect(() =>
      db.tx(
        () => {
          db.exec("INSERT INTO sync_state (key, value, updated_at) VALUES ('pull:1', '{}', 0)")
          throw new Error('the page does not decode')
        },
        { refetchable: true }
      )
    ).toThrow('the page does not decode')
    expect(synchronous()).toBe(FULL)
    expect(db.sql('SELECT key FROM sync_state')).toEqual([])
  })

  it('inside a synced transaction, a refetchable one commits with it, synced', () => {
    let inner = 0
    db.tx(() => {
      db.tx(
        () => {
          inner = synchronous()
        },
        { refetchable: true }
      )
    })
    expect(inner).toBe(FULL)
    expect(synchronous()).toBe(FULL)
  })
})
