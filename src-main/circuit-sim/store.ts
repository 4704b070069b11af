// The simulator's in-memory store and its domain rules (hammer -> bidder order,
// splits, credit notes, payments). Routes validate input and call these methods;
// the methods keep indexes consistent and bump `updated` on everything they touch.

import { conflict, notFound, unprocessable } from './http'
import type { Cents } from './money'
import type { Invoice } from '../../src-shared/invoice'
import { simInvoice } from './invoice'
import type {
  Bidder,
  Client,
  ClientAddress,
  Consignment,
  Item,
  ItemStatus,
  Order,
  OrderLine,
  OrderStatus,
  OrderType,
  PhoneCard,
  PremiumTier,
  Sale,
  SaleSession,
  Staff,
  TaxonomyName,
  Term,
  Transaction
} from './types'

export interface Currency {
  key: string
  code: string
  symbol: string
  template: string
  decimal_sign: string
  decimal_amount: number
  thousands_sign: string
}

export const GBP: Currency = {
  key: 'gbp',
  code: 'GBP',
  symbol: '£',
  template: '@symbol@amount',
  decimal_sign: '.',
  decimal_amount: 2,
  thousands_sign: ','
}

export interface OrderTotals {
  hammer: Cents
  premium: Cents
  vat: Cents
  charges: Cents
  chargesVat: Cents
  grandTotal: Cents
  paymentReceived: Cents
  amountDue: Cents
}

export interface ItemHistoryPatch {
  hammer?: Cents | null
  winnerId?: string | null
  alias?: string | null
  /** 'clear': a new Item History record without a status — the lot is available again. */
  soldStatus?: 'sold' | 'unsold' | 'clear'
  withdrawn?: boolean
}

/** One clerking change the simulator applied: the test log behind "each change exactly once". */
export interface AppliedClerking {
  at: number
  item: string
  status: ItemStatus
  hammer: Cents | null
  winner: string | null
  via: 'item-history' | 'delete-winning-bid' | 'station-edit'
}

const OPEN: readonly OrderStatus[] = ['new', 'in_process']
const CLOSED_FOR_EDITS: readonly OrderStatus[] = ['finished', 'locked']

function addToIndex(index: Map<string, Set<string>>, key: string, id: string): void {
  let set = index.get(key)
  if (!set) index.set(key, (set = new Set()))
  set.add(id)
}

export class SimStore {
  readonly sales = new Map<string, Sale>()
  readonly sessions = new Map<string, SaleSession>()
  readonly consignments = new Map<string, Consignment>()
  readonly items = new Map<string, Item>()
  readonly clients = new Map<string, Client>()
  readonly addresses = new Map<string, ClientAddress>()
  readonly bidders = new Map<string, Bidder>()
  readonly phoneCards = new Map<string, PhoneCard>()
  readonly orders = new Map<string, Order>()
  readonly transactions = new Map<string, Transaction>()
  readonly staff = new Map<string, Staff>()
  readonly taxonomies = new Map<TaxonomyName, Term[]>()
  currency: Currency = GBP

  // secondary indexes
  readonly itemsBySale = new Map<string, string[]>()
  readonly addressesByClient = new Map<string, Set<string>>()
  readonly ordersByOwner = new Map<string, Set<string>>()
  readonly transactionsByOrder = new Map<string, Set<string>>()
  readonly biddersBySaleNumber = new Map<string, Bidder>()
  readonly biddersBySaleClient = new Map<string, Bidder[]>()
  readonly clientsByUuid = new Map<string, string>()

  private idCounter = 100
  private orderNumberCounter = 25000

  constructor(public now: () => number) {}

  // ---- ids and timestamps -------------------------------------------------

  /** One counter for all entities (Drupal node ids are shared across bundles), so ids never collide across resources. */
  nextId(): string {
    return String(++this.idCounter)
  }

  private customerCounter = 10000

  /** Customer numbers ("philaworksplace_id"): C10001, C10002, ... */
  nextCustomerNumber(): string {
    return `C${++this.customerCounter}`
  }

  nextOrderNumber(): string {
    return String(++this.orderNumberCounter)
  }

  stamp(record: { updated: number; changed?: number }): void {
    const t = this.now()
    record.updated = t
    if ('changed' in record) record.changed = t
  }

  // ---- registration helpers (used by seed and routes) ---------------------

  addItem(item: Item): void {
    this.items.set(item.id, item)
    const list = this.itemsBySale.get(item.saleId)
    if (list) list.push(item.id)
    else this.itemsBySale.set(item.saleId, [item.id])
  }

