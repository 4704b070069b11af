// The Checkout screen over a bridge that answers like the core: amounts in
// Circuit's currency (0, 2 and 3 decimals), a payment sent once however often
// Enter is pressed, an over-payment asking first, cash showing its change,
// voids, the credit note's reason, and Alt+R for the payment just taken.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from '../../App.svelte'
import { Api } from '../../lib/api'
import { fakeInfo, fakeStatus } from '../../fake-bridge'
import type { CheckoutInvoice, CheckoutOrder, CheckoutPayment, SaleSummary } from '../../../src-shared/contract'
import type { MoneyCurrency } from '../../../src-shared/money'
import type { CallOptions, SaleroomBridge } from '../../../src-shared/events'

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

function order(o: Partial<CheckoutOrder> & { due: number; paid?: number }): CheckoutOrder {
  const paid = o.paid ?? 0
  return {
    id: 'o1',
    number: '5001',
    provisional: false,
    type: 'bidder',
    status: 'in_process',
    locked: false,
    lines: [
      { itemId: 'i1', lot: '12', description: 'George III bureau', hammer: 1_000_000, premium: 250_000, tax: 50_000 }
    ],
    charges: [],
    payments: [],
    totals: {
      hammer: 1_000_000,
      premium: 250_000,
      tax: 50_000,
      charges: 0,
      grandTotal: o.due + paid,
      paid,
      amountDue: o.due
    },
    ours: null,
    problem: null,
    differences: [],
    creditFor: null,
    creditReason: null,
    notice: null,
    ...o
  }
}

const payment = (p: Partial<CheckoutPayment>): CheckoutPayment => ({
  id: 't1',
  method: 'card',
  amount: 1000,
  date: '2026-12-01',
  details: 'VISA •••• 4242',
  pending: false,
  voided: false,
  voidReason: null,
  receiptNumber: 'R-DESK-0001',
  ...p
})

function invoiceOf(orders: CheckoutOrder[], outstanding?: number): CheckoutInvoice {
  return {
    saleId: '1',
    paddle: '204',
    client: { id: 'c1', name: 'Marchetti, Laura', customerNumber: 'C-204' },
    orders,
    outstanding: outstanding ?? orders.reduce((s, o) => s + o.totals.amountDue, 0)
  }
}

interface Call {
  name: string
  input: Record<string, unknown>
  key: string | undefined
}

/** A bridge answering like the core: each answer a value or a (possibly slow) function of the input. */
function bridge(answers: Record<string, unknown | ((input: Record<string, unknown>) => unknown)>) {
  const calls: Call[] = []
  const listeners = new Map<string, ((payload: unknown) => void)[]>()
  const b: SaleroomBridge = {
    invoke: async (name: string, raw: unknown, opts?: CallOptions) => {
      const input = (raw ?? {}) as Record<string, unknown>
      calls.push({ name, input, key: opts?.idempotencyKey })
      if (!(name in answers)) return { ok: false, error: { code: 'offline', message: `no answer for ${name}` } }
      const a = answers[name]
      try {
        return { ok: true, data: typeof a === 'function' ? await a(input) : a }
      } catch (err) {
        return { ok: false, error: err as { code: string; message: string } }
      }
    },
    on: (event, cb) => {
      listeners.set(event, [...(listeners.get(event) ?? []), cb as (payload: unknown) => void])
      return () => {}
    }
  }
  /** What the core pushes (a record changed): every listener hears it. */
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((cb) => cb(payload))
  return { bridge: b, calls, emit, named: (name: string) => calls.filter((c) => c.name === name) }
}

