// The clerk's actions. Each one checks what it can locally, then records the
// result, the outbox entry for Circuit and the audit entry in one transaction
// (core/action.ts). The screen never waits for the network.
import { isOnBidSteps, nearestSteps } from '../../src-shared/bid-steps'
import type { ClerkResult } from '../../src-shared/contract'
import { formatMoney as formatIn } from '../../src-shared/money'
import { houseCurrency } from '../core/currency'
import { AppError } from '../../src-shared/rpc'
import type { Actions, ActionTx } from '../core/action'
import { readSigner } from '../core/settings'
import type { Replica } from '../db/replica'
import type { ItemRow } from '../db/schema'
import { podiumLot, saleBidSteps } from './board'
import { clerkStateOfRow, describeResult, opFor, type ClerkPayload, type ClerkState, UNCLERKED } from './state'

export interface ClerkingDeps {
  db: Replica
  actions: Actions
}

// The hammer's path uses plain SQL: the statements are prepared once and cached,
// where a query built each time would cost more than the write itself.

type ClerkItem = Pick<
  ItemRow,
  | 'id'
  | 'sale_id'
  | 'lot'
  | 'lot_sort'
  | 'title'
  | 'status'
  | 'hammer'
  | 'winner_client_id'
  | 'winner_paddle'
  | 'reserve'
  | 'estimate_high'
  | 'server_updated'
>

// The hammer's own statements stay plain prepared SQL: as compiled-once Kysely queries the hammer
// measured 1.64–1.70× the bare transaction against 1.49–1.54× this way (`npm run bench`, write-path).
function loadItem(db: Replica, itemId: string): ClerkItem {
  const item = db.sql<ClerkItem>(
    `SELECT id, sale_id, lot, lot_sort, title, status, hammer, winner_client_id, winner_paddle, reserve,
            estimate_high, server_updated
     FROM items WHERE id = ?`,
    itemId
  )[0]
  if (!item) throw new AppError('not_found', `There is no lot with id ${itemId} on this station.`)
  return item
}

function nextUnclerked(db: Replica, item: ClerkItem): string | null {
  // The literal 'available' lets SQLite use the partial index items_unclerked.
  const next = db.sql<{ id: string }>(
    `SELECT id FROM items WHERE sale_id = ? AND lot_sort > ? AND status = 'available' ORDER BY lot_sort LIMIT 1`,
    item.sale_id,
    item.lot_sort
  )[0]
  return next?.id ?? null
}

/** Paddles in the sale that a slip of one key could have meant (for the "did you mean" warning). */
function similarPaddles(db: Replica, saleId: string, paddle: string): string[] {
  const all = db
    .all(db.q.selectFrom('sale_bidders').select('paddle').where('sale_id', '=', saleId))
    .map((r) => r.paddle)
  const near = (a: string, b: string) => {
    if (a.length === b.length) {
      const diff = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0)
      if (diff.length === 1) return true
      // Two neighbouring keys swapped: 240 for 204.
      return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]]
    }
    const [s, l] = a.length < b.length ? [a, b] : [b, a]
    if (l.length - s.length !== 1) return false
    for (let i = 0; i < l.length; i++) if (l.slice(0, i) + l.slice(i + 1) === s) return true
    return false
  }
  return all.filter((p) => near(p, paddle)).sort()
}

