// Pulling a sale whole into the replica: the sale, its sessions, the
// reference lists, clients, paddles, lots and phone-bidder cards, page by
// page. Each page is written in one transaction together with the cursor that
// says where to go on, so a pull cut off at any point leaves a consistent
// replica and resumes where it stopped. A sale pulled before is refreshed
// with a delta pull (records updated since the last pull started).
import type { SaleSummary } from '../../src-shared/contract'
import type { PullProgress } from '../../src-shared/events'
import { AppError } from '../../src-shared/rpc'
import type { CircuitApiClient } from '../circuit'
import { TERM_VOCABULARIES, type ListEndpointKey, type RowOf } from '../circuit/endpoints'
import type { CircuitQuery } from '../circuit/query'
import type { Kysely } from 'kysely'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import type { Clock } from '../core/clock'
import { iso } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { Logger } from '../core/ports'
import type { SalesPort } from '../core/ports'
import { localSales } from './local-sales'
import { setLastSync } from './last-sync'
import type { PullKind, SyncRegistry } from '../core/sync-adapter'
import { applyPulledPage } from './pulled'
import { senderGeneration } from './sender-writes'
import { cardEntityId } from './card-entity-id'
import { circuitToAppError, isUnreachable } from './errors'
import { CircuitHttpError } from '../circuit/errors'
import type { CircuitGateway } from './gateway'

type Phase =
  | 'sale'
  | 'sessions'
  | 'reference'
  | 'clients'
  | 'bidders'
  | 'items'
  | 'phone-cards'
  | 'orders'
  | 'transactions'
  | 'consignments'
  | 'statements'
const PHASES: Phase[] = [
  'sale',
  'sessions',
  'reference',
  'clients',
  'bidders',
  'items',
  'phone-cards',
  'orders',
  'transactions',
  'consignments',
  'statements'
]
/** The buyers' order types: what the checkout works with. */
export const BUYER_ORDER_TYPES = ['bidder', 'credit_note']
/** The order types a sale pull brings: the buyers', and the consignors' (what the house owes each consignor). */
export const PULLED_ORDER_TYPES = [...BUYER_ORDER_TYPES, 'consignor']
/** Transactions are asked for by order, this many orders a request. */
const ORDERS_PER_REQUEST = 100

export interface PullCursor {
  phase: Phase
  /** Next page to fetch in this phase (server numbering); null = start of phase. */
  page: number | null
  fetched: number
  complete: boolean
  /** When this pull started (epoch ms): the next delta pull asks for records updated since. */
  startedAt: number
  /** Legacy delta bound (this station's clock); newer cursors use `sinceByPhase`. */
  since: string | null
  lastCompletedAt: number | null
  /**
   * A delta pull asks each phase for records updated since the newest `updated`
   * stamp Circuit itself sent for that phase last time — never this station's
   * clock, which may be off.
   */
  sinceByPhase?: Partial<Record<Phase, string>>
  /** The newest `updated` stamp seen per phase in this pull. */
  newestByPhase?: Partial<Record<Phase, string>>
  /** A full pull (not a delta): at its end, rows Circuit no longer has are removed. */
  full?: boolean
  /** When the last full pull completed. */
  lastFullAt?: number | null
  /** Automatic retries that failed in a row; past MAX_AUTO_RETRIES the pull waits for the user. */
  failures?: number
}

export interface SalePullOptions {
  db: Replica
  /** The station's sync adapters: each kind of record is written by its own. */
  registry: SyncRegistry
  gateway: CircuitGateway<CircuitApiClient>
  clock: Clock
  events: EventBus
  log: Logger
  /** Rows per page (default 200). */
  pageSize?: number
  /** A delta pull is replaced by a full one (which also catches deletions) this long after the last (default 12 h). */
  fullPullEveryMs?: number
}

const cursorKey = (saleId: string) => `pull:${saleId}`

export function readCursor(db: Replica, saleId: string): PullCursor | null {
  const row = db.first(db.q.selectFrom('sync_state').select('value').where('key', '=', cursorKey(saleId)))
  return row ? (JSON.parse(row.value) as PullCursor) : null
}

