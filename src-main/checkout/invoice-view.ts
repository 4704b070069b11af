// What the cashier sees: a buyer's orders for a sale, read from the replica
// (offline too). An order's totals are the figures the paper prints:
// Circuit's totals where Circuit has sent them, moved by every line and
// charge changed here since (not yet reflected in Circuit's figures), less
// every payment not voided. Sums are taken in BigInt: a figure beyond exact
// minor units is a clear error naming the order, never an internal one.
import type { CheckoutBuyer, CheckoutInvoice, CheckoutOrder, CheckoutPayment } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { ourTotals } from './our-totals'
import { orderChargeRows, orderLineRows, paymentDetails, type OrderLineRow } from './order-rows'

export interface OrderRow {
  id: string
  server_id: string | null
  sale_id: string | null
  client_id: string | null
  order_number: string | null
  provisional_number: string | null
  type: string
  status: string
  grand_total: number | null
  amount_due: number | null
  payment_received: number | null
  server_basis: number | null
  credit_for: string | null
  credit_reason: string | null
  made_from: string | null
  notice: string | null
}

const ORDER_COLUMNS = [
  'id',
  'server_id',
  'sale_id',
  'client_id',
  'order_number',
  'provisional_number',
  'type',
  'status',
  'grand_total',
  'amount_due',
  'payment_received',
  'server_basis',
  'credit_for',
  'credit_reason',
  'made_from',
  'notice'
] as const
const orderSelect = (q: Kysely<Database>) => q.selectFrom('orders').select(ORDER_COLUMNS)

/** An order by its own id or Circuit's. */
const ORDER_BY_ID = (q: Kysely<Database>, a: { id: string }) =>
  orderSelect(q).where((eb) => eb.or([eb('id', '=', a.id), eb('server_id', '=', a.id)]))

/** The order that took the place of a provisional one, by the provisional id. */
const ORDER_REPLACING = (q: Kysely<Database>, a: { localId: string }) =>
  orderSelect(q).where('id', '=', (eb) =>
    eb.selectFrom('id_map').select('server_id').where('entity_type', '=', 'order').where('local_id', '=', a.localId)
  )

const BUYER_CREDIT_NOTES = (q: Kysely<Database>, a: { saleId: string; clientId: string }) =>
  orderSelect(q).where('sale_id', '=', a.saleId).where('client_id', '=', a.clientId).where('type', '=', 'credit_note')

/** A buyer's orders for a sale: invoices first, then credit notes, each by number. */
const BUYER_ORDERS = (q: Kysely<Database>, a: { saleId: string; clientId: string }) =>
  orderSelect(q)
    .where('sale_id', '=', a.saleId)
    .where('client_id', '=', a.clientId)
    .where('type', 'in', BUYER_TYPES)
    .orderBy((eb) => eb('type', '<>', 'bidder'))
    .orderBy((eb) => eb.fn.coalesce('order_number', 'provisional_number', 'id'))

/** An order's lots (a credit note's, for what it credits): per note on every read of the desk. */
const LINE_ITEMS = (q: Kysely<Database>, a: { orderId: string }) =>
  q.selectFrom('order_lines').select('item_id').where('order_id', '=', a.orderId)

/** The sale's bidder of a paddle, whatever its case. */
const BIDDER_OF_PADDLE = (q: Kysely<Database>, a: { saleId: string; paddle: string }) =>
  q
    .selectFrom('sale_bidders')
    .select(['client_id', 'paddle'])
    .where('sale_id', '=', a.saleId)
    .where((eb) => eb(eb.fn('upper', ['paddle']), '=', eb.fn('upper', [eb.val(a.paddle)])))

const CLIENT = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('clients').select(['id', 'display_name', 'customer_number']).where('id', '=', a.id)

/**
 * Buyers of a sale whose name or customer number contains `like` (escaped with `\`), or with the order
 * number or paddle `text` (any case); every buyer for an empty `text`. The paddle's buyer comes first,
 * then by name; each with their shortest paddle. Run on every keystroke: compiled once.
 */
