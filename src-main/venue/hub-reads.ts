// What the venue hub answers to reads: the records of its replica in
// Circuit's shapes. A record that came from Circuit keeps Circuit's own JSON
// (its `raw`), with what changed at the venue laid over it (a lot's result);
// what was made at the venue (the hub's provisional orders, payments taken
// here) is written in the same shapes. Every record's "updated" is the
// hub's own change number as a time, so a station's delta pull through the
// hub depends on one clock only. Lists use the shared engine's filters,
// range, page and envelope (circuit-server/query.ts), with the filtering
// done in SQL where tables are large.
import { formatPlain } from '../../src-shared/money'
import { badRequest, notFound, ok, single, type JsonObject } from '../circuit-server/http'
import { listResponse, parseFilters, pickFields, type Condition, type ListDef } from '../circuit-server/query'
import type { Router } from '../circuit-server/router'
import type { Replica } from '../db/replica'
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

/** The currency's decimals as Circuit's /me last said (2 when never said). */
function decimalsOf(db: Replica): number {
  const row = db.sql<{ value: string }>(`SELECT value FROM sync_state WHERE key = 'circuit_currency'`)[0]
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

interface Column {
  /** A constant SQL expression over the query's tables. */
  sql: string
  kind: 'id' | 'exact' | 'text' | 'stamp' | 'date'
}

interface SqlList {
  resource: string
  /** SELECT … (constant): the table's columns, the change number, what the joins add. */
  select: string
  /** FROM … (constant): the table, its change log as `h`, and any joins. */
  from: string
  /** Always applied (constant), e.g. a type. */
  where?: string
  filters: Record<string, Column>
  sorts: Record<string, string>
  defaultSort: string
  serialize(row: Row): JsonObject
}

const DEFAULT_RANGE = 25
const MAX_RANGE = 500

function intParam(v: unknown, name: string, fallback: number): number {
  if (v === undefined || v === '') return fallback
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw badRequest(`Parameter "${name}" must be a non-negative integer.`)
  return Number(v)
}

/** One condition as SQL with its parameters; only the spec's constant expressions are used. */
function conditionSql(c: Condition, col: Column, deps: ReadDeps): { sql: string; params: unknown[] } {
  if (col.kind === 'stamp') {
    const from = c.op === 'RANGE' ? c.from : c.op === '>=' || c.op === '>' ? c.values[0] : undefined
    const to = c.op === 'RANGE' ? c.to : undefined
    if (from === undefined && to === undefined) throw badRequest(`Filter "${c.field}" takes a range (from/to).`)
    const parts: string[] = []
    const params: unknown[] = []
    if (from !== undefined) {
      parts.push(`coalesce(${col.sql}, 0) >= ?`)
      params.push(deps.seqOf(from))
    }
    if (to !== undefined) {
      parts.push(`coalesce(${col.sql}, 0) <= ?`)
      params.push(deps.seqOf(to))
    }
    return { sql: parts.join(' AND '), params }
  }
  if (col.kind === 'date') {
    // ISO text compares in time order; a bare day covers the whole day at the upper end.
    const from = c.op === 'RANGE' ? c.from : c.op === '>=' || c.op === '>' ? c.values[0] : undefined
    const to = c.op === 'RANGE' ? c.to : undefined
    const parts: string[] = []
    const params: unknown[] = []
    if (from !== undefined) {
      parts.push(`${col.sql} >= ?`)
      params.push(from)
    }
    if (to !== undefined) {
      parts.push(`${col.sql} <= ?`)
      params.push(/^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to)
    }
    if (!parts.length) throw badRequest(`Filter "${c.field}" takes a range (from/to).`)
    return { sql: parts.join(' AND '), params }
  }
  const expr = col.kind === 'exact' || col.kind === 'text' ? `lower(${col.sql})` : col.sql
  const norm = (v: string) => (col.kind === 'exact' || col.kind === 'text' ? v.toLowerCase() : v)
  switch (c.op) {
    case '=':
      return { sql: `${expr} = ?`, params: [norm(c.values[0])] }
    case '<>':
      return { sql: `coalesce(${expr}, '') <> ?`, params: [norm(c.values[0])] }
    case 'IN':
      return { sql: `${expr} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(c.values.map(norm))] }
    case 'NOT IN':
      return {
        sql: `coalesce(${expr}, '') NOT IN (SELECT value FROM json_each(?))`,
        params: [JSON.stringify(c.values.map(norm))]
      }
    default:
      throw badRequest(`The operator on "${c.field}" is not supported here.`)
  }
}

function sqlListResponse(ctx: HubCtx, deps: ReadDeps, spec: SqlList, extra?: { sql: string; params: unknown[] }) {
  const { query } = ctx
  const range = Math.min(intParam(query.range, 'range', DEFAULT_RANGE), MAX_RANGE)
  if (range === 0) throw badRequest('Parameter "range" must be at least 1.')
  const page = intParam(query.page, 'page', 0)
  const where: string[] = spec.where ? [spec.where] : []
  const params: unknown[] = []
  if (extra) {
    where.push(extra.sql)
    params.push(...extra.params)
  }
  for (const c of parseFilters(query.filter)) {
    const col = spec.filters[c.field]
    if (!col) {
      throw badRequest(`The filter "${c.field}" is not allowed for ${spec.resource}.`, {
        [`filter[${c.field}]`]: [`Unknown filter field. Allowed: ${Object.keys(spec.filters).join(', ')}`]
      })
    }
    const w = conditionSql(c, col, deps)
    where.push(w.sql)
    params.push(...w.params)
  }
  const sortText = typeof query.sort === 'string' && query.sort.trim() ? query.sort : spec.defaultSort
  const order = sortText.split(',').map((part) => {
    const p = part.trim()
    const desc = p.startsWith('-')
    const col = spec.sorts[desc ? p.slice(1) : p]
    if (!col) throw badRequest(`Unknown sort field "${desc ? p.slice(1) : p}" for ${spec.resource}.`)
    return `${col} ${desc ? 'DESC' : 'ASC'}`
  })
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const count = deps.db.sql<{ n: number }>(`SELECT count(*) AS n FROM ${spec.from} ${whereSql}`, ...params)[0].n
  const rows = deps.db.sql<Row>(
    `SELECT ${spec.select} FROM ${spec.from} ${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    ...params,
    range,
    page * range
  )
  const envelope: JsonObject = {
    data: rows.map((r) => pickFields(spec.serialize(r), query.fields)),
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

function one(ctx: HubCtx, deps: ReadDeps, spec: SqlList, id: string, what: string) {
  const where = spec.where ? `AND ${spec.where}` : ''
  const row = deps.db.sql<Row>(
    `SELECT ${spec.select} FROM ${spec.from} WHERE ${spec.filters.id.sql} = ? ${where}`,
    id
  )[0]
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
  const changes = (entity: string, key: string) =>
    `LEFT JOIN (SELECT id AS hub_id, seq AS hub_seq FROM hub_changes WHERE entity = '${entity}') h ON h.hub_id = ${key}`

  // Sales, sessions, clients, paddles: Circuit's JSON as pulled, stamped by the hub.
  const sales: SqlList = {
    resource: 'datatable-sales',
    select: 'sales.*, h.hub_seq',
    from: `sales ${changes('sale', 'sales.id')}`,
    filters: {
      id: { sql: 'sales.id', kind: 'id' },
      status: { sql: 'sales.status', kind: 'exact' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'CAST(sales.id AS INTEGER)', sale_date: 'sales.sale_date', label: 'sales.label' },
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
  }
  router.get('datatable-sales', (ctx) => ok(sqlListResponse(ctx, deps, sales)))
  router.get('datatable-sales/:id', (ctx) => one(ctx, deps, sales, ctx.params.id, 'Sale'))

  const sessions: SqlList = {
    resource: 'sale-sessions',
    select: 'sale_sessions.*, h.hub_seq',
    from: `sale_sessions ${changes('session', 'sale_sessions.id')}`,
    filters: {
      id: { sql: 'sale_sessions.id', kind: 'id' },
      sale: { sql: 'sale_sessions.sale_id', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'CAST(sale_sessions.id AS INTEGER)', session_number: 'sale_sessions.number' },
    defaultSort: 'session_number',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), sale: String(r.sale_id), updated: stamp(r) })
  }
  router.get('sale-sessions', (ctx) => ok(sqlListResponse(ctx, deps, sessions)))

  const clients: SqlList = {
    resource: 'datatable-clients',
    select: 'clients.*, h.hub_seq',
    from: `clients ${changes('client', 'clients.id')}`,
    filters: {
      id: { sql: 'clients.id', kind: 'id' },
      uuid: { sql: 'clients.uuid', kind: 'id' },
      philaworksplace_id: { sql: 'clients.customer_number', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'CAST(clients.id AS INTEGER)', last_name: 'clients.last_name' },
    defaultSort: 'id',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), updated: stamp(r) })
  }
  router.get('datatable-clients', (ctx) => ok(sqlListResponse(ctx, deps, clients)))
  router.get('datatable-clients/:id', (ctx) => one(ctx, deps, clients, ctx.params.id, 'Client'))

  const bidders: SqlList = {
    resource: 'bidder_ids',
    select: 'sale_bidders.*, h.hub_seq',
    from: `sale_bidders ${changes('bidder', 'sale_bidders.id')}`,
    filters: {
      id: { sql: 'sale_bidders.id', kind: 'id' },
      sale: { sql: 'sale_bidders.sale_id', kind: 'id' },
      client: { sql: 'sale_bidders.client_id', kind: 'id' },
      bidder_number: { sql: 'sale_bidders.paddle', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'CAST(sale_bidders.id AS INTEGER)', bidder_number: 'sale_bidders.paddle' },
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
  }
  router.get('bidder_ids', (ctx) => ok(sqlListResponse(ctx, deps, bidders)))

  // Lots: Circuit's JSON with the venue's result laid over it.
  const items: SqlList = {
    resource: 'datatable-items',
    select: 'items.*, h.hub_seq, w.display_name',
    from: `items ${changes('item', 'items.id')} LEFT JOIN clients w ON w.id = items.winner_client_id`,
    filters: {
      id: { sql: 'items.id', kind: 'id' },
      sale: { sql: 'items.sale_id', kind: 'id' },
      lot: { sql: 'items.lot', kind: 'exact' },
      status: { sql: 'items.status', kind: 'exact' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'CAST(items.id AS INTEGER)', lot: 'items.lot_sort', position: 'items.lot_sort' },
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
  }
  router.get('datatable-items', (ctx) => ok(sqlListResponse(ctx, deps, items)))
  router.get('datatable-items/:id', (ctx) => one(ctx, deps, items, ctx.params.id, 'Item'))

  // Phone cards: as the replica holds them (one per client and session).
  const cards: SqlList = {
    resource: 'phone_bidder_cards',
    select: 'phone_bidder_cards.*, h.hub_seq, s.name',
    from: `phone_bidder_cards ${changes('phone_card', 'phone_bidder_cards.id')} LEFT JOIN staff s ON s.id = phone_bidder_cards.staff`,
    filters: {
      id: { sql: 'phone_bidder_cards.id', kind: 'id' },
      sale_id: { sql: 'phone_bidder_cards.sale_id', kind: 'id' },
      session_id: { sql: 'phone_bidder_cards.session_id', kind: 'id' },
      client_id: { sql: 'phone_bidder_cards.client_id', kind: 'id' },
      paddle_number: { sql: 'phone_bidder_cards.paddle', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
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
        .sql<{ item_id: string }>('SELECT item_id FROM phone_card_lots WHERE card_id = ? ORDER BY item_id', r.id)
        .map((l) => l.item_id),
      staff: r.staff ? { id: String(r.staff), name: String(r.name ?? '') } : null,
      updated: stamp(r)
    })
  }
  router.get('phone_bidder_cards', (ctx) => ok(sqlListResponse(ctx, deps, cards)))

  // Orders and payments: written from the replica's rows (the venue changes them: payments,
  // charges, splits, the hub's provisional orders), in the shapes Circuit uses.
  const orders: SqlList = {
    resource: 'orders',
    select: 'orders.*, h.hub_seq, c.display_name, c.email, s.label',
    from: `orders ${changes('order', 'orders.id')} LEFT JOIN clients c ON c.id = orders.client_id LEFT JOIN sales s ON s.id = orders.sale_id`,
    filters: {
      id: { sql: 'orders.id', kind: 'id' },
      order_id: { sql: 'coalesce(orders.order_number, orders.provisional_number)', kind: 'id' },
      type: { sql: 'orders.type', kind: 'exact' },
      status: { sql: 'orders.status', kind: 'exact' },
      sale: { sql: 'orders.sale_id', kind: 'id' },
      owner: { sql: 'orders.client_id', kind: 'id' },
      created: { sql: 'orders.created', kind: 'date' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'orders.id', created: 'orders.created' },
    defaultSort: 'id',
    serialize: (r) => orderJson(db, deps, r)
  }
  router.get('orders', (ctx) => {
    // A station may still ask for the hub's provisional order by its id after Circuit's replaced it:
    // it gets Circuit's order, which names the ids it replaces (`saleroom_replaces`).
    resolveFilter(ctx, 'id', (v) => resolveOrderId(db, v))
    return ok(sqlListResponse(ctx, deps, orders))
  })
  router.get('orders/:id', (ctx) => one(ctx, deps, orders, resolveOrderId(db, ctx.params.id), 'Order'))

  // A payment taken at the venue is served under Circuit's id once Circuit has it, naming the hub's
  // own id it replaces; asked for by either id, it is found.
  const transactions: SqlList = {
    resource: 'transactions',
    select: 'transactions.*, h.hub_seq',
    from: `transactions ${changes('transaction', 'coalesce(transactions.server_id, transactions.id)')}`,
    filters: {
      id: { sql: 'transactions.id', kind: 'id' },
      order: { sql: 'transactions.order_id', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'transactions.id', created: 'transactions.created' },
    defaultSort: '-created',
    where: 'transactions.voided_at IS NULL',
    serialize: (r) => transactionJson(db, deps, r)
  }
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
  const consignments: SqlList = {
    resource: 'datatable-consignments',
    select: 'consignments.*, h.hub_seq',
    from: `consignments ${changes('consignment', 'consignments.id')}`,
    filters: {
      id: { sql: 'consignments.id', kind: 'id' },
      sale: { sql: 'consignments.sale_id', kind: 'id' },
      owner: { sql: 'consignments.owner_id', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
    },
    sorts: { id: 'consignments.id', number: 'consignments.number' },
    defaultSort: 'id',
    serialize: (r) => ({ ...(parseRaw(r.raw) ?? {}), id: String(r.id), updated: stamp(r) })
  }
  router.get('datatable-consignments', (ctx) => ok(sqlListResponse(ctx, deps, consignments)))
  const statements: SqlList = {
    resource: 'datatable-consignment-statements',
    select: 'consignment_statements.*',
    from: 'consignment_statements',
    filters: {
      sale: { sql: 'consignment_statements.sale_id', kind: 'id' },
      owner: { sql: 'consignment_statements.owner_id', kind: 'id' },
      status: { sql: 'consignment_statements.status', kind: 'exact' },
      customer_number: { sql: 'consignment_statements.customer_number', kind: 'id' }
    },
    sorts: { consignment_id: 'consignment_statements.consignment_id' },
    defaultSort: 'consignment_id',
    serialize: (r) => parseRaw(r.raw) ?? { consignment_id: String(r.consignment_id) }
  }
  router.get('datatable-consignment-statements', (ctx) => ok(sqlListResponse(ctx, deps, statements)))

  // Releases at the collection desk (Saleroom's own route: Circuit has no collections). One record per
  // release, with its lots; kept as the station that made it recorded it.
  const collections: SqlList = {
    resource: 'saleroom-collections',
    select: 'r.*, h.hub_seq',
    from: `(SELECT release_id AS id, min(sale_id) AS sale_id, min(client_id) AS client_id,
        min(collected_by) AS collected_by, min(note) AS note, min(released_by) AS released_by,
        min(station) AS station, min(at) AS at FROM collections GROUP BY release_id) r ${changes('collection', 'r.id')}`,
    filters: {
      id: { sql: 'r.id', kind: 'id' },
      sale: { sql: 'r.sale_id', kind: 'id' },
      updated: { sql: 'h.hub_seq', kind: 'stamp' }
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
        .sql<{ item_id: string; lot: string; paddle: string | null; confirmed_reason: string | null }>(
          `SELECT c.item_id, c.lot, c.paddle, c.confirmed_reason FROM collections c LEFT JOIN items i ON i.id = c.item_id
           WHERE c.release_id = ? ORDER BY coalesce(i.lot_sort, c.lot), c.item_id`,
          r.id
        )
        .map((l) => ({ item: l.item_id, lot: l.lot, paddle: l.paddle, confirmed_reason: l.confirmed_reason })),
      updated: stamp(r)
    })
  }
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
    'categories',
    'shipping_areas'
  ]) {
    router.get(vocabulary, (ctx) =>
      ok(
        listResponse(
          ctx,
          termDef(vocabulary),
          db.sql<Row>('SELECT id, label, raw FROM reference_terms WHERE vocabulary = ?', vocabulary)
        )
      )
    )
  }
  const staffDef: ListDef<Row> = {
    resource: 'staff',
    defaultSort: 'id',
    filters: { id: { kind: 'id', get: (s) => String(s.id) } },
    serialize: (s) => ({ ...(parseRaw(s.raw) ?? {}), id: String(s.id), name: String(s.name) })
  }
  router.get('staff', (ctx) => ok(listResponse(ctx, staffDef, db.sql<Row>('SELECT id, name, raw FROM staff'))))

  const byId = (spec: SqlList, what: string) => (id: string, ctx: HubCtx) =>
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
    const row = db.sql<{ value: string }>(`SELECT value FROM sync_state WHERE key = 'circuit_currency'`)[0]
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
  if (db.sql('SELECT 1 FROM orders WHERE id = ?', id)[0]) return id
  return (
    db.sql<{ server_id: string }>(`SELECT server_id FROM id_map WHERE entity_type = 'order' AND local_id = ?`, id)[0]
      ?.server_id ?? id
  )
}

/** A payment's row at the hub, asked for by the hub's id or by Circuit's. */
export function resolveTransactionId(db: Replica, id: string): string {
  return (
    db.sql<{ id: string }>(
      'SELECT id FROM transactions WHERE id = ? OR server_id = ? ORDER BY id = ? DESC LIMIT 1',
      id,
      id,
      id
    )[0]?.id ?? id
  )
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
  const lines = db.sql<{
    item_id: string
    lot: string | null
    description: string | null
    hammer: number | null
    premium: number | null
    tax: number | null
    tax_id: string | null
    consignment_number: string | null
  }>('SELECT * FROM order_lines WHERE order_id = ? ORDER BY item_id', id)
  const charges = db.sql<{
    term_id: string | null
    label: string | null
    amount: number
    tax: number | null
    tax_rate_bp: number | null
    description: string | null
    date: string | null
  }>('SELECT * FROM order_charges WHERE order_id = ? ORDER BY id', id)
  const paid =
    db.sql<{ n: number | null }>(
      'SELECT sum(amount) AS n FROM transactions WHERE order_id = ? AND voided_at IS NULL',
      id
    )[0].n ?? 0
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
    db.sql<{ paddle: string }>(
      'SELECT paddle FROM sale_bidders WHERE sale_id = ? AND client_id = ? ORDER BY length(paddle), paddle LIMIT 1',
      r.sale_id,
      r.client_id
    )[0]?.paddle ?? null
  const invoice = parseRaw(r.invoice) as { buyerAddress?: string[]; vatNumber?: string | null } | null
  const replaces = db
    .sql<{ local_id: string }>(`SELECT local_id FROM id_map WHERE entity_type = 'order' AND server_id = ?`, id)
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
