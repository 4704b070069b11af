// A lot's clerking result as one small value: what the podium records and
// what the outbox compares with Circuit's record before sending.
import { formatMoney } from '../../src-shared/money'
import type { ClerkStatus } from '../../src-shared/contract'

export interface ClerkState {
  status: ClerkStatus
  hammer: number | null
  winnerClientId: string | null
  paddle: string | null
}

export const UNCLERKED: ClerkState = { status: 'available', hammer: null, winnerClientId: null, paddle: null }

/** The replica keeps Circuit's "passed" as unsold (one status for the podium). */
export function normaliseStatus(status: string): ClerkStatus {
  if (status === 'sold' || status === 'withdrawn') return status
  if (status === 'unsold' || status === 'passed') return 'unsold'
  return 'available'
}

export function clerkStateOfRow(row: {
  status: string
  hammer: number | null
  winner_client_id: string | null
  winner_paddle: string | null
}): ClerkState {
  const status = normaliseStatus(row.status)
  if (status !== 'sold') return { status, hammer: null, winnerClientId: null, paddle: null }
  return { status, hammer: row.hammer, winnerClientId: row.winner_client_id, paddle: row.winner_paddle }
}

/**
 * Same result? A sold lot is the same sale when price and buyer agree; the
 * buyer is compared by client when both sides know it, else by paddle.
 */
export function sameResult(a: ClerkState, b: ClerkState): boolean {
  if (a.status !== b.status) return false
  if (a.status !== 'sold') return true
  if (a.hammer !== b.hammer) return false
  if (a.winnerClientId && b.winnerClientId) return a.winnerClientId === b.winnerClientId
  return (a.paddle ?? '') === (b.paddle ?? '')
}

export function describeResult(s: ClerkState): string {
  switch (s.status) {
    case 'sold':
      return `sold to ${s.paddle ? `paddle ${s.paddle}` : `client ${s.winnerClientId ?? '?'}`} for ${formatMoney(s.hammer ?? 0)}`
    case 'unsold':
      return 'passed'
    case 'withdrawn':
      return 'withdrawn'
    default:
      return 'not clerked'
  }
}

/** The outbox operation that takes a lot to a result. */
export function opFor(target: ClerkState): 'clerk.sell' | 'clerk.pass' | 'clerk.withdraw' | 'clerk.reopen' {
  switch (target.status) {
    case 'sold':
      return 'clerk.sell'
    case 'unsold':
      return 'clerk.pass'
    case 'withdrawn':
      return 'clerk.withdraw'
    default:
      return 'clerk.reopen'
  }
}

/** What an item outbox entry carries. */
export interface ClerkPayload {
  saleId: string
  lot: string
  /** The lot as this station saw it when the clerk acted: what Circuit should still hold. */
  base: ClerkState
  /** The result to record. */
  target: ClerkState
}
