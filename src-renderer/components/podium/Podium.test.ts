// The podium over a fake bridge: open a pulled sale by keyboard, the bidder's
// name echoes as the paddle is typed, a hammer that looks wrong shows why and
// records only on a second Enter, Esc corrects, and the chords act on the lot.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from '../../App.svelte'
import { Api } from '../../lib/api'
import { FakeError, fakeBridge, fakeInfo, fakeStatus } from '../../fake-bridge'
import type { ClerkBoard, PodiumLot } from '../../../src-shared/contract'
import { findLot, nextUnclerked, parsePrice, totals } from '../../lib/podium'

const lot = (n: number, extra: Partial<PodiumLot> = {}): PodiumLot => ({
  id: `i${n}`,
  lot: String(n),
  title: `Lot title ${n}`,
  status: 'available',
  estimateLow: 100_00,
  estimateHigh: 200_00,
  reserve: 80_00,
  hammer: null,
  paddle: null,
  winnerName: null,
  consignor: 'Turner',
  sessionId: 's1',
  pending: false,
  conflict: false,
  ...extra
})

const board: ClerkBoard = {
  sale: { id: '1', label: 'Fine Art', saleNumber: '101', currencySymbol: '£' },
  // The demo's Standard steps up to 200: by 5, then by 10 from 100.
  bidSteps: [
    { from: 0, increment: 5_00 },
    { from: 100_00, increment: 10_00 },
    { from: 200_00, increment: 20_00 }
  ],
  sessions: [{ id: 's1', number: 1, firstLot: '1', lastLot: '640' }],
  lots: [lot(1), lot(2), lot(3)],
  bidders: [{ paddle: '204', clientId: 'c1', name: 'Marchetti, Laura', type: 'floor' }]
}

// The server's words, shown as they come (the money in them is the server's text).
const FAR_ABOVE = '£8,001,000.00 is more than five times the high estimate of £200.00.'
const TOO_LARGE = 'Too large: an amount is at most 1,000,000,000.00 (100,000,000,000 minor units).'

function setup() {
  const sold = (input: Record<string, unknown> | undefined) => ({
    lot: lot(1, { status: 'sold', hammer: input!.amount as number, paddle: String(input!.paddle) }),
    nextId: 'i2',
    auditId: 1
  })
  const { bridge, calls } = fakeBridge({
    'app.info': fakeInfo,
    'app.status': fakeStatus,
    'sales.list': [
      {
        id: '1',
        label: 'Fine Art',
        saleNumber: '101',
        saleDate: null,
        status: 'published',
        itemCount: 3,
        pulledAt: 'x',
        complete: true
      }
    ],
    'clerking.board': board,
    'audit.list': [],
    'phoneCards.podium': {
      i2: [{ cardId: 'k1', paddle: '512', clientName: 'Okafor, Ada', staffName: 'Priya Raman', phone: null }]
    },
    'clerking.sell': (input: Record<string, unknown> | undefined) => {
      if ((input!.amount as number) > 100_000_000_000)
        return new FakeError({
          code: 'invalid_input',
          message: 'Invalid input for clerking.sell.',
          fields: { amount: [TOO_LARGE] }
        })
      if (input!.amount === 8_001_000_00 && input!.confirm !== true)
        return new FakeError({
          code: 'needs_confirmation',
          message: FAR_ABOVE,
          fields: { reasons: [FAR_ABOVE] }
        })
      if (input!.paddle === '240' && input!.confirm !== true)
        return new FakeError({
          code: 'needs_confirmation',
          message: 'Unknown paddle 240 — did you mean 204?',
          fields: { reasons: ['Unknown paddle 240 — did you mean 204?'] }
        })
      return sold(input)
    },
    'clerking.pass': { lot: lot(2, { status: 'unsold' }), nextId: 'i3', auditId: 2 },
    'clerking.undo': { lot: lot(1), nextId: 'i2', auditId: 3 }
  } as Record<string, unknown>)
  render(App, { props: { api: new Api(bridge) } })
  return calls
}

async function openSale() {
  await waitFor(() => expect(screen.getByTestId('sale-list')).toBeTruthy())
  await fireEvent.keyDown(screen.getByTestId('sale-list'), { key: 'Enter' })
  await waitFor(() => expect(screen.getByTestId('clerk-view')).toBeTruthy())
}

