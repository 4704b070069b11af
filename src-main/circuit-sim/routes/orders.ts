// orders (list/get/POST/PATCH) and the order commands: order-split,
// order-create-credit-note, order-cancel-and-reissue.

import {
  badRequest,
  command,
  conflict,
  idOf,
  isObject,
  ok,
  requireObject,
  single,
  unprocessable,
  type Json,
  type JsonObject
} from '../../circuit-server/http'
import { formatDisplay, formatPercent, MAX_AMOUNT, parsePercent, withinBounds } from '../money'
import { listResponse, pickFields, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { toIso, toIsoOrNull, toYmd } from '../../circuit-server/time'
import type { AddressFields, Order, OrderCharge, OrderStatus, OrderType } from '../types'
import { lotOf } from './items'

const STATUS_LABEL: Record<OrderStatus, string> = {
  new: 'New',
  in_process: 'In Process',
  finished: 'Finished',
  locked: 'Locked',
  canceled: 'Canceled'
}
const STATUSES = Object.keys(STATUS_LABEL) as OrderStatus[]
const CREATABLE_TYPES: OrderType[] = ['bidder', 'consignor', 'transport_invoice']
const MAX_CREDIT_NOTE_ITEMS = 100

/** Circuit's own display of an order's totals, in its currency format. */
function totalsForDisplay(store: SimStore, o: Order, totals: ReturnType<SimStore['orderTotals']>): Json {
  const show = (minor: number) => formatDisplay(minor, store.currency)
  if (o.type === 'consignor') {
    return [
      [
        { label: 'Hammer', value: show(totals.hammer) },
        { label: 'Commission', value: show(totals.premium) },
        { label: 'Charges', value: show(totals.charges + totals.chargesVat) }
      ],
      [{ label: 'Net payable', value: show(totals.grandTotal) }]
    ]
  }
  return [
    [
      { label: 'Subtotal', value: show(totals.hammer) },
      { label: "Buyer's Premium", value: show(totals.premium) },
      { label: 'Additional charges', value: show(totals.charges) }
    ],
    [
      { label: 'Tax', value: show(totals.vat + totals.chargesVat) },
      { label: 'Grand Total', value: show(totals.grandTotal) }
    ]
  ]
}

export function serializeOrder(store: SimStore, o: Order): JsonObject {
  const totals = store.orderTotals(o)
  const sale = store.sales.get(o.saleId)
  const owner = store.clients.get(o.ownerId)
  const paddles = store.paddlesOf(o.saleId, o.ownerId)
  const money = (minor: number) => store.money(minor)
  const address = store.defaultAddress(o.ownerId)?.address ?? null
  const orderLines = store.orderLines(o)
  const lines: Json[] = orderLines.map((l) => {
    const item = store.items.get(l.itemId)
    const a = store.lineAmounts(o, l)
    const cons = item ? store.consignments.get(item.consignmentId) : undefined
    return {
      nid: l.itemId,
      lot: item ? lotOf(item) : null,
      description: item?.title ?? null,
      hammer_price: money(a.hammer),
      commission: money(a.premium),
      vat: money(a.vat),
      tax_id: '31',
      consignment_number: cons ? `${cons.symbol}-${cons.subSymbol}` : null
    }
  })
  const payments = store.orderTransactions(o.id)
  const letters = [...new Set(payments.map((t) => paymentLetter(t.type)))]
  const row: JsonObject = {
    id: o.id,
    label: `Order #${o.orderNumber}`,
    order_id: o.orderNumber,
    type: o.type,
    status: { id: o.status, label: STATUS_LABEL[o.status] },
    sale: { id: o.saleId, label: sale?.label ?? '' },
    owner: { id: o.ownerId, label: owner ? store.clientLabel(owner) : '', email: owner?.email ?? null },
    grand_total: money(totals.grandTotal),
    total_invoice: money(totals.grandTotal),
    amount_due: money(totals.amountDue),
    payment_received: money(totals.paymentReceived),
    customer_number: owner?.customerNumber ?? null,
    bidder_ids: paddles,
    item_count: orderLines.length,
    items: orderLines.map((l) => l.itemId),
    shipping_weight: null,
    payment_type_letter: letters.join(',') || null,
    lock_date: toIsoOrNull(o.lockDate),
    credit_note_for: o.creditFor,
    invoice_data: {
      header_left: {
        buyer_address: address ? { ...address } : null,
        shipping_address: o.customAddress ? { ...o.customAddress } : address ? { ...address } : null
      },
      header_right: {
        invoice_number: o.orderNumber,
        customer_number: owner?.customerNumber ?? null,
        bidder_number: paddles[0] ?? null,
        vat_number: owner?.taxId ?? null
      },
      items: { [paddles[0] ?? owner?.customerNumber ?? o.ownerId]: lines },
      totals: {
        hammer: money(totals.hammer),
        premium: money(totals.premium),
        vat: money(totals.vat),
        charges: money(totals.charges),
        charges_vat: money(totals.chargesVat),
        grand_total: money(totals.grandTotal)
      },
      totals_for_display: totalsForDisplay(store, o, totals)
    },
    additional_charges: o.charges.map((c) => ({
      term: { id: c.termId, label: store.term('additional_charges', c.termId)?.label ?? '' },
      amount: money(c.amount),
      tax: formatPercent(c.taxBp),
      description: c.description,
      date: toYmd(c.date)
    })),
    use_custom_address: o.customAddress !== null,
    custom_address: o.customAddress ? { ...o.customAddress } : null,
    created: toIso(o.created),
    changed: toIso(o.changed),
    updated: toIso(o.updated)
  }
  // `credit_note_for` is our extension; a docs-shaped simulator leaves it out.
  if (store.shapes.omitCreditNoteFor) delete row.credit_note_for
  return row
}

function paymentLetter(type: string): string {
  const t = type.toLowerCase()
  if (t === 'cheque') return 'CH'
  if (t === 'cash') return 'CA'
  if (t === 'credit_card' || t === 'payment') return 'CC'
  if (t === 'paypal') return 'PP'
  return 'BT'
}

function ordersDef(store: SimStore): ListDef<Order> {
  const total = (o: Order): number => store.orderTotals(o).grandTotal
  return {
    resource: 'orders',
    defaultSort: 'id',
    decimals: store.decimals,
    filters: {
      id: { kind: 'id', get: (o) => o.id },
      order_id: { kind: 'id', get: (o) => o.orderNumber },
      type: { kind: 'exact', get: (o) => o.type },
      status: { kind: 'exact', get: (o) => o.status },
      sale: { kind: 'id', get: (o) => o.saleId },
      owner: { kind: 'id', get: (o) => o.ownerId },
      customer_number: { kind: 'exact', get: (o) => store.clients.get(o.ownerId)?.customerNumber ?? null },
      total_invoice: { kind: 'money', get: total },
      grand_total: { kind: 'money', get: total },
      amount_due: { kind: 'money', get: (o) => store.orderTotals(o).amountDue },
      payment_received: { kind: 'money', get: (o) => store.orderTotals(o).paymentReceived },
      bidder_ids: { kind: 'id', get: (o) => store.paddlesOf(o.saleId, o.ownerId) },
      items: { kind: 'id', get: (o) => store.orderLines(o).map((l) => l.itemId) },
      sale_name: { kind: 'text', get: (o) => store.sales.get(o.saleId)?.label ?? null },
      payment_type_letter: {
        kind: 'exact',
        get: (o) => store.orderTransactions(o.id).map((t) => paymentLetter(t.type))
      },
      credit_note_for: { kind: 'id', get: (o) => o.creditFor },
      lock_date: { kind: 'date', get: (o) => o.lockDate },
      created: { kind: 'date', get: (o) => o.created },
      changed: { kind: 'date', get: (o) => o.changed },
      updated: { kind: 'date', get: (o) => o.updated }
    },
    serialize: (o) => serializeOrder(store, o),
    search: (o) => `${o.orderNumber} ${store.clients.get(o.ownerId)?.customerNumber ?? ''}`
  }
}

/** [{term, amount, tax?, description?}] -> charges; `tax` is a VAT percentage, defaulting to the term's default_vat. */
function parseCharges(store: SimStore, value: Json | undefined): OrderCharge[] {
  if (!Array.isArray(value)) throw unprocessable({ additional_charges: ['Must be an array.'] })
  const errors: Record<string, string[]> = {}
  const out: OrderCharge[] = []
  value.forEach((raw, i) => {
    const key = `additional_charges.${i}`
    if (!isObject(raw)) {
      errors[key] = ['Must be an object {term, amount, tax, description}.']
      return
    }
    const termId = idOf(raw.term)
    const term = termId ? store.term('additional_charges', termId) : undefined
    if (!term) errors[`${key}.term`] = ['Unknown additional_charges term.']
    const amount = raw.amount === undefined ? store.parseMoney(term?.default_amount) : store.parseMoney(raw.amount)
    if (amount === null) errors[`${key}.amount`] = [`Must be a decimal amount like "${store.money(2500)}".`]
    else if (!withinBounds(amount)) errors[`${key}.amount`] = [`Must not exceed ${store.money(MAX_AMOUNT)}.`]
    const taxBp =
      raw.tax === undefined || raw.tax === null ? parsePercent(term?.default_vat ?? '0') : parsePercent(raw.tax)
    if (taxBp === null || taxBp < 0 || taxBp > 10_000)
      errors[`${key}.tax`] = ['Must be a percentage from 0 to 100, like "20.00".']
    if (raw.description !== undefined && typeof raw.description !== 'string')
      errors[`${key}.description`] = ['Must be a string.']
    if (term && amount !== null && taxBp !== null) {
      out.push({
        termId: term.id,
        amount,
        taxBp,
        description: typeof raw.description === 'string' ? raw.description : term.label,
        date: store.now()
      })
    }
  })
  if (Object.keys(errors).length) throw unprocessable(errors)
  return out
}

function parseStatus(value: Json | undefined): OrderStatus {
  const v = isObject(value) ? value.id : value
  if (typeof v !== 'string' || !STATUSES.includes(v as OrderStatus))
    throw unprocessable({ status: [`Must be one of ${STATUSES.join(', ')}.`] })
  return v as OrderStatus
}

function parseItemIds(value: Json | undefined, field = 'items'): string[] {
  const ids = Array.isArray(value) ? value.map(idOf) : null
  if (!ids || ids.some((x) => x === null)) throw unprocessable({ [field]: ['Must be an array of item ids.'] })
  return [...new Set(ids as string[])]
}

const CUSTOM_ADDRESS_KEYS = [
  'name_line',
  'thoroughfare',
  'premise',
  'locality',
  'administrative_area',
  'postal_code',
  'country',
  'first_name',
  'last_name'
]

export function registerOrders(router: Router): void {
  router.get('orders', (ctx) => ok(listResponse(ctx, ordersDef(ctx.store), ctx.store.orders.values())))
  router.get('orders/:id', (ctx) => {
    const o = ctx.store.getOr404(ctx.store.orders, ctx.params.id, 'Order')
    return single(pickFields(serializeOrder(ctx.store, o), ctx.query.fields))
  })
  router.post('orders', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    const errors: Record<string, string[]> = {}
    const type = (body.type ?? 'bidder') as OrderType
    if (!CREATABLE_TYPES.includes(type))
      errors.type = [`Must be one of ${CREATABLE_TYPES.join(', ')} (credit notes come from order-create-credit-note).`]
    const saleId = idOf(body.sale)
    if (!saleId || !store.sales.has(saleId)) errors.sale = ['A valid sale is required.']
    const ownerId = idOf(body.owner)
    if (!ownerId || !store.clients.has(ownerId)) errors.owner = ['A valid owner (client id) is required.']
    if (Object.keys(errors).length) throw unprocessable(errors)
    const status = body.status === undefined ? 'new' : parseStatus(body.status)
    const items = body.items === undefined ? [] : parseItemIds(body.items)
    const charges = body.additional_charges === undefined ? [] : parseCharges(store, body.additional_charges)
    if (type === 'consignor') {
      // A consignor order's lines are the consignor's sold lots in the sale: none are sent.
      if (items.length) throw unprocessable({ items: ['A consignor order takes its lots from the consignments.'] })
      const order = store.createConsignorOrder(saleId!, ownerId!)
      order.charges = charges
      if (status !== 'new') store.setOrderStatus(order, status)
      store.stamp(order)
      return single(serializeOrder(store, order), 201)
    }
    // validate the lots before creating anything
    for (const id of items) {
      const item = store.items.get(id)
      if (!item || item.saleId !== saleId || item.status !== 'sold' || item.winnerId !== ownerId) {
        throw unprocessable({ items: [`Item ${id} is not a lot of sale ${saleId} sold to client ${ownerId}.`] })
      }
      const current = item.orderId ? store.orders.get(item.orderId) : undefined
      if (current && current.status !== 'new' && current.status !== 'in_process') {
        throw conflict(`Item ${id} is on order ${current.id} (status ${current.status}).`)
      }
    }
    const order = store.createOrder(type, saleId!, ownerId!, 'new')
    if (items.length) store.moveItemsToOrder(order, items)
    order.charges = charges
    if (status !== 'new') store.setOrderStatus(order, status)
    store.touchOrder(order)
    return single(serializeOrder(store, order), 201)
  })
  router.patch('orders/:id', (ctx) => {
    const store = ctx.store
    const order = store.getOr404(store.orders, ctx.params.id, 'Order')
    const body = requireObject(ctx.body)
    const status = body.status === undefined ? undefined : parseStatus(body.status)
    const charges = body.additional_charges === undefined ? undefined : parseCharges(store, body.additional_charges)
    let customAddress: Order['customAddress'] | undefined
    if (body.use_custom_address !== undefined || body.custom_address !== undefined) {
      const use =
        body.use_custom_address === undefined
          ? order.customAddress !== null || body.custom_address !== undefined
          : Boolean(body.use_custom_address)
      if (use) {
        const raw: unknown = body.custom_address ?? order.customAddress ?? {}
        if (!isObject(raw)) throw unprocessable({ custom_address: ['Must be an object.'] })
        const addr: Record<string, string> = {}
        for (const k of CUSTOM_ADDRESS_KEYS) {
          const v = raw[k]
          if (typeof v === 'string') addr[k] = v
        }
        customAddress = addr as Partial<AddressFields> & { name_line?: string }
      } else customAddress = null
    }
    if (order.status === 'locked' || order.status === 'canceled') {
      if (charges !== undefined || customAddress !== undefined || (status !== undefined && status !== order.status)) {
        throw conflict(
          order.status === 'locked'
            ? `Order ${order.id} is locked; use order-cancel-and-reissue.`
            : `Order ${order.id} is canceled.`
        )
      }
    }
    // multifields replace the whole list (FIELD-NOTES §2.2)
    if (charges !== undefined) order.charges = charges
    if (customAddress !== undefined) order.customAddress = customAddress
    if (status !== undefined) store.setOrderStatus(order, status)
    store.touchOrder(order)
    return single(serializeOrder(store, order))
  })

  router.patch('order-split', (ctx) => {
    const body = requireObject(ctx.body)
    const orderId = idOf(body.order)
    if (!orderId) throw unprocessable({ order: ['This field is required'] })
    const items = parseItemIds(body.items)
    const { target, source, moved } = ctx.store.splitOrder(orderId, items)
    return command({ new_order_id: target.id, original_order_id: source.id, moved_items: moved })
  })
  router.post('order-create-credit-note/:id', (ctx) => {
    const body = requireObject(ctx.body)
    const items = parseItemIds(body.items)
    if (items.length === 0)
      throw badRequest('At least one item is required.', { items: ['At least one item is required.'] })
    if (items.length > MAX_CREDIT_NOTE_ITEMS) {
      throw badRequest(`Maximum ${MAX_CREDIT_NOTE_ITEMS} items per credit note.`, {
        items: [`At most ${MAX_CREDIT_NOTE_ITEMS} items.`]
      })
    }
    const note = ctx.store.createCreditNote(ctx.params.id, items)
    return command({ credit_note_order_nid: note.id })
  })
  router.post('order-cancel-and-reissue/:id', (ctx) => {
    const { note, reissued } = ctx.store.cancelAndReissue(ctx.params.id)
    return command({ new_order_nid: reissued.id, credit_note_nid: note.id })
  })
}
