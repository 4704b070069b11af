// The Checkout screen's queue of buyers, its order switcher, line totals and
// charge defaults, over a bridge that answers like the core and records the
// calls made.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import App from '../../App.svelte'
import { Api } from '../../lib/api'
import { fakeInfo, fakeStatus } from '../../fake-bridge'
import type {
  ChargeDefault,
  CheckoutInvoice,
  CheckoutOrder,
  CheckoutQueueEntry,
  SaleSummary
} from '../../../src-shared/contract'
import type { SaleroomBridge } from '../../../src-shared/events'

const SALE: SaleSummary = {
  id: '1',
  label: 'Fine Art',
  saleNumber: '101',
  saleDate: null,
  status: 'published',
  itemCount: 3,
  pulledAt: '2026-12-01T10:00:00Z',
  complete: true
}

function order(id: string, number: string, type: string, due: number): CheckoutOrder {
  const sign = type === 'credit_note' ? -1 : 1
  return {
    id,
    number,
    provisional: false,
    type,
    status: 'in_process',
    locked: false,
    lines: [
      {
        itemId: `i-${id}`,
        lot: '12',
        description: 'George III bureau',
        hammer: sign * 1_000_000,
        premium: sign * 250_000,
        tax: sign * 50_000
      }
    ],
    charges: [{ id: 7, label: 'Shipping', amount: 2_500, tax: 500 }],
    payments: [],
    totals: { hammer: 0, premium: 0, tax: 0, charges: 0, grandTotal: due, paid: 0, amountDue: due },
    ours: null,
    problem: null,
    differences: [],
    creditFor: null,
    creditReason: null,
    notice: null
  }
}

const invoiceFor = (paddle: string, orders: CheckoutOrder[]): CheckoutInvoice => ({
  saleId: '1',
  paddle,
  client: { id: `c${paddle}`, name: `Buyer ${paddle}`, customerNumber: null },
  orders,
  outstanding: orders.reduce((n, o) => n + o.totals.amountDue, 0)
})

const waiting = (paddle: string, outstanding: number): CheckoutQueueEntry => ({
  paddle,
  clientId: `c${paddle}`,
  name: `Buyer ${paddle}`,
  lots: 2,
  outstanding,
  lastHammerAt: Date.parse('2026-12-01T14:02:00Z')
})

type Answer = unknown | ((input: Record<string, unknown>) => unknown)

function start(answers: Record<string, Answer>) {
  const calls: { name: string; input: Record<string, unknown> }[] = []
  const listeners = new Map<string, ((payload: unknown) => void)[]>()
  const all: Record<string, Answer> = {
    'app.info': fakeInfo,
    'app.status': fakeStatus,
    'app.currency': { code: 'GBP', decimals: 2, symbol: '£' },
    'sales.list': [SALE],
    'checkout.find': [],
    ...answers
  }
  const bridge: SaleroomBridge = {
    invoke: async (name: string, raw: unknown) => {
      const input = (raw ?? {}) as Record<string, unknown>
      calls.push({ name, input })
      if (!(name in all)) return { ok: false, error: { code: 'offline', message: `no answer for ${name}` } }
      const a = all[name]
      return { ok: true, data: typeof a === 'function' ? await (a as (i: unknown) => unknown)(input) : a }
    },
    on: (event, cb) => {
      listeners.set(event, [...(listeners.get(event) ?? []), cb as (payload: unknown) => void])
      return () => {}
    }
  }
  render(App, { props: { api: new Api(bridge) } })
  return {
    named: (name: string) => calls.filter((c) => c.name === name),
    emit: (event: string, payload: unknown) => listeners.get(event)?.forEach((cb) => cb(payload))
  }
}

async function toCheckout() {
  await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('podium'))
  await fireEvent.keyDown(window, { key: 'F2' })
  return screen.findByTestId('checkout-search')
}

const text = (id: string) => (screen.getByTestId(id).textContent ?? '').replace(/[\s\u00a0]+/g, ' ').trim()
const paddles = () => screen.queryAllByTestId('queue-row').map((r) => r.getAttribute('data-paddle'))

