// What the cashier sees: a buyer's orders for a sale, read from the replica
// (offline too). Circuit's grand total is the authority when it has sent one.
import type { CheckoutBuyer, CheckoutInvoice, CheckoutOrder } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Replica } from '../db/replica'
import { ourTotals } from './our-totals'
import { orderChargeRows, orderLineRows, paymentDetails } from './order-rows'

export interface OrderRow {
  id: string
  server_id: string | null
  sale_id: string | null
  order_number: string | null
  provisional_number: string | null
  type: string
  status: string
  grand_total: number | null
  amount_due: number | null
  payment_received: number | null
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/**
 * An order as the cashier sees it. `ours: false` leaves out our own totals (the premium
 * rule and tax types worked through): the buyer list, read on every keystroke, needs only
 * what is owed.
 */
export function orderView(db: Replica, o: OrderRow, opts: { ours?: boolean } = {}): CheckoutOrder {
  const lines = orderLineRows(db, o.id)
  const charges = orderChargeRows(db, o.id).map(({ date: _d, ...c }) => c)
  const payments = db
    .sql<{
      id: string
      type: string
      amount: number
      date: string | null
      created: string | null
      card_type: string | null
      card_last4: string | null
      cheque_number: string | null
      bank_name: string | null
      bank_account: string | null
      server_id: string | null
    }>(
      `SELECT id, type, amount, date, created, card_type, card_last4, cheque_number, bank_name, bank_account, server_id
       FROM transactions WHERE order_id = ? ORDER BY coalesce(date, created), id`,
      o.id
    )
    .map((t) => ({
      id: t.id,
      method: t.type,
      amount: t.amount,
      date: t.date ?? t.created,
      details: paymentDetails(t),
      pending: t.server_id === null
    }))
  const hammer = sum(lines.map((l) => l.hammer))
  const premium = sum(lines.map((l) => l.premium))
  const tax = sum(lines.map((l) => l.tax)) + sum(charges.map((c) => c.tax))
  const chargeTotal = sum(charges.map((c) => c.amount))
  const paid = sum(payments.map((p) => p.amount))
  const mine =
    opts.ours === false
      ? { totals: null, problem: null }
      : ourTotals(db, { saleId: o.sale_id, provisional: o.server_id === null, lines, charges, payments })
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
  // Circuit's grand total is the authority; ours stands in for an order Circuit has not totalled.
  const grandTotal = o.grand_total ?? ours?.grandTotal ?? hammer + premium + tax + chargeTotal
  // The grand total is what is compared: what was paid moves here first (a payment taken at
  // this desk) and reaches Circuit's figures only after it is sent.
  const circuits: Record<string, number | null> = { grandTotal: o.grand_total }
  const differences = ours
    ? Object.entries(circuits)
        .filter(([field, v]) => v !== null && v !== ours[field as keyof typeof ours])
        .map(([field, v]) => ({ field, ours: ours[field as keyof typeof ours], circuits: v! }))
    : []
  return {
    id: o.id,
    number: o.order_number ?? o.provisional_number ?? o.id,
    provisional: o.server_id === null,
    type: o.type,
    status: o.status,
    locked: o.status === 'locked',
    lines: lines.map(({ taxId: _t, consignmentNumber: _c, ...l }) => l),
    charges,
    payments,
    totals: { hammer, premium, tax, charges: chargeTotal, grandTotal, paid, amountDue: grandTotal - paid },
    ours,
    problem: mine.problem,
    differences
  }
}

export function orderRowById(db: Replica, orderId: string): OrderRow {
  const o = db.sql<OrderRow>(
    `SELECT id, server_id, sale_id, order_number, provisional_number, type, status, grand_total, amount_due,
            payment_received FROM orders WHERE id = ? OR server_id = ?`,
    orderId,
    orderId
  )[0]
  if (!o) throw new AppError('not_found', `There is no order ${orderId} on this station.`)
  return o
}

function clientOfPaddle(db: Replica, saleId: string, paddle: string) {
  const b = db.sql<{ client_id: string; paddle: string }>(
    'SELECT client_id, paddle FROM sale_bidders WHERE sale_id = ? AND upper(paddle) = upper(?)',
    saleId,
    paddle
  )[0]
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
  const client = db.sql<{ id: string; display_name: string; customer_number: string | null }>(
    'SELECT id, display_name, customer_number FROM clients WHERE id = ?',
    b.client_id
  )[0]
  const orders = db
    .sql<OrderRow>(
      `SELECT id, server_id, sale_id, order_number, provisional_number, type, status, grand_total, amount_due,
              payment_received FROM orders
       WHERE sale_id = ? AND client_id = ? ORDER BY type <> 'bidder', coalesce(order_number, provisional_number, id)`,
      saleId,
      b.client_id
    )
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
    outstanding: sum(orders.map((o) => o.totals.amountDue))
  }
}

/** Buyers of the sale with an order, by paddle, name, customer number or invoice number. */
export function findBuyers(db: Replica, saleId: string, q: string): CheckoutBuyer[] {
  const text = q.trim()
  const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`
  const rows = db.sql<{ client_id: string; name: string; customer_number: string | null; paddle: string | null }>(
    `SELECT DISTINCT o.client_id, c.display_name AS name, c.customer_number,
            (SELECT paddle FROM sale_bidders b WHERE b.sale_id = o.sale_id AND b.client_id = o.client_id
              ORDER BY length(paddle), paddle LIMIT 1) AS paddle
     FROM orders o JOIN clients c ON c.id = o.client_id
     WHERE o.sale_id = ? AND (? = ''
       OR c.display_name LIKE ? ESCAPE '\\' OR c.customer_number LIKE ? ESCAPE '\\'
       OR o.order_number = ? OR o.provisional_number = ?
       OR EXISTS (SELECT 1 FROM sale_bidders b WHERE b.sale_id = o.sale_id AND b.client_id = o.client_id
                    AND upper(b.paddle) = upper(?)))
     ORDER BY (SELECT 1 FROM sale_bidders b WHERE b.sale_id = o.sale_id AND b.client_id = o.client_id
                 AND upper(b.paddle) = upper(?)) IS NULL, name
     LIMIT 50`,
    saleId,
    text,
    like,
    like,
    text,
    text,
    text,
    text
  )
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
