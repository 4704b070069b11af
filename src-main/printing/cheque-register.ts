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
import type { Kysely } from 'kysely'
import type { ChequeAccount, ChequeLayoutSetting } from '../../src-shared/contract'
import { AppError } from '../../src-shared/rpc'
import type { ActionTx } from '../core/action'
import { iso } from '../core/clock'
import type { Replica } from '../db/replica'
import type { Database } from '../db/schema'
import { DEFAULT_CHEQUE_LAYOUT } from './cheque-layout'

/** The register's tables (migration 5), as the queries of this file see them. */

// A cheque run numbers cheque after cheque, and the register's screen reads every account:
// these statements are compiled once.

const NEXT_SET = (q: Kysely<Database>, a: { bankAccountId: string }) =>
  q.selectFrom('cheque_accounts').select('next_number').where('bank_account_id', '=', a.bankAccountId)

const HIGHEST_USED = (q: Kysely<Database>, a: { bankAccountId: string }) =>
  q
    .selectFrom('cheque_register')
    .select((eb) => eb.fn.max<number | null>('number').as('n'))
    .where('bank_account_id', '=', a.bankAccountId)

const BANK_LABEL = (q: Kysely<Database>, a: { bankAccountId: string }) =>
  q
    .selectFrom('reference_terms')
    .select('label')
    .where('vocabulary', '=', 'bank_accounts')
    .where('id', '=', a.bankAccountId)

const PAYMENT_ORDER = (q: Kysely<Database>, a: { transactionId: string }) =>
  q
    .selectFrom('transactions as t')
    .innerJoin('orders as o', 'o.id', 't.order_id')
    .select((eb) => [
      't.amount',
      'o.type',
      eb.fn.coalesce('o.order_number', 'o.provisional_number', 'o.id').as('order_label')
    ])
    .where('t.id', '=', a.transactionId)

/** The latest 200 entries of an account's register. */
const ENTRIES = (q: Kysely<Database>, a: { bankAccountId: string }) =>
  q
    .selectFrom('cheque_register')
    .selectAll()
    .where('bank_account_id', '=', a.bankAccountId)
    .orderBy('number', 'desc')
    .limit(200)

/** The payment's cheques standing (not voided). */
const ISSUED_FOR = (q: Kysely<Database>, a: { transactionId: string }) =>
  q
    .selectFrom('cheque_register')
    .select(['bank_account_id', 'number'])
    .where('transaction_id', '=', a.transactionId)
    .where('state', '=', 'issued')

const VOID = (q: Kysely<Database>, a: { bankAccountId: string; number: number; reason: string }) =>
  q
    .updateTable('cheque_register')
    .set({ state: 'void', void_reason: a.reason })
    .where('bank_account_id', '=', a.bankAccountId)
    .where('number', '=', a.number)

const ISSUE = (
  q: Kysely<Database>,
  a: { bankAccountId: string; number: number; transactionId: string; payee: string; amount: number; at: number }
) =>
  q.insertInto('cheque_register').values({
    bank_account_id: a.bankAccountId,
    number: a.number,
    transaction_id: a.transactionId,
    payee: a.payee,
    amount: a.amount,
    state: 'issued',
    at: a.at
  })

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
  const set = db.prepared(NEXT_SET).first({ bankAccountId })
  const used = db.prepared(HIGHEST_USED).first({ bankAccountId })!.n
  return Math.max(set?.next_number ?? 1, (used ?? 0) + 1, highWater.highest(bankAccountId, skipDamaged) + 1)
}

function bankLabel(db: Replica, bankAccountId: string): string {
  const t = db.prepared(BANK_LABEL).first({ bankAccountId })
  if (!t) throw new AppError('not_found', `There is no bank account ${bankAccountId} on this station.`)
  return t.label
}

/**
 * A cheque is for money the house pays out: a refund (a negative payment, or one on a credit note)
 * or a consignor's settlement (a payment on a consignor order). A buyer's payment takes none.
 */
export function checkOutgoing(db: Replica, transactionId: string): void {
  const t = db.prepared(PAYMENT_ORDER).first({ transactionId })
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
    .prepared(ENTRIES)
    .all({ bankAccountId })
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
    .all(db.q.selectFrom('reference_terms').select('id').where('vocabulary', '=', 'bank_accounts').orderBy('label'))
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
  const earlier = db.prepared(ISSUED_FOR).all({ transactionId: c.transactionId })
  if (earlier.length && !c.reprint) {
    throw new AppError(
      'conflict',
      `Cheque ${earlier.map((e) => e.number).join(', ')} was already printed for this payment. If it came out spoilt, print again with "reprint": it is voided and the next number is used.`
    )
  }
  for (const e of earlier) {
    db.prepared(VOID).run({ bankAccountId: e.bank_account_id, number: e.number, reason: 'spoilt, reprinted' })
  }
  const number = nextNumber(db, highWater, c.bankAccountId)
  // Outside the database first: if the transaction then fails, a number is skipped, never reused.
  highWater.record(c.bankAccountId, number)
  db.prepared(ISSUE).run({
    bankAccountId: c.bankAccountId,
    number,
    transactionId: c.transactionId,
    payee: c.payee,
    amount: c.amount,
    at: tx.now
  })
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
  db.run(
    db.q
      .insertInto('cheque_accounts')
      .values({ bank_account_id: bankAccountId, next_number: next })
      .onConflict((oc) =>
        oc.column('bank_account_id').doUpdateSet((eb) => ({ next_number: eb.ref('excluded.next_number') }))
      )
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
  const entry = db.first(
    db.q
      .selectFrom('cheque_register')
      .select('state')
      .where('bank_account_id', '=', bankAccountId)
      .where('number', '=', number)
  )
  if (entry?.state === 'void') throw new AppError('conflict', `Cheque ${number} is void already.`)
  if (entry) {
    db.prepared(VOID).run({ bankAccountId, number, reason })
  } else {
    // A blank cheque spoilt before it was used: its number is voided too, and the register moves past it.
    if (number < nextNumber(db, highWater, bankAccountId)) {
      throw new AppError('not_found', `Cheque ${number} is not in the register.`)
    }
    highWater.record(bankAccountId, number)
    db.run(
      db.q
        .insertInto('cheque_register')
        .values({ bank_account_id: bankAccountId, number, state: 'void', void_reason: reason, at: tx.now })
    )
  }
  tx.audit({ action: 'cheque.void', entityType: 'bank_account', entityId: bankAccountId, after: { number, reason } })
}

const LAYOUT_KEY = 'chequeLayout'

export function chequeLayout(db: Replica): ChequeLayoutSetting {
  const row = db.first(db.q.selectFrom('settings').select('value').where('key', '=', LAYOUT_KEY))
  return row ? (JSON.parse(row.value) as ChequeLayoutSetting) : DEFAULT_CHEQUE_LAYOUT
}

export function setChequeLayout(tx: ActionTx, db: Replica, layout: ChequeLayoutSetting): void {
  const before = chequeLayout(db)
  db.run(
    db.q
      .insertInto('settings')
      .values({ key: LAYOUT_KEY, value: JSON.stringify(layout), updated_at: tx.now })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') }))
      )
  )
  tx.audit({ action: 'cheque.layout', entityType: 'settings', before, after: layout })
}