describe('Checkout: the queue of buyers', () => {
  it('lists who owes, newest first; Enter takes the top one, the arrows choose another; back at the queue it is read again', async () => {
    let queue = [waiting('204', 130_000), waiting('118', 40_000), waiting('7', 9_900)]
    const invoices: Record<string, CheckoutInvoice> = {
      '204': invoiceFor('204', [order('o1', '25033', 'bidder', 130_000)]),
      '118': invoiceFor('118', [order('o2', '25034', 'bidder', 40_000)])
    }
    const b = start({
      'checkout.queue': () => queue,
      'checkout.invoice': (input: Record<string, unknown>) => invoices[String(input.paddle)]
    })
    const search = await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204', '118', '7']))
    expect(b.named('checkout.queue')[0].input).toEqual({ saleId: '1' })
    expect(text('queue-grid')).toContain('£1,300.00')
    expect(text('queue-hint')).toContain('Enter takes the next buyer: 204 Buyer 204') // KeyHint: [Enter] then its label

    await fireEvent.keyDown(search, { key: 'Enter' })
    await waitFor(() => expect(text('checkout-invoice')).toContain('204 — Buyer 204'))

    // 204 pays and the cashier goes back: the queue is read again and 204 has left it.
    queue = queue.slice(1)
    const reads = b.named('checkout.queue').length
    await fireEvent.keyDown(window, { key: 'Escape' })
    await waitFor(() => expect(paddles()).toEqual(['118', '7']))
    expect(b.named('checkout.queue').length).toBeGreaterThan(reads)
    expect(text('queue-hint')).toContain('takes the next buyer: 118')

    // ↓ then Enter takes the second; ↑ comes back to the top.
    const box = screen.getByTestId('checkout-search')
    await fireEvent.keyDown(box, { key: 'ArrowDown' })
    await waitFor(() => expect(text('queue-hint')).toContain('next buyer: 7 Buyer 7'))
    await fireEvent.keyDown(box, { key: 'ArrowUp' })
    await waitFor(() => expect(text('queue-hint')).toContain('next buyer: 118'))
    await fireEvent.keyDown(box, { key: 'Enter' })
    await waitFor(() => expect(text('checkout-invoice')).toContain('118 — Buyer 118'))
    expect(b.named('checkout.invoice').map((c) => c.input.paddle)).toEqual(['204', '118'])
  })

  it('follows a change to the records while it shows (a payment at another desk)', async () => {
    let queue = [waiting('204', 130_000), waiting('118', 40_000)]
    const b = start({ 'checkout.queue': () => queue })
    await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204', '118']))
    queue = [waiting('118', 40_000)]
    b.emit('data.changed', { entity: 'transaction', ids: ['t9'], saleId: '1' })
    await waitFor(() => expect(paddles()).toEqual(['118']))
    queue = []
    b.emit('data.changed', { entity: 'order', ids: ['o2'], saleId: '1' })
    await waitFor(() => expect(text('queue-hint')).toContain('Nobody is waiting to pay'))
  })
})