  addClient(client: Client): void {
    this.clients.set(client.id, client)
    this.clientsByUuid.set(client.uuid, client.id)
  }

  addAddress(address: ClientAddress): void {
    this.addresses.set(address.id, address)
    addToIndex(this.addressesByClient, address.clientId, address.id)
  }

  removeAddress(id: string): void {
    const a = this.addresses.get(id)
    if (!a) return
    this.addresses.delete(id)
    this.addressesByClient.get(a.clientId)?.delete(id)
  }

  addBidder(b: Bidder): void {
    this.bidders.set(b.id, b)
    this.biddersBySaleNumber.set(`${b.saleId}|${b.number}`, b)
    const key = `${b.saleId}|${b.clientId}`
    const list = this.biddersBySaleClient.get(key)
    if (list) list.push(b)
    else this.biddersBySaleClient.set(key, [b])
  }

  addOrder(o: Order): void {
    this.orders.set(o.id, o)
    addToIndex(this.ordersByOwner, o.ownerId, o.id)
  }

  addTransaction(t: Transaction): void {
    this.transactions.set(t.id, t)
    addToIndex(this.transactionsByOrder, t.orderId, t.id)
  }

  removeTransaction(id: string): void {
    const t = this.transactions.get(id)
    if (!t) return
    this.transactions.delete(id)
    this.transactionsByOrder.get(t.orderId)?.delete(id)
  }

  // ---- lookups --------------------------------------------------------------

  saleItems(saleId: string): Item[] {
    return (this.itemsBySale.get(saleId) ?? []).map((id) => this.items.get(id)!).filter(Boolean)
  }

  clientAddresses(clientId: string): ClientAddress[] {
    return [...(this.addressesByClient.get(clientId) ?? [])].map((id) => this.addresses.get(id)!)
  }

  defaultAddress(clientId: string): ClientAddress | null {
    const list = this.clientAddresses(clientId)
    return list.find((a) => a.isDefault) ?? list[0] ?? null
  }

  clientOrders(clientId: string): Order[] {
    return [...(this.ordersByOwner.get(clientId) ?? [])].map((id) => this.orders.get(id)!)
  }

  orderTransactions(orderId: string): Transaction[] {
    return [...(this.transactionsByOrder.get(orderId) ?? [])].map((id) => this.transactions.get(id)!)
  }

  bidderByNumber(saleId: string, number: string): Bidder | undefined {
    return this.biddersBySaleNumber.get(`${saleId}|${number}`)
  }

  paddlesOf(saleId: string, clientId: string): string[] {
    return (this.biddersBySaleClient.get(`${saleId}|${clientId}`) ?? []).map((b) => b.number)
  }

  clientLabel(c: Client): string {
    const name = `${c.firstName} ${c.lastName}`.trim()
    return name || c.company || `Client ${c.id}`
  }

  term(vocab: TaxonomyName, id: string): Term | undefined {
    return this.taxonomies.get(vocab)?.find((t) => t.id === id)
  }

  getOr404<T>(map: Map<string, T>, id: string, what: string): T {
    const v = map.get(id)
    if (!v) throw notFound(`${what} with ID ${id} does not exist`)
    return v
  }

  // ---- totals ---------------------------------------------------------------

  /** The sale's premium tiers and the sign of the order's lines (credit notes are negative). */
  private invoiceTerms(order: Order): { tiers: PremiumTier[]; sign: 1 | -1 } {
    // A finished or locked order keeps the premium it was closed with; an open one follows the sale's.
    const tiers = order.premiumAtClose ?? this.sales.get(order.saleId)?.premium ?? []
    return { tiers, sign: order.type === 'credit_note' ? -1 : 1 }
  }

  lineAmounts(order: Order, line: OrderLine): { hammer: Cents; premium: Cents; vat: Cents } {
    const [a] = simInvoice({ ...this.invoiceTerms(order), lines: [line], charges: [], payments: [] }).lines
    return { hammer: a.hammer, premium: a.premium, vat: a.tax }
  }

  /** The order's invoice by the shared invoice maths (src-shared/invoice.ts). */
  orderInvoice(order: Order): Invoice {
    return simInvoice({
      ...this.invoiceTerms(order),
      lines: order.lines,
      charges: order.charges,
      payments: this.orderTransactions(order.id)
    })
  }

