// The cheque register on a real station (a real SQLite file in its own data
// folder): numbers never go back, not even when an older copy of the database
// is put back, because each account's high-water mark is also kept in files
// outside it (the data folder and the second folder); and a cheque is printed
// only for money the house pays out.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../src-main/app/boot'
import type { ChequeAccount, ChequePrintResult } from '../../src-shared/contract'
import type { RpcResult } from '../../src-shared/rpc'
import { tempDir, testCore } from '../helpers'

const ACCOUNT = '5'
let root: { dir: string; cleanup(): void }
let dataDir: string
let core: Core
// No scheduled copy to the second folder while a test runs (one would make the folder again).
const open = () => testCore(dataDir, { backupTickMs: 3_600_000 })

afterAll(() => root?.cleanup())

beforeEach(async () => {
  root = tempDir('saleroom-cheques-')
  dataDir = join(root.dir, 'data')
  core = await open()
  seed()
})
afterEach(async () => {
  await core.close()
  root.cleanup()
})

/** A bank account, a consignor's settlement, a buyer's card payment, a refund and a payment on a credit note. */
function seed(): void {
  const raw = core.replica()!.raw
  raw
    .prepare(`INSERT INTO reference_terms (vocabulary, id, label, raw) VALUES ('bank_accounts', ?, ?, '{}')`)
    .run(ACCOUNT, 'Barclays current ••• 1234')
  const order = raw.prepare(
    `INSERT INTO orders (id, order_number, type, status, owner_name, created) VALUES (?, ?, ?, 'locked', ?, '2026-03-07')`
  )
  order.run('co1', 'CS-0001', 'consignor', 'Henry Castellane')
  order.run('co2', 'CS-0002', 'consignor', 'Alice Moreton')
  order.run('co3', 'CS-0003', 'consignor', 'Priya Sharma')
  order.run('bo1', 'INV-0001', 'bidder', 'Margaret Ellison')
  order.run('cn1', 'CN-0001', 'credit_note', 'Margaret Ellison')
  const payment = raw.prepare(
    `INSERT INTO transactions (id, order_id, type, amount, date, bank_id) VALUES (?, ?, ?, ?, '2026-03-07', ?)`
  )
  payment.run('settle1', 'co1', 'Cheque', 125000, ACCOUNT)
  payment.run('settle2', 'co2', 'Cheque', 98050, ACCOUNT)
  payment.run('settle3', 'co3', 'Cheque', 40000, ACCOUNT)
  payment.run('card1', 'bo1', 'Payment', 443300, null)
  payment.run('refund1', 'bo1', 'Cheque', -93600, ACCOUNT)
  payment.run('cnpay1', 'cn1', 'Cheque', 93600, ACCOUNT)
}

const print = (transactionId: string, more: object = {}) =>
  core.dispatch('print.cheque', { transactionId, ...more }) as Promise<RpcResult<ChequePrintResult>>
async function number(transactionId: string, more: object = {}): Promise<number> {
  const r = await print(transactionId, more)
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.data.chequeNumber
}
async function account(): Promise<ChequeAccount> {
  const r = await core.dispatch('cheques.accounts', {})
  if (!r.ok) throw new Error(r.error.message)
  return (r.data as ChequeAccount[]).find((a) => a.bankAccountId === ACCOUNT)!
}

/** Closes the station, puts `copy` back as its database (as a restore would), and opens it again. */
async function putBack(copy: string): Promise<void> {
  await core.close()
  for (const suffix of ['-wal', '-shm']) rmSync(join(dataDir, `saleroom.db${suffix}`), { force: true })
  copyFileSync(copy, join(dataDir, 'saleroom.db'))
  core = await open()
}
/** A copy of the database file as it is now (taken with the station closed, so it is whole). */
async function copyOfDatabase(name: string): Promise<string> {
  await core.close()
  const copy = join(root.dir, name)
  copyFileSync(join(dataDir, 'saleroom.db'), copy)
  core = await open()
  return copy
}

