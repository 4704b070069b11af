// What the venue hub answers to reads: the records of its replica in
// Circuit's shapes. A record that came from Circuit keeps Circuit's own JSON
// (its `raw`), with what changed at the venue laid over it (a lot's result);
// what was made at the venue (the hub's provisional orders, payments taken
// here) is written in the same shapes. Every record's "updated" is the
// hub's own change number as a time, so a station's delta pull through the
// hub depends on one clock only. Lists use the shared engine's filters,
// range, page and envelope (circuit-server/query.ts), with the filtering
// done in SQL where tables are large: Kysely queries, every value a bound
// parameter.
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  type StringReference
} from 'kysely'
import { formatPlain } from '../../src-shared/money'
import { badRequest, notFound, ok, single, type JsonObject } from '../circuit-server/http'
import { listResponse, parseFilters, pickFields, type Condition, type ListDef } from '../circuit-server/query'
import type { Router } from '../circuit-server/router'
import type { Replica } from '../db/replica'
import type { Database, Vocabulary } from '../db/schema'
import type { HubEntity } from './changes'
import type { HubCtx } from './hub'

type Row = Record<string, unknown>

const parseRaw = (raw: unknown): JsonObject | null => {
  if (typeof raw !== 'string') return null
  try {
    const v = JSON.parse(raw) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : null
  } catch {
    return null
  }
}

// Reads made for every row of a page (up to 500) or every answer: compiled once, run as prepared statements.
const CURRENCY = (q: Kysely<Database>) =>
  q.selectFrom('sync_state').select('value').where('key', '=', 'circuit_currency')

const CARD_LOTS = (q: Kysely<Database>, a: { cardId: string }) =>
  q.selectFrom('phone_card_lots').select('item_id').where('card_id', '=', a.cardId).orderBy('item_id')

/** A release's lots in lot order (one the replica no longer holds, by the lot it recorded). */
const RELEASE_LOTS = (q: Kysely<Database>, a: { releaseId: string }) =>
  q
    .selectFrom('collections as c')
    .leftJoin('items as i', 'i.id', 'c.item_id')
    .select(['c.item_id', 'c.lot', 'c.paddle', 'c.confirmed_reason'])
    .where('c.release_id', '=', a.releaseId)
    .orderBy((eb) => eb.fn.coalesce('i.lot_sort', 'c.lot'))
    .orderBy('c.item_id')

const ORDER_LINES = (q: Kysely<Database>, a: { orderId: string }) =>
  q.selectFrom('order_lines').selectAll().where('order_id', '=', a.orderId).orderBy('item_id')

const ORDER_CHARGES = (q: Kysely<Database>, a: { orderId: string }) =>
  q.selectFrom('order_charges').selectAll().where('order_id', '=', a.orderId).orderBy('id')

const ORDER_PAID = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('transactions')
    .select((eb) => eb.fn.sum<number | null>('amount').as('n'))
    .where('order_id', '=', a.orderId)
    .where('voided_at', 'is', null)

/** The buyer's paddle in the sale: the shortest number first (then in text order). */
const FIRST_PADDLE = (q: Kysely<Database>, a: { saleId: string | null; clientId: string | null }) =>
  q
    .selectFrom('sale_bidders')
    .select('paddle')
    .where('sale_id', '=', a.saleId)
    .where('client_id', '=', a.clientId)
    .orderBy((eb) => eb.fn('length', ['paddle']))
    .orderBy('paddle')
    .limit(1)

const ORDER_REPLACES = (q: Kysely<Database>, a: { serverId: string }) =>
  q.selectFrom('id_map').select('local_id').where('entity_type', '=', 'order').where('server_id', '=', a.serverId)

const ORDER_EXISTS = (q: Kysely<Database>, a: { id: string }) =>
  q.selectFrom('orders').select('id').where('id', '=', a.id)

const ORDER_MAPPED = (q: Kysely<Database>, a: { localId: string }) =>
  q.selectFrom('id_map').select('server_id').where('entity_type', '=', 'order').where('local_id', '=', a.localId)

/** A payment by the hub's id or Circuit's; the hub's id first. */
const TRANSACTION_ROW = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('transactions')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', a.id), eb('server_id', '=', a.id)]))
    .orderBy((eb) => eb('id', '=', a.id), 'desc')
    .limit(1)

const TERMS = (q: Kysely<Database>, a: { vocabulary: Vocabulary }) =>
  q.selectFrom('reference_terms').select(['id', 'label', 'raw']).where('vocabulary', '=', a.vocabulary)

const SHIPPING_AREAS = (q: Kysely<Database>) =>
  q.selectFrom('shipping_areas').select(['id', 'label', 'description', 'base_rate', 'raw'])

const STAFF = (q: Kysely<Database>) => q.selectFrom('staff').select(['id', 'name', 'raw'])

/** The currency's decimals as Circuit's /me last said (2 when never said). */
function decimalsOf(db: Replica): number {
  const row = db.prepared(CURRENCY).first({})
  const d = row ? (JSON.parse(row.value) as { decimals?: unknown }).decimals : undefined
  return typeof d === 'number' ? d : 2
}

