// The phone card's entity sync adapter (entity type "phone_card"): a pulled
// card written into the replica, and a card entry taken to Circuit. The
// record is the client's card in a session;
// its absence is a state too (before a card is made, after it is deleted),
// so the read-back answers every key asked, with `card: null` when Circuit
// has none. POST phone_bidder_cards is an upsert, so sending a card twice
// cannot make two; the read-back still decides first, as for every entry.
import type { CircuitApiClient } from '../circuit'
import { CircuitConfigError } from '../circuit/errors'
import type { CircuitPhoneCard } from '../circuit/types'
import type { Decision, EntityAdapter, Mismatch } from '../core/sync-adapter'
import type { OutboxRow } from '../db/schema'
import {
  cardHolds,
  cardKey,
  describeCard,
  parseCardKey,
  stateOfServerCard,
  writeServerCard,
  type CardPayload
} from './card-state'

export interface ServerCard {
  /** The card key (sale/session/client). */
  id: string
  updated: string | null
  card: CircuitPhoneCard | null
}

function payloadOf(entry: OutboxRow): CardPayload {
  return JSON.parse(entry.payload) as CardPayload
}

/** Every key's card, one listing per session asked about. */
export async function readCards(client: CircuitApiClient, keys: string[]): Promise<Map<string, ServerCard>> {
  const sessions = new Map<string, { saleId: string; sessionId: string }>()
  for (const k of keys) {
    const { saleId, sessionId } = parseCardKey(k)
    sessions.set(`${saleId}/${sessionId}`, { saleId, sessionId })
  }
  const found = new Map<string, CircuitPhoneCard>()
  for (const s of sessions.values()) {
    const cards = await client.listAll(
      'phoneCards.list',
      { filter: { sale_id: s.saleId, session_id: s.sessionId } },
      { range: 100 }
    )
    for (const c of cards) found.set(cardKey(c.saleId, c.sessionId, c.clientId), c)
  }
  const out = new Map<string, ServerCard>()
  for (const k of keys) {
    const card = found.get(k) ?? null
    out.set(k, { id: k, updated: card?.updated ?? null, card })
  }
  return out
}

export function phoneCardAdapter(): EntityAdapter<CircuitPhoneCard, ServerCard> {
  return {
    entityType: 'phone_card',
    // A card's identity is its client and session (Circuit upserts on them), not its id.
    pulls: {
      kind: 'phone_card',
      entityId: (c) => cardKey(c.saleId, c.sessionId, c.clientId),
      apply: (db, c) => writeServerCard(db, cardKey(c.saleId, c.sessionId, c.clientId), c)
    },
    push: {
      readBack: (client, keys) => readCards(client as CircuitApiClient, keys),

      decide(entry, server): Decision {
        const p = payloadOf(entry)
        const now = stateOfServerCard(server.card)
        if (cardHolds(now, p.target)) return { kind: 'applied' }
        if (cardHolds(now, p.base)) return { kind: 'send' }
        return { kind: 'conflict', ours: describeCard(p.target), theirs: describeCard(now) }
      },

      async send(c, entry, server) {
        const client = c as CircuitApiClient
        const p = payloadOf(entry)
        if (p.target === null) {
          if (!server.card) return server
          await client.phoneCards.delete(server.card.id)
          return { id: entry.entity_id, updated: null, card: null }
        }
        const answer = await client.phoneCards.upsert({
          sale_id: p.saleId,
          session_id: p.sessionId,
          client_id: p.clientId,
          paddle_number: p.target.paddle ?? undefined,
          phone: p.target.phone ?? undefined,
          lots: p.target.itemIds,
          staff: p.target.staffId ?? undefined
        })
        // An empty answer proves nothing: read the card back.
        const card = answer ?? (await readCards(client, [entry.entity_id])).get(entry.entity_id)!.card
        if (card && cardKey(card.saleId, card.sessionId, card.clientId) !== entry.entity_id) {
          throw new CircuitConfigError(`Circuit answered with another client's or session's card (${card.id})`)
        }
        return { id: entry.entity_id, updated: card?.updated ?? null, card }
      },

      verify(entry, answer): Mismatch | null {
        const p = payloadOf(entry)
        const got = stateOfServerCard(answer.card)
        if (cardHolds(got, p.target)) return null
        const [ours, theirs] = [describeCard(p.target), describeCard(got)]
        return {
          message: `Circuit holds ${p.clientName}'s phone card as ${theirs}, not ${ours}`,
          scope: 'record',
          ours,
          theirs
        }
      },

      applyServer(db, rec) {
        writeServerCard(db, rec.id, rec.card)
      },

      rebase(entry, server) {
        return { ...payloadOf(entry), base: stateOfServerCard(server.card) } satisfies CardPayload
      },

      rebaseAfterDiscard(next, discarded) {
        return { ...payloadOf(next), base: payloadOf(discarded).base } satisfies CardPayload
      }
    }
  }
}