describe('the podium', () => {
  it('echoes the bidder as the paddle is typed and says when a paddle is unknown', async () => {
    setup()
    await openSale()
    const paddle = screen.getByTestId('paddle-input') as HTMLInputElement
    await fireEvent.input(paddle, { target: { value: '204' } })
    expect(screen.getByTestId('bidder-echo').textContent).toBe('Marchetti, Laura')
    await fireEvent.input(paddle, { target: { value: '240' } })
    expect(screen.getByTestId('bidder-echo').textContent).toBe('unknown paddle')
  })

  it('paddle, Enter, price, Enter records the hammer and brings up the next lot', async () => {
    const calls = setup()
    await openSale()
    expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('1')
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    await fireEvent.keyDown(screen.getByTestId('paddle-input'), { key: 'Enter' })
    expect(document.activeElement).toBe(screen.getByTestId('price-input'))
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '850' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    expect(calls.filter((c) => c.name === 'clerking.sell').map((c) => c.input)).toEqual([
      { itemId: 'i1', paddle: '204', amount: 85000 }
    ])
    expect(document.activeElement).toBe(screen.getByTestId('paddle-input'))
    expect((screen.getByTestId('paddle-input') as HTMLInputElement).value).toBe('')
  })

  it('a hammer that looks wrong shows why, and records only on a second Enter', async () => {
    const calls = setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '240' } })
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '900' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('hammer-warning').textContent).toContain('did you mean 204?'))
    expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('1')
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    expect(calls.filter((c) => c.name === 'clerking.sell').map((c) => c.input)).toEqual([
      { itemId: 'i1', paddle: '240', amount: 90000 },
      { itemId: 'i1', paddle: '240', amount: 90000, confirm: true }
    ])
  })

  it('Esc on a warning lets the clerk correct the paddle; an edit asks again', async () => {
    const calls = setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '240' } })
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '900' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('hammer-warning')).toBeTruthy())
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Escape' })
    expect(screen.queryByTestId('hammer-warning')).toBeNull()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    expect(calls.filter((c) => c.name === 'clerking.sell').map((c) => c.input)).toEqual([
      { itemId: 'i1', paddle: '240', amount: 90000 },
      { itemId: 'i1', paddle: '204', amount: 90000 }
    ])
  })

  it('Esc on a warning selects the price whole, so the correction typed next replaces it', async () => {
    const calls = setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    const price = screen.getByTestId('price-input') as HTMLInputElement
    price.focus()
    await fireEvent.input(price, { target: { value: '8001000' } })
    await fireEvent.keyDown(price, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('hammer-warning')).toBeTruthy())
    // The warning is the server's text, money and all.
    expect(screen.getByTestId('hammer-warning').firstElementChild!.textContent).toBe(FAR_ABOVE)
    await fireEvent.keyDown(price, { key: 'Escape' })
    expect(screen.queryByTestId('hammer-warning')).toBeNull()
    expect(document.activeElement).toBe(price)
    expect([price.selectionStart, price.selectionEnd]).toEqual([0, '8001000'.length])
    expect(calls.filter((c) => c.name === 'clerking.sell')).toHaveLength(1)
  })

  it('Ctrl+Z in a field with text is the text’s own undo; in an empty field it undoes the last action', async () => {
    const calls = setup()
    await openSale()
    const paddle = screen.getByTestId('paddle-input') as HTMLInputElement
    await fireEvent.input(paddle, { target: { value: '20' } })
    const notTaken = await fireEvent.keyDown(paddle, { key: 'z', code: 'KeyZ', ctrlKey: true })
    expect(notTaken).toBe(true) // not prevented: the browser edits the text
    // Ctrl+Shift+Z (redo) is the text's too.
    await fireEvent.keyDown(paddle, { key: 'Z', code: 'KeyZ', ctrlKey: true, shiftKey: true })
    expect(calls.some((c) => c.name === 'clerking.undo')).toBe(false)

    await fireEvent.input(paddle, { target: { value: '' } })
    const taken = await fireEvent.keyDown(paddle, { key: 'z', code: 'KeyZ', ctrlKey: true })
    expect(taken).toBe(false)
    await waitFor(() => expect(calls.filter((c) => c.name === 'clerking.undo')).toHaveLength(1))
  })

  it('a paddle takes at most 12 characters, as at checkout', async () => {
    setup()
    await openSale()
    expect((screen.getByTestId('paddle-input') as HTMLInputElement).maxLength).toBe(12)
  })

  it('a refused amount says why in its own words, and Esc selects it for correction', async () => {
    setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    const price = screen.getByTestId('price-input') as HTMLInputElement
    price.focus()
    await fireEvent.input(price, { target: { value: '999999999999' } })
    await fireEvent.keyDown(price, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('hammer-problem').textContent).toBe(TOO_LARGE))
    await fireEvent.keyDown(price, { key: 'Escape' })
    expect(screen.queryByTestId('hammer-problem')).toBeNull()
    expect([price.selectionStart, price.selectionEnd]).toEqual([0, '999999999999'.length])
    expect((screen.getByTestId('paddle-input') as HTMLInputElement).value).toBe('204')
  })

  it('a price that is not an amount is explained and nothing is sent', async () => {
    const calls = setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '8,5x' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    expect(screen.getByTestId('hammer-problem').textContent).toMatch(/hammer price/)
    expect(calls.some((c) => c.name === 'clerking.sell')).toBe(false)
  })

  it('Alt+P passes the current lot and moves on', async () => {
    const calls = setup()
    await openSale()
    await fireEvent.keyDown(window, { key: 'ArrowDown', code: 'ArrowDown', altKey: true })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('3'))
    expect(calls.filter((c) => c.name === 'clerking.pass').map((c) => c.input)).toEqual([{ itemId: 'i2' }])
  })
})

