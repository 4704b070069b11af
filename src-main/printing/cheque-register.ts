// The cheque register: per bank account, numbers only move forward. A cheque
// takes the next number when it is printed; a spoilt one is voided in the
// register and its number is never used again.
//
// The register lives in the database, so restoring a copy would take it back
// with it and hand out numbers already on paper. Each account's high-water mark
// (the highest number issued, voided or skipped) is therefore also kept in a
// small file outside the database: cheques/<account>.highwater in the data
// folder and, when one is set, in the second folder (Settings' backupFolder),
// written whole (temporary file, fsync, rename). The next number is the highest
// of the database and every high-water file, plus one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { ChequeAccount, ChequeLayoutSetting } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { ActionTx } from '../core/action'
import { iso } from '../core/clock'
import type { Replica } from '../db/replica'
import { DEFAULT_CHEQUE_LAYOUT } from './cheque-layout'

/** Each account's highest cheque number, kept outside the database. */
export interface HighWater {
  /**
   * The highest number the high-water files hold for the account; 0 when there is none. A damaged
   * file is an error, unless `skipDamaged` (setting the next number by hand, which rewrites it).
   */
  highest(bankAccountId: string, skipDamaged?: boolean): number
  /** Raises the mark to `number` in every folder (never lowers it); throws when a folder cannot take it. */
  record(bankAccountId: string, number: number): void
}

/** A file name for any account id: ids as Circuit sends them are plain, anything else goes hex. */
function fileName(bankAccountId: string): string {
  const plain = /^[A-Za-z0-9_-]{1,64}$/.test(bankAccountId)
  return `${plain ? bankAccountId : `x-${Buffer.from(bankAccountId).toString('hex')}`}.highwater`
}

function readMark(path: string, bankAccountId: string): number {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return 0
  }
  try {
    const mark = JSON.parse(text) as { bankAccountId?: unknown; highest?: unknown }
    if (mark.bankAccountId === bankAccountId && Number.isSafeInteger(mark.highest) && (mark.highest as number) >= 0) {
      return mark.highest as number
    }
  } catch {
    // Damaged: said below.
  }
  throw new AppError(
    'conflict',
    `The cheque register's high-water file ${path} is damaged. Check the last cheque number used on paper for this account and set the next number in Settings (F5).`
  )
}

/** Writes the file whole: a temporary file, fsynced, renamed over it, then the folder fsynced. */
function writeMark(folder: string, path: string, bankAccountId: string, highest: number): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.tmp`
  const fd = openSync(temporary, 'w', 0o600)
  try {
    writeSync(fd, `${JSON.stringify({ bankAccountId, highest })}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, path)
  try {
    const dir = openSync(folder, 'r')
    try {
      fsyncSync(dir)
    } finally {
      closeSync(dir)
    }
  } catch {
    // Folders cannot be opened for fsync on every system (Windows); the rename is what matters there.
  }
}

/** The high-water files of the data folder and of the second folder (read at each use: Settings may change it). */
export function highWaterFiles(dataDir: string, secondFolder: () => string | null): HighWater {
  const folders = () => {
    const out = [{ root: dataDir, required: false }]
    const second = secondFolder()
    if (second) out.push({ root: second, required: true })
    return out.map((f) => ({ ...f, dir: join(f.root, 'cheques') }))
  }
  return {
    highest(bankAccountId, skipDamaged = false) {
      let highest = 0
      for (const f of folders()) {
        try {
          highest = Math.max(highest, readMark(join(f.dir, fileName(bankAccountId)), bankAccountId))
        } catch (err) {
          if (!skipDamaged) throw err
        }
      }
      return highest
    },
    record(bankAccountId, number) {
      for (const f of folders()) {
        const path = join(f.dir, fileName(bankAccountId))
        let current = 0
        try {
          current = readMark(path, bankAccountId)
        } catch {
          // A damaged file is replaced by the mark being recorded.
        }
        if (current >= number) continue
        try {
          // The second folder is a drive or share that may be missing: never create it, only cheques/ in it.
          if (f.required && !statSync(f.root).isDirectory()) throw new Error('not a folder')
          writeMark(f.dir, path, bankAccountId, number)
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err)
          throw new AppError(
            'conflict',
            `The cheque register's high-water mark cannot be written to ${f.dir} (${reason}), so no number was used. ${
              f.required
                ? 'Connect the second folder, or choose another in Settings (F5), and try again.'
                : 'Check the data folder has room and can be written, and try again.'
            }`
          )
        }
      }
    }
  }
}