describe('cheque numbers never go back', () => {
  it('after an older copy of the database is put back, the next cheque continues from the last one printed', async () => {
    expect(await number('settle1')).toBe(1)
    const copy = await copyOfDatabase('before-2-and-3.db')
    expect(await number('settle2')).toBe(2)
    expect(await number('settle3')).toBe(3)

    await putBack(copy)
    // The database remembers only cheque 1; the high-water mark outside it remembers 3.
    expect((await account()).entries.map((e) => e.number)).toEqual([1])
    expect((await account()).nextNumber).toBe(4)
    expect(await number('settle2', { reprint: true })).toBe(4)
    const mark = JSON.parse(readFileSync(join(dataDir, 'cheques', `${ACCOUNT}.highwater`), 'utf8'))
    expect(mark).toEqual({ bankAccountId: ACCOUNT, highest: 4 })
    // Written whole: no temporary file left beside it.
    expect(readdirSync(join(dataDir, 'cheques'))).toEqual([`${ACCOUNT}.highwater`])
  })

  it('the second folder keeps the mark too: a copy put back on a data folder that lost its marks still continues', async () => {
    const second = join(root.dir, 'usb')
    mkdirSync(second)
    expect((await core.dispatch('backups.configure', { folder: second })).ok).toBe(true)
    const copy = await copyOfDatabase('with-folder.db')
    expect(await number('settle1')).toBe(1)
    expect(await number('settle2')).toBe(2)
    expect(JSON.parse(readFileSync(join(second, 'cheques', `${ACCOUNT}.highwater`), 'utf8')).highest).toBe(2)

    await core.close()
    rmSync(join(dataDir, 'cheques'), { recursive: true })
    await putBack(copy)
    expect((await account()).nextNumber).toBe(3)
    expect(await number('settle3')).toBe(3)
  })

  it('voiding a blank ahead and setting the next number by hand move the mark forward too', async () => {
    expect(await number('settle1')).toBe(1)
    const copy = await copyOfDatabase('before-void.db')
    expect((await core.dispatch('cheques.void', { bankAccountId: ACCOUNT, number: 2, reason: 'torn' })).ok).toBe(true)
    expect((await core.dispatch('cheques.setNext', { bankAccountId: ACCOUNT, next: 50 })).ok).toBe(true)
    await putBack(copy)
    expect((await account()).nextNumber).toBe(50)
    const back = await core.dispatch('cheques.setNext', { bankAccountId: ACCOUNT, next: 10 })
    expect(!back.ok && back.error.message).toContain('only move forward: the next is 50')
  })

  it('a second folder that cannot take the mark stops the cheque before it takes a number', async () => {
    const second = join(root.dir, 'unplugged')
    mkdirSync(second)
    expect((await core.dispatch('backups.configure', { folder: second })).ok).toBe(true)
    rmSync(second, { recursive: true })
    const r = await print('settle1')
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(!r.ok && r.error.message).toMatch(/cannot be written to .*unplugged.*no number was used.*Settings \(F5\)/)
    expect((await account()).entries).toEqual([])
    expect(existsSync(second)).toBe(false) // never created on the station's own disk
    expect(existsSync(join(dataDir, 'prints'))).toBe(false)
  })

  it('a damaged high-water file is said, and setting the next number by hand mends it', async () => {
    expect(await number('settle1')).toBe(1)
    writeFileSync(join(dataDir, 'cheques', `${ACCOUNT}.highwater`), '{"bankAccountId":"5","high')
    const r = await print('settle2')
    expect(!r.ok && r.error.message).toMatch(/high-water file .* is damaged.*set the next number/)
    expect((await core.dispatch('cheques.setNext', { bankAccountId: ACCOUNT, next: 7 })).ok).toBe(true)
    expect(await number('settle2')).toBe(7)
  })
})

describe('cheques only for money the house pays out', () => {
  it("refuses a buyer's card payment, takes no number and saves nothing", async () => {
    const r = await print('card1')
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(!r.ok && r.error.message).toMatch(/money the house received.*a refund or a consignor's settlement/)
    const again = await print('card1', { bankAccountId: ACCOUNT, payee: 'Margaret Ellison' })
    expect(again.ok).toBe(false)
    expect((await account()).entries).toEqual([])
    expect((await account()).nextNumber).toBe(1)
    expect(existsSync(join(dataDir, 'prints'))).toBe(false)
  })

  it("prints for a consignor's settlement, a refund and a payment on a credit note", async () => {
    expect(await number('settle1')).toBe(1)
    expect(await number('refund1')).toBe(2)
    expect(await number('cnpay1')).toBe(3)
    const entries = (await account()).entries.map((e) => [e.number, e.transactionId, e.amount, e.state])
    expect(entries).toEqual([
      [3, 'cnpay1', 93600, 'issued'],
      [2, 'refund1', 93600, 'issued'],
      [1, 'settle1', 125000, 'issued']
    ])
  })

  it('keeps the reprint rule: a spoilt cheque voids its number and the next is printed', async () => {
    expect(await number('settle1')).toBe(1)
    const twice = await print('settle1')
    expect(!twice.ok && twice.error.message).toContain('already printed')
    expect(await number('settle1', { reprint: true })).toBe(2)
    expect((await account()).entries.map((e) => [e.number, e.state])).toEqual([
      [2, 'issued'],
      [1, 'void']
    ])
  })
})
