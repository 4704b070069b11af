// A sale id Circuit does not know leaves no pull behind and is never retried;
// an interrupted pull is retried alone only a few times in a row, then waits
// for the user, who can also drop it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_AUTO_RETRIES, readCursor } from '../../src-main/sync/sale-pull'
import { pullFixture, type PullFixture } from './pull-fixture'

let f: PullFixture
beforeEach(async () => {
  f = await pullFixture({ seed: 4, lots: 60, clients: 30 })
})
afterEach(() => f.close())

describe('pulls that cannot finish', () => {
  it('an unknown sale id saves nothing, says so, and is not retried on reconnect', async () => {
    const { pull, progress } = await f.puller()
    await pull.open('999999')
    await pull.wait('999999')
    expect(readCursor(f.db, '999999')).toBeNull()
    expect(progress.at(-1)).toMatchObject({ phase: 'failed', error: expect.stringContaining('no sale 999999') })
    expect(pull.resumeInterrupted()).toEqual([])
  })

  it('a sale deleted on Circuit while its pull was cut off is dropped, not retried forever', async () => {
    const { pull } = await f.puller()
    f.proxy.rule = (path) => (path.includes('datatable-clients') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(f.db, '1')).toMatchObject({ complete: false, phase: 'clients' })
    // Meanwhile the sale goes from Circuit; the resumed pull learns it (delta pulls re-read the sale)…
    f.sim.store.sales.delete('1')
    f.db.exec(`UPDATE sync_state SET value = json_set(value, '$.phase', 'sale') WHERE key = 'pull:1'`)
    f.proxy.rule = () => 'pass'
    expect(pull.resumeInterrupted()).toEqual(['1'])
    await pull.wait('1')
    expect(readCursor(f.db, '1')).toBeNull()
    expect(pull.resumeInterrupted()).toEqual([])
  })

  it(`an interrupted pull resumes alone at most ${MAX_AUTO_RETRIES} times in a row, then waits for the user`, async () => {
    const { pull, progress } = await f.puller()
    f.proxy.rule = (path) => (path.includes('datatable-clients') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    for (let i = 0; i < MAX_AUTO_RETRIES + 2; i++) {
      for (const id of pull.resumeInterrupted()) await pull.wait(id)
    }
    expect(readCursor(f.db, '1')!.failures).toBe(MAX_AUTO_RETRIES)
    expect(progress.at(-1)!.error).toMatch(/Gave up after 5 tries in a row; open the sale again to retry/)
    expect(pull.resumeInterrupted()).toEqual([])
    // The user opens it again once the network is back: it finishes.
    f.proxy.rule = () => 'pass'
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(f.db, '1')).toMatchObject({ complete: true, failures: 0 })
  })

  it('forget drops an interrupted pull', async () => {
    const { pull } = await f.puller()
    f.proxy.rule = (path) => (path.includes('datatable-items') ? 'drop' : 'pass')
    await pull.open('1')
    await pull.wait('1')
    expect(readCursor(f.db, '1')).not.toBeNull()
    pull.forget('1')
    expect(readCursor(f.db, '1')).toBeNull()
    expect(pull.resumeInterrupted()).toEqual([])
  })
})
