// The collection desk's state (F6): the sale, what the search found, the
// buyer open with their lots, the cursor and the lots picked, the form open
// over them, the last release and shipment (for their papers), the print
// preview, and what the desk last said. The screen's components read and
// change it; the keys are desk-keys.ts's.
import type {
  BoxResult,
  DeskBuyer,
  DeskLot,
  DeskMatch,
  DeskOrder,
  PrintResult,
  ReleaseResult,
  SaleSummary,
  ShipmentResult
} from '../../../src-shared/contract'
import { tick } from 'svelte'
import { SvelteSet } from 'svelte/reactivity'
import { CallError } from '../../lib/api'
import type { AppState } from '../../lib/app-state.svelte'
import { money } from '../../lib/format'
import type { MessageKind } from '../../lib/messages.svelte'

export type DeskForm = 'release' | 'ship' | 'box'

export interface Preview {
  result: PrintResult
  title: string
  again: (printer: string) => Promise<unknown>
}

/** Where the screen keeps the keyboard: the search field, or the buyer's lots. */
export interface DeskFocus {
  search: () => void
  list: () => void
}

export class DeskScreen {
  sales = $state.raw<SaleSummary[]>([])
  saleId = $state('')
  q = $state('')
  matches = $state.raw<DeskMatch[]>([])
  matchIndex = $state(0)
  buyer = $state.raw<DeskBuyer | null>(null)
  cursor = $state(0)
  readonly picked = new SvelteSet<string>()
  form = $state<DeskForm | null>(null)
  message = $state.raw<{ kind: MessageKind; text: string } | null>(null)
  lastRelease = $state<string | null>(null)
  lastShipment = $state<string | null>(null)
  preview = $state.raw<Preview | null>(null)
  private opening = 0
  // Reads and scans are handled one after another, in the order they came: three tags scanned in a
  // second each pick their lot (a newer read overtaking an older one would drop the older's pick).
  private queue: Promise<unknown> = Promise.resolve()

  readonly pickedLots = $derived<DeskLot[]>(this.buyer ? this.buyer.lots.filter((l) => this.picked.has(l.itemId)) : [])
  /** The one invoice all the picked lots are on, if they are on one. */
  readonly pickedOrder = $derived.by<DeskOrder | undefined>(() => {
    const orderId = this.pickedLots[0]?.orderId
    if (!orderId || this.pickedLots.some((l) => l.orderId !== orderId)) return undefined
    return this.buyer?.orders.find((o) => o.orderId === orderId)
  })
  readonly nextBox = $derived(this.pickedOrder ? Math.max(0, ...this.pickedOrder.boxes.map((b) => b.boxNumber)) + 1 : 1)

  constructor(
    readonly app: AppState,
    private readonly focus: DeskFocus
  ) {}

  private inTurn(work: () => Promise<unknown>): void {
    this.queue = this.queue.then(work).catch((err) => this.app.fail(err))
  }

  /** Read the open buyer again, in turn — unless the desk has moved on to another (or none) by then. */
  reload(quiet: boolean): void {
    const b = this.buyer
    if (b)
      this.inTurn(() =>
        this.buyer?.clientId === b.clientId ? this.openBuyer(b.clientId, null, quiet) : Promise.resolve()
      )
  }

  async loadSales(): Promise<void> {
    try {
      this.sales = (await this.app.api.call('sales.list', {})).filter((s) => s.pulledAt !== null)
      if (!this.saleId || !this.sales.some((s) => s.id === this.saleId))
        this.saleId = this.app.podiumSaleId ?? this.sales[0]?.id ?? ''
    } catch (err) {
      this.app.fail(err)
    }
  }

  say(text: string, kind: MessageKind = 'info'): void {
    this.message = { kind, text }
  }

  private failed(err: unknown): void {
    if (err instanceof CallError) this.say(err.error.message, 'error')
    else this.app.fail(err)
  }

  /** The buyer's lots, read again; `itemId` is the lot a scan or a search opened them on (picked). */
  private async openBuyer(clientId: string, itemId: string | null, quiet = false): Promise<void> {
    const mine = ++this.opening
    try {
      const b = await this.app.api.call('warehouse.buyer', { saleId: this.saleId, clientId })
      if (mine !== this.opening) return
      if (this.buyer?.clientId !== clientId) {
        this.picked.clear()
        this.cursor = 0
        this.form = null
        this.lastRelease = null
        this.lastShipment = null
      }
      this.buyer = b
      for (const id of [...this.picked])
        if (!b.lots.some((l) => l.itemId === id && !l.collected)) this.picked.delete(id)
      this.cursor = Math.min(this.cursor, Math.max(b.lots.length - 1, 0))
      this.matches = []
      if (itemId) this.openedOn(b, itemId)
      if (!quiet && !this.form) {
        await tick()
        this.focus.list()
      }
    } catch (err) {
      this.failed(err)
    }
  }