const BUYERS_MATCHING = (q: Kysely<Database>, a: { saleId: string; text: string; like: string }) => {
  const paddleIs = (eb: ExpressionBuilder<Database & { o: Database['orders']; c: Database['clients'] }, 'o' | 'c'>) =>
    eb
      .selectFrom('sale_bidders as b')
      .select((b) => b.lit(1).as('one'))
      .whereRef('b.sale_id', '=', 'o.sale_id')
      .whereRef('b.client_id', '=', 'o.client_id')
      .where((b) => b(b.fn('upper', ['b.paddle']), '=', b.fn('upper', [b.val(a.text)])))
  return q
    .selectFrom('orders as o')
    .innerJoin('clients as c', 'c.id', 'o.client_id')
    .distinct()
    .select((eb) => [
      'o.client_id',
      'c.display_name as name',
      'c.customer_number',
      eb
        .selectFrom('sale_bidders as b')
        .select('b.paddle')
        .whereRef('b.sale_id', '=', 'o.sale_id')
        .whereRef('b.client_id', '=', 'o.client_id')
        .orderBy((b) => b.fn('length', ['b.paddle']))
        .orderBy('b.paddle')
        .limit(1)
        .as('paddle')
    ])
    .where('o.sale_id', '=', a.saleId)
    .where('o.type', 'in', ['bidder', 'credit_note'])
    .where((eb) =>
      eb.or([
        eb(eb.val(a.text), '=', ''),
        // LIKE … ESCAPE has no builder form: the escape character is constant text, `like` a parameter.
        sql<boolean>`${eb.ref('c.display_name')} LIKE ${a.like} ESCAPE '\\'`,
        sql<boolean>`${eb.ref('c.customer_number')} LIKE ${a.like} ESCAPE '\\'`,
        eb('o.order_number', '=', a.text),
        eb('o.provisional_number', '=', a.text),
        eb.exists(paddleIs(eb))
      ])
    )
    .orderBy((eb) => eb(paddleIs(eb), 'is', null))
    .orderBy('name')
    .limit(50)
    .$narrowType<{ client_id: string }>() // joined to its client: never null
}

const LARGEST = BigInt(Number.MAX_SAFE_INTEGER)
/** A buyer's orders: invoices and credit notes. A consignor's order (what the house owes them) is not the buyer's to pay. */
const BUYER_TYPES = ['bidder', 'credit_note']

/** Exact sums of minor units; a total beyond exact minor units is the cashier's error to see, not ours. */
export function exactSum(values: readonly number[], what: () => string): number {
  // In plain numbers while every partial sum is an exact integer (each step is then exact);
  // in BigInt the moment one is not, which says what is wrong.
  let fast = 0
  for (const v of values) {
    fast += Math.trunc(v)
    if (!Number.isSafeInteger(fast)) return exactBigSum(values, what)
  }
  return fast
}

function exactBigSum(values: readonly number[], what: () => string): number {
  let total = 0n
  for (const v of values) total += BigInt(Math.trunc(v))
  if (total > LARGEST || total < -LARGEST) {
    throw new AppError(
      'conflict',
      `${what()}: its amounts add up to more than this station can count exactly. Correct the amount on Circuit (or void the payment), then pull the sale again.`
    )
  }
  return Number(total)
}

/** What a line or a charge adds to the order: hammer, premium and tax; amount and tax. */
export function lineTotal(l: { hammer: number; premium: number; tax: number }): bigint {
  return BigInt(l.hammer) + BigInt(l.premium) + BigInt(l.tax)
}

/** An order's payments in the order they were taken (every invoice read runs it per order: compiled once). */
const ORDER_PAYMENTS = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('transactions')
    .select([
      'id',
      'type',
      'amount',
      'date',
      'created',
      'card_type',
      'card_last4',
      'cheque_number',
      'bank_name',
      'bank_account',
      'server_id',
      'voided_at',
      'void_reason',
      'receipt_number'
    ])
    .where('order_id', '=', a.orderId)
    .orderBy((eb) => eb.fn.coalesce('date', 'created'))
    .orderBy('created')
    .orderBy('id')

export function orderPayments(db: Replica, orderId: string): CheckoutPayment[] {
  return db
    .prepared(ORDER_PAYMENTS)
    .all({ orderId })
    .map((t) => ({
      id: t.id,
      method: t.type,
      amount: t.amount,
      date: t.date ?? t.created,
      details: paymentDetails(t),
      pending: t.server_id === null && t.voided_at === null,
      voided: t.voided_at !== null,
      voidReason: t.void_reason,
      receiptNumber: t.server_id ?? t.receipt_number ?? t.id
    }))
}

const numeric = (s: string | null) => (s !== null && /^\d+$/.test(s) ? BigInt(s) : null)

