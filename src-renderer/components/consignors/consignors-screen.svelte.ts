// The Consignors screen's state (F7): the sale, the bank account the cheques
// are drawn on and the cheque printer, the consignors and the one chosen, the
// statement open, the cheque runs and the cheque chosen in one, what asks
// first (Enter goes on, Esc leaves it), the print preview and what the screen
// last said. Every call that pays goes through a Submission (one key per
// action, a second Enter while it is on its way does nothing). The keys are
// consignors-keys.ts's.
import type {
  ChequeAccount,
  ChequeRun,
  ChequeRunLine,
  ConsignorStatement,
  ConsignorSummary,
  PrintResult,
  SaleSummary
} from '../../../src-shared/contract'
import { CallError } from '../../lib/api'
import type { AppState } from '../../lib/app-state.svelte'
import { money } from '../../lib/format'
import type { MessageKind } from '../../lib/messages.svelte'
import { Submission } from '../../lib/submission.svelte'

export interface Preview {
  result: PrintResult
  title: string
  again: (printer: string) => Promise<unknown>
}

/** Where the screen keeps the keyboard: the consignors, or the cheques of the run. */
export interface ConsignorsFocus {
  list: () => void
  runList: () => void
}

/** A cheque's number as it is printed: six figures. */
export const chequeNo = (n: number): string => String(n).padStart(6, '0')

export class ConsignorsScreen {
  sales = $state.raw<SaleSummary[]>([])
  saleId = $state('')
  accounts = $state.raw<ChequeAccount[]>([])
  accountId = $state('')
  printers = $state.raw<string[]>([])
  printer = $state('')
  consignors = $state.raw<ConsignorSummary[]>([])
  selected = $state(0)
  statement = $state.raw<ConsignorStatement | null>(null)
  runs = $state.raw<ChequeRun[]>([])
  runIndex = $state(0)
  lineIndex = $state(0)
  message = $state.raw<{ kind: MessageKind; text: string } | null>(null)
  preview = $state.raw<Preview | null>(null)
  /** Something that asks first: Enter goes on, Esc leaves it. */
  confirming = $state.raw<{ text: string; go: () => Promise<void> } | null>(null)
  busy = $state(false)
  readonly settling: Submission
  private readonly running: Submission
  private readonly reprinting: Submission

  readonly current = $derived<ConsignorSummary | null>(this.consignors[this.selected] ?? null)
  readonly run = $derived<ChequeRun | null>(this.runs[this.runIndex] ?? null)
  readonly line = $derived<ChequeRunLine | null>(this.run?.lines[this.lineIndex] ?? null)
  readonly account = $derived<ChequeAccount | null>(
    this.accounts.find((a) => a.bankAccountId === this.accountId) ?? null
  )
  /** The consignors a cheque run pays: those with nothing said against paying them. */
  readonly toPay = $derived(this.consignors.filter((c) => c.skipReason === null))

  constructor(
    readonly app: AppState,
    readonly focus: ConsignorsFocus
  ) {
    this.settling = new Submission(app.api)
    this.running = new Submission(app.api)
    this.reprinting = new Submission(app.api)
  }

  say(kind: MessageKind, text: string): void {
    this.message = { kind, text }
  }

  private said(err: unknown): void {
    if (err instanceof CallError) {
      this.say('error', [err.error.message, ...Object.values(err.error.fields ?? {}).flat()].join(' '))
    } else this.app.fail(err)
  }

  async loadSales(): Promise<void> {
    try {
      this.sales = (await this.app.api.call('sales.list', {})).filter((s) => s.pulledAt !== null)
      if (!this.saleId || !this.sales.some((s) => s.id === this.saleId))
        this.saleId = this.app.podiumSaleId ?? this.sales[0]?.id ?? ''
      this.accounts = await this.app.api.call('cheques.accounts', {})
      if (!this.accountId || !this.accounts.some((a) => a.bankAccountId === this.accountId))
        this.accountId = this.accounts[0]?.bankAccountId ?? ''
    } catch (err) {
      this.app.fail(err)
    }
  }

  loadPrinters(): void {
    void this.app.api
      .call('print.printers', {})
      .then((p) => (this.printers = p.map((x) => x.name)))
      .catch(() => undefined)
  }

  /** The sale's consignors and runs, and the account's register, as they stand now. */
  async refresh(): Promise<void> {
    const sale = this.saleId
    if (!sale) return
    try {
      const [c, r, a] = await Promise.all([
        this.app.api.call('consignors.list', { saleId: sale }),
        this.app.api.call('consignors.runs', { saleId: sale }),
        this.app.api.call('cheques.accounts', {})
      ])
      if (sale !== this.saleId) return
      this.consignors = c
      this.runs = r
      this.accounts = a
      this.selected = Math.min(this.selected, Math.max(c.length - 1, 0))
      this.runIndex = Math.min(this.runIndex, Math.max(r.length - 1, 0))
      if (this.statement)
        this.statement = await this.app.api.call('consignors.statement', {
          saleId: sale,
          clientId: this.statement.clientId
        })
    } catch (err) {
      this.said(err)
    }
  }

