// The consignors' and the cheque register's queries, pinned on a bare replica
// with rows chosen for the edges the station-level tests do not reach: which
// settlement is ours and unprinted, which lots wait on the outbox, which
// consignor order stands, the order of payments, whose Circuit statements
// count, how runs at the same moment are numbered and listed, what a reprint
// adds to a run's problem, and where the next cheque number comes from.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChequeRegisterEntry } from '../../src-shared/contract'
import type { Replica } from '../../src-main/db/replica'
import { chequeRunView, chequeRuns, reprintRunCheque, type RunDeps } from '../../src-main/consignors/cheque-run'
import {
  consignorIds,
  consignorOrderOf,
  consignorStatement,
  unprintedSettlement,
  type ChequesFor
} from '../../src-main/consignors/statement'
import { chequeAccount, type HighWater } from '../../src-main/printing/cheque-register'
import { tempDir, tempReplica } from '../helpers'

let cleanups: (() => void)[]
let db: Replica
const run = (text: string, ...params: unknown[]) => db.raw.prepare(text).run(...params)

/** The register's cheques for a payment, read straight from its table. */
const chequesFor: ChequesFor = (transactionId) =>
  (
    db.raw
      .prepare('SELECT * FROM cheque_register WHERE transaction_id = ? ORDER BY number DESC')
      .all(transactionId) as {
      bank_account_id: string
      number: number
      transaction_id: string
      state: 'issued' | 'void'
    }[]
  ).map((e): ChequeRegisterEntry => ({
    bankAccountId: e.bank_account_id,
    number: e.number,
    transactionId: e.transaction_id,
    payee: null,
    amount: null,
    state: e.state,
    voidReason: null,
    at: ''
  }))

beforeEach(async () => {
  cleanups = []
  db = await tempReplica(cleanups)
  run(
    `INSERT INTO sales (id, label, status, raw) VALUES ('s1', 'Spring', 'open', '{}'), ('s2', 'Summer', 'open', '{}')`
  )
  run(
    `INSERT INTO clients (id, first_name, last_name, display_name, status, raw) VALUES ('c1', 'Ann', 'Smith', 'Smith, Ann', 'active', '{}')`
  )
  run(
    `INSERT INTO reference_terms (vocabulary, id, label, attrs, raw) VALUES ('bank_accounts', 'b1', 'Main', '{}', '{}')`
  )
})
afterEach(() => {
  for (const c of cleanups) c()
})

const consignment = (id: string, sale: string, owner: string | null) =>
  run(
    `INSERT INTO consignments (id, sale_id, owner_id, number, commission_bp, raw) VALUES (?, ?, ?, ?, 1000, '{}')`,
    id,
    sale,
    owner,
    `N-${id}`
  )
const order = (id: string, serverId: string | null, status: string, client: string | null, type = 'consignor') =>
  run(
    `INSERT INTO orders (id, server_id, type, status, sale_id, client_id) VALUES (?, ?, ?, ?, 's1', ?)`,
    id,
    serverId,
    type,
    status,
    client
  )
const payment = (
  id: string,
  o: {
    amount?: number
    type?: string
    date?: string | null
    created?: string | null
    info?: string | null
    voided?: number
  }
) =>
  run(
    `INSERT INTO transactions (id, order_id, type, amount, date, created, info, voided_at) VALUES (?, 'o1', ?, ?, ?, ?, ?, ?)`,
    id,
    o.type ?? 'cheque',
    o.amount ?? 100,
    o.date ?? null,
    o.created ?? null,
    o.info ?? null,
    o.voided ?? null
  )