  orderTotals(order: Order): OrderTotals {
    const t = this.orderInvoice(order).totals
    return {
      hammer: t.hammer,
      premium: t.premium,
      vat: t.tax,
      charges: t.charges,
      chargesVat: t.chargesTax,
      grandTotal: t.grandTotal,
      paymentReceived: t.paid,
      amountDue: t.amountDue
    }
  }

  /** Client balance = payments minus invoiced totals over non-canceled orders (negative = owes). */
  clientBalance(clientId: string): Cents {
    let balance = 0
    for (const o of this.clientOrders(clientId)) {
      if (o.status === 'canceled') continue
      balance -= this.orderTotals(o).amountDue
    }
    return balance
  }

  /** An order changed: bump it and its owner (whose balance is derived from it). */
  touchOrder(order: Order): void {
    this.stamp(order)
    const owner = this.clients.get(order.ownerId)
    if (owner) this.stamp(owner)
  }

  // ---- orders -----------------------------------------------------------------

  createOrder(type: OrderType, saleId: string, ownerId: string, status: OrderStatus = 'new'): Order {
    const t = this.now()
    const order: Order = {
      id: this.nextId(),
      orderNumber: this.nextOrderNumber(),
      type,
      status,
      saleId,
      ownerId,
      lines: [],
      charges: [],
      credited: [],
      creditFor: null,
      customAddress: null,
      lockDate: status === 'locked' ? t : null,
      created: t,
      changed: t,
      updated: t
    }
    this.addOrder(order)
    return order
  }

  /** The buyer's open bidder order for a sale (lowest id if a split left several). */
  openOrderFor(saleId: string, ownerId: string, except?: string): Order | undefined {
    let best: Order | undefined
    for (const o of this.clientOrders(ownerId)) {
      if (o.type !== 'bidder' || o.saleId !== saleId || !OPEN.includes(o.status) || o.id === except) continue
      if (!best || Number(o.id) < Number(best.id)) best = o
    }
    return best
  }

  private sortLines(order: Order): void {
    order.lines.sort((a, b) => (this.items.get(a.itemId)?.position ?? 0) - (this.items.get(b.itemId)?.position ?? 0))
  }

  private assertOrderEditable(order: Order, itemId: string): void {
    if (!OPEN.includes(order.status)) {
      throw conflict(
        `Item ${itemId} is on order ${order.id} (status ${order.status}); issue a credit note or cancel-and-reissue first.`
      )
    }
  }

  private detachItem(item: Item): void {
    if (!item.orderId) return
    const order = this.orders.get(item.orderId)
    item.orderId = null
    if (!order) return
    order.lines = order.lines.filter((l) => l.itemId !== item.id)
    this.touchOrder(order)
  }

  private attachItem(item: Item, ownerId: string): void {
    const order = this.openOrderFor(item.saleId, ownerId) ?? this.createOrder('bidder', item.saleId, ownerId)
    order.lines.push({ itemId: item.id, hammer: item.hammer ?? 0 })
    this.sortLines(order)
    item.orderId = order.id
    this.touchOrder(order)
  }

  /**
   * Apply an Item History write (hammer, winner, sold/unsold, withdrawn) and keep
   * the bidder orders in step: one open order per sale+buyer is created or
   * extended on a sale, and the lot leaves its order when un-sold or withdrawn.
   * Validates everything before mutating, so a rejected request changes nothing.
   */
  applyItemHistory(itemId: string, patch: ItemHistoryPatch, via: AppliedClerking['via'] = 'item-history'): Item {
    const item = this.getOr404(this.items, itemId, 'Item')
    let hammer = patch.hammer !== undefined ? patch.hammer : item.hammer
    let winnerId = patch.winnerId !== undefined ? patch.winnerId : item.winnerId
    let alias = patch.alias !== undefined ? patch.alias : item.bidderAlias
    let status: ItemStatus = item.status

    if (patch.withdrawn === true) status = 'withdrawn'
    else {
      if (patch.withdrawn === false && status === 'withdrawn') status = 'available'
      if (patch.soldStatus === 'sold') status = 'sold'
      else if (patch.soldStatus === 'unsold') status = 'unsold'
      else if (patch.soldStatus === 'clear') status = 'available'
      else if (patch.hammer !== undefined || patch.winnerId !== undefined) {
        // No explicit status: a price of 0 means unsold (import rule), price + winner means sold.
        if (patch.hammer === 0 || (patch.hammer === null && status === 'sold')) status = 'unsold'
        else if (hammer !== null && hammer > 0 && winnerId) status = 'sold'
      }
    }

    if (status === 'sold') {
      const errors: Record<string, string[]> = {}
      if (hammer === null || hammer <= 0)
        errors.field_sold_for_amount = ['A sold lot needs a positive hammer price (in cents).']
      if (!winnerId) errors.field_winner_bidder = ['A sold lot needs a winner (client id).']
      else if (!this.clients.has(winnerId)) errors.field_winner_bidder = [`Client ${winnerId} does not exist.`]
      if (Object.keys(errors).length) throw unprocessable(errors)
    } else {
      hammer = null
      winnerId = null
      alias = null
    }

    const currentOrder = item.orderId ? this.orders.get(item.orderId) : undefined
    const leavesOrder = currentOrder !== undefined && (status !== 'sold' || winnerId !== currentOrder.ownerId)
    const priceChanges = currentOrder !== undefined && !leavesOrder && hammer !== item.hammer
    if (currentOrder && (leavesOrder || priceChanges)) this.assertOrderEditable(currentOrder, item.id)

    if (status === 'sold' && alias === null) alias = this.paddlesOf(item.saleId, winnerId!)[0] ?? null
    item.hammer = hammer
    item.winnerId = winnerId
    item.bidderAlias = alias
    item.status = status
    if (leavesOrder) this.detachItem(item)
    if (status === 'sold') {
      if (!item.orderId) this.attachItem(item, winnerId!)
      else if (priceChanges && currentOrder) {
        const line = currentOrder.lines.find((l) => l.itemId === item.id)
        if (line) line.hammer = hammer!
        this.touchOrder(currentOrder)
      }
    }
    this.stamp(item)
    this.logClerking(item, via)
    return item
  }