  async openStatement(c: ConsignorSummary): Promise<void> {
    try {
      this.statement = await this.app.api.call('consignors.statement', { saleId: this.saleId, clientId: c.clientId })
      this.message = null
    } catch (err) {
      this.said(err)
    }
  }

  /** A paper made (and saved), shown in the print preview, which can print it again on a printer. */
  async showPrint(title: string, make: (printer?: string) => Promise<PrintResult>): Promise<void> {
    try {
      const result = await make()
      this.preview = { result, title, again: (p) => make(p) }
    } catch (err) {
      this.said(err)
    }
  }

  /** Alt+S: pay one consignor by cheque (what the house says first is asked, then paid with `confirm`). */
  async settle(c: ConsignorSummary, confirm = false): Promise<void> {
    if (!this.accountId) return this.say('warning', 'Choose the bank account the cheques are drawn on first.')
    const { printer } = this
    this.busy = true
    try {
      const r = await this.settling.send('consignors.settle', {
        saleId: this.saleId,
        clientId: c.clientId,
        bankAccountId: this.accountId,
        ...(confirm ? { confirm } : {}),
        ...(printer ? { printer } : {})
      })
      if (!r) return
      this.statement = r.statement
      if (r.cheque)
        this.say(
          'success',
          `Paid ${money(r.amount)} to ${c.name}: cheque ${chequeNo(r.cheque.number)}, saved as ${r.cheque.path}.`
        )
      else this.say('error', r.problem ?? 'The cheque was not printed.')
      await this.refresh()
    } catch (err) {
      this.settling.reset()
      if (err instanceof CallError && err.error.code === 'needs_confirmation') {
        this.confirming = { text: err.error.message, go: () => this.settle(c, true) }
      } else this.said(err)
    } finally {
      this.busy = false
    }
  }

  /** Alt+R: a cheque run for the sale, asked first (how many, how much, from which number). */
  askRun(): void {
    const { account, toPay } = this
    if (!this.accountId || !account)
      return this.say('warning', 'Choose the bank account the cheques are drawn on first.')
    if (toPay.length === 0)
      return this.say('warning', 'No consignor of this sale has anything to pay now: the list says why for each.')
    const total = toPay.reduce((s, c) => s + c.netPayable, 0)
    this.confirming = {
      text: `Pay ${toPay.length} consignor${toPay.length === 1 ? '' : 's'} ${money(total)} by cheque on ${account.label}, numbers from ${chequeNo(account.nextNumber)}? ${this.consignors.length - toPay.length} passed by (the list says why).`,
      go: () => this.runCheques()
    }
  }

  private async runCheques(): Promise<void> {
    const { printer } = this
    this.busy = true
    try {
      const r = await this.running.send('consignors.chequeRun', {
        saleId: this.saleId,
        bankAccountId: this.accountId,
        ...(printer ? { printer } : {})
      })
      if (!r) return
      await this.refresh()
      this.runIndex = Math.max(
        this.runs.findIndex((x) => x.runId === r.runId),
        0
      )
      this.lineIndex = 0
      const paid = r.lines.filter((l) => l.outcome === 'paid').length
      if (r.problem) this.say('error', r.problem)
      else this.say('success', `Cheque run ${r.number}: ${paid} cheque${paid === 1 ? '' : 's'}, ${money(r.total)}.`)
      queueMicrotask(() => this.focus.runList())
    } catch (err) {
      this.running.reset()
      this.said(err)
    } finally {
      this.busy = false
    }
  }

  /** Alt+X: the chosen cheque came out spoilt; asked first, then voided and printed again. */
  askReprint(r: ChequeRun, l: ChequeRunLine): void {
    const { chequeNumber, transactionId } = l
    if (chequeNumber === null || !transactionId)
      return this.say('warning', `${l.name} has no cheque in this run to reprint.`)
    this.confirming = {
      text: `Cheque ${chequeNo(chequeNumber)} to ${l.payee} came out spoilt? It is voided in the register and the payment's cheque printed under the next number.`,
      go: () => this.reprint(r, l, chequeNumber, transactionId)
    }
  }

  private async reprint(r: ChequeRun, l: ChequeRunLine, chequeNumber: number, transactionId: string): Promise<void> {
    const { printer } = this
    this.busy = true
    try {
      const after = await this.reprinting.send('consignors.reprint', {
        runId: r.runId,
        transactionId,
        ...(printer ? { printer } : {})
      })
      if (!after) return
      await this.refresh()
      const now = after.lines.find((x) => x.transactionId === transactionId)
      this.say(
        'success',
        `Cheque ${chequeNo(chequeNumber)} is void; ${l.payee} is paid by cheque ${now?.chequeNumber ? chequeNo(now.chequeNumber) : '—'}. The positive-pay file is written again.`
      )
      queueMicrotask(() => this.focus.runList())
    } catch (err) {
      this.reprinting.reset()
      this.said(err)
    } finally {
      this.busy = false
    }
  }
}
