// Control API under /_sim/ (loopback only, no token): faults, token expiry,
// "another station" edits, state dump, reset and request counters.

import {
  badRequest,
  command,
  idOf,
  isObject,
  ok,
  requireObject,
  type Json,
  type JsonObject,
  type Reply
} from '../../circuit-server/http'
import type { Faults } from '../faults'
import { MAX_AMOUNT, withinBounds } from '../money'
import { Router } from '../sim-router'
import type { SimStore } from '../store'
import type { TokenStore } from '../auth'
import { mergeShapes } from '../shapes'
import { serializeItem } from './items'
import { applyClientFields, parseClientFields, serializeClient } from './clients'

export interface SimRuntime {
  readonly store: SimStore
  faults: Faults
  tokens: TokenStore
  stats: Map<string, number>
  reset(): void
  /** Stop listening shortly after answering (tests of a server that goes away). */
  shutdown(): void
}

/** The whole store as plain JSON (internal representation: cents and epoch ms). */
export function dumpState(store: SimStore): JsonObject {
  const values = <T>(m: Map<string, T>): Json => [...m.values()] as unknown as Json
  return {
    sales: values(store.sales),
    sessions: values(store.sessions),
    consignments: values(store.consignments),
    items: values(store.items),
    clients: values(store.clients),
    addresses: values(store.addresses),
    bidders: values(store.bidders),
    phone_cards: values(store.phoneCards),
    orders: values(store.orders),
    transactions: values(store.transactions),
    shipments: values(store.shipments),
    shipping_boxes: values(store.shippingBoxes),
    staff: values(store.staff),
    taxonomies: Object.fromEntries(store.taxonomies) as unknown as Json
  }
}

function stationEdit(store: SimStore, body: JsonObject): JsonObject {
  const op = body.op
  const itemId = idOf(body.item)
  const item = itemId ? store.items.get(itemId) : undefined
  const needItem = (): NonNullable<typeof item> => {
    if (!item) throw badRequest(`"item" must be an existing item id.`)
    return item
  }
  switch (op) {
    case 'sell': {
      const it = needItem()
      const paddle = idOf(body.paddle)
      const clientId = idOf(body.client)
      const bidder = paddle ? store.bidderByNumber(it.saleId, paddle) : undefined
      if (paddle && !bidder) throw badRequest(`No paddle ${paddle} in sale ${it.saleId}.`)
      const winner = bidder?.clientId ?? clientId
      if (!winner || !store.clients.has(winner)) throw badRequest('"paddle" (or "client") is required.')
      const price = store.parseMoney(body.price)
      if (price === null || price <= 0 || !withinBounds(price))
        throw badRequest(
          `"price" must be a positive decimal string like "${store.money(45000)}", at most ${store.money(MAX_AMOUNT)}.`
        )
      store.applyItemHistory(
        it.id,
        { hammer: price, winnerId: winner, alias: paddle ?? null, soldStatus: 'sold' },
        'station-edit'
      )
      return { op, item: serializeItem(store, it) }
    }
    case 'withdraw':
      store.applyItemHistory(needItem().id, { withdrawn: true }, 'station-edit')
      return { op, item: serializeItem(store, item!) }
    case 'unsell':
      store.applyItemHistory(needItem().id, { soldStatus: 'unsold' }, 'station-edit')
      return { op, item: serializeItem(store, item!) }
    case 'edit-item': {
      const it = needItem()
      if (!isObject(body.fields)) throw badRequest('"fields" must be an object.')
      for (const key of ['title', 'description'] as const)
        if (typeof body.fields[key] === 'string') it[key] = body.fields[key] as string
      store.stamp(it)
      return { op, item: serializeItem(store, it) }
    }
    case 'edit-client': {
      const id = idOf(body.client)
      const client = id ? store.clients.get(id) : undefined
      if (!client) throw badRequest('"client" must be an existing client id.')
      if (!isObject(body.fields)) throw badRequest('"fields" must be an object.')
      const { patch, address } = parseClientFields(store, body.fields)
      applyClientFields(store, client, patch, address)
      return { op, client: serializeClient(store, client) }
    }
    default:
      throw badRequest('Unknown op. Use sell | withdraw | unsell | edit-item | edit-client.')
  }
}

export function controlRouter(rt: SimRuntime): Router {
  const r = new Router()
  const wrap = (fn: (body: Json | undefined) => Reply) => (ctx: { body: Json | undefined }) => fn(ctx.body)
  r.get('faults', () => ok({ data: { ...rt.faults.config } }))
  r.post(
    'faults',
    wrap((body) => command({ ...rt.faults.update(body) }))
  )
  r.get('shapes', () => ok({ data: { ...rt.store.shapes } }))
  r.post(
    'shapes',
    wrap((body) => {
      rt.store.shapes = mergeShapes(rt.store.shapes, body)
      return command({ ...rt.store.shapes })
    })
  )
  r.post('expire-tokens', () => command({ expired: rt.tokens.expireAll() }))
  r.post(
    'station-edit',
    wrap((body) => command(stationEdit(rt.store, requireObject(body))))
  )
  r.get('state', () => ok(dumpState(rt.store)))
  r.get('item-history', () => ok({ data: rt.store.clerkingLog as unknown as Json }))
  r.post('reset', () => {
    rt.reset()
    return command({ reset: true })
  })
  r.post('shutdown', () => {
    rt.shutdown()
    return command({ stopping: true })
  })
  r.get('stats', () => {
    let total = 0
    for (const n of rt.stats.values()) total += n
    return ok({ data: { total, requests: Object.fromEntries(rt.stats) } })
  })
  r.delete('stats', () => {
    rt.stats.clear()
    return command({ cleared: true })
  })
  return r
}