/**
 * The order a credit note of Circuit's credits, decided from what the API docs show (owner,
 * sale, lots; not an extension field): the buyer's bidder order for the sale that holds all
 * its lots and came before it. Circuit numbers its records in order, so after a cancel and
 * reissue the note credits the cancelled order, not the reissued one made after it.
 */
export function creditTarget(
  db: Replica,
  note: { saleId: string | null; clientId: string | null; serverId: string | null; itemIds: string[] }
): OrderRow | null {
  if (!note.itemIds.length || !note.saleId || !note.clientId) return null
  const candidates = db.all(
    orderSelect(db.q)
      .where('sale_id', '=', note.saleId)
      .where('client_id', '=', note.clientId)
      .where('type', '=', 'bidder')
      .where('id', 'in', (eb) =>
        // Orders holding every one of the note's lots.
        eb
          .selectFrom('order_lines')
          .select('order_id')
          .where('item_id', 'in', note.itemIds)
          .groupBy('order_id')
          .having((h) => h.fn.count('item_id').distinct(), '=', new Set(note.itemIds).size)
      )
  )
  const noteNo = numeric(note.serverId)
  return (
    candidates
      .filter((c) => {
        const n = numeric(c.server_id)
        return noteNo === null || n === null || n < noteNo
      })
      .sort((a, b) => {
        const x = numeric(a.server_id) ?? -1n
        const y = numeric(b.server_id) ?? -1n
        return x < y ? 1 : x > y ? -1 : 0
      })[0] ?? null
  )
}

/** The order a credit note credits: the one recorded when it was made here, else as `creditTarget` finds it. */
export function creditedOrderOf(db: Replica, note: OrderRow): OrderRow | null {
  if (note.type !== 'credit_note') return null
  if (note.credit_for) {
    const o = db.prepared(ORDER_BY_ID).first({ id: note.credit_for })
    if (o) return o
  }
  const items = db.prepared(LINE_ITEMS).all({ orderId: note.id })
  return creditTarget(db, {
    saleId: note.sale_id,
    clientId: note.client_id,
    serverId: note.server_id,
    itemIds: items.map((i) => i.item_id)
  })
}

/** The lots of an order that a credit note (Circuit's or one made here) has credited. */
export function creditedItems(db: Replica, o: OrderRow): Map<string, string> {
  if (o.sale_id === null || o.client_id === null) return new Map()
  const notes = db.prepared(BUYER_CREDIT_NOTES).all({ saleId: o.sale_id, clientId: o.client_id })
  const out = new Map<string, string>()
  for (const n of notes) {
    if (creditedOrderOf(db, n)?.id !== o.id) continue
    for (const l of db.prepared(LINE_ITEMS).all({ orderId: n.id }))
      out.set(l.item_id, n.order_number ?? n.provisional_number ?? n.id)
  }
  return out
}

/**
 * An order as the cashier sees it. `ours: false` leaves out our own totals (the premium
 * rule and tax types worked through): the buyer list, read on every keystroke, needs only
 * what is owed.
 */
