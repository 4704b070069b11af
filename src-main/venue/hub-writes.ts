// What the venue hub does with a station's write. Each is turned into the
// hub's own call through its action path (the same dispatch the hub's own
// screens use): the rows, the hub's outbox entry to Circuit and the audit
// entry in one transaction, the audit naming the station and the person. A
// station's read-back against the hub then decides exactly as against
// Circuit, so a lost answer between a station and the hub is never doubled.
// The answers have Circuit's shapes (hub-reads.ts serializes the records).
import { parseDecimalMinor } from '../../src-shared/money'
import type { RpcError } from '../../src-shared/rpc'
import { normaliseTransactionType } from '../circuit/decoders'
import {
  boolOf,
  command,
  HttpError,
  idOf,
  notFound,
  requireObject,
  single,
  strOrNull,
  unprocessable,
  type Json,
  type JsonObject,
  type Reply
} from '../circuit-server/http'
import type { Router } from '../circuit-server/router'
import { readKeyed } from '../core/keyed-values'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import type { HubCtx } from './hub'
import { resolveOrderId } from './hub-reads'

/** A Saleroom call's refusal, as Circuit would answer it. */
function asHttp(e: RpcError): HttpError {
  switch (e.code) {
    case 'not_found':
      return notFound(e.message)
    case 'invalid_input':
    case 'needs_confirmation':
    case 'conflict':
      return unprocessable(e.fields ?? { request: [e.message] }, 'Validation error')
    case 'busy':
    case 'disk_full':
      return new HttpError(503, 'Service Unavailable', e.message)
    default:
      return new HttpError(500, 'Internal Server Error', 'The venue hub could not record it; try again.')
  }
}

/** An answer that says the change is already there ("nothing changed"): done, like Circuit's repeat. */
const alreadyThere = (e: RpcError) => e.code === 'conflict' && /already .*nothing changed/i.test(e.message)

export interface WriteDeps {
  db: Replica
  /** The read side's serializers, so every answer has the shape a read would. */
  itemJson(id: string, ctx: HubCtx): JsonObject
  orderJson(id: string, ctx: HubCtx): JsonObject
  transactionJson(id: string, ctx: HubCtx): JsonObject
  cardJson(id: string, ctx: HubCtx): JsonObject
  collectionJson(id: string, ctx: HubCtx): JsonObject
}

async function call<T>(
  ctx: HubCtx,
  name: string,
  input: unknown,
  tolerate?: (e: RpcError) => boolean
): Promise<T | null> {
  const r = await ctx.dispatch(name, input)
  if (r.ok) return r.data as T
  if (tolerate?.(r.error)) return null
  throw asHttp(r.error)
}

function itemOr404(db: Replica, id: string) {
  const item = db.first(
    db.q.selectFrom('items').select(['id', 'sale_id', 'status', 'hammer', 'winner_paddle']).where('id', '=', id)
  )
  if (!item) throw notFound(`Item with ID ${id} does not exist`)
  return item
}