function nextNumber(db: Replica, highWater: HighWater, bankAccountId: string, skipDamaged = false): number {
  const set = db.sql<{ next_number: number }>(
    'SELECT next_number FROM cheque_accounts WHERE bank_account_id = ?',
    bankAccountId
  )[0]
  const used = db.sql<{ n: number | null }>(
    'SELECT max(number) AS n FROM cheque_register WHERE bank_account_id = ?',
    bankAccountId
  )[0].n
  return Math.max(set?.next_number ?? 1, (used ?? 0) + 1, highWater.highest(bankAccountId, skipDamaged) + 1)
}

function bankLabel(db: Replica, bankAccountId: string): string {
  const t = db.sql<{ label: string }>(
    `SELECT label FROM reference_terms WHERE vocabulary = 'bank_accounts' AND id = ?`,
    bankAccountId
  )[0]
  if (!t) throw new AppError('not_found', `There is no bank account ${bankAccountId} on this station.`)
  return t.label
}

/**
 * A cheque is for money the house pays out: a refund (a negative payment, or one on a credit note)
 * or a consignor's settlement (a payment on a consignor order). A buyer's payment takes none.
 */
export function checkOutgoing(db: Replica, transactionId: string): void {
  const t = db.sql<{ amount: number; type: string; order_label: string }>(
    `SELECT t.amount, o.type, coalesce(o.order_number, o.provisional_number, o.id) AS order_label
     FROM transactions t JOIN orders o ON o.id = t.order_id WHERE t.id = ?`,
    transactionId
  )[0]
  if (!t) throw new AppError('not_found', `There is no payment ${transactionId} on this station.`)
  if (t.amount < 0 || t.type === 'credit_note' || t.type === 'consignor') return
  throw new AppError(
    'invalid_input',
    `Payment ${transactionId} is money the house received on order ${t.order_label}; a cheque is only for money it pays out: a refund or a consignor's settlement. No cheque number was used.`
  )
}

export function chequeAccount(db: Replica, highWater: HighWater, bankAccountId: string): ChequeAccount {
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
  return { bankAccountId, label, nextNumber: nextNumber(db, highWater, bankAccountId), entries }
}

export function chequeAccounts(db: Replica, highWater: HighWater): ChequeAccount[] {
  return db
    .sql<{ id: string }>(`SELECT id FROM reference_terms WHERE vocabulary = 'bank_accounts' ORDER BY label`)
    .map((t) => chequeAccount(db, highWater, t.id))
}

/** Inside the action that prints: the next number, recorded as issued. */
export function issueCheque(
  tx: ActionTx,
  db: Replica,
  highWater: HighWater,
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
  const number = nextNumber(db, highWater, c.bankAccountId)
  // Outside the database first: if the transaction then fails, a number is skipped, never reused.
  highWater.record(c.bankAccountId, number)
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

export function setNextNumber(
  tx: ActionTx,
  db: Replica,
  highWater: HighWater,
  bankAccountId: string,
  next: number
): void {
  bankLabel(db, bankAccountId)
  const current = nextNumber(db, highWater, bankAccountId, true)
  if (next < current) {
    throw new AppError('invalid_input', `Cheque numbers only move forward: the next is ${current} already.`)
  }
  highWater.record(bankAccountId, next - 1)
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

export function voidCheque(
  tx: ActionTx,
  db: Replica,
  highWater: HighWater,
  bankAccountId: string,
  number: number,
  reason: string
): void {
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
    if (number < nextNumber(db, highWater, bankAccountId)) {
      throw new AppError('not_found', `Cheque ${number} is not in the register.`)
    }
    highWater.record(bankAccountId, number)
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
