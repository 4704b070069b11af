// The simulator's in-memory store and its domain rules (hammer -> bidder order,
// splits, credit notes, payments, consignor orders). Routes validate input and
// call these methods; the methods keep indexes consistent and bump `updated` on
// everything they touch.

import { applyRateBp, type Invoice } from '../../src-shared/invoice'
import { type Currency, GBP } from './currency'
import { conflict, notFound, unprocessable } from '../circuit-server/http'
import { type Cents, formatMoney, formatMoneyOrNull, MAX_AMOUNT, parseMoney } from './money'
import { simInvoice } from './invoice'
import { DEFAULT_SHAPES, type Shapes } from './shapes'
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
  Shipment,
  ShippingBox,
  Staff,
  TaxonomyName,
  Term,
  Transaction
} from './types'

export type { Currency } from './currency'
export { GBP } from './currency'

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

/** One sold lot of a consignor order: the hammer and the house's commission on it. */
export interface ConsignorLine {
  itemId: string
  consignmentId: string
  hammer: Cents
  commission: Cents
}

/** What one consignment earned its consignor (a row of datatable-consignment-statements). */
export interface ConsignmentStatement {
  consignment: Consignment
  order: Order | undefined
  hammer: Cents
  commission: Cents
  /** The consignor order's charges with their VAT, counted on the consignor's first consignment of the sale. */
  charges: Cents
  /** hammer − commission − charges */
  total: Cents
  /** The order's payments, allocated to its consignments in id order. */
  paid: Cents
  /** Hammers of the consignment's lots whose buyer orders are paid in full. */
  receivedFromBuyers: Cents
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
  readonly shipments = new Map<string, Shipment>()
  readonly shippingBoxes = new Map<string, ShippingBox>()
  readonly staff = new Map<string, Staff>()
  readonly taxonomies = new Map<TaxonomyName, Term[]>()
  /** Every wire amount is written and read with this currency's decimals. */
  currency: Currency = GBP
  /** The docs-shaped switches (POST /_sim/shapes). */
  shapes: Shapes = { ...DEFAULT_SHAPES }

  // secondary indexes
  readonly itemsBySale = new Map<string, string[]>()
  readonly addressesByClient = new Map<string, Set<string>>()
  readonly ordersByOwner = new Map<string, Set<string>>()
  readonly transactionsByOrder = new Map<string, Set<string>>()
  readonly biddersBySaleNumber = new Map<string, Bidder>()
  readonly biddersBySaleClient = new Map<string, Bidder[]>()
  readonly clientsByUuid = new Map<string, string>()
  readonly itemsByConsignment = new Map<string, string[]>()
  /** `${saleId}|${ownerId}` -> the consignor order of that consignor in that sale */
  readonly consignorOrderIndex = new Map<string, string>()

  private idCounter = 100
  private orderNumberCounter = 25000
  // Consignor orders are numbered in their own series (assumed), so bidder invoice numbers do not move.
  private consignorNumberCounter = 90000

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

  // ---- money on the wire ------------------------------------------------------

  /** Decimals of the simulator's currency (2 GBP, 0 JPY, 3 KWD). */
  get decimals(): number {
    return this.currency.decimal_amount
  }

  /** Minor units -> wire text in the simulator's currency: 25000 -> "250.00" / "25000" / "25.000". */
  money(minor: Cents): string {
    return formatMoney(minor, this.decimals)
  }

  moneyOrNull(minor: Cents | null): string | null {
    return formatMoneyOrNull(minor, this.decimals)
  }

  /** Wire text (or a JSON number) in the simulator's currency -> minor units, or null. */
  parseMoney(value: unknown): Cents | null {
    return parseMoney(value, this.decimals)
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
    const consigned = this.itemsByConsignment.get(item.consignmentId)
    if (consigned) consigned.push(item.id)
    else this.itemsByConsignment.set(item.consignmentId, [item.id])
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
    if (order.type === 'consignor') {
      const c = this.consignorLines(order).find((l) => l.itemId === line.itemId)
      return { hammer: line.hammer, premium: c?.commission ?? 0, vat: 0 }
    }
    const [a] = simInvoice({ ...this.invoiceTerms(order), lines: [line], charges: [], payments: [] }).lines
    return { hammer: a.hammer, premium: a.premium, vat: a.tax }
  }