describe('Checkout: an open buyer', () => {
  const three = invoiceFor('204', [
    order('o1', '25033', 'bidder', 130_000),
    order('o2', '25040', 'bidder', 20_000),
    order('o3', '25041', 'credit_note', -130_000)
  ])

  it('names each order in the switcher, apart, with the one shown marked current', async () => {
    start({ 'checkout.queue': [waiting('204', 20_000)], 'checkout.invoice': three })
    const search = await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204']))
    await fireEvent.keyDown(search, { key: 'Enter' })
    const list = await screen.findByTestId('order-switcher-list')
    expect(list.textContent).toBe('Invoice 25033 · Invoice 25040 · Credit note 25041')
    // To a screen reader: a list of the orders by name, the dots left out, the one shown current.
    const items = within(list).getAllByRole('listitem')
    const spoken = (li: HTMLElement) =>
      [...li.querySelectorAll('span:not([aria-hidden="true"])')].map((s) => s.textContent).join('')
    expect(items.map(spoken)).toEqual(['Invoice 25033', 'Invoice 25040', 'Credit note 25041'])
    expect(items.map((li) => li.getAttribute('aria-current'))).toEqual(['true', null, null])
    await fireEvent.keyDown(window, { key: 'ArrowRight' })
    await waitFor(() => expect(items.map((li) => li.getAttribute('aria-current'))).toEqual([null, 'true', null]))
    expect(text('checkout-order')).toContain('Invoice 25040')
    expect(text('order-status')).toBe('In process')
  })

  it('shows each line’s total: hammer, premium and tax; a charge with its tax', async () => {
    start({ 'checkout.queue': [waiting('204', 20_000)], 'checkout.invoice': three })
    const search = await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204']))
    await fireEvent.keyDown(search, { key: 'Enter' })
    await screen.findByTestId('order-lines')
    const totals = screen.getAllByTestId('line-total').map((t) => t.textContent)
    expect(totals).toEqual(['£13,000.00', '£30.00'])
  })

  it('an amount and a rate typed while the list of kinds is on its way are kept when it arrives', async () => {
    const defaults: ChargeDefault[] = [
      { termId: '11', label: 'Shipping', amount: 2_500, vatRateBp: 2_000, source: 'station' }
    ]
    let listArrives!: () => void
    const arrived = new Promise<void>((r) => (listArrives = r))
    const b = start({
      'checkout.queue': [waiting('204', 20_000)],
      'checkout.invoice': three,
      'checkout.chargeTerms': () => arrived.then(() => defaults.map((d) => ({ id: d.termId, label: d.label }))),
      'settings.get': { chargeDefaults: defaults },
      'checkout.addCharge': () => three.orders[0]
    })
    const search = await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204']))
    await fireEvent.keyDown(search, { key: 'Enter' })
    await screen.findByTestId('checkout-order')
    await fireEvent.keyDown(window, { key: 'c', code: 'KeyC', altKey: true })
    const amount = (await screen.findByTestId('charge-amount')) as HTMLInputElement
    const rate = screen.getByTestId('charge-rate') as HTMLInputElement
    await fireEvent.input(amount, { target: { value: '30' } })
    await fireEvent.input(rate, { target: { value: '5' } })
    listArrives()
    await waitFor(() => expect((screen.getByTestId('charge-term') as HTMLSelectElement).value).toBe('11'))
    expect([amount.value, rate.value]).toEqual(['30', '5'])
    await fireEvent.submit(screen.getByTestId('charge-form'))
    await waitFor(() => expect(b.named('checkout.addCharge')).toHaveLength(1))
    expect(b.named('checkout.addCharge')[0].input).toMatchObject({ termId: '11', amount: 3_000, taxRateBp: 500 })
  })

  it('fills the charge’s amount and VAT from its kind’s defaults, again when the kind changes; both can be changed', async () => {
    const defaults: ChargeDefault[] = [
      { termId: '11', label: 'Shipping', amount: 2_500, vatRateBp: 2_000, source: 'station' },
      { termId: '12', label: 'Storage', amount: 1_000, vatRateBp: null, source: 'circuit' },
      { termId: '13', label: 'Loss and damage', amount: null, vatRateBp: null, source: 'none' }
    ]
    const b = start({
      'checkout.queue': [waiting('204', 20_000)],
      'checkout.invoice': three,
      'checkout.chargeTerms': defaults.map((d) => ({ id: d.termId, label: d.label })),
      'settings.get': { chargeDefaults: defaults },
      'checkout.addCharge': () => three.orders[0]
    })
    const search = await toCheckout()
    await waitFor(() => expect(paddles()).toEqual(['204']))
    await fireEvent.keyDown(search, { key: 'Enter' })
    await screen.findByTestId('checkout-order')
    await fireEvent.keyDown(window, { key: 'c', code: 'KeyC', altKey: true })
    const amount = (await screen.findByTestId('charge-amount')) as HTMLInputElement
    const rate = screen.getByTestId('charge-rate') as HTMLInputElement
    const kind = screen.getByTestId('charge-term') as HTMLSelectElement
    await waitFor(() => expect([amount.value, rate.value]).toEqual(['25.00', '20.00']))

    await fireEvent.change(kind, { target: { value: '12' } })
    await waitFor(() => expect([amount.value, rate.value]).toEqual(['10.00', '']))
    await fireEvent.change(kind, { target: { value: '13' } })
    await waitFor(() => expect([amount.value, rate.value]).toEqual(['', '']))
    await fireEvent.change(kind, { target: { value: '11' } })
    await waitFor(() => expect([amount.value, rate.value]).toEqual(['25.00', '20.00']))

    await fireEvent.input(amount, { target: { value: '30' } })
    await fireEvent.input(rate, { target: { value: '5' } })
    await fireEvent.submit(screen.getByTestId('charge-form'))
    await waitFor(() => expect(b.named('checkout.addCharge')).toHaveLength(1))
    expect(b.named('checkout.addCharge')[0].input).toEqual({
      orderId: 'o1',
      termId: '11',
      amount: 3_000,
      taxRateBp: 500
    })
  })
})
