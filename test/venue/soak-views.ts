// One sale as Circuit holds it and as a station's replica holds it, in the
// same plain shape, so "every replica equals Circuit row for row" is one
// comparison: the lots' results, the buyers' orders (lines, payments,
// charges) and the phone cards.
import type BetterSqlite3 from 'better-sqlite3'
import type { RunningSimulator } from '../../src-main/circuit-sim'

export interface LotView {
  status: string
  hammer: number | null
  winner: string | null
}

export interface OrderView {
  client: string
  /** "item:hammer", sorted. */
  lines: string[]
  /** The payments standing on it (not voided, not deleted) as "Circuit's id:amount", sorted. */
  payments: string[]
  /** "term|amount", sorted. */
  charges: string[]
}

export interface SaleView {
  lots: Record<string, LotView>
  /** The buyers' (bidder) orders by id. */
  orders: Record<string, OrderView>
  /** Phone cards: "session/client" → the card's lots (item ids), sorted. */
  cards: Record<string, string[]>
}

const sorted = <T>(xs: T[], by?: (a: T, b: T) => number) => [...xs].sort(by)
const byKey = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(sorted(entries, ([a], [b]) => a.localeCompare(b)))
const status = (s: string) => (s === 'passed' ? 'unsold' : s)

export function circuitView(sim: RunningSimulator, saleId: string): SaleView {
  const { store } = sim
  const lots = [...store.items.values()]
    .filter((i) => i.saleId === saleId)
    .map((i): [string, LotView] => [
      i.id,
      {
        status: status(i.status),
        hammer: i.status === 'sold' ? i.hammer : null,
        winner: i.status === 'sold' ? i.winnerId : null
      }
    ])
  const orders = [...store.orders.values()]
    .filter((o) => o.saleId === saleId && o.type === 'bidder')
    .map((o): [string, OrderView] => [
      o.id,
      {
        client: o.ownerId,
        lines: sorted(o.lines.map((l) => `${l.itemId}:${l.hammer}`)),
        payments: sorted(
          [...store.transactions.values()].filter((t) => t.orderId === o.id).map((t) => `${t.id}:${t.amount}`)
        ),
        charges: sorted(o.charges.map((c) => `${c.termId}|${c.amount}`))
      }
    ])
  const cards = [...store.phoneCards.values()]
    .filter((c) => c.saleId === saleId)
    .map((c): [string, string[]] => [`${c.sessionId}/${c.clientId}`, sorted(c.lots)])
  return { lots: byKey(lots), orders: byKey(orders), cards: byKey(cards) }
}

export function replicaView(db: BetterSqlite3.Database, saleId: string): SaleView {
  const lots = (
    db.prepare('SELECT id, status, hammer, winner_client_id FROM items WHERE sale_id = ?').all(saleId) as {
      id: string
      status: string
      hammer: number | null
      winner_client_id: string | null
    }[]
  ).map((i): [string, LotView] => [
    i.id,
    {
      status: status(i.status),
      hammer: i.status === 'sold' ? i.hammer : null,
      winner: i.status === 'sold' ? i.winner_client_id : null
    }
  ])
  const orderRows = db
    .prepare(`SELECT id, client_id FROM orders WHERE sale_id = ? AND type = 'bidder'`)
    .all(saleId) as { id: string; client_id: string }[]
  const lines = db.prepare('SELECT item_id, hammer FROM order_lines WHERE order_id = ?')
  const payments = db.prepare(
    'SELECT coalesce(server_id, id) AS id, amount FROM transactions WHERE order_id = ? AND voided_at IS NULL'
  )
  const charges = db.prepare('SELECT term_id, amount FROM order_charges WHERE order_id = ?')
  const orders = orderRows.map((o): [string, OrderView] => [
    o.id,
    {
      client: o.client_id,
      lines: sorted((lines.all(o.id) as { item_id: string; hammer: number }[]).map((l) => `${l.item_id}:${l.hammer}`)),
      payments: sorted((payments.all(o.id) as { id: string; amount: number }[]).map((p) => `${p.id}:${p.amount}`)),
      charges: sorted(
        (charges.all(o.id) as { term_id: string; amount: number }[]).map((c) => `${c.term_id}|${c.amount}`)
      )
    }
  ])
  const cardRows = db
    .prepare(
      `SELECT c.session_id, c.client_id, group_concat(l.item_id) AS lots FROM phone_bidder_cards c
         LEFT JOIN phone_card_lots l ON l.card_id = c.id WHERE c.sale_id = ? GROUP BY c.id`
    )
    .all(saleId) as { session_id: string; client_id: string; lots: string | null }[]
  const cards = cardRows.map((c): [string, string[]] => [
    `${c.session_id}/${c.client_id}`,
    sorted(c.lots ? c.lots.split(',') : [])
  ])
  return { lots: byKey(lots), orders: byKey(orders), cards: byKey(cards) }
}

/** Circuit's bidder order for each buyer of the sale (one each: the soak makes no splits). */
export function ordersByBuyer(view: SaleView): Map<string, string> {
  const out = new Map<string, string>()
  for (const [id, o] of Object.entries(view.orders)) {
    if (out.has(o.client)) throw new Error(`buyer ${o.client} has two orders on Circuit: ${out.get(o.client)}, ${id}`)
    out.set(o.client, id)
  }
  return out
}
