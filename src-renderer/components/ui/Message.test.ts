// One message at a time: success, warning and error told apart (success is
// not amber), a new message replaces the old, a success clears itself, an
// error stays until dismissed.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import Message from './Message.svelte'
import { Messages } from '../../lib/messages.svelte'

afterEach(() => vi.useRealTimers())

describe('Message', () => {
  it('styles success, warning and error apart, each with its own mark and role', () => {
    for (const [kind, mark, role] of [
      ['success', '✓', 'status'],
      ['warning', '!', 'status'],
      ['error', '✕', 'alert']
    ] as const) {
      const { unmount } = render(Message, { props: { kind, text: `a ${kind}`, testid: 'm' } })
      const m = screen.getByTestId('m')
      expect(m.getAttribute('role'), kind).toBe(role)
      expect(m.className, kind).toContain(kind)
      expect(m.querySelector('.mark')?.textContent, kind).toBe(mark)
      unmount()
    }
    // The success style is green, never the warning's amber.
    const { container } = render(Message, { props: { kind: 'success', text: 'Saved.' } })
    expect(container.querySelector('.message')?.classList.contains('warning')).toBe(false)
  })

  it('offers Dismiss when it can be dismissed', async () => {
    const dismissed = vi.fn()
    render(Message, { props: { kind: 'error', text: 'No.', ondismiss: dismissed } })
    await fireEvent.click(screen.getByRole('button', { name: /Dismiss/ }))
    expect(dismissed).toHaveBeenCalledOnce()
  })
})

describe('Messages', () => {
  it('keeps one message: a new one replaces the old', () => {
    const m = new Messages()
    m.error('The paddle is too long.')
    m.success('Saved.')
    expect(m.current).toMatchObject({ kind: 'success', text: 'Saved.' })
    const id = m.current!.id
    m.success('Saved.')
    expect(m.current!.id).toBeGreaterThan(id)
  })

  it('a success clears itself after a while; an error stays until cleared', () => {
    vi.useFakeTimers()
    const m = new Messages(1000)
    m.success('Saved.')
    vi.advanceTimersByTime(1001)
    expect(m.current).toBeNull()
    m.error('Circuit refused it.')
    vi.advanceTimersByTime(60_000)
    expect(m.current?.text).toBe('Circuit refused it.')
    // A success's timer does not clear the error that replaced it.
    m.success('Saved.')
    m.error('Later problem.')
    vi.advanceTimersByTime(2000)
    expect(m.current?.text).toBe('Later problem.')
    m.clear()
    expect(m.current).toBeNull()
  })
})
