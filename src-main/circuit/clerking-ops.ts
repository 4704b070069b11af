// Which Circuit call records each clerking result, in one place. The outbox
// sender (src-main/clerking/item-sync.ts) calls only these.
//
// - sold:      PATCH datatable-items/{id} with the Item History fields
//              (field_sold_for_amount in integer cents, field_winner_bidder,
//              field_bidder_alias, field_sold_status "sold") — items/update.html.
// - passed:    PATCH … field_sold_status PASS_STATUS. The docs list both
//              "unsold" and "passed" as statuses; the data import writes UNSOLD,
//              so "unsold" is what we send.
// - withdrawn: PATCH … field_withdrawn 1 (FIELD-NOTES, items/update.html's own
//              example). README.txt's `items-bulk update_status` does the same
//              for many lots, but as a queued bulk job: its answer does not
//              carry the item to verify, so single PATCHes are used.
// - back to available: from sold, DELETE delete-winning-bid/{id} (legacy
//              README); from withdrawn, PATCH field_withdrawn 0; from passed,
//              PATCH field_sold_status null — ASSUMED (no documented call: a new
//              Item History record without a status).
import type { CircuitApiClient } from './client'
import { CircuitConfigError, CircuitHttpError } from './errors'
import type { CircuitItem } from './types'

export const PASS_STATUS = 'unsold'

export interface ClerkSnapshot {
  status: 'available' | 'sold' | 'unsold' | 'withdrawn'
  hammer: number | null
  winnerClientId: string | null
}

/** Circuit's item as a clerking result ("passed" counts as unsold). */
export function clerkState(item: CircuitItem): ClerkSnapshot {
  const status = item.status === 'passed' ? 'unsold' : item.status
  if (status !== 'sold') return { status, hammer: null, winnerClientId: null }
  return { status, hammer: item.hammer, winnerClientId: item.winnerClientId }
}

/** Fields a read-back needs. */
const READ_FIELDS = [
  'id',
  'lot',
  'lot_number',
  'lot_letter',
  'title',
  'description',
  'sale',
  'status',
  'sold_status',
  'hammer_price',
  'winner',
  'bidder_alias',
  'estimate_low',
  'estimate_high',
  'reserve_price',
  'opening_price',
  'consignment',
  'consignor_name',
  'category',
  'updated'
]

export const READ_BATCH = 100

/** Up to 100 items in one request, keyed by id; ids Circuit does not have are absent. */
export async function readItems(client: CircuitApiClient, ids: string[]): Promise<Map<string, CircuitItem>> {
  if (ids.length > READ_BATCH) throw new CircuitConfigError(`readItems takes at most ${READ_BATCH} ids`)
  const out = new Map<string, CircuitItem>()
  if (ids.length === 0) return out
  const page = await client.fetchPage('items.list', { filter: { id: { in: ids } }, fields: READ_FIELDS }, 0, READ_BATCH)
  for (const item of page.rows) out.set(item.id, item)
  return out
}

/** `readAs`: the lot's `updated` as read back before sending (a venue hub applies the change only if it still is). */
async function patched(
  client: CircuitApiClient,
  itemId: string,
  fields: Record<string, unknown>,
  readAs?: string | null
) {
  const item = await client.items.patch(itemId, fields, readAs)
  // An empty answer proves nothing: read the item back.
  return item ?? client.items.get(itemId)
}

export function sell(
  client: CircuitApiClient,
  itemId: string,
  sale: { clientId: string; paddle: string | null; amount: number },
  readAs?: string | null
): Promise<CircuitItem> {
  return patched(
    client,
    itemId,
    {
      field_sold_for_amount: sale.amount,
      field_winner_bidder: sale.clientId,
      ...(sale.paddle ? { field_bidder_alias: sale.paddle } : {}),
      field_sold_status: 'sold'
    },
    readAs
  )
}

export function pass(client: CircuitApiClient, itemId: string, readAs?: string | null): Promise<CircuitItem> {
  return patched(client, itemId, { field_sold_status: PASS_STATUS }, readAs)
}

export function withdraw(client: CircuitApiClient, itemId: string, readAs?: string | null): Promise<CircuitItem> {
  return patched(client, itemId, { field_withdrawn: true }, readAs)
}

/** A replayed delete-winning-bid answers 422 "not sold": the change had already applied. */
export function isNotSoldAnswer(err: unknown): boolean {
  return err instanceof CircuitHttpError && err.status === 422 && /no winning bid|not sold/i.test(err.message)
}

export async function unsell(client: CircuitApiClient, itemId: string): Promise<CircuitItem> {
  try {
    await client.items.deleteWinningBid(itemId)
  } catch (err) {
    if (!isNotSoldAnswer(err)) throw err
  }
  return client.items.get(itemId)
}

export function reopen(
  client: CircuitApiClient,
  itemId: string,
  from: 'sold' | 'unsold' | 'withdrawn' | 'available'
): Promise<CircuitItem> {
  switch (from) {
    case 'sold':
      return unsell(client, itemId)
    case 'withdrawn':
      return patched(client, itemId, { field_withdrawn: false })
    case 'unsold':
      return patched(client, itemId, { field_sold_status: null })
    default:
      return client.items.get(itemId)
  }
}