export function orderView(db: Replica, o: OrderRow, opts: { ours?: boolean } = {}): CheckoutOrder {
  const number = o.order_number ?? o.provisional_number ?? o.id
  const what = () => `Order ${number}`
  const lines = orderLineRows(db, o.id)
  const charges = orderChargeRows(db, o.id).map(({ date: _d, ...c }) => c)
  const payments = orderPayments(db, o.id)
  const counted = payments.filter((p) => !p.voided)
  const hammer = exactSum(
    lines.map((l) => l.hammer),
    what
  )
  const premium = exactSum(
    lines.map((l) => l.premium),
    what
  )
  const tax = exactSum([...lines.map((l) => l.tax), ...charges.map((c) => c.tax)], what)
  const chargeTotal = exactSum(
    charges.map((c) => c.amount),
    what
  )
  const paid = exactSum(
    counted.map((p) => p.amount),
    what
  )
  // What the lines and charges held here add up to; against what Circuit's grand total was made of.
  const basis = exactSum([hammer, premium, tax, chargeTotal], what)
  const mine =
    opts.ours === false
      ? { totals: null, problem: null }
      : ourTotals(db, { saleId: o.sale_id, provisional: o.server_id === null, lines, charges, payments: counted })
  const ours = mine.totals
    ? {
        hammer: mine.totals.hammer,
        premium: mine.totals.premium,
        tax: mine.totals.tax + mine.totals.chargesTax,
        charges: mine.totals.charges,
        grandTotal: mine.totals.grandTotal,
        paid: mine.totals.paid,
        amountDue: mine.totals.amountDue
      }
    : null
  // Circuit's grand total is the authority, moved by what changed here since Circuit sent it (a
  // charge added, a lot split off) until Circuit's own figures arrive; ours stands in for an order
  // Circuit has not totalled.
  const grandTotal =
    o.grand_total !== null
      ? o.server_basis !== null
        ? exactSum([o.grand_total, -o.server_basis, basis], what)
        : o.grand_total
      : (ours?.grandTotal ?? basis)
  const amountDue = exactSum([grandTotal, -paid], what)
  const differences =
    ours && o.grand_total !== null && ours.grandTotal !== grandTotal
      ? [{ field: 'grandTotal', ours: ours.grandTotal, circuits: grandTotal }]
      : []
  const credited = creditedOrderOf(db, o)
  return {
    id: o.id,
    number,
    provisional: o.server_id === null,
    type: o.type,
    status: o.status,
    locked: o.status === 'locked',
    lines: lines.map((l) => ({
      itemId: l.itemId,
      lot: l.lot,
      description: l.description,
      hammer: l.hammer,
      premium: l.premium,
      tax: l.tax
    })),
    charges,
    payments,
    totals: { hammer, premium, tax, charges: chargeTotal, grandTotal, paid, amountDue },
    ours,
    problem: mine.problem,
    differences,
    creditFor: credited
      ? { orderId: credited.id, number: credited.order_number ?? credited.provisional_number ?? credited.id }
      : null,
    creditReason: o.credit_reason,
    notice: o.notice
  }
}

/**
 * An order by its id, Circuit's id, or the id it had while provisional (a screen still
 * showing a provisional order after Circuit's replaced it).
 */
export function orderRowById(db: Replica, orderId: string): OrderRow {
  const o = db.prepared(ORDER_BY_ID).first({ id: orderId }) ?? db.prepared(ORDER_REPLACING).first({ localId: orderId })
  if (!o) throw new AppError('not_found', `There is no order ${orderId} on this station.`)
  return o
}

function clientOfPaddle(db: Replica, saleId: string, paddle: string) {
  const b = db.prepared(BIDDER_OF_PADDLE).first({ saleId, paddle })
  if (!b) throw new AppError('not_found', `Paddle ${paddle} is not registered for this sale.`)
  return b
}

export function checkoutInvoice(
  db: Replica,
  saleId: string,
  paddle: string,
  opts: { ours?: boolean } = {}
): CheckoutInvoice {
  const b = clientOfPaddle(db, saleId, paddle)
  const client = db.prepared(CLIENT).first({ id: b.client_id })
  const orders = db
    .prepared(BUYER_ORDERS)
    .all({ saleId, clientId: b.client_id })
    .map((o) => orderView(db, o, opts))
  return {
    saleId,
    paddle: b.paddle,
    client: {
      id: b.client_id,
      name: client?.display_name ?? `Client ${b.client_id}`,
      customerNumber: client?.customer_number ?? null
    },
    orders,
    // Net over every order, credit notes included: negative is a refund owed to the buyer.
    outstanding: exactSum(
      orders.map((o) => o.totals.amountDue),
      () => `The orders of paddle ${b.paddle}`
    )
  }
}

/** Buyers of the sale with an order, by paddle, name, customer number or invoice number. */
export function findBuyers(db: Replica, saleId: string, q: string): CheckoutBuyer[] {
  const text = q.trim()
  const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
  const rows = db.prepared(BUYERS_MATCHING).all({ saleId, text, like })
  return rows
    .filter((r) => r.paddle !== null)
    .map((r) => {
      const inv = checkoutInvoice(db, saleId, r.paddle!, { ours: false })
      return {
        paddle: r.paddle!,
        clientId: r.client_id,
        name: r.name,
        customerNumber: r.customer_number,
        orders: inv.orders.map((o) => o.number),
        outstanding: inv.outstanding
      }
    })
}

/** An order as the desk shows it, by its id or Circuit's (for the printed documents). */
export function orderFigures(db: Replica, orderId: string): CheckoutOrder {
  return orderView(db, orderRowById(db, orderId))
}

export type { OrderLineRow }
