// Handing lots out of the door. A release is one buyer's lots going out
// together (one gate pass). It is kept on this station and in the audit log,
// never sent to Circuit: the API has no field for it. A station joined to a
// venue hub queues it for the hub in the same transaction (collection-sync.ts),
// so every station at the venue sees it; a station direct to Circuit queues
// nothing, as there is no one to share it with. A lot the desk sees
// unpaid (by the checkout's own balance), or packed to ship, is not released
// on the first Enter: the reasons come back as needs_confirmation, and a
// second call with confirm records them with the lots and in the audit.
import type { RecordReleaseResult, ReleaseResult } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import { iso } from '../core/clock'
import {
  clientName,
  collectionsOf,
  firstPaddle,
  lotPayment,
  lotsByIds,
  money,
  shippingOf,
  STATUS_WORDS,
  type WarehouseDeps
} from './desk'
import {
  INSERT_COLLECTION,
  releaseRecord,
  sharesCollections,
  writeRelease,
  type SharedRelease
} from './collection-sync'

export interface ReleaseDeps extends WarehouseDeps {
  actions: Actions
}

export interface ReleaseInput {
  itemIds: string[]
  collectedBy: string
  note?: string
  confirm?: boolean
}

const when = (at: number) => iso(at).slice(0, 16).replace('T', ' ') + ' UTC'

export function release(deps: ReleaseDeps, input: ReleaseInput): ReleaseResult {
  const { db, balances, actions } = deps
  const ids = [...new Set(input.itemIds)]
  const lots = lotsByIds(db, ids)
  const missing = ids.filter((id) => !lots.some((l) => l.id === id))
  if (missing.length) {
    throw new AppError('not_found', `There is no lot ${missing.join(', ')} on this station.`, {
      itemIds: [`Not on this station: ${missing.join(', ')}.`]
    })
  }
  const unsold = lots.filter((l) => l.status !== 'sold' || l.winner_client_id === null)
  if (unsold.length) {
    throw new AppError(
      'conflict',
      unsold
        .map(
          (l) => `Lot ${l.lot} is ${STATUS_WORDS[l.status] ?? 'not sold to a known buyer'}: only a sold lot goes out.`
        )
        .join(' ')
    )
  }
  if (new Set(lots.map((l) => l.sale_id)).size > 1) {
    throw new AppError('invalid_input', 'Release the lots of one sale at a time.', {
      itemIds: ['Lots of more than one sale.']
    })
  }
  const buyers = new Set(lots.map((l) => l.winner_client_id))
  if (buyers.size > 1) {
    const who = lots.map((l) => `lot ${l.lot} is paddle ${l.winner_paddle ?? '?'}'s`).join(', ')
    throw new AppError('invalid_input', `One buyer at a time: ${who}.`, { itemIds: ['Lots of more than one buyer.'] })
  }
  const saleId = lots[0].sale_id
  const clientId = lots[0].winner_client_id!
  const gone = collectionsOf(db, ids)
  if (gone.size) {
    throw new AppError(
      'conflict',
      [...gone.values()]
        .map((c) => `Lot ${c.lot} went out already: collected by ${c.collected_by} on ${when(c.at)}.`)
        .join(' ') + ' Nothing was recorded.'
    )
  }

  // What needs a second look, per lot: not paid (the checkout's figures), or packed to ship.
  const balance = balances.buyer(saleId, clientId)
  const { shipmentByItem, boxByItem } = shippingOf(db, saleId, ids)
  const reasons = new Map<string, string[]>()
  const note = (itemId: string, text: string) => reasons.set(itemId, [...(reasons.get(itemId) ?? []), text])
  for (const l of lots) {
    const pay = lotPayment(balance, l.id)
    if (!pay.order) note(l.id, `Lot ${l.lot} is not on an invoice yet, so it is not paid.`)
    else if (!pay.paid) {
      note(l.id, `Lot ${l.lot} is not paid: ${money(db, pay.due ?? 0)} is due on invoice ${pay.order.number}.`)
    }
    if (shipmentByItem.has(l.id)) note(l.id, `Lot ${l.lot} is booked on a shipment.`)
    else if (boxByItem.has(l.id)) note(l.id, `Lot ${l.lot} is packed in box ${boxByItem.get(l.id)!.boxNumber} to ship.`)
  }
  const all = lots.flatMap((l) => reasons.get(l.id) ?? [])
  if (all.length && input.confirm !== true) {
    throw new AppError('needs_confirmation', `${all.join(' ')} Release anyway?`, { reasons: all })
  }

  const buyer = clientName(db, clientId)
  const paddle = lots[0].winner_paddle ?? firstPaddle(db, saleId, clientId)
  return actions.run((tx) => {
    const releaseId = `rel-${tx.newId()}`
    const collections = lots.map((l) => {
      const confirmed = reasons.get(l.id)?.join(' ') ?? null
      const lotPaddle = l.winner_paddle ?? paddle
      db.prepared(INSERT_COLLECTION).run({
        itemId: l.id,
        saleId,
        releaseId,
        clientId,
        paddle: lotPaddle,
        lot: l.lot,
        collectedBy: input.collectedBy,
        note: input.note ?? null,
        confirmedReason: confirmed,
        releasedBy: tx.who.actor,
        station: tx.who.station,
        at: tx.now
      })
      // The audit says it in words too: the CSV export is read by people, not only by programs.
      const summary = [
        `Lot ${l.lot} handed out to ${input.collectedBy} for paddle ${lotPaddle ?? '?'} (${buyer}).`,
        confirmed ? `Released after confirming: ${confirmed}` : 'Paid.',
        ...(input.note ? [`Note: ${input.note}`] : [])
      ].join(' ')
      tx.audit({
        action: 'warehouse.release',
        entityType: 'item',
        entityId: l.id,
        saleId,
        before: { lot: l.lot, collected: false },
        after: {
          lot: l.lot,
          collected: true,
          paddle: lotPaddle,
          buyer,
          collectedBy: input.collectedBy,
          releaseId,
          note: input.note ?? null,
          confirmedReason: confirmed,
          summary
        }
      })
      return { itemId: l.id, lot: l.lot, paddle: lotPaddle, collectedBy: input.collectedBy, at: iso(tx.now) }
    })
    // Joined to a venue hub: the release goes to the hub (and so to every station there), never to Circuit.
    if (sharesCollections(db)) {
      const shared = releaseRecord(db, releaseId)!
      tx.enqueue({
        entityType: 'collection',
        entityId: releaseId,
        op: 'collection.share',
        payload: shared,
        label: `Release of ${shared.lots.length === 1 ? 'lot' : 'lots'} ${shared.lots.map((l) => l.lot).join(', ')} to ${input.collectedBy}, for the venue hub`
      })
    }
    tx.changed('collection', ids, saleId)
    tx.changed('item', ids, saleId)
    return { releaseId, collections, confirmed: all }
  })
}

