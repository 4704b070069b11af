// The cheque register: per bank account, numbers only move forward. A cheque
// takes the next number when it is printed; a spoilt one is voided in the
// register and its number is never used again.
import type { ChequeAccount, ChequeLayoutSetting } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { ActionTx } from '../core/action'
import { iso } from '../core/clock'
import type { Replica } from '../db/replica'
import { DEFAULT_CHEQUE_LAYOUT } from './cheque-layout'

function nextNumber(db: Replica, bankAccountId: string): number {
  const set = db.sql<{ next_number: number }>(
    'SELECT next_number FROM cheque_accounts WHERE bank_account_id = ?',
    bankAccountId
  )[0]
  const used = db.sql<{ n: number | null }>(
    'SELECT max(number) AS n FROM cheque_register WHERE bank_account_id = ?',
    bankAccountId
  )[0].n
  return Math.max(set?.next_number ?? 1, (used ?? 0) + 1)
}

function bankLabel(db: Replica, bankAccountId: string): string {
  const t = db.sql<{ label: string }>(
    `SELECT label FROM reference_terms WHERE vocabulary = 'bank_accounts' AND id = ?`,
    bankAccountId
  )[0]
  if (!t) throw new AppError('not_found', `There is no bank account ${bankAccountId} on this station.`)
  return t.label
}

export function chequeAccount(db: Replica, bankAccountId: string): ChequeAccount {
  const label = bankLabel(db, bankAccountId)
  const entries = db
    .sql<{
      number: number
      transaction_id: string | null
      payee: string | null
      amount: number | null
      state: 'issued' | 'void'
      void_reason: string | null
      at: number
    }>('SELECT * FROM cheque_register WHERE bank_account_id = ? ORDER BY number DESC LIMIT 200', bankAccountId)
    .map((e) => ({
      bankAccountId,
      number: e.number,
      transactionId: e.transaction_id,
      payee: e.payee,
      amount: e.amount,
      state: e.state,
      voidReason: e.void_reason,
      at: iso(e.at)
    }))
  return { bankAccountId, label, nextNumber: nextNumber(db, bankAccountId), entries }
}

export function chequeAccounts(db: Replica): ChequeAccount[] {
  return db
    .sql<{ id: string }>(`SELECT id FROM reference_terms WHERE vocabulary = 'bank_accounts' ORDER BY label`)
    .map((t) => chequeAccount(db, t.id))
}

/** Inside the action that prints: the next number, recorded as issued. */
export function issueCheque(
  tx: ActionTx,
  db: Replica,
  c: { bankAccountId: string; transactionId: string; payee: string; amount: number; reprint: boolean }
): number {
  bankLabel(db, c.bankAccountId)
  const earlier = db.sql<{ bank_account_id: string; number: number }>(
    `SELECT bank_account_id, number FROM cheque_register WHERE transaction_id = ? AND state = 'issued'`,
    c.transactionId
  )
  if (earlier.length && !c.reprint) {
    throw new AppError(
      'conflict',
      `Cheque ${earlier.map((e) => e.number).join(', ')} was already printed for this payment. If it came out spoilt, print again with "reprint": it is voided and the next number is used.`
    )
  }
  for (const e of earlier) {
    db.exec(
      `UPDATE cheque_register SET state = 'void', void_reason = 'spoilt, reprinted' WHERE bank_account_id = ? AND number = ?`,
      e.bank_account_id,
      e.number
    )
  }
  const number = nextNumber(db, c.bankAccountId)
  db.exec(
    `INSERT INTO cheque_register (bank_account_id, number, transaction_id, payee, amount, state, at)
     VALUES (?, ?, ?, ?, ?, 'issued', ?)`,
    c.bankAccountId,
    number,
    c.transactionId,
    c.payee,
    c.amount,
    tx.now
  )
  tx.audit({
    action: earlier.length ? 'cheque.reprint' : 'cheque.issue',
    entityType: 'transaction',
    entityId: c.transactionId,
    before: earlier.length ? { voided: earlier.map((e) => e.number) } : undefined,
    after: { bankAccountId: c.bankAccountId, number, payee: c.payee, amount: c.amount }
  })
  return number
}

export function setNextNumber(tx: ActionTx, db: Replica, bankAccountId: string, next: number): void {
  bankLabel(db, bankAccountId)
  const current = nextNumber(db, bankAccountId)
  if (next < current) {
    throw new AppError('invalid_input', `Cheque numbers only move forward: the next is ${current} already.`)
  }
  db.exec(
    `INSERT INTO cheque_accounts (bank_account_id, next_number) VALUES (?, ?)
     ON CONFLICT(bank_account_id) DO UPDATE SET next_number = excluded.next_number`,
    bankAccountId,
    next
  )
  tx.audit({
    action: 'cheque.setNext',
    entityType: 'bank_account',
    entityId: bankAccountId,
    before: { next: current },
    after: { next }
  })
}

export function voidCheque(tx: ActionTx, db: Replica, bankAccountId: string, number: number, reason: string): void {
  bankLabel(db, bankAccountId)
  const entry = db.sql<{ state: string }>(
    'SELECT state FROM cheque_register WHERE bank_account_id = ? AND number = ?',
    bankAccountId,
    number
  )[0]
  if (entry?.state === 'void') throw new AppError('conflict', `Cheque ${number} is void already.`)
  if (entry) {
    db.exec(
      `UPDATE cheque_register SET state = 'void', void_reason = ? WHERE bank_account_id = ? AND number = ?`,
      reason,
      bankAccountId,
      number
    )
  } else {
    // A blank cheque spoilt before it was used: its number is voided too, and the register moves past it.
    if (number < nextNumber(db, bankAccountId)) {
      throw new AppError('not_found', `Cheque ${number} is not in the register.`)
    }
    db.exec(
      `INSERT INTO cheque_register (bank_account_id, number, state, void_reason, at) VALUES (?, ?, 'void', ?, ?)`,
      bankAccountId,
      number,
      reason,
      tx.now
    )
  }
  tx.audit({ action: 'cheque.void', entityType: 'bank_account', entityId: bankAccountId, after: { number, reason } })
}

const LAYOUT_KEY = 'chequeLayout'

export function chequeLayout(db: Replica): ChequeLayoutSetting {
  const row = db.sql<{ value: string }>('SELECT value FROM settings WHERE key = ?', LAYOUT_KEY)[0]
  return row ? (JSON.parse(row.value) as ChequeLayoutSetting) : DEFAULT_CHEQUE_LAYOUT
}

export function setChequeLayout(tx: ActionTx, db: Replica, layout: ChequeLayoutSetting): void {
  const before = chequeLayout(db)
  db.exec(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    LAYOUT_KEY,
    JSON.stringify(layout),
    tx.now
  )
  tx.audit({ action: 'cheque.layout', entityType: 'settings', before, after: layout })
}
