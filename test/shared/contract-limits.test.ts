// The limits the contract puts on what a venue script or a screen may send:
// a paddle is at most 12 characters at the podium and at checkout alike, and
// no amount passes 10^11 minor units. Each refusal says what is wrong.
import { describe, expect, it } from 'vitest'
import { calls } from '../../src-shared/contract'
import { MAX_MINOR, PADDLE_MAX_LENGTH } from '../../src-shared/contract/define'

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`)

describe('the contract’s limits', () => {
  it('a paddle is at most 12 characters, the same at the podium and at checkout', () => {
    expect(PADDLE_MAX_LENGTH).toBe(12)
    const sell = (paddle: string) => calls['clerking.sell'].input.safeParse({ itemId: '1', paddle, amount: 100_00 })
    const invoice = (paddle: string) => calls['checkout.invoice'].input.safeParse({ saleId: '1', paddle })
    for (const parse of [sell, invoice]) {
      expect(parse('ABCDEF-12345').success).toBe(true)
      expect(parse(' 204 ').success).toBe(true)
      expect(parse('ABCDEF-123456').success).toBe(false)
    }
    expect(messages(sell('ABCDEF-123456'))).toEqual(['paddle: A paddle is at most 12 characters.'])
    expect(messages(sell('20 4'))).toEqual(['paddle: A paddle is letters and digits.'])
  })

  it('no hammer passes 10^11 minor units, and the refusal says the largest', () => {
    expect(MAX_MINOR).toBe(100_000_000_000)
    const sell = (amount: number) => calls['clerking.sell'].input.safeParse({ itemId: '1', paddle: '204', amount })
    expect(sell(MAX_MINOR).success).toBe(true)
    expect(messages(sell(MAX_MINOR + 1))).toEqual([
      'amount: Too large: an amount is at most 1,000,000,000.00 (100,000,000,000 minor units).'
    ])
    expect(sell(99_999_999_999_00).success).toBe(false)
    expect(sell(0).success).toBe(false)
    expect(sell(12.5).success).toBe(false)
  })
})