describe("a consignor's statement", () => {
  it('finds the consignor order that stands: not cancelled first, then one Circuit knows, then by id', () => {
    order('o0', 'S0', 'canceled', 'c1')
    order('o3', null, 'open', 'c1')
    order('o5', 'S5', 'open', 'c1')
    order('o1', 'S1', 'open', 'c1', 'bidder')
    expect(consignorOrderOf(db, 's1', 'c1')?.id).toBe('o5')
    run(`DELETE FROM orders WHERE id = 'o5'`)
    expect(consignorOrderOf(db, 's1', 'c1')?.id).toBe('o3')
    run(`DELETE FROM orders WHERE id = 'o3'`)
    expect(consignorOrderOf(db, 's1', 'c1')?.id).toBe('o0')
    expect(consignorOrderOf(db, 's1', 'c9')).toBeNull()
  })

  it('names every consignor once: by consignment and by consignor order, never a missing one', () => {
    consignment('k1', 's1', 'c1')
    consignment('k2', 's1', 'c2')
    consignment('k3', 's1', null)
    consignment('k4', 's2', 'c4')
    order('o1', 'S1', 'open', 'c1')
    order('o2', 'S2', 'open', 'c3')
    order('o3', 'S3', 'open', null)
    order('o4', 'S4', 'open', 'c5', 'bidder')
    expect(consignorIds(db, 's1').sort()).toEqual(['c1', 'c2', 'c3'])
  })

  it('lists payments by date (else created), then created, then id; finds our oldest unprinted settlement', () => {
    consignment('k1', 's1', 'c1')
    order('o1', 'S1', 'open', 'c1')
    payment('p-late', { date: '2026-01-03', created: '2026-01-01' })
    payment('p-b', { date: null, created: '2026-01-02', info: '[saleroom:p-b]' })
    payment('p-a', { date: '2026-01-02', created: '2026-01-02', info: 'paid [saleroom:p-a] by us' })
    payment('p-first', { date: '2026-01-01', created: '2026-01-05' })
    payment('p-void', { created: '2026-01-01', info: '[saleroom:p-void]', voided: 5 })
    payment('p-zero', { amount: 0, created: '2026-01-01', info: '[saleroom:p-zero]' })
    payment('p-cash', { type: 'cash', created: '2026-01-01', info: '[saleroom:p-cash]' })
    payment('p-other', { created: '2026-01-01', info: '[saleroom:p-b]' })
    const s = consignorStatement(db, chequesFor, 's1', 'c1')
    expect(s.payments.map((p) => p.id)).toEqual([
      'p-cash',
      'p-other',
      'p-void',
      'p-zero',
      'p-first',
      'p-a',
      'p-b',
      'p-late'
    ])
    // Not voided, more than nothing, a cheque, our own reference: p-a and p-b; by created, then id.
    expect(unprintedSettlement(db, s)?.id).toBe('p-a')
    run(
      `INSERT INTO cheque_register (bank_account_id, number, transaction_id, state, at) VALUES ('b1', 1, 'p-a', 'issued', 0)`
    )
    expect(unprintedSettlement(db, consignorStatement(db, chequesFor, 's1', 'c1'))?.id).toBe('p-b')
  })

  it("counts Circuit's statements of the consignor's consignments and those naming the consignor, and says which lots wait on the outbox", () => {
    consignment('k1', 's1', 'c1')
    consignment('k2', 's1', 'c2')
    const item = (id: string, lot: string, k: string) =>
      run(
        `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, hammer, consignment_id, raw) VALUES (?, 's1', ?, ?, 't', 'sold', 1000, ?, '{}')`,
        id,
        lot,
        lot.padStart(4, '0'),
        k
      )
    item('i3', '3', 'k1')
    item('i1', '1', 'k1')
    item('i2', '2', 'k1')
    item('i4', '4', 'k1')
    item('i5', '5', 'k2')
    const entry = (seq: number, type: string, id: string, state: string) =>
      run(
        `INSERT INTO outbox (seq, op_id, entity_type, entity_id, op, payload, payload_version, state, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, 'x', '{}', 1, ?, 0, 0)`,
        seq,
        `op${seq}`,
        type,
        id,
        state
      )
    entry(1, 'item', 'i3', 'pending')
    entry(2, 'item', 'i1', 'conflict')
    entry(3, 'item', 'i2', 'done')
    entry(4, 'item', 'i4', 'discarded')
    entry(5, 'order', 'i4', 'pending')
    entry(6, 'item', 'i5', 'pending')
    const statement = (k: string, sale: string, owner: string | null, total: number | null) =>
      run(
        `INSERT INTO consignment_statements (consignment_id, sale_id, owner_id, total, raw) VALUES (?, ?, ?, ?, '{}')`,
        k,
        sale,
        owner,
        total
      )
    statement('k1', 's1', null, 1000)
    statement('kx', 's1', 'c1', 20)
    statement('k2', 's1', 'c2', 300)
    statement('ky', 's2', 'c1', 4000)
    const s = consignorStatement(db, chequesFor, 's1', 'c1')
    expect(s.pendingLots).toEqual(['1', '3'])
    expect(s.circuitTotal).toBe(1020)
    statement('kz', 's1', 'c1', null)
    expect(consignorStatement(db, chequesFor, 's1', 'c1').circuitTotal).toBeNull()
  })
})