  /** Every applied clerking change, oldest first (GET /_sim/item-history). */
  readonly clerkingLog: AppliedClerking[] = []

  logClerking(item: Item, via: AppliedClerking['via']): void {
    this.clerkingLog.push({
      at: this.now(),
      item: item.id,
      status: item.status,
      hammer: item.hammer,
      winner: item.winnerId,
      via
    })
  }

  /** `delete-winning-bid`: forget winner and hammer, the lot goes back to available. */
  deleteWinningBid(itemId: string): { previousWinner: string | null; previousHammer: Cents | null } {
    const item = this.getOr404(this.items, itemId, 'Item')
    if (item.status !== 'sold') throw unprocessable({ item_id: [`Item ${itemId} has no winning bid.`] })
    const previousWinner = item.bidderAlias ?? item.winnerId
    const previousHammer = item.hammer
    const order = item.orderId ? this.orders.get(item.orderId) : undefined
    if (order) this.assertOrderEditable(order, item.id)
    this.detachItem(item)
    item.status = 'available'
    item.hammer = null
    item.winnerId = null
    item.bidderAlias = null
    this.stamp(item)
    this.logClerking(item, 'delete-winning-bid')
    return { previousWinner, previousHammer }
  }

  /** `order-split`: move lines into the buyer's other open order for the sale, or a new one. */
  splitOrder(orderId: string, itemIds: string[]): { target: Order; source: Order; moved: string[] } {
    const source = this.getOr404(this.orders, orderId, 'Order')
    if (source.type !== 'bidder') throw unprocessable({ order: ['Only bidder orders can be split.'] })
    if (!OPEN.includes(source.status))
      throw unprocessable({ order: [`Order is ${source.status}; only new or in-process orders can be split.`] })
    if (itemIds.length === 0) throw unprocessable({ items: ['At least one item is required.'] })
    const onOrder = new Set(source.lines.map((l) => l.itemId))
    const missing = itemIds.filter((id) => !onOrder.has(id))
    if (missing.length) throw unprocessable({ items: [`Items not on order ${orderId}: ${missing.join(', ')}`] })
    const moving = new Set(itemIds)
    if (moving.size === source.lines.length) throw unprocessable({ items: ['Cannot split every item off an order.'] })

    const target =
      this.openOrderFor(source.saleId, source.ownerId, source.id) ??
      this.createOrder('bidder', source.saleId, source.ownerId)
    const moved = source.lines.filter((l) => moving.has(l.itemId))
    source.lines = source.lines.filter((l) => !moving.has(l.itemId))
    target.lines.push(...moved)
    this.sortLines(target)
    for (const l of moved) {
      const item = this.items.get(l.itemId)
      if (item) {
        item.orderId = target.id
        this.stamp(item)
      }
    }
    this.touchOrder(source)
    this.touchOrder(target)
    return { target, source, moved: moved.map((l) => l.itemId) }
  }

