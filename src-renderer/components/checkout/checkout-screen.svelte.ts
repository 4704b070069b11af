// The Checkout screen's state: the sale, the buyer found, the order on
// screen, the lots picked, the form open over it, and what the cashier was
// last told. The screen's components read and change it; every call that
// changes money goes through a Submission (one key per action, a second
// Enter while it is on its way does nothing).
import type { MessageKind } from '../../lib/messages.svelte'
import { SvelteSet } from 'svelte/reactivity'
import type {
  CheckoutBuyer,
  CheckoutInvoice,
  CheckoutOrder,
  PrintResult,
  SaleSummary
} from '../../../src-shared/contract'
import { CallError } from '../../lib/api'
import type { AppState } from '../../lib/app-state.svelte'
import { money } from '../../lib/format'
import { Submission } from '../../lib/submission.svelte'
import { stateWord } from '../../../src-shared/status-words'
import { BuyerQueue } from './buyer-queue.svelte'

export type FormKind = 'pay' | 'charge' | 'void' | 'credit'

export interface Preview {
  result: PrintResult
  title: string
  again: (printer: string) => Promise<unknown>
}

/** "Refund owed £1,820.00", "£1,040.00 outstanding", or nothing owed either way. */
export function outstandingText(outstanding: number): string {
  if (outstanding < 0) return `Refund owed ${money(-outstanding)}`
  if (outstanding > 0) return `${money(outstanding)} outstanding`
  return 'Nothing outstanding'
}

/** "Invoice 25033", "Credit note 25041": an order as the cashier names it. */
export function orderLabel(o: Pick<CheckoutOrder, 'type' | 'number'>): string {
  return `${stateWord('orderType', o.type)} ${o.number}`
}

/** A refused call in the user's words: the message and what each field said. */
export function said(err: CallError): string {
  return [err.error.message, ...Object.values(err.error.fields ?? {}).flat()].join(' ')
}

export class CheckoutScreen {
  sales = $state.raw<SaleSummary[]>([])
  saleId = $state('')
  q = $state('')
  buyers = $state.raw<CheckoutBuyer[]>([])
  selected = $state(0)
  /** The text the buyers on screen were found for: Enter before they catch up opens what was typed. */
  foundFor = $state('')
  invoice = $state.raw<CheckoutInvoice | null>(null)
  orderIndex = $state(0)
  preview = $state.raw<Preview | null>(null)
  /** The one message under the order: what was done (success), what to fix (warning), what went wrong (error). */
  private shown = $state.raw<{ kind: MessageKind; text: string } | null>(null)
  get message(): string | null {
    return this.shown?.text ?? null
  }
  /** A plain message is a prompt: what the cashier should type or do next. */
  set message(text: string | null) {
    this.shown = text === null ? null : { kind: 'warning', text }
  }
  get messageKind(): MessageKind {
    return this.shown?.kind ?? 'info'
  }
  say(kind: MessageKind, text: string): void {
    this.shown = { kind, text }
  }
  /** The one form open over the order (payment, charge, void, credit note), or none. */
  form = $state<FormKind | null>(null)
  /** Lots picked on the order (Space on a lot's box) for a split or a credit note. */
  readonly picked = new SvelteSet<string>()
  /** The payment taken last at this desk, for Alt+R. */
  lastPaymentId = $state<string | null>(null)
  /** Split and cancel-and-reissue: one call per key press, whatever the keyboard repeats. */
  readonly commands: Submission
  /** The buyers waiting: shown while no buyer is open, Enter takes the next. */
  readonly queue: BuyerQueue
  /** An order made here to be shown once the buyer is read with it. */
  private wanted: Pick<CheckoutOrder, 'id' | 'type' | 'lines' | 'creditFor'> | null = null
  private searchSeq = 0
  private opening = 0
  /** The newest reading of the buyer asked for, and when it lands. */
  private latest: { seq: number; done: Promise<void> } = { seq: 0, done: Promise.resolve() }

  readonly order = $derived<CheckoutOrder | null>(this.invoice?.orders[this.orderIndex] ?? null)

  constructor(readonly app: AppState) {
    this.commands = new Submission(app.api)
    this.queue = new BuyerQueue(app)
  }

  fail(err: unknown): void {
    if (err instanceof CallError) this.say('error', said(err))
    else this.app.fail(err)
  }

  async loadSales(): Promise<void> {
    try {
      this.sales = (await this.app.api.call('sales.list', {})).filter((s) => s.pulledAt !== null)
      if (!this.saleId) this.saleId = this.app.podiumSaleId ?? this.sales[0]?.id ?? ''
    } catch (err) {
      this.app.fail(err)
    }
  }