export interface ReadDeps {
  db: Replica
  /** Change number → Circuit's "updated" (ISO), and back. */
  stampOf(seq: number | null): string
  seqOf(iso: string): number
}

// ------------------------------------------------------------------ lists in SQL

/** A column of a list's tables, or an expression over them (a cast, a coalesce). */
type Expr<DB, TB extends keyof DB> = StringReference<DB, TB> | ((eb: ExpressionBuilder<DB, TB>) => Expression<unknown>)

interface Column<DB, TB extends keyof DB> {
  expr: Expr<DB, TB>
  kind: 'id' | 'exact' | 'text' | 'stamp' | 'date'
}

type Where<DB, TB extends keyof DB> = (eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool>

interface SqlList<DB, TB extends keyof DB, O extends Row> {
  resource: string
  /**
   * The rows: the table's columns (first, so a joined column of the same name wins, as in
   * `table.*, …`), its change number (`h.hub_seq`, see `changes`) and what the joins add.
   */
  query(q: Kysely<Database>): SelectQueryBuilder<DB, TB, O>
  /** Always applied, e.g. a type. */
  where?: Where<DB, TB>
  filters: Record<string, Column<DB, TB>>
  sorts: Record<string, Expr<DB, TB>>
  defaultSort: string
  serialize(row: Row): JsonObject
}

/**
 * A list's spec, its tables' types taken from its query, so its columns are checked against them.
 * (Each spec's `query` names its parameter's type: without it TypeScript does not infer them.)
 */
const sqlList = <DB, TB extends keyof DB, O extends Row>(spec: SqlList<DB, TB, O>) => spec

/** The change log's records of one kind, to join as `h`: `h.hub_seq` is a record's change number. */
const changes = (q: Kysely<Database>, entity: HubEntity) =>
  q.selectFrom('hub_changes').select(['id as hub_id', 'seq as hub_seq']).where('entity', '=', entity).as('h')

const exprOf = <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, e: Expr<DB, TB>): Expression<unknown> =>
  typeof e === 'function' ? e(eb) : eb.ref(e)

/** A filter's list of values as a subquery: one bound JSON parameter, however long the list (json_each's rows). */
const listed = (q: Kysely<Database>, values: string[]) =>
  q
    .selectFrom((eb) => eb.fn<{ value: string }>('json_each', [eb.val(JSON.stringify(values))]).as('j'))
    .select('j.value')

const DEFAULT_RANGE = 25
const MAX_RANGE = 500

function intParam(v: unknown, name: string, fallback: number): number {
  if (v === undefined || v === '') return fallback
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw badRequest(`Parameter "${name}" must be a non-negative integer.`)
  return Number(v)
}

/** One condition over a spec's column; its values are bound parameters. Throws a 400 for what it cannot take. */
function condition<DB, TB extends keyof DB>(deps: ReadDeps, c: Condition, col: Column<DB, TB>): Where<DB, TB> {
  if (col.kind === 'stamp' || col.kind === 'date') {
    const from = c.op === 'RANGE' ? c.from : c.op === '>=' || c.op === '>' ? c.values[0] : undefined
    const to = c.op === 'RANGE' ? c.to : undefined
    if (from === undefined && to === undefined) throw badRequest(`Filter "${c.field}" takes a range (from/to).`)
    // A stamp is a change number (a record the log never noted counts as 0). A date is ISO text,
    // which compares in time order; a bare day covers the whole day at the upper end.
    const stamp = col.kind === 'stamp'
    const lo = from === undefined ? undefined : stamp ? deps.seqOf(from) : from
    const hi =
      to === undefined
        ? undefined
        : stamp
          ? deps.seqOf(to)
          : /^\d{4}-\d{2}-\d{2}$/.test(to)
            ? `${to}T23:59:59.999Z`
            : to
    return (eb) => {
      const e = stamp ? eb.fn.coalesce(exprOf(eb, col.expr), eb.lit(0)) : exprOf(eb, col.expr)
      const parts: Expression<SqlBool>[] = []
      if (lo !== undefined) parts.push(eb(e, '>=', lo))
      if (hi !== undefined) parts.push(eb(e, '<=', hi))
      return eb.and(parts)
    }
  }
  // exact and text match case-insensitively; what is absent counts as '' for "not".
  const folded = col.kind === 'exact' || col.kind === 'text'
  const norm = (v: string) => (folded ? v.toLowerCase() : v)
  const lhs = (eb: ExpressionBuilder<DB, TB>) => {
    const e = exprOf(eb, col.expr)
    return folded ? eb.fn<string>('lower', [e]) : e
  }
  switch (c.op) {
    case '=': {
      const v = norm(c.values[0])
      return (eb) => eb(lhs(eb), '=', v)
    }
    case '<>': {
      const v = norm(c.values[0])
      return (eb) => eb(eb.fn.coalesce(lhs(eb), eb.val('')), '<>', v)
    }
    case 'IN': {
      const vs = listed(deps.db.q, c.values.map(norm))
      return (eb) => eb(lhs(eb), 'in', vs)
    }
    case 'NOT IN': {
      const vs = listed(deps.db.q, c.values.map(norm))
      return (eb) => eb(eb.fn.coalesce(lhs(eb), eb.val('')), 'not in', vs)
    }
    default:
      throw badRequest(`The operator on "${c.field}" is not supported here.`)
  }
}