  /** The lot a scan or a search found: the cursor goes to it and it is picked, unless it went out. */
  private openedOn(b: DeskBuyer, itemId: string): void {
    const i = b.lots.findIndex((l) => l.itemId === itemId)
    if (i < 0) return
    this.cursor = i
    const l = b.lots[i]
    if (l.collected) {
      this.say(`Lot ${l.lot} went out already: collected by ${l.collected.collectedBy}.`, 'warning')
    } else {
      this.picked.add(l.itemId)
      this.say(
        `Lot ${l.lot} picked${l.paid ? '' : ` — not paid: ${l.due === null ? 'no invoice yet' : `${money(l.due)} due`}`}.`,
        l.paid ? 'success' : 'warning'
      )
    }
  }

  /** What a scan (a lot tag) or a typed text finds: one buyer opens at once, several are offered. */
  private async lookUp(text: string, scanned: boolean): Promise<void> {
    const code = text.trim()
    if (!this.saleId || !code) return
    try {
      const found = await this.app.api.call('warehouse.find', { saleId: this.saleId, q: code, scanned })
      if (found.length === 0) {
        this.say(scanned ? `No lot ${code} in this sale.` : `Nothing in this sale matches “${code}”.`, 'warning')
        return
      }
      const open = found.filter((m) => m.clientId)
      if (scanned || found.length === 1 || (open.length === 1 && found.every((m) => m.clientId === open[0].clientId))) {
        const m = open[0] ?? found[0]
        if (!m.clientId) this.say(m.message ?? `Lot ${code} has no buyer.`, 'warning')
        else {
          this.q = ''
          await this.openBuyer(m.clientId, m.itemId)
        }
        return
      }
      this.matches = found
      this.matchIndex = 0
      this.say(`“${code}” is ${found.map((m) => m.kind).join(' and ')}: ↑/↓ and Enter to choose.`)
    } catch (err) {
      this.failed(err)
    }
  }

  /** A lot tag scanned (or a lot number entered outside the search field): its buyer opens, the lot picked. */
  scan(code: string): void {
    this.inTurn(() => this.lookUp(code, true))
  }

  /** Enter in the search field: the match chosen opens, or what was typed is looked up. */
  enter(): void {
    const m = this.matches[this.matchIndex]
    if (m?.clientId) this.inTurn(() => this.openBuyer(m.clientId!, m.itemId))
    else if (m) this.say(m.message ?? 'Nothing to open.', 'warning')
    else {
      const text = this.q
      this.inTurn(() => this.lookUp(text, false))
    }
  }

  toggle(itemId: string): void {
    const l = this.buyer?.lots.find((x) => x.itemId === itemId)
    if (!l) return
    if (l.collected) return this.say(`Lot ${l.lot} went out already.`, 'warning')
    if (this.picked.has(itemId)) this.picked.delete(itemId)
    else this.picked.add(itemId)
    this.form = null
  }

  /** The next buyer: back to the search. */
  back(): void {
    this.opening++
    this.buyer = null
    this.form = null
    this.matches = []
    this.picked.clear()
    queueMicrotask(() => this.focus.search())
  }

  private afterForm(text: string): void {
    this.form = null
    this.picked.clear()
    this.say(text, 'success')
    this.reload(false)
  }

  released(r: ReleaseResult): void {
    this.lastRelease = r.releaseId
    const lots = r.collections.map((c) => c.lot).join(', ')
    this.afterForm(
      `${r.collections.length === 1 ? `Lot ${lots}` : `Lots ${lots}`} released to ${r.collections[0]?.collectedBy}. Alt+G prints the gate pass.`
    )
  }

  shipped(r: ShipmentResult): void {
    this.lastShipment = r.shipment.id
    this.afterForm(
      `Shipment by ${r.shipment.method} recorded (lots ${r.shipment.lots.join(', ')}). Alt+K prints its packing slip.`
    )
  }

  boxed(r: BoxResult): void {
    this.afterForm(`Box ${r.box.boxNumber}: lots ${r.box.lots.join(', ')}.`)
  }

  openForm(kind: DeskForm): void {
    if (!this.buyer) return
    if (this.pickedLots.length === 0)
      return this.say('Pick the lots first: scan their tags, or Space on each (Alt+A: every paid lot).', 'warning')
    if (kind !== 'release' && !this.pickedOrder)
      return this.say('Pick lots of one invoice to pack or ship them.', 'warning')
    this.form = kind
  }

  async printDoc(title: string, make: (printer?: string) => Promise<PrintResult>): Promise<void> {
    try {
      this.preview = { result: await make(), title, again: (printer) => make(printer) }
    } catch (err) {
      this.failed(err)
    }
  }

  /** Alt+A: every paid lot not out and not shipped is picked. */
  pickAllPaid(): void {
    for (const l of this.buyer?.lots ?? []) if (l.paid && !l.collected && !l.shipmentId) this.picked.add(l.itemId)
  }
}
