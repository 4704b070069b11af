// How a clerking entry reaches Circuit: the outbox sender's handler for
// entity type "item". The Circuit calls themselves are chosen in one place,
// src-main/circuit/clerking-ops.ts.
import type { CircuitApiClient } from '../circuit'
import * as ops from '../circuit/clerking-ops'
import { CircuitConfigError } from '../circuit/errors'
import type { CircuitItem } from '../circuit/types'
import type { Replica } from '../db/replica'
import type { OutboxRow } from '../db/schema'
import type { Decision, OpHandler } from '../sync/op-handler'
import { writeItem } from '../sync/apply'
import { describeResult, normaliseStatus, sameResult, type ClerkPayload, type ClerkState } from './state'

function serverState(item: CircuitItem): ClerkState {
  const s = ops.clerkState(item)
  const status = normaliseStatus(s.status)
  if (status !== 'sold') return { status, hammer: null, winnerClientId: null, paddle: null }
  return { status, hammer: s.hammer, winnerClientId: s.winnerClientId, paddle: item.winnerPaddle }
}

function payloadOf(entry: OutboxRow): ClerkPayload {
  return JSON.parse(entry.payload) as ClerkPayload
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

export function itemOpHandler(db: Replica): OpHandler<CircuitItem> {
  return {
    entityType: 'item',

    readBack: (client: CircuitApiClient, ids: string[]) => ops.readItems(client, ids),

    decide(entry, server): Decision {
      const p = payloadOf(entry)
      const now = serverState(server)
      if (sameResult(now, p.target)) return { kind: 'applied' }
      if (sameResult(now, p.base)) return { kind: 'send' }
      return { kind: 'conflict', ours: describeResult(p.target), theirs: describeResult(now) }
    },

    async send(client, entry, server) {
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
          return ops.sell(client, id, { clientId, paddle: p.target.paddle, amount: p.target.hammer! })
        }
        case 'unsold':
          return ops.pass(client, id)
        case 'withdrawn':
          return ops.withdraw(client, id)
        case 'available':
          if (from === 'available') return server
          return ops.reopen(client, id, from)
      }
    },

    verify(entry, answer) {
      const p = payloadOf(entry)
      const got = serverState(answer)
      if (sameResult(got, p.target)) return null
      return `Circuit recorded lot ${p.lot} as ${describeResult(got)}, not ${describeResult(p.target)}`
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