function sqlListResponse<DB, TB extends keyof DB, O extends Row>(
  ctx: HubCtx,
  deps: ReadDeps,
  spec: SqlList<DB, TB, O>
) {
  const { query } = ctx
  const range = Math.min(intParam(query.range, 'range', DEFAULT_RANGE), MAX_RANGE)
  if (range === 0) throw badRequest('Parameter "range" must be at least 1.')
  const page = intParam(query.page, 'page', 0)
  let rows = spec.query(deps.db.q)
  if (spec.where) rows = rows.where(spec.where)
  for (const c of parseFilters(query.filter)) {
    const col = spec.filters[c.field]
    if (!col) {
      throw badRequest(`The filter "${c.field}" is not allowed for ${spec.resource}.`, {
        [`filter[${c.field}]`]: [`Unknown filter field. Allowed: ${Object.keys(spec.filters).join(', ')}`]
      })
    }
    rows = rows.where(condition(deps, c, col))
  }
  const sortText = typeof query.sort === 'string' && query.sort.trim() ? query.sort : spec.defaultSort
  const order = sortText.split(',').map((part) => {
    const p = part.trim()
    const desc = p.startsWith('-')
    const col = spec.sorts[desc ? p.slice(1) : p]
    if (!col) throw badRequest(`Unknown sort field "${desc ? p.slice(1) : p}" for ${spec.resource}.`)
    return { col, dir: desc ? ('desc' as const) : ('asc' as const) }
  })
  const count = deps.db.first(
    rows
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .$castTo<{ n: number }>()
  )!.n
  for (const { col, dir } of order) rows = rows.orderBy((eb) => exprOf(eb, col), dir)
  const data = deps.db.all(rows.limit(range).offset(page * range))
  const envelope: JsonObject = {
    data: data.map((r) => pickFields(spec.serialize(r), query.fields)),
    count,
    self: { title: 'Self', href: ctx.url.href }
  }
  if ((page + 1) * range < count) {
    const next = new URL(ctx.url.href)
    next.searchParams.set('page', String(page + 1))
    if (!next.searchParams.has('range')) next.searchParams.set('range', String(range))
    envelope.next = { title: 'Next', href: next.href }
  }
  return envelope
}

/** One record by its id (the spec's constant condition applies too). */
function one<DB, TB extends keyof DB, O extends Row>(
  ctx: HubCtx,
  deps: ReadDeps,
  spec: SqlList<DB, TB, O>,
  id: string,
  what: string
) {
  const idCol = spec.filters.id.expr
  let rows = spec.query(deps.db.q).where((eb) => eb(exprOf(eb, idCol), '=', id))
  if (spec.where) rows = rows.where(spec.where)
  const row = deps.db.first(rows)
  if (!row) throw notFound(`${what} with ID ${id} does not exist`)
  return single(pickFields(spec.serialize(row), ctx.query.fields))
}

// ------------------------------------------------------------------ the resources

const ref = (id: unknown, label: unknown) =>
  id ? { id: String(id), label: typeof label === 'string' ? label : '' } : null

/** A record of each written kind by id, as a read answers it (the writes answer with these). */
export interface Serializers {
  itemJson(id: string, ctx: HubCtx): JsonObject
  orderJson(id: string, ctx: HubCtx): JsonObject
  transactionJson(id: string, ctx: HubCtx): JsonObject
  cardJson(id: string, ctx: HubCtx): JsonObject
  collectionJson(id: string, ctx: HubCtx): JsonObject
}