  /** Credit note for some lines of a finished/locked order: frozen negative copies of those lines. */
  createCreditNote(orderId: string, itemIds: string[]): Order {
    const order = this.getOr404(this.orders, orderId, 'Order')
    if (order.type !== 'bidder') throw unprocessable({ order: ['Credit notes can only be issued for bidder orders.'] })
    if (!CLOSED_FOR_EDITS.includes(order.status)) {
      throw unprocessable({ order: [`Order must be in 'finished' or 'locked' status (is '${order.status}').`] })
    }
    const lines = new Map(order.lines.map((l) => [l.itemId, l]))
    const errors: string[] = []
    for (const id of itemIds) {
      if (!lines.has(id)) errors.push(`Item ${id} is not on order ${orderId}.`)
      else if (order.credited.includes(id)) errors.push(`Item ${id} has already been credited.`)
    }
    if (errors.length) throw unprocessable({ items: errors })
    const note = this.createOrder('credit_note', order.saleId, order.ownerId)
    note.creditFor = order.id
    note.lines = itemIds.map((id) => ({ ...lines.get(id)! }))
    order.credited.push(...itemIds)
    this.touchOrder(note)
    this.touchOrder(order)
    return note
  }

  /** Locked order -> credit note for its lines not yet credited + a fresh order with those lots and the charges. */
  cancelAndReissue(orderId: string): { note: Order; reissued: Order } {
    const order = this.getOr404(this.orders, orderId, 'Order')
    if (order.type !== 'bidder') throw unprocessable({ order: ['Only bidder orders can be reissued.'] })
    if (order.status !== 'locked')
      throw unprocessable({ order: [`Only locked orders can be canceled and reissued (is '${order.status}').`] })
    // A lot is credited once: one credited already was refunded, so it is neither credited nor billed again.
    const open = order.lines.filter((l) => !order.credited.includes(l.itemId))
    const note = this.createOrder('credit_note', order.saleId, order.ownerId)
    note.creditFor = order.id
    note.lines = open.map((l) => ({ ...l }))
    order.credited.push(...open.map((l) => l.itemId))
    const reissued = this.createOrder('bidder', order.saleId, order.ownerId)
    reissued.lines = open.map((l) => ({ ...l }))
    reissued.charges = order.charges.map((c) => ({ ...c }))
    for (const l of reissued.lines) {
      const item = this.items.get(l.itemId)
      if (item) {
        item.orderId = reissued.id
        this.stamp(item)
      }
    }
    order.status = 'canceled'
    this.touchOrder(order)
    this.touchOrder(note)
    this.touchOrder(reissued)
    return { note, reissued }
  }

  /** POST /orders with items: the lots move here from their current (open) orders. */
  moveItemsToOrder(order: Order, itemIds: string[]): void {
    const errors: string[] = []
    const items: Item[] = []
    for (const id of itemIds) {
      const item = this.items.get(id)
      if (!item) errors.push(`Item ${id} does not exist.`)
      else if (item.saleId !== order.saleId) errors.push(`Item ${id} is not in sale ${order.saleId}.`)
      else if (item.status !== 'sold' || item.winnerId !== order.ownerId)
        errors.push(`Item ${id} is not sold to client ${order.ownerId}.`)
      else items.push(item)
    }
    if (errors.length) throw unprocessable({ items: errors })
    for (const item of items) {
      const current = item.orderId ? this.orders.get(item.orderId) : undefined
      if (current) this.assertOrderEditable(current, item.id)
    }
    for (const item of items) {
      this.detachItem(item)
      order.lines.push({ itemId: item.id, hammer: item.hammer ?? 0 })
      item.orderId = order.id
      this.stamp(item)
    }
    this.sortLines(order)
    this.touchOrder(order)
  }

  setOrderStatus(order: Order, status: OrderStatus): void {
    if (order.status === status) return
    if (order.status === 'canceled') throw conflict(`Order ${order.id} is canceled.`)
    if (order.status === 'locked') throw conflict(`Order ${order.id} is locked; use order-cancel-and-reissue.`)
    if (status === 'canceled' && order.lines.length > 0 && order.type === 'bidder') {
      throw unprocessable({
        status: ['An order with lots cannot be canceled directly; un-sell the lots or cancel-and-reissue.']
      })
    }
    order.status = status
    if (status === 'locked') order.lockDate = this.now()
    if (status === 'finished' || status === 'locked') {
      order.premiumAtClose ??= [...(this.sales.get(order.saleId)?.premium ?? [])]
    } else order.premiumAtClose = null
  }
}
