// DataGrid: headings, only the rows in view in the page (20,000 rows stay
// light), keyboard row focus with aria-activedescendant, Enter acts, and the
// active row is scrolled into view — or pinned in place for the podium.
import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import GridHarness from './test/GridHarness.svelte'
import { GridWindow } from '../../lib/grid-window.svelte'

const grid = () => screen.getByTestId('grid')
const rows = () => screen.getAllByTestId('row')
const activeRow = () => document.getElementById(grid().getAttribute('aria-activedescendant')!)

describe('DataGrid', () => {
  it('has headings, and puts only the rows in view (and a few either side) in the page', () => {
    render(GridHarness, { props: { count: 20_000 } })
    expect([...grid().querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Lot', 'Title'])
    expect(grid().getAttribute('role')).toBe('grid')
    expect(grid().getAttribute('aria-rowcount')).toBe('20001')
    // 480 px of 28 px rows and 4 either side: a few dozen rows, not 20,000.
    expect(rows().length).toBeLessThan(40)
    expect(rows()[0].getAttribute('aria-rowindex')).toBe('2')
  })

  it('moves the row focus with the keys and points at it with aria-activedescendant', async () => {
    const activated = vi.fn()
    render(GridHarness, { props: { count: 500, onactivate: activated } })
    expect(activeRow()?.getAttribute('data-lot')).toBe('1')
    await fireEvent.keyDown(grid(), { key: 'ArrowDown' })
    await fireEvent.keyDown(grid(), { key: 'ArrowDown' })
    expect(activeRow()?.getAttribute('data-lot')).toBe('3')
    expect(activeRow()?.getAttribute('aria-selected')).toBe('true')
    expect(screen.getByTestId('active').textContent).toBe('2')
    await fireEvent.keyDown(grid(), { key: 'ArrowUp' })
    expect(activeRow()?.getAttribute('data-lot')).toBe('2')
    await fireEvent.keyDown(grid(), { key: 'Enter' })
    expect(activated).toHaveBeenCalledWith(1)
    // End: the last row, drawn although it was far below the view.
    await fireEvent.keyDown(grid(), { key: 'End' })
    expect(activeRow()?.getAttribute('data-lot')).toBe('500')
    expect(rows().some((r) => r.getAttribute('data-lot') === '500')).toBe(true)
    await fireEvent.keyDown(grid(), { key: 'Home' })
    expect(activeRow()?.getAttribute('data-lot')).toBe('1')
    await fireEvent.keyDown(grid(), { key: 'PageDown' })
    expect(Number(activeRow()?.getAttribute('data-lot'))).toBeGreaterThan(10)
  })

  it('new rows are written into the row elements already in the page, not built anew', async () => {
    const view = render(GridHarness, { props: { count: 30 } })
    const before = rows()
    expect(before[0].textContent).toContain('Title 1')
    await view.rerender({ count: 30, from: 1000 })
    const after = rows()
    expect(after[0].textContent).toContain('Title 1001')
    expect(after[0].getAttribute('data-lot')).toBe('1001')
    expect(after[0].id).toContain('r1000')
    expect(after.length).toBe(before.length)
    after.forEach((row, i) => expect(row).toBe(before[i]))
    // Fewer rows: the rest go; more again: added at the end.
    await view.rerender({ count: 2, from: 5 })
    expect(rows().map((r) => r.getAttribute('data-lot'))).toEqual(['6', '7'])
    expect(rows()[1]).toBe(before[1])
  })

  it('leaves other keys to the screen around it', async () => {
    render(GridHarness, { props: { count: 3 } })
    const passed = await fireEvent.keyDown(grid(), { key: 'r' })
    expect(passed).toBe(true) // not prevented
  })

  it('a click makes a row the active one', async () => {
    render(GridHarness, { props: { count: 10 } })
    await fireEvent.click(rows()[4])
    expect(activeRow()?.getAttribute('data-lot')).toBe('5')
  })
})

describe('the grid window', () => {
  const window = (count: number, scrollTop = 0) => {
    const w = new GridWindow({ rowHeight: 28, overscan: 2, fallbackHeight: 280 })
    w.count = count
    w.scrollTop = scrollTop
    return w
  }

  it('scrolls only as far as needed to show a row with two rows of context', () => {
    const w = window(100)
    expect(w.rowsInView).toBe(10)
    expect(w.scrollFor(5)).toBe(0) // in view
    expect(w.scrollFor(20)).toBe((20 + 3) * 28 - 280) // off the bottom: two rows below it
    const down = window(100, 50 * 28)
    expect(down.scrollFor(10)).toBe(8 * 28) // off the top: two rows above it
    expect(window(100).scrollFor(-1)).toBe(0)
  })

  it('pins a row a number of rows from the top, never past the ends', () => {
    const w = window(100)
    expect(w.scrollPinned(40, 3)).toBe(37 * 28)
    expect(w.scrollPinned(1, 3)).toBe(0)
    expect(w.scrollPinned(99, 3)).toBe(100 * 28 - 280)
  })

  it('draws the rows in view and the overscan', () => {
    const w = window(1000, 100 * 28)
    expect([w.first, w.last]).toEqual([98, 112])
  })
})