export function registerReads(router: Router<HubCtx>, deps: ReadDeps): Serializers {
  const { db } = deps
  const money = (minor: unknown, decimals: number) => (typeof minor === 'number' ? formatPlain(minor, decimals) : null)
  const stamp = (row: Row) => deps.stampOf(typeof row.hub_seq === 'number' ? row.hub_seq : null)

  // Sales, sessions, clients, paddles: Circuit's JSON as pulled, stamped by the hub.
  const sales = sqlList({
    resource: 'datatable-sales',
    query: (q: Kysely<Database>) =>
      q.selectFrom('sales').leftJoin(changes(q, 'sale'), 'h.hub_id', 'sales.id').selectAll('sales').select('h.hub_seq'),
    filters: {
      id: { expr: 'sales.id', kind: 'id' },
      status: { expr: 'sales.status', kind: 'exact' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: (eb) => eb.cast('sales.id', 'integer'), sale_date: 'sales.sale_date', label: 'sales.label' },
    defaultSort: '-sale_date',
    serialize: (r) => ({
      ...(parseRaw(r.raw) ?? {}),
      id: String(r.id),
      label: String(r.label),
      sale_number: (r.sale_number as string | null) ?? null,
      sale_date: (r.sale_date as string | null) ?? null,
      status: String(r.status),
      item_count: (r.item_count as number | null) ?? null,
      lots_locked: r.lots_locked === 1,
      buyers_premium: (r.buyers_premium as string | null) ?? null,
      updated: stamp(r)
    })
  })
  router.get('datatable-sales', (ctx) => ok(sqlListResponse(ctx, deps, sales)))
  router.get('datatable-sales/:id', (ctx) => one(ctx, deps, sales, ctx.params.id, 'Sale'))

  const sessions = sqlList({
    resource: 'sale-sessions',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('sale_sessions')
        .leftJoin(changes(q, 'session'), 'h.hub_id', 'sale_sessions.id')
        .selectAll('sale_sessions')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'sale_sessions.id', kind: 'id' },
      sale: { expr: 'sale_sessions.sale_id', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: (eb) => eb.cast('sale_sessions.id', 'integer'), session_number: 'sale_sessions.number' },
    defaultSort: 'session_number',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), sale: String(r.sale_id), updated: stamp(r) })
  })
  router.get('sale-sessions', (ctx) => ok(sqlListResponse(ctx, deps, sessions)))

  const clients = sqlList({
    resource: 'datatable-clients',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('clients')
        .leftJoin(changes(q, 'client'), 'h.hub_id', 'clients.id')
        .selectAll('clients')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'clients.id', kind: 'id' },
      uuid: { expr: 'clients.uuid', kind: 'id' },
      philaworksplace_id: { expr: 'clients.customer_number', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: (eb) => eb.cast('clients.id', 'integer'), last_name: 'clients.last_name' },
    defaultSort: 'id',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), updated: stamp(r) })
  })
  router.get('datatable-clients', (ctx) => ok(sqlListResponse(ctx, deps, clients)))
  router.get('datatable-clients/:id', (ctx) => one(ctx, deps, clients, ctx.params.id, 'Client'))

  const bidders = sqlList({
    resource: 'bidder_ids',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('sale_bidders')
        .leftJoin(changes(q, 'bidder'), 'h.hub_id', 'sale_bidders.id')
        .selectAll('sale_bidders')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'sale_bidders.id', kind: 'id' },
      sale: { expr: 'sale_bidders.sale_id', kind: 'id' },
      client: { expr: 'sale_bidders.client_id', kind: 'id' },
      bidder_number: { expr: 'sale_bidders.paddle', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: (eb) => eb.cast('sale_bidders.id', 'integer'), bidder_number: 'sale_bidders.paddle' },
    defaultSort: 'bidder_number',
    serialize: (r) => ({
      ...(parseRaw(r.raw) ?? {}),
      id: String(r.id),
      sale: (parseRaw(r.raw)?.sale as JsonObject | undefined) ?? { id: String(r.sale_id), label: '' },
      client: (parseRaw(r.raw)?.client as JsonObject | undefined) ?? { id: String(r.client_id), label: '' },
      bidder_number: String(r.paddle),
      bidder_type: String(r.bidder_type),
      updated: stamp(r)
    })
  })
  router.get('bidder_ids', (ctx) => ok(sqlListResponse(ctx, deps, bidders)))

  // Lots: Circuit's JSON with the venue's result laid over it.
  const items = sqlList({
    resource: 'datatable-items',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('items')
        .leftJoin(changes(q, 'item'), 'h.hub_id', 'items.id')
        .leftJoin('clients as w', 'w.id', 'items.winner_client_id')
        .selectAll('items')
        .select(['h.hub_seq', 'w.display_name']),
    filters: {
      id: { expr: 'items.id', kind: 'id' },
      sale: { expr: 'items.sale_id', kind: 'id' },
      lot: { expr: 'items.lot', kind: 'exact' },
      status: { expr: 'items.status', kind: 'exact' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: (eb) => eb.cast('items.id', 'integer'), lot: 'items.lot_sort', position: 'items.lot_sort' },
    defaultSort: 'lot',
    serialize: (r) => {
      const d = decimalsOf(db)
      const base = parseRaw(r.raw) ?? {}
      const status = r.status === 'passed' ? 'unsold' : String(r.status)
      const sold = status === 'sold'
      return {
        ...base,
        id: String(r.id),
        label: `Lot ${String(r.lot)}`,
        lot: String(r.lot),
        lot_number: (r.lot_number as number | null) ?? null,
        lot_letter: (r.lot_letter as string | null) ?? '',
        title: String(r.title),
        description: String(r.description ?? ''),
        sale: (base.sale as JsonObject | undefined) ?? { id: String(r.sale_id), label: '' },
        estimate_low: money(r.estimate_low, d),
        estimate_high: money(r.estimate_high, d),
        reserve_price: money(r.reserve, d),
        opening_price: money(r.opening_price, d),
        hammer_price: sold ? money(r.hammer, d) : null,
        status,
        sold_status: sold ? 'sold' : status === 'unsold' ? 'unsold' : null,
        withdrawn: status === 'withdrawn',
        winner:
          sold && r.winner_client_id
            ? { ...ref(r.winner_client_id, r.display_name)!, bidder_number: (r.winner_paddle as string | null) ?? null }
            : null,
        bidder_alias: sold ? ((r.winner_paddle as string | null) ?? null) : null,
        updated: stamp(r)
      }
    }
  })
  router.get('datatable-items', (ctx) => ok(sqlListResponse(ctx, deps, items)))
  router.get('datatable-items/:id', (ctx) => one(ctx, deps, items, ctx.params.id, 'Item'))

  // Phone cards: as the replica holds them (one per client and session).
  const cards = sqlList({
    resource: 'phone_bidder_cards',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('phone_bidder_cards')
        .leftJoin(changes(q, 'phone_card'), 'h.hub_id', 'phone_bidder_cards.id')
        .leftJoin('staff as s', 's.id', 'phone_bidder_cards.staff')
        .selectAll('phone_bidder_cards')
        .select(['h.hub_seq', 's.name']),
    filters: {
      id: { expr: 'phone_bidder_cards.id', kind: 'id' },
      sale_id: { expr: 'phone_bidder_cards.sale_id', kind: 'id' },
      session_id: { expr: 'phone_bidder_cards.session_id', kind: 'id' },
      client_id: { expr: 'phone_bidder_cards.client_id', kind: 'id' },
      paddle_number: { expr: 'phone_bidder_cards.paddle', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'phone_bidder_cards.id', paddle_number: 'phone_bidder_cards.paddle' },
    defaultSort: 'paddle_number',
    serialize: (r) => ({
      id: String(r.id),
      sale_id: String(r.sale_id),
      session_id: (r.session_id as string | null) ?? null,
      client_id: String(r.client_id),
      paddle_number: (r.paddle as string | null) ?? null,
      phone: (r.phone as string | null) ?? null,
      lots: db
        .prepared(CARD_LOTS)
        .all({ cardId: String(r.id) })
        .map((l) => l.item_id),
      staff: r.staff ? { id: String(r.staff), name: String(r.name ?? '') } : null,
      updated: stamp(r)
    })
  })
  router.get('phone_bidder_cards', (ctx) => ok(sqlListResponse(ctx, deps, cards)))

  // Orders and payments: written from the replica's rows (the venue changes them: payments,
  // charges, splits, the hub's provisional orders), in the shapes Circuit uses.
  const orders = sqlList({
    resource: 'orders',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('orders')
        .leftJoin(changes(q, 'order'), 'h.hub_id', 'orders.id')
        .leftJoin('clients as c', 'c.id', 'orders.client_id')
        .leftJoin('sales as s', 's.id', 'orders.sale_id')
        .selectAll('orders')
        .select(['h.hub_seq', 'c.display_name', 'c.email', 's.label']),
    filters: {
      id: { expr: 'orders.id', kind: 'id' },
      order_id: { expr: (eb) => eb.fn.coalesce('orders.order_number', 'orders.provisional_number'), kind: 'id' },
      type: { expr: 'orders.type', kind: 'exact' },
      status: { expr: 'orders.status', kind: 'exact' },
      sale: { expr: 'orders.sale_id', kind: 'id' },
      owner: { expr: 'orders.client_id', kind: 'id' },
      created: { expr: 'orders.created', kind: 'date' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'orders.id', created: 'orders.created' },
    defaultSort: 'id',
    serialize: (r) => orderJson(db, deps, r)
  })
  router.get('orders', (ctx) => {
    // A station may still ask for the hub's provisional order by its id after Circuit's replaced it:
    // it gets Circuit's order, which names the ids it replaces (`saleroom_replaces`).
    resolveFilter(ctx, 'id', (v) => resolveOrderId(db, v))
    return ok(sqlListResponse(ctx, deps, orders))
  })
  router.get('orders/:id', (ctx) => one(ctx, deps, orders, resolveOrderId(db, ctx.params.id), 'Order'))

  // A payment taken at the venue is served under Circuit's id once Circuit has it, naming the hub's
  // own id it replaces; asked for by either id, it is found.
  const transactions = sqlList({
    resource: 'transactions',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('transactions')
        // Its change is noted under the id it is served by (Circuit's, once Circuit has it).
        .leftJoin(changes(q, 'transaction'), (join) =>
          join.on((eb) => eb('h.hub_id', '=', eb.fn.coalesce('transactions.server_id', 'transactions.id')))
        )
        .selectAll('transactions')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'transactions.id', kind: 'id' },
      order: { expr: 'transactions.order_id', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'transactions.id', created: 'transactions.created' },
    defaultSort: '-created',
    where: (eb) => eb('transactions.voided_at', 'is', null),
    serialize: (r) => transactionJson(db, deps, r)
  })
  router.get('transactions', (ctx) => {
    // A station may still name an order by the hub's provisional id after Circuit's replaced it.
    resolveFilter(ctx, 'order', (v) => resolveOrderId(db, v))
    resolveFilter(ctx, 'id', (v) => resolveTransactionId(db, v))
    return ok(sqlListResponse(ctx, deps, transactions))
  })
  router.get('transactions/:id', (ctx) =>
    one(ctx, deps, transactions, resolveTransactionId(db, ctx.params.id), 'Transaction')
  )

  // Consignments and Circuit's consignment statements: Circuit's JSON as pulled (the consignors' desk checks its
  // sums against them; nothing at the venue changes them).
  const consignments = sqlList({
    resource: 'datatable-consignments',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom('consignments')
        .leftJoin(changes(q, 'consignment'), 'h.hub_id', 'consignments.id')
        .selectAll('consignments')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'consignments.id', kind: 'id' },
      sale: { expr: 'consignments.sale_id', kind: 'id' },
      owner: { expr: 'consignments.owner_id', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'consignments.id', number: 'consignments.number' },
    defaultSort: 'id',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), updated: stamp(r) })
  })
  router.get('datatable-consignments', (ctx) => ok(sqlListResponse(ctx, deps, consignments)))
  const statements = sqlList({
    resource: 'datatable-consignment-statements',
    query: (q: Kysely<Database>) => q.selectFrom('consignment_statements').selectAll('consignment_statements'),
    filters: {
      sale: { expr: 'consignment_statements.sale_id', kind: 'id' },
      owner: { expr: 'consignment_statements.owner_id', kind: 'id' },
      status: { expr: 'consignment_statements.status', kind: 'exact' },
      customer_number: { expr: 'consignment_statements.customer_number', kind: 'id' }
    },
    sorts: { consignment_id: 'consignment_statements.consignment_id' },
    defaultSort: 'consignment_id',
    serialize: (r) => parseRaw(r.raw) ?? { consignment_id: String(r.consignment_id) }
  })
  router.get('datatable-consignment-statements', (ctx) => ok(sqlListResponse(ctx, deps, statements)))

  // Releases at the collection desk (Saleroom's own route: Circuit has no collections). One record per
  // release, with its lots; kept as the station that made it recorded it.
  const collections = sqlList({
    resource: 'saleroom-collections',
    query: (q: Kysely<Database>) =>
      q
        .selectFrom((eb) =>
          eb
            .selectFrom('collections')
            .select((eb) => [
              'release_id as id',
              eb.fn.min('sale_id').as('sale_id'),
              eb.fn.min('client_id').as('client_id'),
              eb.fn.min('collected_by').as('collected_by'),
              eb.fn.min('note').as('note'),
              eb.fn.min('released_by').as('released_by'),
              eb.fn.min('station').as('station'),
              eb.fn.min('at').as('at')
            ])
            .groupBy('release_id')
            .as('r')
        )
        .leftJoin(changes(q, 'collection'), 'h.hub_id', 'r.id')
        .selectAll('r')
        .select('h.hub_seq'),
    filters: {
      id: { expr: 'r.id', kind: 'id' },
      sale: { expr: 'r.sale_id', kind: 'id' },
      updated: { expr: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'r.id', at: 'r.at' },
    defaultSort: 'at',
    serialize: (r) => ({
      id: String(r.id),
      sale: String(r.sale_id),
      client: (r.client_id as string | null) ?? null,
      collected_by: String(r.collected_by),
      note: (r.note as string | null) ?? null,
      released_by: String(r.released_by),
      station: String(r.station),
      at: new Date(Number(r.at)).toISOString(),
      lots: db
        .prepared(RELEASE_LOTS)
        .all({ releaseId: String(r.id) })
        .map((l) => ({ item: l.item_id, lot: l.lot, paddle: l.paddle, confirmed_reason: l.confirmed_reason })),
      updated: stamp(r)
    })
  })
  router.get('saleroom-collections', (ctx) => ok(sqlListResponse(ctx, deps, collections)))
  router.get('saleroom-collections/:id', (ctx) => one(ctx, deps, collections, ctx.params.id, 'Release'))

  // Reference lists and staff: as pulled.
  const termDef = (vocabulary: string): ListDef<Row> => ({
    resource: vocabulary,
    defaultSort: 'id',
    filters: {
      id: { kind: 'id', get: (t) => String(t.id) },
      label: { kind: 'text', get: (t) => String(t.label) }
    },
    serialize: (t) => ({ ...(parseRaw(t.raw) ?? {}), id: String(t.id), label: String(t.label) })
  })
  for (const vocabulary of [
    'payment_types',
    'bank_accounts',
    'additional_charges',
    'bid_steps',
    'tax_types',
    'vat_amounts',
    'categories'
  ]) {
    router.get(vocabulary, (ctx) =>
      ok(
        listResponse(
          ctx,
          termDef(vocabulary),
          // The replica keeps no 'categories' (not among its vocabularies; only the connectors ask Circuit
          // for them): an empty list.
          db.prepared(TERMS).all({ vocabulary: vocabulary as Vocabulary })
        )
      )
    )
  }
  // Shipping areas (the warehouse's rates), as pulled, under both of Circuit's names for them (README.txt's
  // `shipping-areas`, which stations ask for; FIELD-NOTES §2.8's taxonomy `shipping_areas`).
  const areaDef: ListDef<Row> = {
    resource: 'shipping-areas',
    defaultSort: 'id',
    filters: {
      id: { kind: 'id', get: (a) => String(a.id) },
      label: { kind: 'text', get: (a) => String(a.label) }
    },
    serialize: (a) => ({
      ...(parseRaw(a.raw) ?? {}),
      id: String(a.id),
      label: String(a.label),
      description: (a.description as string | null) ?? null,
      base_rate: money(a.base_rate, decimalsOf(db))
    })
  }
  for (const path of ['shipping-areas', 'shipping_areas']) {
    router.get(path, (ctx) => ok(listResponse(ctx, areaDef, db.prepared(SHIPPING_AREAS).all({}))))
  }

  const staffDef: ListDef<Row> = {
    resource: 'staff',
    defaultSort: 'id',
    filters: { id: { kind: 'id', get: (s) => String(s.id) } },
    serialize: (s) => ({ ...(parseRaw(s.raw) ?? {}), id: String(s.id), name: String(s.name) })
  }
  router.get('staff', (ctx) => ok(listResponse(ctx, staffDef, db.prepared(STAFF).all({}))))

  const byId =
    <DB, TB extends keyof DB, O extends Row>(spec: SqlList<DB, TB, O>, what: string) =>
    (id: string, ctx: HubCtx) =>
      (one(ctx, deps, spec, id, what).body as { data: JsonObject[] }).data[0]
  const serializers: Serializers = {
    itemJson: byId(items, 'Item'),
    orderJson: byId(orders, 'Order'),
    transactionJson: byId({ ...transactions, where: undefined }, 'Transaction'),
    cardJson: byId(cards, 'Phone card'),
    collectionJson: byId(collections, 'Release')
  }

  // Who is logged in, and the house's currency as Circuit gave it to the hub.
  router.get('me', (ctx) => {
    const row = db.prepared(CURRENCY).first({})
    const c = row
      ? (JSON.parse(row.value) as {
          code: string
          symbol: string
          template: string
          decimalSign: string
          thousandsSign: string
          decimals: number
        })
      : null
    return single({
      id: ctx.who.email,
      label: ctx.who.email,
      name: ctx.who.email,
      full_name: ctx.who.email,
      mail: ctx.who.email,
      roles: ['clerk'],
      config: c
        ? {
            currency: {
              key: c.code.toLowerCase(),
              symbol: c.symbol,
              template: c.template,
              decimal_sign: c.decimalSign,
              thousands_sign: c.thousandsSign,
              decimal_amount: c.decimals
            }
          }
        : null
    })
  })
  return serializers
}