  /** The order's lines: stored for bidder orders and credit notes, derived for consignor orders. */
  orderLines(order: Order): OrderLine[] {
    if (order.type !== 'consignor') return order.lines
    return this.consignorLines(order).map((l) => ({ itemId: l.itemId, hammer: l.hammer }))
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
    if (order.type === 'consignor') return this.consignorTotals(order)
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

  /**
   * Client balance = payments minus invoiced totals over non-canceled orders (negative = owes).
   * What the house owes a consignor (consignor orders) is not in it (assumed).
   */
  clientBalance(clientId: string): Cents {
    let balance = 0
    for (const o of this.clientOrders(clientId)) {
      if (o.status === 'canceled' || o.type === 'consignor') continue
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

  // ---- consignors ---------------------------------------------------------------
  //
  // One consignor order per consignor and sale (type "consignor"). Its lines are not
  // stored: they are the sold lots of the consignor's consignments in the sale, each
  // with the house's commission at the consignment's rate (per lot, half away from
  // zero). Its total is what the house owes the consignor:
  //   grand_total = hammer − commission − charges (charges with their VAT); no VAT on
  //   the commission (assumed). `Cheque` (or any) transactions on it are payments to
  //   the consignor, so amount_due = grand_total − paid.

  private consignmentIndex: Map<string, Consignment[]> | null = null

  /** After consignments are added or change hands (the seed does both). */
  reindexConsignments(): void {
    this.consignmentIndex = null
  }

  /** A consignor's consignments in a sale, in id order. */
  consignmentsOf(saleId: string, ownerId: string): Consignment[] {
    if (!this.consignmentIndex) {
      const index = new Map<string, Consignment[]>()
      for (const c of this.consignments.values()) {
        const key = `${c.saleId}|${c.ownerId}`
        const list = index.get(key)
        if (list) list.push(c)
        else index.set(key, [c])
      }
      for (const list of index.values()) list.sort((a, b) => Number(a.id) - Number(b.id))
      this.consignmentIndex = index
    }
    return this.consignmentIndex.get(`${saleId}|${ownerId}`) ?? []
  }

  consignorOrderFor(saleId: string, ownerId: string): Order | undefined {
    const id = this.consignorOrderIndex.get(`${saleId}|${ownerId}`)
    return id ? this.orders.get(id) : undefined
  }

  /** A consignor's order for a sale; 422 when there is one already or nothing consigned. */
  createConsignorOrder(saleId: string, ownerId: string, status: OrderStatus = 'new'): Order {
    if (this.consignorOrderFor(saleId, ownerId))
      throw unprocessable({ owner: [`Client ${ownerId} already has a consignor order for sale ${saleId}.`] })
    if (this.consignmentsOf(saleId, ownerId).length === 0)
      throw unprocessable({ owner: [`Client ${ownerId} consigned nothing to sale ${saleId}.`] })
    const order = this.createOrder('consignor', saleId, ownerId, status)
    order.orderNumber = String(++this.consignorNumberCounter)
    this.consignorOrderIndex.set(`${saleId}|${ownerId}`, order.id)
    return order
  }

  private soldLines(consignment: Consignment): ConsignorLine[] {
    const out: ConsignorLine[] = []
    for (const id of this.itemsByConsignment.get(consignment.id) ?? []) {
      const item = this.items.get(id)
      if (!item || item.status !== 'sold' || item.hammer === null) continue
      out.push({
        itemId: item.id,
        consignmentId: consignment.id,
        hammer: item.hammer,
        commission: applyRateBp(item.hammer, consignment.commissionBp)
      })
    }
    return out.sort((a, b) => (this.items.get(a.itemId)?.position ?? 0) - (this.items.get(b.itemId)?.position ?? 0))
  }

  consignorLines(order: Order): ConsignorLine[] {
    return this.consignmentsOf(order.saleId, order.ownerId).flatMap((c) => this.soldLines(c))
  }

  private chargeTotal(order: Order): { charges: Cents; chargesVat: Cents } {
    let charges = 0
    let chargesVat = 0
    for (const c of order.charges) {
      charges += c.amount
      chargesVat += applyRateBp(c.amount, c.taxBp)
    }
    return { charges, chargesVat }
  }

  private consignorTotals(order: Order): OrderTotals {
    let hammer = 0
    let commission = 0
    for (const l of this.consignorLines(order)) {
      hammer += l.hammer
      commission += l.commission
    }
    const { charges, chargesVat } = this.chargeTotal(order)
    const grandTotal = hammer - commission - charges - chargesVat
    const paymentReceived = this.orderTransactions(order.id).reduce((sum, t) => sum + t.amount, 0)
    return {
      hammer,
      premium: commission,
      vat: 0,
      charges,
      chargesVat,
      grandTotal,
      paymentReceived,
      amountDue: grandTotal - paymentReceived
    }
  }

  /** Every statement of one consignor order's consignments, in consignment id order. */
  consignorStatements(saleId: string, ownerId: string): ConsignmentStatement[] {
    const order = this.consignorOrderFor(saleId, ownerId)
    let unallocated = order ? this.orderTotals(order).paymentReceived : 0
    return this.consignmentsOf(saleId, ownerId).map((consignment, i) => {
      const lines = this.soldLines(consignment)
      const hammer = lines.reduce((s, l) => s + l.hammer, 0)
      const commission = lines.reduce((s, l) => s + l.commission, 0)
      const ch = order && i === 0 ? this.chargeTotal(order) : { charges: 0, chargesVat: 0 }
      const total = hammer - commission - ch.charges - ch.chargesVat
      const paid = Math.max(0, Math.min(unallocated, total))
      unallocated -= paid
      let receivedFromBuyers = 0
      for (const l of lines) {
        const buyerOrder = this.items.get(l.itemId)?.orderId
        const bo = buyerOrder ? this.orders.get(buyerOrder) : undefined
        if (bo && this.orderTotals(bo).amountDue <= 0) receivedFromBuyers += l.hammer
      }
      return {
        consignment,
        order,
        hammer,
        commission,
        charges: ch.charges + ch.chargesVat,
        total,
        paid,
        receivedFromBuyers
      }
    })
  }

  /** A lot's result changed: its consignment and its consignor's order change with it. */
  private touchConsignorSide(item: Item): void {
    const consignment = this.consignments.get(item.consignmentId)
    if (!consignment) return
    this.stamp(consignment)
    const order = this.consignorOrderFor(item.saleId, consignment.ownerId)
    if (order) this.stamp(order)
  }

  // ---- shipping ---------------------------------------------------------------

  addShipment(s: Shipment): void {
    this.shipments.set(s.id, s)
  }

  /** The box with this number on the order, if any (POST shipping-box updates it). */
  boxOf(orderId: string, boxNumber: string): ShippingBox | undefined {
    for (const b of this.shippingBoxes.values()) if (b.orderId === orderId && b.boxNumber === boxNumber) return b
    return undefined
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
      else if (hammer > MAX_AMOUNT)
        errors.field_sold_for_amount = [
          `A hammer price cannot exceed ${this.money(MAX_AMOUNT)} (${MAX_AMOUNT} in cents).`
        ]
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
    this.touchConsignorSide(item)
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
    this.touchConsignorSide(item)
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
    // Circuit credits a lot once: a credited lot stays with the order that credited it.
    const credited = itemIds.filter((id) => source.credited.includes(id))
    if (credited.length)
      throw unprocessable({
        items: [`Items already credited on order ${orderId} cannot be split off: ${credited.join(', ')}`]
      })
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

  /**
   * Locked order -> a credit note for its lines not yet credited + a fresh order with those
   * same lots and the charges. Circuit credits a lot once: a lot an earlier credit note
   * credited is neither credited again nor billed again on the new order; it stays with
   * the canceled order.
   */
  cancelAndReissue(orderId: string): { note: Order; reissued: Order } {
    const order = this.getOr404(this.orders, orderId, 'Order')
    if (order.type !== 'bidder') throw unprocessable({ order: ['Only bidder orders can be reissued.'] })
    if (order.status !== 'locked')
      throw unprocessable({ order: [`Only locked orders can be canceled and reissued (is '${order.status}').`] })
    const open = order.lines.filter((l) => !order.credited.includes(l.itemId))
    if (order.lines.length > 0 && open.length === 0)
      throw unprocessable({ order: [`Every lot on order ${order.id} has been credited already; nothing to reissue.`] })
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