describe('cheque runs', () => {
  const runRow = (id: string, at: number, sale = 's1', problem: string | null = null) =>
    run(
      `INSERT INTO consignor_runs (id, sale_id, bank_account_id, at, station, actor, problem) VALUES (?, ?, 'b1', ?, 'st', 'me', ?)`,
      id,
      sale,
      at,
      problem
    )

  it('numbers the runs of a sale by time, those of the same moment by id; lists them newest first', () => {
    runRow('run-b', 2000)
    runRow('run-c', 2000)
    runRow('run-a', 2000)
    runRow('run-z', 1000)
    runRow('run-y', 3000, 's2')
    expect(chequeRunView(db, chequesFor, 'run-z').number).toBe(1)
    expect(chequeRunView(db, chequesFor, 'run-a').number).toBe(2)
    expect(chequeRunView(db, chequesFor, 'run-b').number).toBe(3)
    expect(chequeRunView(db, chequesFor, 'run-c').number).toBe(4)
    expect(chequeRuns(db, chequesFor, 's1').map((r) => [r.runId, r.number])).toEqual([
      ['run-c', 4],
      ['run-b', 3],
      ['run-a', 2],
      ['run-z', 1]
    ])
  })

  it("a reprint whose files cannot be written adds that to the run's problem (none before: it alone)", async () => {
    order('o1', 'S1', 'open', 'c1')
    payment('t1', { created: '2026-01-01' })
    run(
      `INSERT INTO cheque_register (bank_account_id, number, transaction_id, state, at) VALUES ('b1', 7, 't1', 'issued', 0)`
    )
    runRow('run-1', 1000)
    runRow('run-2', 1000, 's1', 'The run stopped: jammed.')
    for (const id of ['run-1', 'run-2']) {
      run(
        `INSERT INTO consignor_run_lines (run_id, position, client_id, name, payee, amount, outcome, transaction_id) VALUES (?, 1, 'c1', 'Ann Smith', 'Ann Smith', 100, 'paid', 't1')`,
        id
      )
    }
    const data = tempDir('saleroom-sql-run-')
    cleanups.push(data.cleanup)
    const deps = {
      db,
      chequesFor,
      dataDir: data.dir,
      clock: { now: () => 0 },
      cheques: {
        printers: async () => [],
        chequesFor,
        cheque: async () => ({ chequeNumber: 7, bankAccountId: 'b1', path: '', pages: 1 }),
        runReport: async () => {
          throw new Error('no paper')
        }
      }
    } as unknown as RunDeps
    const problem = async (runId: string) => (await reprintRunCheque(deps, { runId, transactionId: 't1' })).problem
    const files = 'The run report could not be made: The cheque could not be made; see the log.'
    expect(await problem('run-1')).toBe(files)
    expect(await problem('run-2')).toBe(`The run stopped: jammed. ${files}`)
    expect(await problem('run-2')).toBe(`The run stopped: jammed. ${files} ${files}`)
  })
})

describe('the cheque register', () => {
  const noMarks: HighWater = { highest: () => 0, record: () => undefined }

  it('the next number is past the highest in the register, the number set by hand and the high-water mark', () => {
    const issued = (n: number) =>
      run(`INSERT INTO cheque_register (bank_account_id, number, state, at) VALUES ('b1', ?, 'void', 0)`, n)
    expect(chequeAccount(db, noMarks, 'b1').nextNumber).toBe(1)
    issued(4)
    issued(12)
    issued(9)
    expect(chequeAccount(db, noMarks, 'b1').nextNumber).toBe(13)
    run(`INSERT INTO cheque_accounts (bank_account_id, next_number) VALUES ('b1', 40)`)
    expect(chequeAccount(db, noMarks, 'b1').nextNumber).toBe(40)
    expect(chequeAccount(db, { ...noMarks, highest: () => 50 }, 'b1').nextNumber).toBe(51)
    expect(chequeAccount(db, noMarks, 'b1').entries.map((e) => e.number)).toEqual([12, 9, 4])
  })
})