/** An order id as a station may name it: the hub's provisional id after Circuit's order replaced it. */
export function resolveOrderId(db: Replica, id: string): string {
  if (db.prepared(ORDER_EXISTS).first({ id })) return id
  return db.prepared(ORDER_MAPPED).first({ localId: id })?.server_id ?? id
}

/** A payment's row at the hub, asked for by the hub's id or by Circuit's. */
export function resolveTransactionId(db: Replica, id: string): string {
  return db.prepared(TRANSACTION_ROW).first({ id })?.id ?? id
}

/** Map the ids a list filter names (`filter[f]=…`, with `[value]`, IN lists) onto the hub's rows. */
function resolveFilter(ctx: HubCtx, field: string, resolve: (id: string) => string): void {
  const filter = ctx.query.filter
  if (!filter || typeof filter !== 'object' || !(field in filter)) return
  const f = filter as Record<string, unknown>
  const spec = f[field]
  const map = (v: unknown) => (typeof v === 'string' ? resolve(v) : v)
  if (typeof spec === 'string') f[field] = map(spec)
  else if (spec && typeof spec === 'object') {
    const s = spec as Record<string, unknown>
    if (typeof s.value === 'string') s.value = map(s.value)
    else if (s.value && typeof s.value === 'object') {
      for (const [k, v] of Object.entries(s.value as Record<string, unknown>))
        (s.value as Record<string, unknown>)[k] = map(v)
    }
    for (const [k, v] of Object.entries(s)) if (/^\d+$/.test(k)) s[k] = map(v)
  }
}