const base = (currency: MoneyCurrency, inv: () => CheckoutInvoice) => ({
  'app.info': fakeInfo,
  'app.status': fakeStatus,
  'app.currency': currency,
  'sales.list': [SALE],
  'checkout.find': [
    {
      paddle: '204',
      clientId: 'c1',
      name: 'Marchetti, Laura',
      customerNumber: 'C-204',
      orders: ['5001'],
      outstanding: 0
    }
  ],
  'checkout.invoice': () => inv(),
  'checkout.queue': [],
  'print.receipt': (input: Record<string, unknown>) => ({
    path: `/d/prints/receipt-${String(input.transactionId)}.pdf`,
    pages: 1,
    printed: false,
    printer: null
  }),
  'print.file': { path: '/d/prints/x.pdf', base64: '' },
  'print.printers': []
})

const GBP: MoneyCurrency = { code: 'GBP', decimals: 2, symbol: '£' }
const JPY: MoneyCurrency = { code: 'JPY', decimals: 0, symbol: '¥' }
const KWD: MoneyCurrency = { code: 'KWD', decimals: 3, symbol: '' }

async function openBuyer(answers: Record<string, unknown>) {
  const b = bridge(answers)
  render(App, { props: { api: new Api(b.bridge) } })
  await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('podium'))
  await fireEvent.keyDown(window, { key: 'F2' })
  const search = await screen.findByTestId('checkout-search')
  await fireEvent.input(search, { target: { value: '204' } })
  await waitFor(() => expect(screen.getByTestId('checkout-buyers').textContent).toContain('204'))
  await fireEvent.keyDown(search, { key: 'Enter' })
  await screen.findByTestId('checkout-invoice')
  return b
}

const text = (id: string) => (screen.getByTestId(id).textContent ?? '').replace(/\s+/g, ' ').trim()
/** The checkout's message: its words (the ✓ or ! before them is a mark) and its kind. */
const said = () => (screen.getByTestId('checkout-message').querySelector('.text')?.textContent ?? '').trim()
const saidKind = () => screen.getByTestId('checkout-message').dataset.kind
/** Intl puts a no-break space between a code and the figure. */
const plain = (s: string) => s.replace(/\u00a0/g, ' ')

describe('Checkout: money in Circuit’s currency', () => {
  it.each([
    ['GBP, 2 decimals', GBP, ['£10,000.00', '£13,000.00', '£1,234.56']],
    ['JPY, no decimals', JPY, ['¥1,000,000', '¥1,300,000', '¥123,456']],
    ['KWD, 3 decimals', KWD, ['KWD 1,000.000', 'KWD 1,300.000', 'KWD 123.456']]
  ] as const)(
    '%s: lines, totals and what is due carry the currency and its decimals',
    async (_name, currency, shown) => {
      const inv = invoiceOf([order({ due: 123_456, paid: 1_176_544 })])
      await openBuyer(base(currency, () => inv))
      await waitFor(() => expect(plain(text('checkout-totals'))).toContain(shown[1]))
      expect(plain(text('order-lines'))).toContain(shown[0])
      expect(plain(text('checkout-due'))).toContain(shown[2])
      expect(plain(text('checkout-outstanding'))).toBe(`${shown[2]} outstanding`)
      // The payment form starts at what is due, in the currency's own decimals.
      await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
      const amount = (await screen.findByTestId('pay-amount')) as HTMLInputElement
      expect(amount.value).toBe({ GBP: '1234.56', JPY: '123456', KWD: '123.456' }[currency.code])
    }
  )
})

