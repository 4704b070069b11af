// Status: one table of words for every state, on every screen; KeyHint: keys as the keyboard shows them.
import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import Status from './Status.svelte'
import KeyHint from './KeyHint.svelte'
import { STATUS_WORDS, statusWord } from '../../../src-shared/status-words'

describe('Status', () => {
  it('says a state in words, never the code', () => {
    const cases: [Parameters<typeof statusWord>[0], string, string][] = [
      ['order', 'in_process', 'In process'],
      ['orderType', 'credit_note', 'Credit note'],
      ['lot', 'unsold', 'Passed'],
      ['lot', 'passed', 'Passed'],
      ['lot', 'available', 'Not clerked'],
      ['outbox', 'needs_attention', 'Needs attention'],
      ['outbox', 'in_flight', 'Sending']
    ]
    for (const [kind, code, word] of cases) {
      const { unmount } = render(Status, { props: { kind, code, testid: 's' } })
      expect(screen.getByTestId('s').textContent, `${kind} ${code}`).toBe(word)
      unmount()
    }
  })

  it('colours by tone: done green, waiting amber, a person needed red', () => {
    render(Status, { props: { kind: 'lot', code: 'sold', testid: 'sold' } })
    render(Status, { props: { kind: 'outbox', code: 'pending', testid: 'pending' } })
    render(Status, { props: { kind: 'outbox', code: 'conflict', testid: 'conflict' } })
    render(Status, { props: { kind: 'lot', code: 'withdrawn', plain: true, testid: 'plain' } })
    expect(screen.getByTestId('sold').className).toMatch(/\bsuccess\b.*\bpill\b|\bpill\b.*\bsuccess\b/)
    expect(screen.getByTestId('pending').className).toContain('warning')
    expect(screen.getByTestId('conflict').className).toContain('error')
    expect(screen.getByTestId('plain').className).not.toContain('pill')
  })

  it('spells an unknown code out in words, and the table has a word for every state it lists', () => {
    expect(statusWord('order', 'awaiting_shipment').word).toBe('Awaiting shipment')
    expect(statusWord('sale', null).word).toBe('—')
    for (const table of Object.values(STATUS_WORDS)) {
      for (const [code, { word }] of Object.entries(table)) {
        expect(word, code).not.toMatch(/_/)
        expect(word[0], code).toBe(word[0].toUpperCase())
      }
    }
  })
})

describe('KeyHint', () => {
  it('shows a chord with its keys, alternatives and what it does', () => {
    const { container } = render(KeyHint, { props: { keys: 'Alt+↑/↓', label: 'previous/next lot' } })
    expect([...container.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(['Alt', '↑', '↓'])
    expect(container.textContent).toBe('Alt+↑/↓ previous/next lot')
  })
})
