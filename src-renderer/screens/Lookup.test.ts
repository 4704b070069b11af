// The Look-up screen over a fake bridge: typing searches (one call per
// keystroke, answering lots and buyers together), arrows choose a buyer,
// Enter lists their lots, Esc goes back; states read in words.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, fireEvent } from '@testing-library/svelte'
import App from '../App.svelte'
import { Api } from '../lib/api'
import { fakeBridge, fakeInfo, fakeStatus } from '../fake-bridge'

const lot = (lot: string, title: string, status = 'sold') => ({
  id: `i${lot}`,
  saleId: '1',
  saleLabel: 'Fine Art',
  lot,
  title,
  status,
  estimateLow: 10000,
  estimateHigh: 15000,
  hammer: 85000,
  winnerPaddle: '204',
  winnerName: 'Marchetti, Laura',
  location: 'B3'
})
const buyer = (clientId: string, name: string, paddle: string) => ({
  clientId,
  name,
  company: null,
  customerNumber: `C${clientId}`,
  email: null,
  phone: null,
  paddles: [{ saleId: '1', paddle, type: 'floor' }]
})

function bridge() {
  const { bridge: b, calls } = fakeBridge({
    'app.info': fakeInfo,
    'app.status': { ...fakeStatus, connection: 'offline' },
    'sales.list': [],
    'lookup.search': (input: Record<string, string> | undefined) =>
      input?.q === '204'
        ? { q: '204', lots: [], buyers: [buyer('1', 'Marchetti, Laura', '204'), buyer('2', 'Newman, Camille', '2045')] }
        : {
            q: input?.q,
            lots: [lot('412', 'Victorian silver crown'), lot('413', 'Silver inkstand', 'unsold')],
            buyers: []
          },
    'buyer.lots': (input: Record<string, string> | undefined) =>
      input?.clientId === '2' ? [lot('88', 'Oak bureau')] : [lot('412', 'Victorian silver crown')]
  })
  return { b, calls }
}

describe('Look-up screen', () => {
  it('searches as you type, chooses a buyer with the arrows, and lists their lots with Enter', async () => {
    const { b, calls } = bridge()
    render(App, { props: { api: new Api(b) } })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('podium'))
    await fireEvent.keyDown(window, { key: 'F3' })
    const input = await screen.findByTestId('lookup-input')
    await waitFor(() => expect(document.activeElement).toBe(input))

    await fireEvent.input(input, { target: { value: '412' } })
    await waitFor(() => expect(screen.getAllByTestId('lot-row')[0].textContent).toContain('Victorian silver crown'))
    expect(screen.getAllByTestId('lot-row')[0].textContent).toContain('850.00')
    // A passed lot says so as the podium does, never "unsold".
    expect(screen.getAllByTestId('lot-row')[1].textContent).toContain('Passed')
    expect(screen.getByTestId('lot-results').textContent).not.toContain('unsold')
    // One call per keystroke, for both lists.
    expect(calls.filter((c) => c.name.startsWith('lookup.')).map((c) => c.name)).toEqual(['lookup.search'])
    expect(document.querySelector('[data-testid="lookup-screen"]')?.getAttribute('data-searched')).toBe('412')

    await fireEvent.input(input, { target: { value: '204' } })
    await waitFor(() => expect(screen.getAllByTestId('buyer-row')).toHaveLength(2))
    await fireEvent.keyDown(input, { key: 'ArrowDown' })
    await fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('buyer-lots').textContent).toContain('Newman, Camille'))
    expect(screen.getByTestId('buyer-lots').textContent).toContain('Oak bureau')
    expect(calls.find((c) => c.name === 'buyer.lots')?.input).toEqual({ clientId: '2' })

    await fireEvent.keyDown(input, { key: 'Escape' })
    await waitFor(() => expect(screen.queryByTestId('buyer-lots')).toBeNull())
  })

  it('a cleared field hides the lists, and the next answer is written into the rows already laid out', async () => {
    const { b } = bridge()
    render(App, { props: { api: new Api(b) } })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('podium'))
    await fireEvent.keyDown(window, { key: 'F3' })
    const input = await screen.findByTestId('lookup-input')
    const lotsList = () => screen.getByTestId('lot-results').closest('.results')!
    expect(lotsList().getAttribute('aria-hidden')).toBe('true') // nothing searched yet

    await fireEvent.input(input, { target: { value: '412' } })
    await waitFor(() => expect(lotsList().getAttribute('aria-hidden')).toBe('false'))
    const first = screen.getAllByTestId('lot-row')[0]
    await fireEvent.keyDown(input, { key: 'Escape' })
    await waitFor(() => expect((input as HTMLInputElement).value).toBe(''))
    await waitFor(() => expect(lotsList().getAttribute('aria-hidden')).toBe('true'))
    expect(lotsList().classList.contains('gone')).toBe(true)

    await fireEvent.input(input, { target: { value: 'silver' } })
    await waitFor(() => expect(lotsList().getAttribute('aria-hidden')).toBe('false'))
    expect(screen.getAllByTestId('lot-row')[0]).toBe(first)
    expect(first.textContent).toContain('Victorian silver crown')
  })

  it('a lot tag scanned anywhere on the screen shows that lot, whatever was open', async () => {
    const { b, calls } = bridge()
    render(App, { props: { api: new Api(b) } })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('podium'))
    await fireEvent.keyDown(window, { key: 'F3' })
    const input = (await screen.findByTestId('lookup-input')) as HTMLInputElement
    await fireEvent.input(input, { target: { value: '204' } })
    await waitFor(() => expect(screen.getAllByTestId('buyer-row')).toHaveLength(2))
    await fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('buyer-lots')).toBeTruthy())
    // The scanner types the tag's code and Enter within a few milliseconds, with the focus elsewhere.
    input.blur()
    // Each key's own time stamp says when it came (5 ms apart), whatever the test's pace.
    const t0 = 1_000_000
    for (const [i, key] of ['4', '1', '2', 'Enter'].entries()) {
      const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
      Object.defineProperty(ev, 'timeStamp', { value: t0 + i * 5 })
      await fireEvent(document.body, ev)
    }
    await waitFor(() => expect(screen.queryByTestId('buyer-lots')).toBeNull())
    expect(input.value).toBe('412')
    await waitFor(() => expect(screen.getAllByTestId('lot-row')[0].textContent).toContain('Victorian silver crown'))
    expect(calls.filter((c) => c.name === 'lookup.search').at(-1)?.input).toMatchObject({ q: '412' })
    expect(document.activeElement).toBe(input)

    // Scanned into the field after words already typed there: the code alone is searched.
    await fireEvent.input(input, { target: { value: 'silver412' } })
    for (const [i, key] of ['4', '1', '2', 'Enter'].entries()) {
      const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })
      Object.defineProperty(ev, 'timeStamp', { value: t0 + 10_000 + i * 5 })
      await fireEvent(input, ev)
    }
    await waitFor(() => expect(input.value).toBe('412'))
  })
})