describe('Checkout: taking payments', () => {
  it('Enter twice sends one payment, with one idempotency key, and the button is disabled meanwhile', async () => {
    let release: () => void = () => {}
    let current = invoiceOf([order({ due: 50_000 })])
    const b = await openBuyer({
      ...base(GBP, () => current),
      'checkout.pay': async (input: Record<string, unknown>) => {
        await new Promise<void>((ok) => (release = ok))
        const p = payment({ id: 'local-7', amount: input.amount as number })
        current = invoiceOf([order({ due: 0, paid: 50_000, payments: [p] })])
        return { payment: p, changeDue: 0, order: current.orders[0] }
      }
    })
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    const last4 = await screen.findByTestId('pay-last4')
    await fireEvent.input(last4, { target: { value: '4242' } })
    const form = screen.getByTestId('pay-form')
    await fireEvent.submit(form)
    await fireEvent.submit(form)
    await waitFor(() => expect(screen.getByTestId('pay-submit')).toHaveProperty('disabled', true))
    await fireEvent.submit(form)
    release()
    await waitFor(() => expect(said()).toBe('Paid £500.00.'))
    expect(saidKind()).toBe('success')
    expect(b.named('checkout.pay')).toHaveLength(1)
    expect(b.named('checkout.pay')[0].key).toMatch(/^ui-/)
    expect(b.named('checkout.pay')[0].input).toMatchObject({ method: 'card', amount: 50_000, last4: '4242' })
    expect(text('checkout-outstanding')).toBe('Nothing outstanding')
  })

  it('a key pressed as soon as "Paid" shows acts on the new payment, though another reading was on its way', async () => {
    const p = payment({ id: 'local-12', amount: 50_000 })
    let current = invoiceOf([order({ due: 50_000 })])
    let paid = false
    let pushed = false
    const b = await openBuyer({
      ...base(GBP, () => current),
      'checkout.invoice': async () => {
        const answer = current
        if (paid && !pushed) {
          // The core says the payment's records changed: the screen reads the buyer again meanwhile,
          // and that reading lands after this one.
          pushed = true
          queueMicrotask(() => b.emit('data.changed', { entity: 'transaction', ids: ['local-12'], saleId: '1' }))
        } else if (pushed) await new Promise((ok) => setTimeout(ok, 80))
        return answer
      },
      'checkout.pay': () => {
        current = invoiceOf([order({ due: 0, paid: 50_000, payments: [p] })])
        paid = true
        return { payment: p, changeDue: 0, order: current.orders[0] }
      }
    })
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    await fireEvent.input(await screen.findByTestId('pay-last4'), { target: { value: '4242' } })
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await waitFor(() =>
      expect(screen.queryByTestId('checkout-message')?.querySelector('.text')?.textContent).toBe('Paid £500.00.')
    )
    expect(screen.getAllByTestId('payment-row')).toHaveLength(1)
    expect(b.named('checkout.invoice').length).toBeGreaterThanOrEqual(3)
  })

  it('a payment above what is due shows the reasons and takes a second Enter; Esc corrects instead', async () => {
    const inv = invoiceOf([order({ due: 1_772_000 })])
    const b = await openBuyer({
      ...base(GBP, () => inv),
      'checkout.pay': (input: Record<string, unknown>) => {
        if (!input.confirm) {
          throw {
            code: 'needs_confirmation',
            message: 'More than is due.',
            fields: { reasons: ['£99,999.00 is more than the £17,720.00 due on order 5001.'] }
          }
        }
        const p = payment({ id: 'local-8', amount: input.amount as number })
        return { payment: p, changeDue: 0, order: inv.orders[0] }
      }
    })
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    const amount = await screen.findByTestId('pay-amount')
    await fireEvent.input(amount, { target: { value: '99,999.00' } })
    await fireEvent.input(screen.getByTestId('pay-last4'), { target: { value: '1111' } })
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await waitFor(() => expect(text('pay-warning')).toContain('more than the £17,720.00 due'))
    expect(b.named('checkout.pay')).toHaveLength(1)
    // Esc: the warning goes and the amount is selected to be typed over; nothing is sent.
    await fireEvent.keyDown(window, { key: 'Escape' })
    expect(screen.queryByTestId('pay-warning')).toBeNull()
    expect(document.activeElement).toBe(amount)
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await screen.findByTestId('pay-warning')
    // A second Enter takes it as it stands, under the same key.
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await waitFor(() => expect(said()).toBe('Paid £99,999.00.'))
    const sent = b.named('checkout.pay')
    expect(sent.map((c) => c.input.confirm)).toEqual([undefined, undefined, true])
    expect(sent[2].key).toBe(sent[1].key)
    expect(sent[1].key).not.toBe(sent[0].key)
  })

  it('cash shows the change as the amount handed over is typed, and says it once taken', async () => {
    const inv = invoiceOf([order({ due: 500_000 })])
    const b = await openBuyer({
      ...base(GBP, () => inv),
      'checkout.pay': (input: Record<string, unknown>) => ({
        payment: payment({ id: 'local-9', method: 'cash', amount: input.amount as number, details: null }),
        changeDue: (input.tendered as number) - (input.amount as number),
        order: inv.orders[0]
      })
    })
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    await screen.findByTestId('pay-form')
    await fireEvent.click(screen.getByLabelText('Cash'))
    await fireEvent.input(screen.getByTestId('pay-amount'), { target: { value: '5,000.00' } })
    await fireEvent.input(screen.getByTestId('pay-tendered'), { target: { value: '5,020.00' } })
    expect(text('pay-change')).toBe('Change £20.00')
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await waitFor(() => expect(said()).toBe('Change due £20.00. Paid £5,000.00.'))
    expect(b.named('checkout.pay')[0].input).toMatchObject({ method: 'cash', amount: 500_000, tendered: 502_000 })
  })

  it('Alt+R prints the receipt of the payment just taken, not the last one listed', async () => {
    const earlier = payment({ id: '9001', amount: 10_000, date: '2026-12-02' })
    const taken = payment({ id: 'local-10', amount: 20_000, date: '2026-12-01' })
    let current = invoiceOf([order({ due: 30_000, payments: [earlier], paid: 10_000 })])
    const b = await openBuyer({
      ...base(GBP, () => current),
      'checkout.pay': () => {
        current = invoiceOf([order({ due: 10_000, paid: 30_000, payments: [taken, earlier] })])
        return { payment: taken, changeDue: 0, order: current.orders[0] }
      }
    })
    await fireEvent.keyDown(window, { key: 'p', code: 'KeyP', altKey: true })
    await fireEvent.input(await screen.findByTestId('pay-last4'), { target: { value: '4242' } })
    await fireEvent.submit(screen.getByTestId('pay-form'))
    await waitFor(() => expect(said()).toContain('Paid £200.00'))
    await fireEvent.keyDown(window, { key: 'r', code: 'KeyR', altKey: true })
    await waitFor(() => expect(b.named('print.receipt')).toHaveLength(1))
    expect(b.named('print.receipt')[0].input.transactionId).toBe('local-10')
  })
})