const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  in_process: 'In process',
  finished: 'Finished',
  locked: 'Locked',
  canceled: 'Canceled'
}

function orderJson(db: Replica, deps: ReadDeps, r: Row): JsonObject {
  const d = decimalsOf(db)
  const m = (minor: number) => formatPlain(minor, d)
  const id = String(r.id)
  const lines = db.prepared(ORDER_LINES).all({ orderId: id })
  const charges = db.prepared(ORDER_CHARGES).all({ orderId: id })
  const paid = db.prepared(ORDER_PAID).first({ orderId: id })!.n ?? 0
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  const hammer = sum(lines.map((l) => l.hammer ?? 0))
  const premium = sum(lines.map((l) => l.premium ?? 0))
  const vat = sum(lines.map((l) => l.tax ?? 0))
  const chargesTotal = sum(charges.map((c) => c.amount))
  const chargesVat = sum(charges.map((c) => c.tax ?? 0))
  const grand = hammer + premium + vat + chargesTotal + chargesVat
  const provisional = r.server_id === null || r.order_number === null
  const number = (r.order_number as string | null) ?? (r.provisional_number as string | null) ?? id
  const paddle =
    db.prepared(FIRST_PADDLE).first({ saleId: r.sale_id as string | null, clientId: r.client_id as string | null })
      ?.paddle ?? null
  const invoice = parseRaw(r.invoice) as { buyerAddress?: string[]; vatNumber?: string | null } | null
  const replaces = db
    .prepared(ORDER_REPLACES)
    .all({ serverId: id })
    .map((x) => x.local_id)
  return {
    id,
    label: `Order #${number}`,
    order_id: number,
    type: String(r.type),
    status: { id: String(r.status), label: STATUS_LABEL[String(r.status)] ?? String(r.status) },
    sale: { id: String(r.sale_id ?? ''), label: String(r.label ?? '') },
    owner: { id: String(r.client_id ?? ''), label: String(r.display_name ?? ''), email: (r.email as string) ?? null },
    grand_total: m(grand),
    total_invoice: m(grand),
    amount_due: m(grand - paid),
    payment_received: m(paid),
    customer_number: (r.customer_number as string | null) ?? null,
    bidder_ids: paddle ? [paddle] : [],
    item_count: lines.length,
    items: lines.map((l) => l.item_id),
    credit_note_for: (r.credit_for as string | null) ?? null,
    invoice_data: {
      header_left: { buyer_address: invoice?.buyerAddress?.join('\n') ?? null, shipping_address: null },
      header_right: {
        invoice_number: provisional ? null : number,
        customer_number: (r.customer_number as string | null) ?? null,
        bidder_number: paddle,
        vat_number: invoice?.vatNumber ?? null
      },
      items: {
        [paddle ?? String(r.client_id ?? id)]: lines.map((l) => ({
          nid: l.item_id,
          lot: l.lot,
          description: l.description,
          hammer_price: m(l.hammer ?? 0),
          commission: m(l.premium ?? 0),
          vat: m(l.tax ?? 0),
          tax_id: l.tax_id,
          consignment_number: l.consignment_number
        }))
      }
    },
    additional_charges: charges.map((c) => ({
      term: c.term_id ? { id: c.term_id, label: c.label ?? '' } : null,
      amount: m(c.amount),
      tax: c.tax_rate_bp === null ? null : formatPlain(c.tax_rate_bp, 2),
      description: c.description,
      date: c.date
    })),
    created: (r.created as string | null) ?? null,
    updated: deps.stampOf(typeof r.hub_seq === 'number' ? r.hub_seq : null),
    ...(provisional ? { saleroom_provisional: true } : {}),
    ...(replaces.length ? { saleroom_replaces: replaces } : {})
  }
}