export function registerWrites(router: Router<HubCtx>, deps: WriteDeps): void {
  const { db } = deps

  // A lot's result: the Item History fields of PATCH datatable-items (items/update.html).
  router.patch('datatable-items/:id', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const item = itemOr404(db, ctx.params.id)
    const itemId = item.id
    // A station's change is conditional on the lot as it read it back (If-Match: its "updated"). Another
    // station's result that reached the hub first wins; this one is refused unapplied, and the station's
    // next read-back shows it both versions (a conflict on its Sync screen).
    const readAs = ctx.req.headers['if-match']
    if (typeof readAs === 'string' && readAs.trim()) {
      let expected: unknown
      try {
        expected = JSON.parse(readAs)
      } catch {
        throw new HttpError(400, 'Bad Request', 'If-Match must be the quoted "updated" of the record as read.')
      }
      if (expected !== deps.itemJson(itemId, ctx).updated) {
        throw new HttpError(
          412,
          'Precondition Failed',
          `Lot ${itemId} changed at the venue hub since this station read it (another station's result reached the hub first).`
        )
      }
    }
    const status = item.status === 'passed' ? 'unsold' : item.status
    if ('field_withdrawn' in b) {
      const on = boolOf(b.field_withdrawn)
      if (on === null) throw unprocessable({ field_withdrawn: ['Must be 1/0 or true/false.'] })
      if (on) await call(ctx, 'clerking.withdraw', { itemId }, alreadyThere)
      else if (status === 'withdrawn') await call(ctx, 'clerking.reopen', { itemId }, alreadyThere)
    } else if ('field_sold_status' in b) {
      const s = b.field_sold_status
      if (s === 'sold') {
        const amount =
          typeof b.field_sold_for_amount === 'number' ? b.field_sold_for_amount : Number(b.field_sold_for_amount)
        if (!Number.isSafeInteger(amount) || amount <= 0)
          throw unprocessable({ field_sold_for_amount: ['Must be a positive integer number of cents.'] })
        const winner = idOf(b.field_winner_bidder)
        const paddle =
          strOrNull(b.field_bidder_alias) ??
          strOrNull(b.field_sold_to_bidder_id) ??
          (winner
            ? (db.first(
                db.q
                  .selectFrom('sale_bidders')
                  .select('paddle')
                  .where('sale_id', '=', item.sale_id)
                  .where('client_id', '=', winner)
                  .orderBy((eb) => eb.fn('length', ['paddle']))
                  .orderBy('paddle')
                  .limit(1)
              )?.paddle ?? null)
            : null)
        if (!paddle) throw unprocessable({ field_winner_bidder: ['Give the winning bidder or their paddle.'] })
        // The station has asked its clerk already; the hub records what it was sent.
        await call(ctx, 'clerking.sell', { itemId, paddle, amount, confirm: true }, alreadyThere)
      } else if (s === 'unsold' || s === 'passed') {
        await call(ctx, 'clerking.pass', { itemId }, alreadyThere)
      } else if (s === null) {
        if (status === 'unsold') await call(ctx, 'clerking.reopen', { itemId }, alreadyThere)
      } else {
        throw unprocessable({ field_sold_status: ['Must be sold, unsold or null.'] })
      }
    } else {
      throw unprocessable({ request: ['The venue hub records lot results only; change other fields on Circuit.'] })
    }
    return single(deps.itemJson(itemId, ctx))
  })

  router.delete('delete-winning-bid/:id', async (ctx): Promise<Reply> => {
    const item = itemOr404(db, ctx.params.id)
    if (item.status !== 'sold') throw unprocessable({ item: ['Item has no winning bid.'] })
    await call(ctx, 'clerking.reopen', { itemId: item.id })
    return command({
      success: true,
      item_id: item.id,
      previous_winner: item.winner_paddle,
      previous_hammer_price: item.hammer === null ? null : String(item.hammer)
    })
  })

  // Phone cards: POST upserts one per client and session; DELETE by id(s).
  router.post('phone_bidder_cards', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const sessionId = idOf(b.session_id)
    const clientId = idOf(b.client_id)
    if (!sessionId || !clientId) throw unprocessable({ session_id: ['A card needs its session and client.'] })
    const itemIds = Array.isArray(b.lots) ? b.lots.map((x) => idOf(x)).filter((x): x is string => x !== null) : []
    const lots = itemIds.length
      ? db.all(db.q.selectFrom('items').select('lot').where('id', 'in', jsonValues(itemIds))).map((l) => l.lot)
      : []
    if (lots.length !== itemIds.length) throw unprocessable({ lots: ['A lot on the card is not in this sale.'] })
    const existed = db.all(
      db.q
        .selectFrom('phone_bidder_cards')
        .select('id')
        .where('session_id', '=', sessionId)
        .where('client_id', '=', clientId)
    ).length
    const card = await call<{ id: string }>(ctx, 'phoneCards.save', {
      card: {
        sessionId,
        clientId,
        ...(strOrNull(b.paddle_number) ? { paddle: strOrNull(b.paddle_number) } : {}),
        ...(b.phone !== undefined ? { phone: strOrNull(b.phone) } : {}),
        ...(b.staff !== undefined ? { staffId: idOf(b.staff) } : {}),
        lots
      }
    })
    return single(deps.cardJson(card!.id, ctx), existed ? 200 : 201)
  })

  router.delete('phone_bidder_cards', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const ids = [idOf(b.id), ...(Array.isArray(b.ids) ? b.ids.map(idOf) : [])].filter((x): x is string => x !== null)
    if (!ids.length) throw unprocessable({ id: ['Give the card id (or ids).'] })
    const deleted: string[] = []
    for (const cardId of ids) {
      const r = await call<{ deleted: string }>(ctx, 'phoneCards.delete', { cardId }, (e) => e.code === 'not_found')
      if (r) deleted.push(cardId)
    }
    return command({ deleted })
  })

  // Orders: status and the list of charges (PATCH replaces the list, as on Circuit).
  router.patch('orders/:id', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const orderId = resolveOrderId(db, ctx.params.id)
    if (!db.first(db.q.selectFrom('orders').select('id').where('id', '=', orderId)))
      throw notFound(`Order with ID ${orderId} does not exist`)
    if (typeof b.status === 'string') {
      if (!['new', 'in_process', 'finished'].includes(b.status))
        throw unprocessable({ status: ['The venue hub moves orders to new, in process or finished.'] })
      await call(ctx, 'checkout.setStatus', { orderId, status: b.status }, alreadyThere)
    }
    if (Array.isArray(b.additional_charges)) await setCharges(ctx, db, orderId, b.additional_charges)
    return single(deps.orderJson(orderId, ctx))
  })

  router.patch('order-split', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const orderId = resolveOrderId(db, idOf(b.order) ?? '')
    const itemIds = Array.isArray(b.items) ? b.items.map(idOf).filter((x): x is string => x !== null) : []
    const both = await call<{ id: string }[]>(ctx, 'checkout.split', { orderId, itemIds })
    return command({ new_order_id: both![1].id, original_order_id: both![0].id, moved_items: itemIds })
  })

  router.post('order-create-credit-note/:id', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body ?? {})
    const orderId = resolveOrderId(db, ctx.params.id)
    const itemIds = Array.isArray(b.items) ? b.items.map(idOf).filter((x): x is string => x !== null) : []
    const note = await call<{ id: string }>(ctx, 'checkout.creditNote', { orderId, itemIds })
    return command({ credit_note_order_nid: note!.id })
  })

  router.post('order-cancel-and-reissue/:id', async (ctx): Promise<Reply> => {
    const orderId = resolveOrderId(db, ctx.params.id)
    const reissued = await call<{ id: string }>(ctx, 'checkout.cancelReissue', { orderId })
    const note = db.first(
      db.q
        .selectFrom('orders')
        .select('id')
        .where('type', '=', 'credit_note')
        .where((eb) => eb.or([eb('made_from', '=', orderId), eb('credit_for', '=', orderId)]))
        .orderBy('created', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
    )
    return command({ new_order_nid: reissued!.id, credit_note_nid: note?.id ?? null })
  })

  // Payments: recorded through the desk's own call, keeping the station's reference.
  router.post('transactions', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const orderId = resolveOrderId(db, idOf(b.order) ?? '')
    const method = normaliseTransactionType(
      String(b.transaction_type ?? ''),
      b.credit_card_type != null || b.credit_card_last_4_digits != null
    )
    const decimals = decimalsOf(db)
    const amount =
      typeof b.amount === 'string'
        ? parseDecimalMinor(b.amount, { decimals })
        : typeof b.amount === 'number'
          ? b.amount
          : null
    if (amount === null || amount <= 0) throw unprocessable({ amount: ['Must be a positive amount.'] })
    const reference = strOrNull(b.info) ?? undefined
    const base = { orderId, amount, confirm: true, ...(reference ? { reference } : {}) }
    const input =
      method === 'card'
        ? {
            ...base,
            method,
            cardType: strOrNull(b.credit_card_type) ?? 'Card',
            last4: strOrNull(b.credit_card_last_4_digits) ?? '0000'
          }
        : method === 'cheque'
          ? {
              ...base,
              method,
              chequeNumber: strOrNull(b.cheque_number) ?? '',
              chequeDate: strOrNull(b.cheque_date) ?? strOrNull(b.transaction_date) ?? '',
              ...(idOf(b.bank) ? { bankId: idOf(b.bank) } : {})
            }
          : method === 'wire'
            ? {
                ...base,
                method,
                account: strOrNull(b.bank_account_number) ?? '',
                ...(idOf(b.bank) ? { bankId: idOf(b.bank) } : {}),
                ...(strOrNull(b.bank_branch) ? { branch: strOrNull(b.bank_branch) } : {})
              }
            : method === 'cash'
              ? { ...base, method }
              : null
    if (!input)
      throw unprocessable({
        transaction_type: [`The venue hub takes cash, card, cheque or wire, not "${String(b.transaction_type)}".`]
      })
    const r = await call<{ payment: { id: string } }>(ctx, 'checkout.pay', input)
    return single(deps.transactionJson(r!.payment.id, ctx), 201)
  })

  // A release at another station's collection desk (Saleroom's own route; Circuit has no collections):
  // kept as made there, keyed by its release id, so a station's replay changes nothing (200, not 201).
  router.post('saleroom-collections', async (ctx): Promise<Reply> => {
    const b = requireObject(ctx.body)
    const releaseId = idOf(b.id)
    if (!releaseId) throw unprocessable({ id: ['Give the release id.'] })
    const lots = Array.isArray(b.lots) ? b.lots : null
    if (!lots?.length) throw unprocessable({ lots: ['A release has its lots.'] })
    const input = {
      id: releaseId,
      saleId: idOf(b.sale) ?? '',
      clientId: idOf(b.client),
      collectedBy: strOrNull(b.collected_by) ?? '',
      note: strOrNull(b.note),
      releasedBy: strOrNull(b.released_by) ?? '',
      station: strOrNull(b.station) ?? '',
      at: strOrNull(b.at) ?? '',
      lots: lots.map((x) => {
        const l = requireObject(x)
        return {
          itemId: idOf(l.item) ?? '',
          lot: strOrNull(l.lot) ?? '',
          paddle: strOrNull(l.paddle),
          confirmedReason: strOrNull(l.confirmed_reason)
        }
      })
    }
    const r = await call<{ recorded: boolean }>(ctx, 'warehouse.recordRelease', input)
    return single(deps.collectionJson(releaseId, ctx), r!.recorded ? 201 : 200)
  })

  router.delete('transactions/:id', async (ctx): Promise<Reply> => {
    const id = ctx.params.id
    const row = db.first(
      db.q
        .selectFrom('transactions')
        .select('voided_at')
        .where((eb) => eb.or([eb('id', '=', id), eb('server_id', '=', id)]))
    )
    if (!row || row.voided_at !== null) throw notFound(`Transaction with ID ${id} does not exist`)
    await call(ctx, 'checkout.voidPayment', { paymentId: id, reason: `Voided at ${ctx.who.station}` })
    return { status: 204 }
  })
}

