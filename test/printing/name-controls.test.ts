// The contract refuses the bidi embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) in names and searches like other control
// characters: U+202E once let a payee read backwards. Letters of any script
// still pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calls } from '../../src-shared/contract'
import type { Core } from '../../src-main/app/boot'
import { snapshotTables, tempDir, testCore } from '../helpers'
import { NAMES } from './sample-data'

const DIRECTION_CONTROLS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((p) =>
  String.fromCodePoint(p)
)

/** One field of each kind of text the contract takes: define.ts's singleLine and searchText, checkout's text(). */
const FIELDS: [string, (value: string) => unknown][] = [
  ['settings.update', (v) => ({ userName: v })],
  ['settings.update', (v) => ({ houseName: v })],
  ['print.cheque', (v) => ({ transactionId: 't1', payee: v })],
  ['print.cheque', (v) => ({ transactionId: 't1', memo: v })],
  ['cheques.void', (v) => ({ bankAccountId: 'b1', number: 3, reason: v })],
  ['lookup.lots', (v) => ({ q: v })],
  ['checkout.find', (v) => ({ saleId: 's1', q: v })],
  ['checkout.pay', (v) => ({ orderId: 'o1', method: 'card', amount: 100, cardType: v, last4: '4242' })],
  ['checkout.pay', (v) => ({ orderId: 'o1', method: 'wire', amount: 100, account: v })],
  ['checkout.addCharge', (v) => ({ orderId: 'o1', termId: 'c1', amount: 100, description: v })]
]

const parse = (name: string, input: unknown) =>
  (calls as Record<string, { input: { safeParse(v: unknown): { success: boolean } } }>)[name].input.safeParse(input)

describe('direction controls in names', () => {
  it.each(FIELDS)('%s refuses them in a field, and takes names in every script', (name, input) => {
    for (const control of DIRECTION_CONTROLS) {
      expect(parse(name, input(`Ann${control}Smith`)).success, `U+${control.codePointAt(0)!.toString(16)}`).toBe(false)
    }
    for (const ok of Object.values(NAMES)) expect(parse(name, input(ok)).success, ok).toBe(true)
  })

  describe('through the core', () => {
    let core: Core
    let cleanup: () => void
    beforeAll(async () => {
      const t = tempDir('saleroom-bidi-')
      cleanup = t.cleanup
      core = await testCore(t.dir)
    })
    afterAll(async () => {
      await core.close()
      cleanup()
    })

    it('a user name with a right-to-left override is refused and changes nothing', async () => {
      const before = snapshotTables(core.replica()!.raw)
      const r = await core.dispatch('settings.update', { userName: 'Ann \u202enosmiS' })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      expect(snapshotTables(core.replica()!.raw)).toEqual(before)
      expect((await core.dispatch('settings.update', { userName: NAMES.hebrew })).ok).toBe(true)
    })
  })
})
