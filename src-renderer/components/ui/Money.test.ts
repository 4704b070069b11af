// Money: an amount from integer minor units, through lib/format.ts's money().
import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import Money from './Money.svelte'
import { money } from '../../lib/format'

describe('Money', () => {
  it('shows money() of the minor units, figures aligned, a dash for none and negatives marked', () => {
    render(Money, { props: { minor: 1_234_567_89, testid: 'a' } })
    render(Money, { props: { minor: null, testid: 'none' } })
    render(Money, { props: { minor: -5_00, testid: 'neg' } })
    expect(screen.getByTestId('a').textContent).toBe(money(1_234_567_89))
    expect(screen.getByTestId('a').textContent).toContain('1,234,567.89')
    expect(screen.getByTestId('none').textContent).toBe('—')
    expect(screen.getByTestId('neg').className).toContain('negative')
  })
})