  /** Matches follow the typing; a newer search wins over an older answer. */
  search(text: string, sale: string): void {
    const mine = ++this.searchSeq
    if (!sale || text.trim() === '') {
      this.buyers = []
      return
    }
    this.app.api
      .call('checkout.find', { saleId: sale, q: text })
      .then((b) => {
        if (mine !== this.searchSeq) return
        this.buyers = b
        this.foundFor = text
        this.selected = 0
      })
      .catch((err) => this.app.fail(err))
  }

  /**
   * Enter in the search: the buyer chosen, or the paddle typed when the list has not caught up;
   * with nothing typed, the buyer chosen in the queue (the next one).
   */
  openChosen(): void {
    if (this.q.trim() === '') {
      void this.openNextInQueue()
      return
    }
    const b = this.foundFor === this.q ? this.buyers[this.selected] : undefined
    void this.open(b ? b.paddle : this.q.trim())
  }

  /** The queue's chosen buyer, once the queue is up to date (a buyer just settled is never taken). */
  async openNextInQueue(): Promise<void> {
    const sale = this.saleId
    const b = await this.queue.chosen()
    // Still at the queue, for the same sale, with nothing typed meanwhile.
    if (!b || this.invoice || sale !== this.saleId || this.q.trim() !== '') return
    await this.open(b.paddle)
  }

  /** A buyer's invoice; `again` re-reads the one on screen (after a payment, a change from Circuit). */
  open(paddle: string, again = false): Promise<void> {
    const seq = ++this.opening
    const done = this.read(paddle, again, seq)
    this.latest = { seq, done }
    return done
  }

  private async read(paddle: string, again: boolean, mine: number): Promise<void> {
    try {
      const answer = await this.app.api.call('checkout.invoice', { saleId: this.saleId, paddle })
      if (mine !== this.opening) {
        // A newer reading is on its way (the record changed again): what follows waits for it, so a
        // key pressed once "Paid" shows acts on the payment. Or the cashier has moved on.
        if (this.latest.seq > mine) await this.latest.done
        return
      }
      const shown = this.wanted ?? this.order
      this.invoice = answer
      // Read again: the same order stays on screen (or the one just made comes on), found by its id,
      // or once Circuit's order has replaced a provisional one, by its lots.
      if (again && shown) {
        const at = this.indexOf(shown)
        if (at >= 0) this.wanted = null
        this.orderIndex = at >= 0 ? at : this.orderIndex < answer.orders.length ? this.orderIndex : 0
      }
      // A provisional order (lots sold here while Circuit's order is not in yet): ask Circuit for it.
      if (!again && answer.orders.some((o) => o.provisional) && this.app.status?.connection === 'online') {
        void this.app.api.call('sale.open', { saleId: this.saleId }).catch(() => undefined)
      }
      if (again) return
      this.wanted = null
      this.orderIndex = 0
      this.lastPaymentId = null
      this.message = null
    } catch (err) {
      if (err instanceof CallError) this.say('error', err.error.message)
      else this.app.fail(err)
    }
  }

  /** Read the buyer on screen again. */
  async reload(): Promise<void> {
    if (this.invoice) await this.open(this.invoice.paddle, true)
  }

  /**
   * Where an order is in the buyer's list: by its id; else (Circuit's order has replaced a
   * provisional one) the order of its type holding the same lots, or the last credit note for
   * the same invoice; -1 if none.
   */
  indexOf(order: Pick<CheckoutOrder, 'id' | 'type' | 'lines' | 'creditFor'>): number {
    const orders = this.invoice?.orders ?? []
    const byId = orders.findIndex((o) => o.id === order.id)
    if (byId >= 0) return byId
    const lots = (o: Pick<CheckoutOrder, 'lines'>) =>
      o.lines
        .map((l) => l.itemId)
        .sort()
        .join(',')
    const byLots = orders.findIndex((o) => o.type === order.type && lots(o) === lots(order))
    if (byLots >= 0 || !order.creditFor) return byLots
    const same = orders.map((o) => o.type === order.type && o.creditFor?.orderId === order.creditFor?.orderId)
    return same.lastIndexOf(true)
  }

  /**
   * Show this order (a credit note just made): now if the buyer as read holds it, else when a
   * reading that holds it arrives (one already on its way may not), even once Circuit's has replaced it.
   */
  showOrder(order: Pick<CheckoutOrder, 'id' | 'type' | 'lines' | 'creditFor'>): void {
    const i = this.indexOf(order)
    if (i >= 0) this.orderIndex = i
    else this.wanted = order
  }

