// Consignor statements and settlements on a real station (its own SQLite file)
// against the Circuit simulator over HTTP: the statement agrees with Circuit's
// consignment statements to the penny, or says where it does not and that
// Circuit is the authority; a settlement is one Cheque payment on the
// consignor order — exactly once on Circuit, also when Circuit records it and
// the answer is lost — and one cheque from the register; a cheque run pays
// every consignor with something to pay in consecutive numbers, passes the
// rest by with the reason, writes its report and a positive-pay file, and a
// spoilt cheque's reprint voids its number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { Order } from '../../src-main/circuit-sim/types'
import type { PaymentPayload } from '../../src-main/checkout/payments'
import type { SettlementPayload } from '../../src-main/consignors/settle'
import type {
  ChequeAccount,
  ChequeRun,
  CheckoutBuyer,
  CheckoutInvoice,
  ConsignorStatement,
  ConsignorSummary,
  PrintResult,
  SettleResult
} from '../../src-shared/contract'
import { snapshotTables, tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

// A settlement's outbox payload is the payment adapter's, field for field (a compile-time check).
const _samePayload: PaymentPayload = {} as SettlementPayload
void _samePayload

const ACCOUNT = '6'
let sim: RunningSimulator
let station: Station
let cleanup: () => void

/** Commission per lot, half away from zero, integers only (the rule written down in src-shared). */
const commission = (hammer: number, bp: number) => Math.floor((hammer * bp + 5000) / 10000)

const consignorOrders = (saleId: string): Order[] =>
  [...sim.store.orders.values()].filter((o) => o.saleId === saleId && o.type === 'consignor')
/** Our payments (with our reference) on an order, on Circuit. */
const ours = (orderId: string) =>
  [...sim.store.transactions.values()].filter((t) => t.orderId === orderId && (t.info ?? '').includes('[saleroom:'))
const faults = (f: Record<string, number>) =>
  fetch(`${sim.url}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f)
  })
const pdfText = (path: string) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })
const pounds = (minor: number) => (minor / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, lots: 120, clients: 60, quiet: true })
  const store = sim.store
  // Sale 1 is sold on Circuit (another station clerked it): per consignment, three lots sold, one
  // passed, one withdrawn. Hammers picked so commissions round (33 333 at 15 % = 4 999.95 → 5 000).
  const buyer = [...store.bidders.values()].find((b) => b.saleId === '1')!.clientId
  const hammers = [120_000, 33_333, 10_004]
  for (const c of [...store.consignments.values()].filter((x) => x.saleId === '1')) {
    const lots = store.itemsByConsignment.get(c.id)!.slice(0, 5)
    lots
      .slice(0, 3)
      .forEach((id, i) => store.applyItemHistory(id, { hammer: hammers[i], winnerId: buyer, soldStatus: 'sold' }))
    store.applyItemHistory(lots[3], { soldStatus: 'unsold' })
    store.applyItemHistory(lots[4], { withdrawn: true })
  }
  // One consignor order carries an insurance charge with 20 % tax.
  const charged = consignorOrders('1')[0]
  charged.charges.push({ termId: '12', amount: 2_500, taxBp: 2000, description: 'Insurance', date: store.now() })
  store.touchOrder(charged)
  const t = tempDir('saleroom-consignors-')
  cleanup = t.cleanup
  station = await startStation(t.dir, sim.url, { name: 'Office' })
  await station.pull('1')
  await station.pull('2')
})

afterAll(async () => {
  await station?.close()
  await sim?.close()
  cleanup?.()
})

describe('consignor statements', () => {
  it("agree with Circuit's consignment statements to the penny: lots, results, hammer, commission, charges, net", async () => {
    const list = await station.call<ConsignorSummary[]>('consignors.list', { saleId: '1' })
    const orders = consignorOrders('1')
    expect(list.map((c) => c.clientId).sort()).toEqual(orders.map((o) => o.ownerId).sort())
    for (const o of orders) {
      const s = await station.call<ConsignorStatement>('consignors.statement', { saleId: '1', clientId: o.ownerId })
      const consignments = sim.store.consignmentsOf('1', o.ownerId)
      const items = consignments.flatMap((c) => sim.store.itemsByConsignment.get(c.id)!)
      // Every consignment lot is listed with its result.
      expect(s.lots.map((l) => l.itemId).sort()).toEqual([...items].sort())
      const results = new Map(s.lots.map((l) => [l.itemId, l.result]))
      for (const id of items) {
        const status = sim.store.items.get(id)!.status
        expect(results.get(id)).toBe(
          status === 'sold' ? 'sold' : status === 'withdrawn' ? 'withdrawn' : status === 'unsold' ? 'passed' : 'open'
        )
      }
      // Hammer and commission worked here, lot by lot, equal Circuit's consignor order.
      const sold = items.map((id) => sim.store.items.get(id)!).filter((i) => i.status === 'sold')
      const rate = new Map(consignments.map((c) => [c.id, c.commissionBp]))
      expect(s.hammer).toBe(sold.reduce((sum, i) => sum + i.hammer!, 0))
      expect(s.commission).toBe(sold.reduce((sum, i) => sum + commission(i.hammer!, rate.get(i.consignmentId)!), 0))
      const totals = sim.store.orderTotals(o)
      expect(s.charges).toBe(totals.charges + totals.chargesVat)
      expect(s.total).toBe(totals.grandTotal)
      expect(s.netPayable).toBe(s.hammer - s.commission - s.charges - s.paid)
      expect(s.circuitTotal).toBe(sim.store.consignorStatements('1', o.ownerId).reduce((sum, st) => sum + st.total, 0))
      expect(s.difference).toBeNull()
      expect(s.payee).toBe(
        consignments[0].paymentInstructions.startsWith('Cheque payable to ')
          ? consignments[0].paymentInstructions.slice('Cheque payable to '.length)
          : s.consignor.name
      )
    }
    const withCharge = list.find((c) => c.clientId === consignorOrders('1')[0].ownerId)!
    expect(withCharge.charges).toBe(2_500 + 500) // 25.00 insurance + 20 % tax
  })

  it('prints the statement: every lot, the figures and the net payable', async () => {
    const o = consignorOrders('1')[0]
    const s = await station.call<ConsignorStatement>('consignors.statement', { saleId: '1', clientId: o.ownerId })
    const r = await station.call<PrintResult>('print.consignorStatement', { saleId: '1', clientId: o.ownerId })
    expect(r.pages).toBeGreaterThanOrEqual(1)
    const text = pdfText(r.path)
    expect(text).toContain('STATEMENT')
    expect(text).toContain('Consignor statement')
    expect(text).toContain(s.consignor.name)
    for (const l of s.lots) expect(text).toContain(l.title.slice(0, 20))
    expect(text).toMatch(/Withdrawn/)
    expect(text).toMatch(/Passed/)
    expect(text).toContain(pounds(s.hammer))
    expect(text).toContain(pounds(s.commission))
    expect(text).toMatch(new RegExp(`Net payable\\s+£${pounds(s.netPayable).replace('.', '\\.')}`))
  })

  it("a lot clerked here and not yet in Circuit's statement: the difference is flagged, Circuit named the authority; settling asks first", async () => {
    // Sell a passed lot of the second consignor at this station's podium, with the sender held off.
    const o = consignorOrders('1')[1]
    const passed = sim.store
      .consignmentsOf('1', o.ownerId)
      .flatMap((c) => sim.store.itemsByConsignment.get(c.id)!)
      .find((id) => sim.store.items.get(id)!.status === 'unsold')!
    const paddle = [...sim.store.bidders.values()].find((b) => b.saleId === '1')!.number
    await faults({ error500Rate: 1 })
    try {
      await station.call('clerking.sell', { itemId: passed, paddle, amount: 50_000, confirm: true })
      const s = await station.call<ConsignorStatement>('consignors.statement', { saleId: '1', clientId: o.ownerId })
      const rate = sim.store.consignments.get(sim.store.items.get(passed)!.consignmentId)!.commissionBp
      expect(s.difference).toMatchObject({
        ours: s.total,
        circuits: s.total - (50_000 - commission(50_000, rate)),
        source: 'statements'
      })
      expect(s.difference!.message).toContain("Circuit's figure is the authority")
      expect(s.pendingLots).toEqual([s.lots.find((l) => l.itemId === passed)!.lot])
      // Settling asks first, and pays nothing (the sender is retrying the hammer meanwhile: only payments are compared).
      const payments = () => {
        const t = snapshotTables(station.core.replica()!.raw)
        return [t.transactions, t.audit_log, t.cheque_register]
      }
      const before = payments()
      const r = await station.send('consignors.settle', { saleId: '1', clientId: o.ownerId, bankAccountId: ACCOUNT })
      expect(!r.ok && r.error.code).toBe('needs_confirmation')
      expect(payments()).toEqual(before)
    } finally {
      await faults({ error500Rate: 0 })
    }
    // Once the hammer reaches Circuit and the sale is pulled again, the two agree.
    await station.settle()
    await station.pull('1')
    const after = await station.call<ConsignorStatement>('consignors.statement', { saleId: '1', clientId: o.ownerId })
    expect(after.difference).toBeNull()
    expect(after.total).toBe(sim.store.orderTotals(o).grandTotal)
  })
})

describe('settling', () => {
  it('pays the net payable once on Circuit when the answer is lost, and prints its cheque with the next number', async () => {
    const o = consignorOrders('1')[0]
    const accounts = await station.call<ChequeAccount[]>('cheques.accounts')
    const next = accounts.find((a) => a.bankAccountId === ACCOUNT)!.nextNumber
    const due = sim.store.orderTotals(o).amountDue
    await faults({ dropAfterApplyRate: 1 })
    const r = await station.call<SettleResult>('consignors.settle', {
      saleId: '1',
      clientId: o.ownerId,
      bankAccountId: ACCOUNT
    })
    expect(r).toMatchObject({ amount: due, problem: null, earlier: false, cheque: { number: next } })
    expect(r.statement).toMatchObject({ paid: due, netPayable: 0 })
    expect(r.statement.payments).toMatchObject([{ method: 'cheque', amount: due }])
    // Circuit applies the payment and the answer is lost on the way back.
    for (let i = 0; i < 300 && ours(o.id).length === 0; i++) await new Promise((ok) => setTimeout(ok, 10))
    await faults({ dropAfterApplyRate: 0 })
    await station.settle()
    expect(ours(o.id).map((t) => [t.type, t.amount, t.bankId])).toEqual([['Cheque', due, ACCOUNT]])
    expect(sim.store.orderTotals(o).amountDue).toBe(0)
    expect(station.core.pusher()!.totals.alreadyApplied).toBeGreaterThanOrEqual(1)
    // The cheque: the register's next number, to the consignor, for the amount.
    const text = pdfText(r.cheque!.path)
    expect(text).toContain(String(next).padStart(6, '0'))
    expect(text).toContain(r.statement.payee)
    // Settling again pays nothing more.
    const again = await station.send('consignors.settle', { saleId: '1', clientId: o.ownerId, bankAccountId: ACCOUNT })
    expect(!again.ok && again.error.message).toMatch(/Paid already/)
    expect(ours(o.id)).toHaveLength(1)
  })

  it('refuses a bank account Circuit does not list, and a consignor with nothing to pay, changing nothing', async () => {
    const o = consignorOrders('1')[2]
    const before = snapshotTables(station.core.replica()!.raw)
    const r1 = await station.send('consignors.settle', { saleId: '1', clientId: o.ownerId, bankAccountId: '999' })
    expect(!r1.ok && r1.error.code).toBe('invalid_input')
    const paid = consignorOrders('2').find((x) => x.status === 'finished')!
    const r2 = await station.send('consignors.settle', { saleId: '2', clientId: paid.ownerId, bankAccountId: ACCOUNT })
    expect(!r2.ok && r2.error.message).toMatch(/Paid already/)
    expect(snapshotTables(station.core.replica()!.raw)).toEqual(before)
  })
})

describe('a cheque run', () => {
  let run: ChequeRun

  it('pays every consignor with something to pay, in consecutive numbers, each once on Circuit though every answer is lost', async () => {
    const accounts = await station.call<ChequeAccount[]>('cheques.accounts')
    const next = accounts.find((a) => a.bankAccountId === ACCOUNT)!.nextNumber
    const toPay = consignorOrders('1').filter((o) => sim.store.orderTotals(o).amountDue > 0)
    expect(toPay).toHaveLength(3)
    const dues = new Map(toPay.map((o) => [o.ownerId, sim.store.orderTotals(o).amountDue]))
    const recognised = station.core.pusher()!.totals.alreadyApplied
    await faults({ dropAfterApplyRate: 1 })
    run = await station.call<ChequeRun>('consignors.chequeRun', { saleId: '1', bankAccountId: ACCOUNT })
    expect(run.problem).toBeNull()
    const paid = run.lines.filter((l) => l.outcome === 'paid')
    expect(paid.map((l) => l.chequeNumber)).toEqual([next, next + 1, next + 2])
    expect(paid.map((l) => l.clientId).sort()).toEqual(toPay.map((o) => o.ownerId).sort())
    for (const l of paid) expect(l.amount).toBe(dues.get(l.clientId))
    // The consignor settled before is passed by, with the reason.
    const skipped = run.lines.filter((l) => l.outcome === 'skipped')
    expect(skipped).toHaveLength(1)
    expect(skipped[0].reason).toMatch(/^Paid already: £[\d,.]+ \(cheque \d{6}\)\.$/)
    expect(run.total).toBe(paid.reduce((s, l) => s + l.amount, 0))
    // Every payment applied on Circuit with its answer lost; then read back, recognised, never sent twice.
    for (let i = 0; i < 300 && toPay.some((o) => ours(o.id).length === 0); i++)
      await new Promise((ok) => setTimeout(ok, 10))
    await faults({ dropAfterApplyRate: 0 })
    await station.settle()
    for (const o of toPay) {
      expect(ours(o.id).map((t) => [t.type, t.amount])).toEqual([
        ['Cheque', paid.find((l) => l.clientId === o.ownerId)!.amount]
      ])
      expect(sim.store.orderTotals(o).amountDue).toBe(0)
    }
    expect(station.core.pusher()!.totals.alreadyApplied).toBeGreaterThanOrEqual(recognised + 3)
  })

  it('writes the positive-pay file (account, cheque number, date, amount, payee) and the run report', async () => {
    const csv = readFileSync(run.positivePayPath!, 'utf8')
    const rows = csv.split('\r\n')
    expect(rows[0]).toBe('Account,Cheque number,Date,Amount,Payee')
    expect(rows.at(-1)).toBe('')
    const today = new Date().toISOString().slice(0, 10)
    const paid = run.lines.filter((l) => l.outcome === 'paid')
    expect(rows.slice(1, -1)).toEqual(
      paid.map(
        (l) =>
          `****5678,${String(l.chequeNumber).padStart(6, '0')},${today},${pounds(l.amount).replace(/,/g, '')},${l.payee.includes(',') ? `"${l.payee}"` : l.payee}`
      )
    )
    const text = pdfText(run.reportPath!)
    expect(text).toContain('CHEQUE RUN')
    for (const l of paid) expect(text).toContain(String(l.chequeNumber).padStart(6, '0'))
    expect(text).toContain('Paid already')
    expect(text).toContain(pounds(run.total))
  })

  it('a spoilt cheque is reprinted under the next number; the register shows the void; the files are written again', async () => {
    const spoilt = run.lines.find((l) => l.outcome === 'paid')!
    const accounts = await station.call<ChequeAccount[]>('cheques.accounts')
    const next = accounts.find((a) => a.bankAccountId === ACCOUNT)!.nextNumber
    const after = await station.call<ChequeRun>('consignors.reprint', {
      runId: run.runId,
      transactionId: spoilt.transactionId
    })
    const line = after.lines.find((l) => l.transactionId === spoilt.transactionId)!
    expect(line).toMatchObject({ chequeNumber: next, voided: [spoilt.chequeNumber] })
    const register = (await station.call<ChequeAccount[]>('cheques.accounts')).find((a) => a.bankAccountId === ACCOUNT)!
    expect(register.entries.find((e) => e.number === spoilt.chequeNumber)).toMatchObject({
      state: 'void',
      voidReason: 'spoilt, reprinted',
      transactionId: spoilt.transactionId
    })
    expect(register.entries.find((e) => e.number === next)).toMatchObject({ state: 'issued' })
    const csv = readFileSync(after.positivePayPath!, 'utf8')
    expect(csv).toContain(`,${String(next).padStart(6, '0')},`)
    expect(csv).not.toContain(`,${String(spoilt.chequeNumber).padStart(6, '0')},`)
    expect(pdfText(after.reportPath!)).toMatch(
      new RegExp(`spoilt cheque ${String(spoilt.chequeNumber).padStart(6, '0')}`)
    )
    // Nothing more was paid.
    await station.settle()
    const o = consignorOrders('1').find((x) => x.ownerId === spoilt.clientId)!
    expect(ours(o.id)).toHaveLength(1)
  })

  it('with nothing left to pay, a run is refused and writes nothing; sale 2 pays only those not paid already', async () => {
    const before = snapshotTables(station.core.replica()!.raw)
    const none = await station.send('consignors.chequeRun', { saleId: '1', bankAccountId: ACCOUNT })
    expect(!none.ok && none.error.message).toMatch(/No consignor of this sale has anything to pay/)
    expect(snapshotTables(station.core.replica()!.raw)).toEqual(before)
    const r2 = await station.call<ChequeRun>('consignors.chequeRun', { saleId: '2', bankAccountId: ACCOUNT })
    const finished = consignorOrders('2')
      .filter((o) => o.status === 'finished')
      .map((o) => o.ownerId)
    expect(r2.lines.filter((l) => l.outcome === 'skipped').map((l) => l.clientId)).toEqual(finished)
    expect(r2.lines.filter((l) => l.outcome === 'paid')).toHaveLength(consignorOrders('2').length - finished.length)
    await station.settle()
    for (const o of consignorOrders('2')) expect(sim.store.orderTotals(o).amountDue).toBe(0)
    const runs = await station.call<ChequeRun[]>('consignors.runs', { saleId: '2' })
    expect(runs.map((r) => r.runId)).toEqual([r2.runId])
    // A settlement voided at the desk afterwards: its cheque no longer counts as paying anyone.
    const voided = r2.lines.find((l) => l.outcome === 'paid')!
    await station.call('checkout.voidPayment', { paymentId: voided.transactionId, reason: 'paid by BACS instead' })
    const [after] = await station.call<ChequeRun[]>('consignors.runs', { saleId: '2' })
    expect(after.lines.find((l) => l.transactionId === voided.transactionId)).toMatchObject({
      outcome: 'failed',
      reason: `The payment was voided (paid by BACS instead): void cheque ${String(voided.chequeNumber).padStart(6, '0')} in the register (Settings, F5).`
    })
    expect(after.cheques).toBe(r2.cheques - 1)
    const reprint = await station.send('consignors.reprint', { runId: r2.runId, transactionId: voided.transactionId })
    expect(!reprint.ok && reprint.error.message).toMatch(/voided/)
  })
})

describe('the checkout', () => {
  it("never shows a consignor's order as a buyer's invoice, nor counts it as owed", async () => {
    // A consignor of sale 2 who also holds a paddle in it (a consignor who buys).
    const o = consignorOrders('2')[1]
    sim.store.addBidder({
      id: sim.store.nextId(),
      saleId: '2',
      clientId: o.ownerId,
      number: '777',
      type: 'floor',
      liveCredit: 0,
      updated: sim.store.now()
    })
    await station.pull('2')
    const inv = await station.call<CheckoutInvoice>('checkout.invoice', { saleId: '2', paddle: '777' })
    expect(inv.orders.map((x) => x.type)).not.toContain('consignor')
    expect(inv.outstanding).toBe(0)
    const found = await station.call<CheckoutBuyer[]>('checkout.find', { saleId: '2', q: '777' })
    expect(found).toEqual([])
  })
})
