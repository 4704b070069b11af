// bidder_ids (ASSUMED shape: undocumented in Circuit, only seen in its own
// clients) and phone bidder cards (documented in messages.html).

import {
  badRequest,
  command,
  idOf,
  isObject,
  ok,
  requireObject,
  single,
  unprocessable,
  type JsonObject
} from '../../circuit-server/http'
import { listResponse, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { toIso } from '../../circuit-server/time'
import type { Bidder, PhoneCard } from '../types'
import { lotOf } from './items'

/**
 * ASSUMPTION: row shape {id, sale:{id,label}, client:{id,label}, bidder_number,
 * bidder_type: floor|phone|absentee|online, live_credit, updated}. Circuit's
 * clients call `/api/bidder_ids?sale_uuid=&user_uuid=` and read `live_credit`;
 * the rest is our guess until a sandbox contract test pins it.
 */
export function serializeBidder(store: SimStore, b: Bidder): JsonObject {
  const sale = store.sales.get(b.saleId)
  const client = store.clients.get(b.clientId)
  return {
    id: b.id,
    sale: { id: b.saleId, label: sale?.label ?? '' },
    client: { id: b.clientId, label: client ? store.clientLabel(client) : '' },
    bidder_number: b.number,
    bidder_type: b.type,
    live_credit: store.money(b.liveCredit),
    updated: toIso(b.updated)
  }
}

function biddersDef(store: SimStore): ListDef<Bidder> {
  return {
    resource: 'bidder_ids',
    defaultSort: 'bidder_number',
    filters: {
      id: { kind: 'id', get: (b) => b.id },
      sale: { kind: 'id', get: (b) => b.saleId },
      client: { kind: 'id', get: (b) => b.clientId },
      bidder_number: { kind: 'id', get: (b) => b.number },
      bidder_type: { kind: 'exact', get: (b) => b.type },
      updated: { kind: 'date', get: (b) => b.updated }
    },
    serialize: (b) => serializeBidder(store, b)
  }
}

export function serializeCard(store: SimStore, c: PhoneCard): JsonObject {
  const staff = store.staff.get(c.staffId)
  const row: JsonObject = {
    id: c.id,
    sale_id: c.saleId,
    session_id: c.sessionId,
    client_id: c.clientId,
    paddle_number: c.paddle,
    phone: c.phone,
    lots: [...c.lots],
    staff: staff ? { id: staff.id, name: staff.name } : null,
    created: toIso(c.created),
    updated: toIso(c.updated)
  }
  // `staff` is our extension; a docs-shaped simulator does not keep it, as real Circuit may not.
  if (store.shapes.dropPhoneCardStaff) delete row.staff
  return row
}

function cardsDef(store: SimStore): ListDef<PhoneCard> {
  return {
    resource: 'phone_bidder_cards',
    defaultSort: 'paddle_number',
    filters: {
      id: { kind: 'id', get: (c) => c.id },
      sale_id: { kind: 'id', get: (c) => c.saleId },
      session_id: { kind: 'id', get: (c) => c.sessionId },
      client_id: { kind: 'id', get: (c) => c.clientId },
      paddle_number: { kind: 'id', get: (c) => c.paddle },
      updated: { kind: 'date', get: (c) => c.updated }
    },
    serialize: (c) => serializeCard(store, c)
  }
}

/** Printing view: the card plus the names and lot numbers a phone clerk needs. */
function serializePrintCard(store: SimStore, c: PhoneCard): JsonObject {
  const client = store.clients.get(c.clientId)
  const session = store.sessions.get(c.sessionId)
  return {
    ...serializeCard(store, c),
    session: session ? { id: session.id, session_number: session.number, session_date: toIso(session.date) } : null,
    client: client
      ? { id: client.id, label: store.clientLabel(client), phone: client.phone, mobile: client.mobile }
      : null,
    lots: c.lots.map((id) => {
      const item = store.items.get(id)
      return { id, lot: item ? lotOf(item) : null, title: item?.title ?? null }
    })
  }
}

export function registerBidders(router: Router): void {
  router.get('bidder_ids', (ctx) => {
    // the clients' spelling ?sale_uuid=&user_uuid= maps onto the filters
    const store = ctx.store
    const filter = typeof ctx.query.filter === 'object' ? { ...ctx.query.filter } : {}
    if (typeof ctx.query.sale_uuid === 'string') {
      const uuid = ctx.query.sale_uuid
      filter.sale = [...store.sales.values()].find((s) => s.uuid === uuid)?.id ?? '__none__'
    }
    if (typeof ctx.query.user_uuid === 'string')
      filter.client = store.clientsByUuid.get(ctx.query.user_uuid) ?? '__none__'
    ctx.query.filter = filter
    return ok(listResponse(ctx, biddersDef(store), store.bidders.values()))
  })
  router.get('bidder_ids/:id', (ctx) =>
    single(serializeBidder(ctx.store, ctx.store.getOr404(ctx.store.bidders, ctx.params.id, 'Bidder number')))
  )

  router.get('phone_bidder_cards', (ctx) => ok(listResponse(ctx, cardsDef(ctx.store), ctx.store.phoneCards.values())))
  router.post('phone_bidder_cards', (ctx) => {
    const store = ctx.store
    const sent = requireObject(ctx.body)
    // A docs-shaped simulator ignores what the docs do not have.
    const body = store.shapes.dropPhoneCardStaff ? { ...sent, staff: undefined } : sent
    const errors: Record<string, string[]> = {}
    const saleId = idOf(body.sale_id)
    const clientId = idOf(body.client_id)
    const sessionId = idOf(body.session_id)
    if (!saleId || !store.sales.has(saleId)) errors.sale_id = ['A valid sale_id is required.']
    if (!clientId || !store.clients.has(clientId)) errors.client_id = ['A valid client_id is required.']
    const session = sessionId ? store.sessions.get(sessionId) : undefined
    if (!session || session.saleId !== saleId) errors.session_id = ['A valid session_id of that sale is required.']
    const paddle = body.paddle_number === undefined || body.paddle_number === null ? null : idOf(body.paddle_number)
    if (body.paddle_number !== undefined && body.paddle_number !== null && paddle === null)
      errors.paddle_number = ['Must be a string.']
    if (body.phone !== undefined && body.phone !== null && typeof body.phone !== 'string')
      errors.phone = ['Must be a string.']
    let lots: string[] = []
    if (body.lots !== undefined) {
      const ids = Array.isArray(body.lots) ? body.lots.map(idOf) : null
      if (!ids || ids.some((x) => x === null)) errors.lots = ['Must be an array of item ids.']
      else {
        lots = ids as string[]
        const bad = lots.filter((id) => store.items.get(id)?.saleId !== saleId)
        if (bad.length) errors.lots = [`Not items of sale ${saleId}: ${bad.join(', ')}`]
      }
    }
    if (body.staff !== undefined && body.staff !== null && !store.staff.has(idOf(body.staff) ?? ''))
      errors.staff = ['Unknown staff id.']
    if (Object.keys(errors).length) throw unprocessable(errors)

    // documented upsert: same client + session updates the card in place
    const existing = [...store.phoneCards.values()].find((c) => c.clientId === clientId && c.sessionId === sessionId)
    const client = store.clients.get(clientId!)!
    const fallbackPaddle = store.paddlesOf(saleId!, clientId!)[0] ?? ''
    if (existing) {
      if (paddle !== null) existing.paddle = paddle
      if (typeof body.phone === 'string') existing.phone = body.phone
      if (body.lots !== undefined) existing.lots = lots
      if (body.staff !== undefined && body.staff !== null) existing.staffId = idOf(body.staff)!
      store.stamp(existing)
      return single(serializeCard(store, existing), 200)
    }
    const t = store.now()
    const card: PhoneCard = {
      id: store.nextId(),
      saleId: saleId!,
      sessionId: sessionId!,
      clientId: clientId!,
      paddle: paddle ?? fallbackPaddle,
      phone: typeof body.phone === 'string' ? body.phone : (client.phone ?? ''),
      lots,
      staffId: body.staff !== undefined && body.staff !== null ? idOf(body.staff)! : (ctx.uid ?? '1'),
      created: t,
      updated: t
    }
    store.phoneCards.set(card.id, card)
    return single(serializeCard(store, card), 201)
  })
  router.delete('phone_bidder_cards', (ctx) => {
    const store = ctx.store
    const body = ctx.body
    if (!isObject(body)) throw badRequest('Body {"id": …} or {"ids": […]} is required.')
    const ids = Array.isArray(body.ids) ? body.ids.map(idOf) : body.id !== undefined ? [idOf(body.id)] : null
    if (!ids || ids.length === 0 || ids.some((x) => x === null))
      throw badRequest('Body {"id": …} or {"ids": […]} is required.')
    const missing = (ids as string[]).filter((id) => !store.phoneCards.has(id))
    if (missing.length) throw unprocessable({ ids: [`Unknown phone bidder cards: ${missing.join(', ')}`] })
    for (const id of ids as string[]) store.phoneCards.delete(id)
    return command({ deleted: ids as string[] })
  })
  router.get('sale-session-phone-bidders-card', (ctx) => {
    const f = ctx.query.filter
    const session = typeof f === 'object' ? f.session : undefined
    if (typeof session !== 'string') throw unprocessable({ 'filter[session]': ['A session id is required.'] })
    const cards = [...ctx.store.phoneCards.values()]
      .filter((c) => c.sessionId === session)
      .sort((a, b) => a.paddle.localeCompare(b.paddle, 'en', { numeric: true }))
      .map((c) => serializePrintCard(ctx.store, c))
    return ok({ data: cards, count: cards.length })
  })
}