  next(): void {
    this.opening++ // an answer still on its way is for the buyer just left
    this.invoice = null
    this.wanted = null
    this.message = null
    this.picked.clear()
    this.form = null
    this.preview = null
    this.lastPaymentId = null
    this.q = ''
    this.buyers = []
    // The buyer just left may be settled: the queue is read again, and Enter takes its new top.
    void this.queue.load(this.saleId, true)
  }

  switchOrder(step: 1 | -1): void {
    const n = this.invoice?.orders.length ?? 0
    if (n > 1) this.orderIndex = (this.orderIndex + step + n) % n
  }

  toggle(itemId: string): void {
    if (this.picked.has(itemId)) this.picked.delete(itemId)
    else this.picked.add(itemId)
  }

  /** The lots picked that are on the order shown. */
  pickedOnOrder(): string[] {
    const order = this.order
    return order ? [...this.picked].filter((id) => order.lines.some((l) => l.itemId === id)) : []
  }

  openForm(kind: FormKind): void {
    this.form = kind
    this.message = null
  }

  closeForm(): void {
    this.form = null
  }

  async printDoc(title: string, make: (printer?: string) => Promise<PrintResult>): Promise<void> {
    try {
      const result = await make()
      this.preview = { result, title, again: (printer) => make(printer) }
    } catch (err) {
      this.fail(err)
    }
  }

  printInvoice(o: CheckoutOrder): Promise<void> {
    const kind = o.type === 'credit_note' ? 'Credit note' : 'Invoice'
    return this.printDoc(`${kind} ${o.number}`, (printer) =>
      this.app.api.call('print.invoice', { orderId: o.id, printer })
    )
  }

  /** Alt+T: the buyer's combined statement of their orders for the sale. */
  printStatement(): Promise<void> {
    const inv = this.invoice
    if (!inv) return Promise.resolve()
    return this.printDoc(`Statement · ${inv.paddle}`, (printer) =>
      this.app.api.call('print.statement', { saleId: inv.saleId, paddle: inv.paddle, printer })
    )
  }

  printReceipt(paymentId: string): Promise<void> {
    return this.printDoc('Receipt', (printer) =>
      this.app.api.call('print.receipt', { transactionId: paymentId, printer })
    )
  }

  printCheque(paymentId: string): Promise<void> {
    return this.printDoc('Cheque', (printer) =>
      this.app.api.call('print.cheque', { transactionId: paymentId, printer })
    )
  }

  /** Alt+R: the receipt for the payment just taken here; else the order's latest payment. */
  receiptForLast(): void {
    const order = this.order
    if (!order) return
    const taken = this.lastPaymentId && order.payments.find((p) => p.id === this.lastPaymentId)
    const payment = taken || order.payments.at(-1)
    if (payment) void this.printReceipt(payment.id)
    else this.message = 'No payment on this order yet.'
  }

  /** A payment was taken: remember it for Alt+R, show the buyer as they now stand. */
  async paid(paymentId: string, said: string): Promise<void> {
    this.lastPaymentId = paymentId
    this.form = null
    await this.reload()
    this.say('success', said)
  }

  /** Split the picked lots off (Alt+X), or cancel and reissue a locked order (Alt+E). */
  async orderCommand(kind: 'split' | 'cancelReissue'): Promise<void> {
    const order = this.order
    if (!order) return
    const itemIds = this.pickedOnOrder()
    if (kind === 'split' && itemIds.length === 0) {
      this.message = 'Pick the lots first: Alt+L, then Space on each.'
      return
    }
    this.commands.reset()
    try {
      const done =
        kind === 'split'
          ? await this.commands.send('checkout.split', { orderId: order.id, itemIds })
          : await this.commands.send('checkout.cancelReissue', { orderId: order.id })
      if (done === undefined) return // the first press is still on its way
      this.picked.clear()
      await this.reload()
      this.say('success', kind === 'split' ? `${itemIds.length} lot(s) split off.` : 'Cancelled and issued again.')
    } catch (err) {
      this.fail(err)
    }
  }

  async removeCharge(chargeId: number): Promise<void> {
    const order = this.order
    if (!order) return
    this.commands.reset()
    try {
      const done = await this.commands.send('checkout.removeCharge', { orderId: order.id, chargeId })
      if (done === undefined) return
      await this.reload()
      this.say('success', 'Charge removed.')
    } catch (err) {
      this.fail(err)
    }
  }

  async nextStatus(): Promise<void> {
    const order = this.order
    if (!order) return
    const next = order.status === 'new' ? 'in_process' : order.status === 'in_process' ? 'finished' : null
    if (!next) return
    this.commands.reset()
    try {
      const done = await this.commands.send('checkout.setStatus', { orderId: order.id, status: next })
      if (done === undefined) return
      await this.reload()
    } catch (err) {
      this.fail(err)
    }
  }
}
