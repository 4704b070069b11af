// A station joined to a venue hub follows it live: the hub's feed
// (`/saleroom/events`) says which records changed, in order; this fetches
// each of them by id through the ordinary client and writes them through the
// kinds' adapters, as a pull would (a record with a change of ours waiting
// is left alone). So a lot sold at the podium is on the buyer's invoice at
// the checkout desk a moment later. The feed resumes from the last change
// number it applied; a different hub (another certificate) starts over with
// a full pull.
import type { CircuitApiClient } from '../circuit'
import type { ListEndpointKey } from '../circuit/endpoints'
import type { Clock } from '../core/clock'
import type { EventBus } from '../core/event-bus'
import type { Logger } from '../core/ports'
import type { PullKind, SyncRegistry } from '../core/sync-adapter'
import { jsonValues } from '../db/json-values'
import { cardEntityId } from './card-entity-id'
import type { Replica } from '../db/replica'
import type { DataChanged } from '../../src-shared/events'
import type { CircuitGateway } from './gateway'
import { applyPulledPage } from './pulled'
import { senderGeneration } from './sender-writes'

type Entity =
  | 'sale'
  | 'session'
  | 'client'
  | 'bidder'
  | 'item'
  | 'phone_card'
  | 'order'
  | 'transaction'
  | 'consignment'
  | 'collection'

interface Batch {
  upTo: number
  changed: Partial<Record<Entity, string[]>>
  deleted: Partial<Record<Entity, string[]>>
}

// In an order that lets each record's owner be there first (an order before its payments).
const KINDS: { entity: Entity; list: ListEndpointKey; kind: PullKind; event: DataChanged['entity'] | null }[] = [
  { entity: 'sale', list: 'sales.list', kind: 'sale', event: 'sale' },
  { entity: 'session', list: 'sessions.list', kind: 'session', event: null },
  { entity: 'client', list: 'clients.list', kind: 'client', event: 'client' },
  { entity: 'bidder', list: 'bidders.list', kind: 'bidder', event: 'bidder' },
  { entity: 'item', list: 'items.list', kind: 'item', event: 'item' },
  { entity: 'phone_card', list: 'phoneCards.list', kind: 'phone_card', event: 'phone_card' },
  { entity: 'order', list: 'orders.list', kind: 'order', event: 'order' },
  { entity: 'transaction', list: 'transactions.list', kind: 'transaction', event: 'transaction' },
  { entity: 'consignment', list: 'consignments.list', kind: 'consignment', event: null },
  // Releases at the collection desk, the hub's own records (never Circuit's), after the lots they name.
  { entity: 'collection', list: 'collections.list', kind: 'collection', event: 'collection' }
]

const FEED_KEY = 'hubFeed'

export interface HubFollowerOptions {
  db: Replica
  registry: SyncRegistry
  gateway: CircuitGateway<CircuitApiClient>
  events: EventBus
  clock: Clock
  log: Logger
  /** Called when the hub is another than before: the station pulls its sales whole again. */
  onNewHub?: () => void
  /**
   * The hub's log-in verifiers (salted scrypt hashes, never a password), fetched at each connection
   * and when they change: kept so this station can take over as hub (a handover) and still let the
   * same people log in while Circuit is away.
   */
  onVerifiers?: (verifiers: unknown) => void
}

export interface HubFollower {
  /** Applied change number (tests). */
  position(): number
  close(): Promise<void>
}

function readFeed(db: Replica): { hub: string; seq: number } | null {
  const row = db.first(db.q.selectFrom('sync_state').select('value').where('key', '=', FEED_KEY))
  return row ? (JSON.parse(row.value) as { hub: string; seq: number }) : null
}

function writeFeed(db: Replica, feed: { hub: string; seq: number }, now: number): void {
  const value = JSON.stringify(feed)
  db.run(
    db.q
      .insertInto('sync_state')
      .values({ key: FEED_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
  )
}

/** Records of this station that a hub's deletion may remove: none with a change of ours waiting. */
function removeDeleted(db: Replica, entity: Entity, ids: string[]): void {
  const q = db.q
  const listed = jsonValues(ids)
  const waiting = q.selectFrom('outbox').select('entity_id').where('state', 'not in', ['done', 'discarded'])
  switch (entity) {
    case 'order': {
      const removable = q
        .selectFrom('orders')
        .select('id')
        .where('id', 'in', listed)
        .where('id', 'not in', waiting)
        .where('id', 'not in', q.selectFrom('transactions').select('order_id'))
      db.run(q.deleteFrom('order_lines').where('order_id', 'in', removable))
      db.run(
        q
          .deleteFrom('orders')
          .where('id', 'in', listed)
          .where('id', 'not in', waiting)
          .where('id', 'not in', q.selectFrom('transactions').select('order_id'))
          .where('id', 'not in', q.selectFrom('order_lines').select('order_id'))
      )
      return
    }
    case 'phone_card':
      db.run(
        q
          .deleteFrom('phone_card_lots')
          .where('card_id', 'in', listed)
          .where(
            'card_id',
            'in',
            q.selectFrom('phone_bidder_cards').select('id').where(cardEntityId, 'not in', waiting)
          )
      )
      db.run(q.deleteFrom('phone_bidder_cards').where('id', 'in', listed).where(cardEntityId, 'not in', waiting))
      return
    case 'transaction':
      // A payment voided here stays listed, voided (as when Circuit itself deletes it).
      db.run(
        q
          .deleteFrom('transactions')
          .where('server_id', 'in', listed)
          .where('voided_at', 'is', null)
          .where('id', 'not in', waiting)
      )
      return
    default:
      // Sales, sessions, clients, paddles and lots are removed by a full pull, never here.
      return
  }
}

/** Parse a text/event-stream body into events, as they arrive. */
async function* serverEvents(
  body: ReadableStream<Uint8Array>
): AsyncGenerator<{ event: string; data: string; id: string | null }> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, i)
      buffer = buffer.slice(i + 2)
      let event = 'message'
      let id: string | null = null
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue
        const [field, ...rest] = line.split(':')
        const value = rest.join(':').replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
        else if (field === 'id') id = value
      }
      if (data.length) yield { event, data: data.join('\n'), id }
    }
  }
}

