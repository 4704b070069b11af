// What the user reads when something goes wrong: a refused field's own
// reason, never the call's name ("Invalid input for clerking.sell."), and no
// stack text for a fault inside the window.
import { describe, expect, it, vi } from 'vitest'
import { CallError } from './api'
import { errorText } from './errors'

describe('errorText', () => {
  it('shows the field’s message, never the dispatcher’s developer text', () => {
    const refused = new CallError({
      code: 'invalid_input',
      message: 'Invalid input for clerking.sell.',
      fields: { paddle: ['A paddle is at most 12 characters.'], amount: ['A hammer price is more than zero.'] }
    })
    expect(errorText(refused)).toBe('A paddle is at most 12 characters. A hammer price is more than zero.')
    const bare = new CallError({ code: 'invalid_input', message: 'Invalid input for settings.update.' })
    expect(errorText(bare)).not.toMatch(/Invalid input for/)
    expect(errorText(bare)).toMatch(/check what was typed/)
  })

  it('keeps the core’s own words, with any field reasons after them', () => {
    const conflict = new CallError({ code: 'conflict', message: 'Order 25033 is locked: its charges are read-only.' })
    expect(errorText(conflict)).toBe('Order 25033 is locked: its charges are read-only.')
    // A refusal the core words itself (not the dispatcher's sentence) is shown as it is.
    const logo = new CallError({ code: 'invalid_input', message: 'The logo must be a PNG file.' })
    expect(errorText(logo)).toBe('The logo must be a PNG file.')
    const charge = new CallError({
      code: 'invalid_input',
      message: 'Circuit has no kind of charge 999.',
      fields: { chargeDefaults: ['Open a sale to pull the charges.'] }
    })
    expect(errorText(charge)).toBe('Circuit has no kind of charge 999. Open a sale to pull the charges.')
  })

  it('a fault inside this window is logged, not shown', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const text = errorText(new TypeError("Cannot read properties of undefined (reading 'id')"))
    expect(text).not.toMatch(/undefined|TypeError/)
    expect(log).toHaveBeenCalledOnce()
    log.mockRestore()
  })
})