const TRANSACTION_TYPE: Record<string, string> = {
  cash: 'cash',
  card: 'Payment',
  cheque: 'Cheque',
  wire: 'Wire Transfer',
  paypal: 'paypal'
}

function transactionJson(db: Replica, deps: ReadDeps, r: Row): JsonObject {
  const d = decimalsOf(db)
  const raw = parseRaw(r.raw) ?? {}
  const replaced = r.server_id !== null && r.server_id !== undefined && r.server_id !== r.id
  return {
    ...raw,
    id: String(replaced ? r.server_id : r.id),
    ...(replaced ? { saleroom_replaces: [String(r.id)] } : {}),
    order: String(r.order_id),
    transaction_type: TRANSACTION_TYPE[String(r.type)] ?? String(r.type),
    amount: formatPlain(Number(r.amount), d),
    transaction_date: (r.date as string | null) ?? null,
    credit_card_type: (r.card_type as string | null) ?? null,
    credit_card_last_4_digits: (r.card_last4 as string | null) ?? null,
    cheque_number: (r.cheque_number as string | null) ?? null,
    cheque_date: (r.cheque_date as string | null) ?? null,
    bank: r.bank_id ? { id: String(r.bank_id), name: String(r.bank_name ?? '') } : null,
    bank_account_number: (r.bank_account as string | null) ?? null,
    bank_branch: (r.bank_branch as string | null) ?? null,
    info: (r.info as string | null) ?? null,
    created: (r.created as string | null) ?? null,
    updated: deps.stampOf(typeof r.hub_seq === 'number' ? r.hub_seq : null)
  }
}