/**
 * A release another station recorded, taken by the venue hub (its POST saleroom-collections). Kept
 * as it was made — who released it, where, when — even where a lot already went out on another
 * release (two stations cut off from each other): both records stay, the desk shows the first. The
 * same release id again changes nothing.
 */
export function recordRelease(deps: ReleaseDeps, input: SharedRelease): RecordReleaseResult {
  const { db, actions } = deps
  if (releaseRecord(db, input.id)) return { releaseId: input.id, recorded: false }
  if (Number.isNaN(Date.parse(input.at))) {
    throw new AppError('invalid_input', 'The release has no valid time.', { at: ['An ISO time.'] })
  }
  const ids = [...new Set(input.lots.map((l) => l.itemId))]
  if (ids.length !== input.lots.length) {
    throw new AppError('invalid_input', 'A lot is named twice in the release.', { lots: ['Each lot once.'] })
  }
  const lots = lotsByIds(db, ids)
  const missing = ids.filter((id) => !lots.some((l) => l.id === id && l.sale_id === input.saleId))
  if (missing.length) {
    throw new AppError('not_found', `There is no lot ${missing.join(', ')} of sale ${input.saleId} here.`, {
      lots: [`Not here: ${missing.join(', ')}.`]
    })
  }
  return actions.run((tx) => {
    writeRelease(db, input)
    for (const l of input.lots) {
      tx.audit({
        action: 'warehouse.release',
        entityType: 'item',
        entityId: l.itemId,
        saleId: input.saleId,
        before: { lot: l.lot, collected: false },
        after: {
          lot: l.lot,
          collected: true,
          paddle: l.paddle,
          collectedBy: input.collectedBy,
          releaseId: input.id,
          note: input.note,
          confirmedReason: l.confirmedReason,
          releasedBy: input.releasedBy,
          station: input.station,
          summary: [
            `Lot ${l.lot} handed out to ${input.collectedBy} for paddle ${l.paddle ?? '?'} at ${input.station}`,
            `by ${input.releasedBy} on ${when(Date.parse(input.at))}.`,
            l.confirmedReason ? `Released after confirming: ${l.confirmedReason}` : '',
            input.note ? `Note: ${input.note}` : ''
          ]
            .filter(Boolean)
            .join(' ')
        }
      })
    }
    tx.changed('collection', ids, input.saleId)
    tx.changed('item', ids, input.saleId)
    return { releaseId: input.id, recorded: true }
  })
}