function writeCursor(db: Replica, saleId: string, c: PullCursor, now: number): void {
  const value = JSON.stringify(c)
  db.run(
    db.q
      .insertInto('sync_state')
      .values({ key: cursorKey(saleId), value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
  )
}

/** A row a full pull saw: what it did not see is removed at its end (`removeUnseen`). One per row pulled. */
const NOTE_SEEN = (q: Kysely<Database>, a: { saleId: string; entity: string; id: string }) =>
  q.insertInto('pull_seen').orIgnore().values({ sale_id: a.saleId, entity: a.entity, id: a.id })

/**
 * A pulled page and its cursor commit together without waiting for the disk:
 * Circuit still has the page, and a power cut loses the cursor with it.
 */
const PAGE_TX = { refetchable: true }

/** After this many failed automatic resumes in a row, an interrupted pull waits until the user opens the sale again. */
export const MAX_AUTO_RETRIES = 5

/** Phases whose rows belong to the sale, and may be removed when a full pull no longer sees them. */
const SEEN_ENTITY: Partial<Record<Phase, string>> = {
  sessions: 'session',
  bidders: 'bidder',
  items: 'item',
  'phone-cards': 'phone_card',
  orders: 'order',
  transactions: 'transaction',
  consignments: 'consignment'
}

/**
 * At the end of a full pull, in its final transaction: the sale's rows Circuit
 * did not send were deleted there. Kept: a row with a change of ours not yet
 * acknowledged, and a row made on this station (never known to Circuit).
 */
function removeUnseen(db: Replica, saleId: string): void {
  const q = db.q
  const seen = (entity: string) =>
    q.selectFrom('pull_seen').select('id').where('sale_id', '=', saleId).where('entity', '=', entity)
  const waiting = (entity: string) =>
    q
      .selectFrom('outbox')
      .select('entity_id')
      .where('entity_type', '=', entity)
      .where('state', 'not in', ['done', 'discarded'])
  const removeFrom = (table: 'items' | 'sale_sessions' | 'sale_bidders' | 'orders' | 'consignments', entity: string) =>
    db.run(
      q
        .deleteFrom(table)
        .where('sale_id', '=', saleId)
        .where('id', 'not in', seen(entity))
        .where('id', 'not in', waiting(entity))
        .where('id', 'not in', q.selectFrom('id_map').select('local_id').where('entity_type', '=', entity))
        .where('id', 'not like', 'local-%')
    )
  removeFrom('items', 'item')
  removeFrom('sale_sessions', 'session')
  removeFrom('sale_bidders', 'bidder')
  db.run(
    q
      .deleteFrom('phone_bidder_cards')
      .where('sale_id', '=', saleId)
      .where('id', 'not in', seen('phone_card'))
      .where(cardEntityId, 'not in', waiting('phone_card'))
      .where('id', 'not like', 'local-%')
  )
  // The sale's payments first (they hang on its orders), then its orders. A payment held under a venue
  // hub's own id (local-…, served by a hub this station followed) that the server did not send is one
  // the hub never forwarded: once Circuit's full list lacks it, it is gone (a hub that died with it).
  db.run(
    q
      .deleteFrom('transactions')
      .where('order_id', 'in', q.selectFrom('orders').select('id').where('sale_id', '=', saleId))
      .where('id', 'not in', seen('transaction'))
      .where((eb) => eb.fn.coalesce('server_id', eb.val('')), 'not in', seen('transaction'))
      .where('id', 'not in', waiting('transaction'))
      .where(
        'id',
        'not in',
        q
          .selectFrom('id_map')
          .select('local_id')
          .where('entity_type', '=', 'transaction')
          .where('server_id', 'not like', 'local-%')
      )
      .where((eb) =>
        eb.not(
          eb.and([
            eb('id', 'like', 'local-%'),
            eb.or([eb('server_id', 'is', null), eb('server_id', 'not like', 'local-%')])
          ])
        )
      )
  )
  removeFrom('orders', 'order')
  removeFrom('consignments', 'consignment')
  db.run(q.deleteFrom('pull_seen').where('sale_id', '=', saleId))
}

export interface SalePull extends SalesPort {
  running(): string[]
  wait(saleId: string): Promise<void>
  resumeInterrupted(): string[]
  forget(saleId: string): void
}

function forgetPull(db: Replica, saleId: string): void {
  db.run(db.q.deleteFrom('sync_state').where('key', '=', cursorKey(saleId)))
  db.run(db.q.deleteFrom('pull_seen').where('sale_id', '=', saleId))
}

export function createSalePull(opts: SalePullOptions): SalePull {
  const { db, gateway, clock, log, registry } = opts
  const apply = <Row>(kind: PullKind, rows: readonly Row[], readFrom?: number) =>
    applyPulledPage(db, registry, kind, rows, { readFrom })
  const range = opts.pageSize ?? 200
  const jobs = new Map<string, Promise<void>>()

  const saleLabel = (saleId: string) =>
    db.first(db.q.selectFrom('sales').select('label').where('id', '=', saleId))?.label ?? null
  const emit = (p: Omit<PullProgress, 'label'>) =>
    opts.events.emit('pull.progress', { ...p, label: saleLabel(p.saleId) })

  function requireClient(): CircuitApiClient {
    const c = gateway.client()
    if (!c) throw new AppError('offline', 'No Circuit server is set up on this station (Settings, F5).')
    return c
  }

  /** Pull one list phase page by page from the cursor, applying each page with the cursor in one transaction. */
  async function pullList<K extends ListEndpointKey>(
    saleId: string,
    cursor: PullCursor,
    key: K,
    query: CircuitQuery,
    kind: PullKind
  ): Promise<void> {
    const client = requireClient()
    const since = cursor.full ? null : (cursor.sinceByPhase?.[cursor.phase] ?? cursor.since)
    const q: CircuitQuery = since ? { ...query, filter: { ...query.filter, updated: { from: since } } } : query
    const seenAs = SEEN_ENTITY[cursor.phase]
    await client.listAll(key, q, {
      range,
      startPage: cursor.page ?? undefined,
      alreadyFetched: cursor.page === null ? 0 : cursor.fetched,
      // A page asked for before the sender wrote Circuit's answer to one of our changes, and answered
      // after, holds an older copy of that record: the sender's stays (sender-writes.ts).
      markRequest: () => senderGeneration(db),
      onPage: (rows, progress) => {
        db.tx(() => {
          apply<RowOf<K>>(kind, rows, progress.mark)
          for (const r of rows) {
            const stamp = (r as { updated?: string | null }).updated
            const newest = cursor.newestByPhase?.[cursor.phase]
            if (stamp && (!newest || Date.parse(stamp) > Date.parse(newest))) {
              cursor.newestByPhase = { ...cursor.newestByPhase, [cursor.phase]: stamp }
            }
            if (cursor.full && seenAs) {
              db.prepared(NOTE_SEEN).run({ saleId, entity: seenAs, id: (r as { id: string }).id })
            }
          }
          cursor.page = progress.page + 1
          cursor.fetched = progress.fetched
          writeCursor(db, saleId, cursor, clock.now())
        }, PAGE_TX)
        gateway.reportReachable(true)
        emit({
          saleId,
          phase: cursor.phase,
          fetched: progress.fetched,
          total: progress.total,
          done: false,
          error: null
        })
      }
    })
  }

  async function runPhase(saleId: string, cursor: PullCursor): Promise<void> {
    const client = requireClient()
    switch (cursor.phase) {
      case 'sale': {
        const readFrom = senderGeneration(db)
        const sale = await client.sales.get(saleId)
        db.tx(() => {
          apply('sale', [sale], readFrom)
          writeCursor(db, saleId, cursor, clock.now())
        })
        emit({ saleId, phase: 'sale', fetched: 1, total: 1, done: false, error: null })
        return
      }
      case 'sessions':
        return pullList(saleId, cursor, 'sessions.list', { filter: { sale: saleId } }, 'session')
      case 'reference': {
        // /me first: its currency says how many decimals Circuit's amounts carry (the terms hold amounts).
        const me = await client.me()
        // Small lists: fetched whole, written together.
        const [lists, staff, areas] = await Promise.all([
          Promise.all(TERM_VOCABULARIES.map(async (v) => [v, await client.terms.all(v)] as const)),
          client.staff.all(),
          // Shipping areas (legacy endpoint): a server without it keeps the ones this station has.
          client.shippingAreas.all().catch((err: unknown) => {
            if (err instanceof CircuitHttpError && err.status === 404) return null
            throw err
          })
        ])
        db.tx(() => {
          // Money prints the way Circuit's own settings format it; an answer without them (no config, or a
          // currency without a code) keeps the last known.
          if (me.currency && me.currency.code !== '') {
            const value = JSON.stringify(me.currency)
            const at = clock.now()
            db.run(
              db.q
                .insertInto('sync_state')
                .values({ key: 'circuit_currency', value, updated_at: at })
                .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
            )
          }
          apply(
            'term',
            lists.flatMap(([vocabulary, terms]) => terms.map((term) => ({ vocabulary, term })))
          )
          apply('staff', staff)
          if (areas) apply('shipping_area', areas)
          writeCursor(db, saleId, cursor, clock.now())
        })
        return
      }
      case 'clients':
        return pullList(saleId, cursor, 'clients.list', {}, 'client')
      case 'bidders':
        return pullList(saleId, cursor, 'bidders.list', { filter: { sale: saleId } }, 'bidder')
      case 'items':
        return pullList(saleId, cursor, 'items.list', { filter: { sale: saleId }, sort: 'lot' }, 'item')
      case 'phone-cards':
        return pullList(saleId, cursor, 'phoneCards.list', { filter: { sale_id: saleId } }, 'phone_card')
      case 'orders':
        // Invoices and their credit notes, and the consignors' orders (with their payments, next).
        return pullList(
          saleId,
          cursor,
          'orders.list',
          { filter: { sale: saleId, type: { in: PULLED_ORDER_TYPES } } },
          'order'
        )
      case 'transactions':
        return pullTransactions(saleId, cursor)
      case 'consignments':
        return pullList(saleId, cursor, 'consignments.list', { filter: { sale: saleId } }, 'consignment')
      case 'statements': {
        // Circuit's statement rows carry no `updated`: the sale's are fetched whole each time and replace the last.
        // The list is only in the legacy docs: a server without it has no statements to check against.
        const rows = await client.consignmentStatements.forSale(saleId).catch((err: unknown) => {
          if (err instanceof CircuitHttpError && (err.status === 404 || err.status === 405)) {
            log.warn('Circuit has no consignment statements list', { saleId, status: err.status })
            return []
          }
          throw err
        })
        db.tx(() => {
          apply('consignment_statements', [{ saleId, rows }])
          cursor.fetched = rows.length
          writeCursor(db, saleId, cursor, clock.now())
        })
        emit({ saleId, phase: 'statements', fetched: rows.length, total: rows.length, done: false, error: null })
        return
      }
    }
  }

  /** The payments of the sale's orders, a batch of orders at a time; the cursor's page is the batch. */
  async function pullTransactions(saleId: string, cursor: PullCursor): Promise<void> {
    const client = requireClient()
    const orders = db
      .all(
        db.q
          .selectFrom('orders')
          .select('id')
          .where('sale_id', '=', saleId)
          .where('server_id', 'is not', null)
          .orderBy('id')
      )
      .map((o) => o.id)
    const since = cursor.full ? null : (cursor.sinceByPhase?.transactions ?? cursor.since)
    const batches = Math.ceil(orders.length / ORDERS_PER_REQUEST)
    for (let b = cursor.page ?? 0; b < batches; b++) {
      const ids = orders.slice(b * ORDERS_PER_REQUEST, (b + 1) * ORDERS_PER_REQUEST)
      const filter = { order: { in: ids }, ...(since ? { updated: { from: since } } : {}) }
      // Taken before the first page is asked for: a payment the sender writes meanwhile keeps its copy.
      const readFrom = senderGeneration(db)
      const rows = await client.listAll('transactions.list', { filter }, { range })
      db.tx(() => {
        apply('transaction', rows, readFrom)
        for (const t of rows) {
          if (t.updated && (!cursor.newestByPhase?.transactions || t.updated > cursor.newestByPhase.transactions)) {
            cursor.newestByPhase = { ...cursor.newestByPhase, transactions: t.updated }
          }
          if (cursor.full) {
            db.prepared(NOTE_SEEN).run({ saleId, entity: 'transaction', id: t.id })
          }
        }
        cursor.page = b + 1
        cursor.fetched += rows.length
        writeCursor(db, saleId, cursor, clock.now())
      })
      emit({ saleId, phase: 'transactions', fetched: cursor.fetched, total: null, done: false, error: null })
    }
  }

  async function fetchSale(saleId: string) {
    try {
      return await requireClient().sales.get(saleId)
    } catch (err) {
      if (err instanceof CircuitHttpError && err.status === 404) {
        throw new AppError('not_found', `Circuit has no sale ${saleId}.`)
      }
      throw err
    }
  }

  async function run(saleId: string, automatic: boolean): Promise<void> {
    const now = clock.now()
    const previous = readCursor(db, saleId)
    let cursor: PullCursor
    if (!previous || previous.complete) {
      // A fresh pull; a delta pull after a complete one; or, every so often, a full one again.
      const lastFull = previous?.lastFullAt ?? (previous?.complete && !previous.since ? previous.lastCompletedAt : null)
      const full =
        !previous?.complete || lastFull === null || now - lastFull >= (opts.fullPullEveryMs ?? 12 * 3_600_000)
      cursor = {
        phase: 'sale',
        page: null,
        fetched: 0,
        complete: false,
        startedAt: now,
        since: full || previous?.newestByPhase ? null : iso(previous!.startedAt),
        sinceByPhase: full ? undefined : previous?.newestByPhase,
        newestByPhase: full ? {} : { ...previous?.newestByPhase },
        full,
        lastFullAt: lastFull,
        lastCompletedAt: previous?.lastCompletedAt ?? null
      }
      // Circuit must know the sale before anything is saved: an unknown id leaves no pull behind.
      let sale: Awaited<ReturnType<typeof fetchSale>>
      let readFrom: number
      try {
        readFrom = senderGeneration(db)
        sale = await fetchSale(saleId)
      } catch (err) {
        const appErr = circuitToAppError(err, `Opening sale ${saleId}`)
        if (isUnreachable(err)) gateway.reportReachable(false, appErr.message)
        emit({ saleId, phase: 'failed', fetched: 0, total: null, done: true, error: appErr.message })
        throw appErr
      }
      db.tx(() => {
        db.run(db.q.deleteFrom('pull_seen').where('sale_id', '=', saleId))
        apply('sale', [sale], readFrom)
        cursor.phase = 'sessions'
        writeCursor(db, saleId, cursor, now)
      })
      emit({ saleId, phase: 'sale', fetched: 1, total: 1, done: false, error: null })
    } else {
      cursor = previous
      if (automatic && (cursor.failures ?? 0) >= MAX_AUTO_RETRIES) return
      if (!automatic) cursor.failures = 0
      log.info('resuming sale pull', { saleId, phase: cursor.phase, page: cursor.page })
    }

    try {
      for (let i = PHASES.indexOf(cursor.phase); i < PHASES.length; i++) {
        if (cursor.phase !== PHASES[i]) {
          cursor.phase = PHASES[i]
          cursor.page = null
          cursor.fetched = 0
        }
        emit({ saleId, phase: cursor.phase, fetched: cursor.fetched, total: null, done: false, error: null })
        await runPhase(saleId, cursor)
      }
      const done = clock.now()
      db.tx(() => {
        if (cursor.full) {
          removeUnseen(db, saleId)
          cursor.lastFullAt = done
        }
        cursor.failures = 0
        cursor.complete = true
        cursor.lastCompletedAt = done
        writeCursor(db, saleId, cursor, done)
        db.run(db.q.updateTable('sales').set({ pulled_at: done }).where('id', '=', saleId))
        setLastSync(db, done)
      })
      gateway.reportReachable(true)
      emit({ saleId, phase: 'done', fetched: cursor.fetched, total: cursor.fetched, done: true, error: null })
      opts.events.emit('data.changed', { entity: 'sale', ids: null, saleId })
    } catch (err) {
      let appErr = circuitToAppError(err, `Pulling sale ${saleId}`)
      if (isUnreachable(err)) gateway.reportReachable(false, appErr.message)
      const saved = readCursor(db, saleId)
      if (
        appErr.code === 'not_found' ||
        (err instanceof CircuitHttpError && err.status === 404 && cursor.phase === 'sale')
      ) {
        // Circuit does not have that sale (any more): drop the pull rather than retry it forever.
        if (saved) db.tx(() => forgetPull(db, saleId))
      } else if (saved && !saved.complete) {
        const failures = (cursor.failures ?? 0) + 1
        cursor.failures = failures
        db.tx(() => writeCursor(db, saleId, cursor, clock.now()))
        if (failures >= MAX_AUTO_RETRIES) {
          appErr = new AppError(
            appErr.code,
            `${appErr.message} Gave up after ${failures} tries in a row; open the sale again to retry.`
          )
        }
      }
      log.warn('sale pull stopped', { saleId, phase: cursor.phase, page: cursor.page, error: appErr.message })
      emit({ saleId, phase: 'failed', fetched: cursor.fetched, total: null, done: true, error: appErr.message })
      throw appErr
    }
  }

  function start(saleId: string, automatic: boolean) {
    requireClient()
    if (jobs.has(saleId)) return { saleId, started: false }
    const job = run(saleId, automatic)
      .catch(() => {
        // Reported through pull.progress and the log; the cursor keeps the place.
      })
      .finally(() => jobs.delete(saleId))
    jobs.set(saleId, job)
    return { saleId, started: true }
  }

  return {
    async list(): Promise<SaleSummary[]> {
      const local = localSales(db)
      const client = gateway.client()
      // Only ask a server known to answer; otherwise the replica answers at once rather
      // than after a time-out (the picker re-reads when the connection comes up).
      if (!client || gateway.state().connection !== 'online') return local
      try {
        const remote = await client.listAll('sales.list', { sort: '-sale_date' }, { range: 100 })
        gateway.reportReachable(true)
        const byId = new Map(local.map((s) => [s.id, s]))
        const merged: SaleSummary[] = remote.map((r) => ({
          id: r.id,
          label: r.label,
          saleNumber: r.saleNumber,
          saleDate: r.saleDate,
          status: r.status,
          itemCount: r.itemCount,
          pulledAt: byId.get(r.id)?.pulledAt ?? null,
          complete: byId.get(r.id)?.complete ?? false
        }))
        // Sales on this station that the server no longer lists stay visible.
        for (const s of local) if (!merged.some((m) => m.id === s.id)) merged.push(s)
        return merged
      } catch (err) {
        // The server is away: the sale picker still shows what this station holds.
        if (isUnreachable(err)) {
          gateway.reportReachable(false, circuitToAppError(err, 'Listing sales').message)
          return local
        }
        throw circuitToAppError(err, 'Listing sales')
      }
    },
    async open(saleId: string) {
      return start(saleId, false)
    },
    running: () => [...jobs.keys()],
    wait: async (saleId: string) => {
      await jobs.get(saleId)
    },
    /** Start again every pull that was cut off (by a crash, a closed app or the network). */
    resumeInterrupted(): string[] {
      if (!gateway.client()) return []
      const cut = db
        .all(db.q.selectFrom('sync_state').select(['key', 'value']).where('key', 'like', 'pull:%'))
        .filter((r) => !(JSON.parse(r.value) as PullCursor).complete)
        .map((r) => r.key.slice('pull:'.length))
        .filter((saleId) => !jobs.has(saleId))
        .filter((saleId) => (readCursor(db, saleId)?.failures ?? 0) < MAX_AUTO_RETRIES)
      for (const saleId of cut) void start(saleId, true)
      return cut
    },
    /** Drop a sale's interrupted pull (the user gave up on it). */
    forget(saleId: string) {
      db.tx(() => forgetPull(db, saleId))
    }
  }
}