/** Record one result: the item row, the undo stack, the outbox entry and the audit entry. */
function record(
  deps: ClerkingDeps,
  item: ClerkItem,
  action: 'clerking.sell' | 'clerking.pass' | 'clerking.withdraw' | 'clerking.reopen' | 'clerking.undo',
  target: ClerkState,
  extra: { undoOf?: number } = {}
): ClerkResult {
  const { db } = deps
  const before = clerkStateOfRow(item)
  return deps.actions.run((tx: ActionTx) => {
    db.exec(
      'UPDATE items SET status = ?, hammer = ?, winner_client_id = ?, winner_paddle = ? WHERE id = ?',
      target.status,
      target.hammer,
      target.winnerClientId,
      target.paddle,
      item.id
    )
    const label = `Lot ${item.lot} ${describeResult(target)}`
    const payload: ClerkPayload = { saleId: item.sale_id, lot: item.lot, base: before, target }
    tx.enqueue({
      entityType: 'item',
      entityId: item.id,
      op: opFor(target),
      payload,
      label,
      baseVersion: item.server_updated
    })
    const auditId = tx.audit({
      action,
      entityType: 'item',
      entityId: item.id,
      saleId: item.sale_id,
      before: { lot: item.lot, ...before },
      after: { lot: item.lot, ...target, ...(extra.undoOf !== undefined ? { undoes: extra.undoOf } : {}) }
    })
    if (extra.undoOf !== undefined) {
      db.exec(`UPDATE clerk_actions SET undone_at = ? WHERE id = ?`, tx.now, extra.undoOf)
    } else {
      db.exec(
        `INSERT INTO clerk_actions (at, station, item_id, action, before, after, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        tx.now,
        tx.who.station,
        item.id,
        action,
        JSON.stringify(before),
        JSON.stringify(target),
        auditId
      )
    }
    // Whoever follows a lot's result (the buyer's order at checkout) does its part in this transaction.
    tx.fire('lot.result', {
      item: { id: item.id, sale_id: item.sale_id, lot: item.lot, title: item.title },
      before,
      target
    })
    tx.changed('item', [item.id], item.sale_id)
    return { lot: podiumLot(db, item.id), nextId: nextUnclerked(db, item), auditId }
  })
}

/** A hammer above this many times the lot's high estimate asks for a second Enter. */
const HIGH_ESTIMATE_TIMES = 5

export function sell(
  deps: ClerkingDeps,
  input: { itemId: string; paddle: string; amount: number; confirm?: boolean }
): ClerkResult {
  const { db } = deps
  const item = loadItem(db, input.itemId)
  const paddle = input.paddle.trim().toUpperCase()
  const bidder = db.sql<{ client_id: string }>(
    'SELECT client_id FROM sale_bidders WHERE sale_id = ? AND paddle = ?',
    item.sale_id,
    paddle
  )[0]
  const current = clerkStateOfRow(item)
  if (current.status === 'sold' && current.hammer === input.amount && current.paddle === paddle) {
    throw new AppError('conflict', `Lot ${item.lot} is already ${describeResult(current)}; nothing changed.`)
  }
  // The checks a clerk confirms with a second Enter: a confirmed hammer has been through them already.
  if (input.confirm !== true) soldWarnings(db, item, paddle, input.amount, bidder !== undefined, current)
  const target: ClerkState = {
    status: 'sold',
    hammer: input.amount,
    winnerClientId: bidder?.client_id ?? null,
    paddle
  }
  return record(deps, item, 'clerking.sell', target)
}

/** What a hammer should be asked about before it is taken; throws needs_confirmation with the reasons. */
function soldWarnings(
  db: Replica,
  item: ReturnType<typeof loadItem>,
  paddle: string,
  amount: number,
  known: boolean,
  current: ClerkState
): void {
  const reasons: string[] = []
  // In the house's currency.
  const formatMoney = (minor: number) => formatIn(minor, houseCurrency(db))
  if (!known) {
    const near = similarPaddles(db, item.sale_id, paddle)
    reasons.push(`Unknown paddle ${paddle}${near.length ? ` — did you mean ${near.join(' or ')}?` : '.'}`)
  }
  if (item.reserve !== null && amount < item.reserve) {
    reasons.push(`${formatMoney(amount)} is below the reserve of ${formatMoney(item.reserve)}.`)
  }
  // A figure far above the estimate is usually a slip: a correction typed after the old figure (8001000 for 1000).
  if (item.estimate_high !== null && item.estimate_high > 0 && amount > item.estimate_high * HIGH_ESTIMATE_TIMES) {
    reasons.push(
      `${formatMoney(amount)} is more than five times the high estimate of ${formatMoney(item.estimate_high)}.`
    )
  }
  const steps = saleBidSteps(db, item.sale_id)
  const around = steps && !isOnBidSteps(amount, steps) ? nearestSteps(amount, steps) : null
  if (around) {
    reasons.push(
      `${formatMoney(amount)} is off the bid steps: the nearest steps are ${formatMoney(around[0])} and ${formatMoney(around[1])}.`
    )
  }
  if (current.status === 'sold') reasons.push(`Lot ${item.lot} was already ${describeResult(current)}.`)
  if (reasons.length) throw new AppError('needs_confirmation', reasons.join(' '), { reasons })
}

function simple(
  deps: ClerkingDeps,
  itemId: string,
  action: 'clerking.pass' | 'clerking.withdraw' | 'clerking.reopen',
  target: ClerkState
): ClerkResult {
  const item = loadItem(deps.db, itemId)
  const current = clerkStateOfRow(item)
  if (current.status === target.status) {
    throw new AppError('conflict', `Lot ${item.lot} is already ${describeResult(current)}; nothing changed.`)
  }
  return record(deps, item, action, target)
}

export const pass = (deps: ClerkingDeps, itemId: string) =>
  simple(deps, itemId, 'clerking.pass', { ...UNCLERKED, status: 'unsold' })

export const withdraw = (deps: ClerkingDeps, itemId: string) =>
  simple(deps, itemId, 'clerking.withdraw', { ...UNCLERKED, status: 'withdrawn' })

export const reopen = (deps: ClerkingDeps, itemId: string) => simple(deps, itemId, 'clerking.reopen', UNCLERKED)

/** Revert this station's last clerking action that is not yet undone. */
export function undo(deps: ClerkingDeps): ClerkResult {
  const { db } = deps
  const last = db.sql<{ id: number; item_id: string; before: string; after: string; station: string }>(
    `SELECT id, item_id, before, after, station FROM clerk_actions
     WHERE undone_at IS NULL AND station = ? ORDER BY id DESC LIMIT 1`,
    readSigner(db).station
  )[0]
  if (!last) throw new AppError('not_found', 'There is nothing to undo on this station.')
  const item = loadItem(db, last.item_id)
  const now = clerkStateOfRow(item)
  const after = JSON.parse(last.after) as ClerkState
  if (!sameLocal(now, after)) {
    throw new AppError(
      'conflict',
      `Lot ${item.lot} has changed since (it is ${describeResult(now)}); nothing was undone. Reopen or re-clerk it instead.`
    )
  }
  return record(deps, item, 'clerking.undo', JSON.parse(last.before) as ClerkState, { undoOf: last.id })
}

function sameLocal(a: ClerkState, b: ClerkState): boolean {
  return a.status === b.status && a.hammer === b.hammer && (a.paddle ?? '') === (b.paddle ?? '')
}
