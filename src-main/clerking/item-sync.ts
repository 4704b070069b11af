// The lot's entity sync adapter (entity type "item"): a pulled lot written
// into the replica, and a clerking entry taken to Circuit. The Circuit calls
// themselves are chosen in one place, src-main/circuit/clerking-ops.ts.
import { lotSortKey } from '../../src-shared/lots'
import type { CircuitApiClient } from '../circuit'
import * as ops from '../circuit/clerking-ops'
import { CircuitConfigError } from '../circuit/errors'
import type { CircuitItem } from '../circuit/types'
import { moneyScale, type Decision, type EntityAdapter, type Mismatch } from '../core/sync-adapter'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import { rawJson, upsertById } from '../db/upsert'
import { describeResult, normaliseStatus, sameResult, type ClerkPayload, type ClerkState } from './state'

/** Circuit's version of a lot, written whatever waits in the outbox (the caller checked). */
export function writeItem(db: Replica, i: CircuitItem): void {
  upsertById(
    db,
    'items',
    {
      id: i.id,
      sale_id: i.saleId,
      lot: i.lot,
      lot_number: i.lotNumber,
      lot_letter: i.lotLetter,
      lot_sort: lotSortKey(i.lot),
      title: i.title,
      description: i.description,
      estimate_low: i.estimateLow,
      estimate_high: i.estimateHigh,
      reserve: i.reserve,
      opening_price: i.openingPrice,
      hammer: i.hammer,
      status: i.status,
      winner_client_id: i.winnerClientId,
      winner_paddle: i.winnerPaddle,
      consignment_id: i.consignmentId,
      consignor_name: i.consignorName,
      category: i.category,
      server_updated: i.updated,
      raw: rawJson(i.raw)
    },
    // The warehouse shelf is ours, not Circuit's: a pull never clears it.
    { location: null }
  )
}

function serverState(item: CircuitItem): ClerkState {
  const s = ops.clerkState(item)
  const status = normaliseStatus(s.status)
  if (status !== 'sold') return { status, hammer: null, winnerClientId: null, paddle: null }
  return { status, hammer: s.hammer, winnerClientId: s.winnerClientId, paddle: item.winnerPaddle }
}

/**
 * An entry's payload, read once: the sender decides, sends and verifies each
 * entry from it (and re-reads nothing that changed: a payload never changes
 * once written, and a changed text is a different key). Small and bounded.
 */
const payloads = new Map<string, ClerkPayload>()
function payloadOf(entry: OutboxRow): ClerkPayload {
  let p = payloads.get(entry.payload)
  if (!p) {
    if (payloads.size >= 256) payloads.clear()
    payloads.set(entry.payload, (p = JSON.parse(entry.payload) as ClerkPayload))
  }
  return p
}

/** A paddle typed at the podium that the replica did not know may have been registered since. */
function resolveWinner(db: Replica, p: ClerkPayload): string | null {
  if (p.target.winnerClientId) return p.target.winnerClientId
  if (!p.target.paddle) return null
  const b = db.first(
    db.q
      .selectFrom('sale_bidders')
      .select('client_id')
      .where('sale_id', '=', p.saleId)
      .where('paddle', '=', p.target.paddle)
  )
  return b?.client_id ?? null
}

export function itemAdapter(db: Replica): EntityAdapter<CircuitItem, CircuitItem> {
  return {
    entityType: 'item',
    pulls: { kind: 'item', entityId: (i) => i.id, apply: writeItem, asServerRecord: (i) => i },
    push: {
      readBack: (client, ids) => ops.readItems(client as CircuitApiClient, ids),

      decide(entry, server): Decision {
        const p = payloadOf(entry)
        const now = serverState(server)
        if (sameResult(now, p.target)) return { kind: 'applied' }
        if (sameResult(now, p.base)) return { kind: 'send' }
        return { kind: 'conflict', ours: describeResult(p.target), theirs: describeResult(now) }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        const id = entry.entity_id
        const from = serverState(server).status
        switch (p.target.status) {
          case 'sold': {
            const clientId = resolveWinner(db, p)
            if (!clientId) {
              throw new CircuitConfigError(
                `Paddle ${p.target.paddle} is not registered for this sale on Circuit. Register the bidder in Circuit, open the sale again to pull it, then press Retry.`
              )
            }
            return ops.sell(client, id, { clientId, paddle: p.target.paddle, amount: p.target.hammer! }, server.updated)
          }
          case 'unsold':
            return ops.pass(client, id, server.updated)
          case 'withdrawn':
            return ops.withdraw(client, id, server.updated)
          case 'available':
            if (from === 'available') return server
            return ops.reopen(client, id, from)
        }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const got = serverState(answer)
        if (sameResult(got, p.target)) return null
        const [ours, theirs] = [describeResult(p.target), describeResult(got)]
        return {
          message: `Circuit recorded lot ${p.lot} as ${theirs}, not ${ours}`,
          scope: moneyScale(got.hammer, p.target.hammer) ? 'all' : 'record',
          ours,
          theirs
        }
      },

      applyServer(replica, item) {
        writeItem(replica, item)
      },

      rebaseAfterDiscard(next, discarded) {
        return { ...payloadOf(next), base: payloadOf(discarded).base } satisfies ClerkPayload
      },

      rebase(entry, server) {
        const p = payloadOf(entry)
        return { ...p, base: serverState(server) } satisfies ClerkPayload
      }
    }
  }
}