describe('the podium screen around the hammer row', () => {
  it('after Esc on a warning and Alt+↓, the next paddle typed lands in the paddle field', async () => {
    setup()
    await openSale()
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    const price = screen.getByTestId('price-input') as HTMLInputElement
    price.focus()
    await fireEvent.input(price, { target: { value: '8001000' } })
    await fireEvent.keyDown(price, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('hammer-warning')).toBeTruthy())
    await fireEvent.keyDown(price, { key: 'Escape' })
    expect(document.activeElement).toBe(price)
    await fireEvent.keyDown(price, { key: 'ArrowDown', code: 'ArrowDown', altKey: true })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('paddle-input')))
    expect(price.value).toBe('')
  })

  it('shows the grid with headings, the last lot sold, the asking price and the next step, and phone marks', async () => {
    setup()
    await openSale()
    const headings = [...screen.getByTestId('lot-list').querySelectorAll('th')].map((th) => th.textContent)
    expect(headings).toEqual(['Lot', '☎', 'Title', 'Estimate', 'Reserve', 'Paddle', 'Buyer', 'Hammer', 'Status'])
    expect(screen.getByTestId('last-sold').textContent).toContain('nothing yet')
    // Lot 1's low estimate is 100.00: on the steps; the next bid is 110.00.
    expect(screen.getByTestId('asking').textContent).toMatch(/Asking £100\.00\s*· next step\s*£110\.00/)
    // As the bid is typed, the asking price follows it onto the steps.
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '97' } })
    expect(screen.getByTestId('asking').textContent).toMatch(/Asking £100\.00\s*· next step\s*£110\.00/)
    await fireEvent.input(screen.getByTestId('price-input'), { target: { value: '850' } })
    await fireEvent.input(screen.getByTestId('paddle-input'), { target: { value: '204' } })
    await fireEvent.keyDown(screen.getByTestId('price-input'), { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('current-lot').getAttribute('data-lot')).toBe('2'))
    expect(screen.getByTestId('last-sold').textContent).toMatch(/Lot 1\s*· 204/)
    expect(screen.getByTestId('last-sold').textContent).toContain('850.00')
    // Lot 2 has a phone bidder: a mark in its row and on the lot panel.
    await waitFor(() => expect(screen.getByTestId('current-phones').textContent).toContain('512'))
    const row2 = screen.getAllByTestId('lot-list-row').find((r) => r.getAttribute('data-lot') === '2')!
    expect(row2.querySelector('.phone')).toBeTruthy()
    expect(row2.getAttribute('aria-selected')).toBe('true')
  })
})

describe('podium arithmetic', () => {
  it('totals, sell-through, natural lot jumps and prices', () => {
    const lots = [
      lot(1, { status: 'sold', hammer: 500_00 }),
      lot(2, { status: 'unsold' }),
      lot(3, { status: 'withdrawn', sessionId: 's2' }),
      lot(27),
      lot(269),
      { ...lot(2690), lot: '269A', id: 'x' }
    ]
    expect(totals(lots)).toMatchObject({
      sold: 1,
      passed: 1,
      withdrawn: 1,
      left: 3,
      hammer: 500_00,
      low: 100_00,
      sellThrough: 50
    })
    expect(totals(lots, 's2')).toMatchObject({ lots: 1, withdrawn: 1, sellThrough: null })
    expect(findLot(lots, '269a')).toBe(5)
    expect(findLot(lots, '28')).toBe(4) // the first lot at or after 28
    expect(findLot(lots, '')).toBe(-1)
    expect(nextUnclerked(lots, 3)).toBe(4)
    expect(nextUnclerked(lots, 5)).toBe(3) // wraps to the first one left
    expect(parsePrice('850')).toBe(85000)
    expect(parsePrice('1,250.50')).toBe(125050)
    expect(parsePrice('8.555')).toBeNull()
    expect(parsePrice('abc')).toBeNull()
  })
})