describe('Checkout: voids, refunds and credit notes', () => {
  it('says "Refund owed" for a buyer owed money, never "Nothing outstanding"', async () => {
    const note = order({ id: 'cn1', number: 'CN-9', type: 'credit_note', status: 'new', due: -286_000 })
    const other = order({ id: 'o2', number: '5002', due: 104_000 })
    await openBuyer(base(GBP, () => invoiceOf([other, note], -182_000)))
    await waitFor(() => expect(text('checkout-outstanding')).toBe('Refund owed £1,820.00'))
    await fireEvent.keyDown(window, { key: 'ArrowRight' })
    await waitFor(() => expect(text('checkout-order')).toContain('Credit note CN-9'))
    expect(text('checkout-due')).toBe('£2,860.00')
  })

  it('a voided payment is struck through with its reason; Alt+V, the reason and Enter void one', async () => {
    const wrong = payment({ id: 'local-11', amount: 30_000 })
    const old = payment({ id: '9002', amount: 5_000, voided: true, voidReason: 'Duplicate' })
    let current = invoiceOf([order({ due: 0, paid: 30_000, payments: [old, wrong] })])
    let release: () => void = () => {}
    const b = await openBuyer({
      ...base(GBP, () => current),
      'checkout.voidPayment': async () => {
        await new Promise<void>((ok) => (release = ok))
        current = invoiceOf([
          order({ due: 30_000, payments: [old, { ...wrong, voided: true, voidReason: 'Keyed on the wrong order' }] })
        ])
        return current.orders[0]
      }
    })
    const rows = screen.getAllByTestId('payment-row')
    expect(rows[0].classList.contains('voided')).toBe(true)
    expect(rows[0].textContent).toContain('void: Duplicate')
    await fireEvent.keyDown(window, { key: 'v', code: 'KeyV', altKey: true })
    const picker = (await screen.findByTestId('void-payment')) as HTMLSelectElement
    expect(picker.value).toBe('local-11') // the voided one cannot be picked again
    expect(picker.options).toHaveLength(1)
    await fireEvent.input(screen.getByTestId('void-reason'), { target: { value: 'Keyed on the wrong order' } })
    await fireEvent.submit(screen.getByTestId('void-form'))
    await fireEvent.submit(screen.getByTestId('void-form'))
    release()
    await waitFor(() => expect(said()).toContain('voided: Keyed on the wrong order'))
    expect(b.named('checkout.voidPayment').map((c) => c.input)).toEqual([
      { paymentId: 'local-11', reason: 'Keyed on the wrong order' }
    ])
    await waitFor(() => expect(screen.getAllByTestId('payment-void')).toHaveLength(2))
    expect(text('checkout-due')).toBe('£300.00')
  })

  it('a credit note asks for its reason, and the note made is shown', async () => {
    const finished = order({ status: 'finished', due: 0, paid: 1_300_000 })
    let current = invoiceOf([finished])
    const b = await openBuyer({
      ...base(GBP, () => current),
      'checkout.creditNote': (input: Record<string, unknown>) => {
        const note = order({
          id: 'local-cn',
          number: 'P-CN-5001',
          provisional: true,
          type: 'credit_note',
          status: 'new',
          due: -1_300_000,
          creditFor: { orderId: 'o1', number: '5001' },
          creditReason: input.reason as string
        })
        current = invoiceOf([finished, note])
        return note
      }
    })
    const box = screen.getAllByTestId('line-check')[0]
    await fireEvent.click(box)
    await fireEvent.keyDown(window, { key: 'n', code: 'KeyN', altKey: true })
    const reason = await screen.findByTestId('credit-reason')
    expect(document.activeElement).toBe(reason)
    await fireEvent.input(reason, { target: { value: 'Damaged in the saleroom' } })
    await fireEvent.submit(screen.getByTestId('credit-form'))
    await waitFor(() => expect(text('checkout-order')).toContain('Credit note P-CN-5001'))
    expect(text('checkout-order')).toContain('credit for invoice 5001')
    expect(text('credit-reason-shown')).toBe('Reason: Damaged in the saleroom')
    expect(b.named('checkout.creditNote').map((c) => c.input)).toEqual([
      { orderId: 'o1', itemIds: ['i1'], reason: 'Damaged in the saleroom' }
    ])
  })

  it("the credit note just made stays on screen when Circuit's has already replaced it", async () => {
    const finished = order({ status: 'finished', due: 0, paid: 1_300_000 })
    let current = invoiceOf([finished])
    const made = (id: string, number: string, provisional: boolean) =>
      order({ id, number, provisional, type: 'credit_note', status: 'new', due: -1_300_000 })
    await openBuyer({
      ...base(GBP, () => current),
      'checkout.creditNote': () => {
        // Circuit answered before the screen read the buyer again: its note, under its own id, holds the lots.
        current = invoiceOf([finished, made('9100', 'CN-77', false)])
        return made('local-cn', 'P-CN-5001', true)
      }
    })
    await fireEvent.click(screen.getAllByTestId('line-check')[0])
    await fireEvent.keyDown(window, { key: 'n', code: 'KeyN', altKey: true })
    await fireEvent.submit(await screen.findByTestId('credit-form'))
    await waitFor(() => expect(text('checkout-order')).toContain('Credit note CN-77'))
  })
})