function decimalsOf(db: Replica): number {
  const text = readKeyed(db, 'sync_state', 'circuit_currency')
  const d = text !== null ? (JSON.parse(text) as { decimals?: unknown }).decimals : undefined
  return typeof d === 'number' ? d : 2
}

/** Replace an order's charges with the list sent: remove what is not in it, add what is missing. */
async function setCharges(ctx: HubCtx, db: Replica, orderId: string, list: Json[]): Promise<void> {
  const decimals = decimalsOf(db)
  const wanted = list.map((c) => {
    const o = requireObject(c)
    const amount =
      typeof o.amount === 'string'
        ? parseDecimalMinor(o.amount, { decimals })
        : typeof o.amount === 'number'
          ? o.amount
          : null
    const termId = idOf(o.term)
    if (!termId || amount === null || amount <= 0)
      throw unprocessable({ additional_charges: ['Each charge needs its term and a positive amount.'] })
    const rate = o.tax === null || o.tax === undefined ? null : parseDecimalMinor(String(o.tax), { decimals: 2 })
    return { termId, amount, taxRateBp: rate, description: strOrNull(o.description) }
  })
  const key = (c: { termId: string | null; amount: number; taxRateBp: number | null }) =>
    `${c.termId}|${c.amount}|${c.taxRateBp ?? ''}`
  const have = db.all(
    db.q
      .selectFrom('order_charges')
      .select(['id', 'term_id', 'amount', 'tax_rate_bp'])
      .where('order_id', '=', orderId)
      .orderBy('id')
  )
  const left = wanted.map(key)
  for (const c of have) {
    const k = key({ termId: c.term_id, amount: c.amount, taxRateBp: c.tax_rate_bp })
    const i = left.indexOf(k)
    if (i >= 0) left.splice(i, 1)
    else await call(ctx, 'checkout.removeCharge', { orderId, chargeId: c.id })
  }
  for (const c of wanted) {
    const i = left.indexOf(key(c))
    if (i < 0) continue
    left.splice(i, 1)
    await call(ctx, 'checkout.addCharge', {
      orderId,
      termId: c.termId,
      amount: c.amount,
      ...(c.taxRateBp !== null ? { taxRateBp: c.taxRateBp } : {}),
      ...(c.description ? { description: c.description } : {})
    })
  }
}