export function followHub(o: HubFollowerOptions): HubFollower {
  const { db, registry, gateway, log } = o
  let closed = false
  let abort: AbortController | null = null
  let applied = readFeed(db)?.seq ?? 0

  async function fetchByIds(client: CircuitApiClient, list: ListEndpointKey, ids: string[]): Promise<unknown[]> {
    const rows: unknown[] = []
    for (let i = 0; i < ids.length; i += 100) {
      const page = await client.fetchPage(list, { filter: { id: { in: ids.slice(i, i + 100) } } }, 0, 100)
      rows.push(...page.rows)
    }
    return rows
  }

  async function apply(client: CircuitApiClient, hub: string, batch: Batch): Promise<void> {
    // The answers come after awaits: what the sender writes meanwhile from an answer to our own
    // change is newer than the copy fetched here, and stays.
    const readFrom = senderGeneration(db)
    const fetched = new Map<Entity, unknown[]>()
    for (const k of KINDS) {
      const ids = batch.changed[k.entity]
      if (ids?.length) fetched.set(k.entity, await fetchByIds(client, k.list, ids))
    }
    const changes: DataChanged[] = []
    db.tx(() => {
      for (const k of KINDS) {
        const rows = fetched.get(k.entity)
        if (rows?.length) applyPulledPage(db, registry, k.kind, rows, { readFrom })
        // What the hub no longer serves is gone there (a payment voided at the venue is deleted, as on
        // Circuit): gone here too. A record served under another id names the ids it replaces.
        const served = new Set(
          (rows ?? []).flatMap((r) => {
            const rec = r as { id: string; replaces?: string[] }
            return [rec.id, ...(rec.replaces ?? [])]
          })
        )
        const missing = (batch.changed[k.entity] ?? []).filter((id) => !served.has(id))
        const gone = [...(batch.deleted[k.entity] ?? []), ...missing]
        if (gone.length) removeDeleted(db, k.entity, gone)
        const ids = [...new Set([...(batch.changed[k.entity] ?? []), ...gone])]
        if (k.event && ids.length) changes.push({ entity: k.event, ids })
      }
      writeFeed(db, { hub, seq: batch.upTo }, o.clock.now())
    })
    applied = batch.upTo
    for (const c of changes) o.events.emit('data.changed', c)
  }

  async function fetchVerifiers(client: CircuitApiClient, token: string): Promise<void> {
    if (!o.onVerifiers) return
    try {
      const res = await client.fetch(`${client.baseUrl}/saleroom/verifiers`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' }
      })
      if (res.status !== 200) {
        await res.body?.cancel()
        return
      }
      const body = (await res.json()) as { data?: unknown }
      o.onVerifiers(body.data)
    } catch (err) {
      log.info('venue hub verifiers not fetched; next time', {
        error: err instanceof Error ? err.message : String(err)
      })
    }
  }

  async function runOnce(): Promise<void> {
    const client = gateway.client()
    const venue = gateway.state().venue
    if (!client || !venue) return
    const token = await client.accessToken()
    const since = readFeed(db)?.seq ?? 0
    abort = new AbortController()
    const res = await client.fetch(`${client.baseUrl}/saleroom/events?since=${since}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: abort.signal
    })
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel()
      throw new Error(`the venue hub's feed answered ${res.status}`)
    }
    let hub = readFeed(db)?.hub ?? ''
    for await (const ev of serverEvents(res.body)) {
      if (closed) break
      const data = JSON.parse(ev.data) as { hub?: string; circuit?: 'online' | 'offline'; seq?: number } & Batch
      if (ev.event === 'hello' || ev.event === 'status') {
        gateway.reportVenueCircuit(data.circuit === undefined ? null : data.circuit === 'online')
        gateway.reportReachable(true)
        if (ev.event === 'hello' && data.hub && data.hub !== hub) {
          // A hub not followed before (the first, or a handover): its numbers are its own. Start its
          // feed from the beginning, and pull the station's sales whole from it.
          hub = data.hub
          db.tx(() => writeFeed(db, { hub, seq: 0 }, o.clock.now()))
          applied = 0
          abort.abort()
          o.onNewHub?.()
          return
        }
        if (ev.event === 'hello') void fetchVerifiers(client, token)
      } else if (ev.event === 'verifiers') {
        void fetchVerifiers(client, token)
      } else if (ev.event === 'changes') {
        await apply(client, hub, data)
      }
    }
  }

  ;(async () => {
    let wait = 500
    while (!closed) {
      try {
        await runOnce()
        wait = 500
      } catch (err) {
        if (closed) break
        log.info('venue hub feed interrupted; reconnecting', {
          error: err instanceof Error ? err.message : String(err)
        })
        gateway.reportVenueCircuit(null)
      }
      if (closed) break
      await new Promise((r) => setTimeout(r, wait).unref())
      wait = Math.min(wait * 2, 10_000)
    }
  })()

  return {
    position: () => applied,
    close: async () => {
      closed = true
      abort?.abort()
    }
  }
}
