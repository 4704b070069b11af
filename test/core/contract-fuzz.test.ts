// Random input at every call in the contract: the answer is always a typed
// envelope, never a crash, and input the schema rejects changes no row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { calls, CALL_NAMES } from '../../src-shared/contract'
import type { Core } from '../../src-main/app/boot'
import { snapshotTables, tempDir, testCore } from '../helpers'

const ERROR_CODES = new Set([
  'invalid_input',
  'unknown_call',
  'not_found',
  'conflict',
  'offline',
  'auth_required',
  'circuit_error',
  'busy',
  'replica_damaged',
  'forbidden',
  'internal'
])

let core: Core
let cleanup: () => void
beforeAll(async () => {
  const t = tempDir()
  cleanup = t.cleanup
  core = await testCore(t.dir)
})
afterAll(async () => {
  await core.close()
  cleanup()
})

function expectEnvelope(result: unknown) {
  expect(result).toBeTypeOf('object')
  const r = result as { ok: boolean; data?: unknown; error?: { code: string; message: string } }
  if (r.ok) return
  expect(r.ok).toBe(false)
  expect(ERROR_CODES.has(r.error!.code)).toBe(true)
  expect(r.error!.message.length).toBeGreaterThan(0)
  // "internal" means a bug: random input must never reach one.
  expect(r.error!.code).not.toBe('internal')
}

describe('contract fuzz', () => {
  for (const name of CALL_NAMES) {
    it(`${name}: random input gives a typed answer and rejected input changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
          async (input) => {
            const raw = core.replica()!.raw
            const before = snapshotTables(raw)
            const result = await core.dispatch(name, input)
            expectEnvelope(result)
            const accepted = calls[name].input.safeParse(input ?? {}).success
            if (!accepted) {
              expect(result.ok).toBe(false)
              if (!result.ok) expect(result.error.code).toBe('invalid_input')
              expect(snapshotTables(raw)).toEqual(before)
            }
          }
        ),
        { numRuns: 60, seed: 20261123 }
      )
    })
  }

  it('unknown call names get unknown_call and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.anything(), async (name, input) => {
        fc.pre(!(CALL_NAMES as string[]).includes(name))
        const raw = core.replica()!.raw
        const before = snapshotTables(raw)
        const result = await core.dispatch(name, input)
        expect(result).toMatchObject({ ok: false, error: { code: 'unknown_call' } })
        expect(snapshotTables(raw)).toEqual(before)
      }),
      { numRuns: 100, seed: 7 }
    )
  })

  it('well-formed settings changes are applied and audited with before and after', async () => {
    const r = await core.dispatch('settings.update', { stationName: 'Podium laptop', userName: 'Ann' })
    expect(r).toMatchObject({ ok: true, data: { stationName: 'Podium laptop', userName: 'Ann' } })
    const audit = await core.dispatch('audit.list', { limit: 1 })
    expect(audit.ok && audit.data).toMatchObject([
      { action: 'settings.update', actor: 'Ann', station: 'Podium laptop', after: { stationName: 'Podium laptop' } }
    ])
  })
})
