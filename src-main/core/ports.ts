import type {
  CheckoutInvoice,
  CheckoutOrder,
  ChequePrintResult,
  ChequeRegisterEntry,
  ChequeRun,
  ConnectionState,
  ConsignorStatement,
  PhoneCard,
  PrintResult,
  SaleSummary
} from '../../src-shared/contract'
import type { JoinedHub } from './venue'

// The core's outside world, as interfaces. Each host passes implementations
// (Electron's, the web host's, or tests'), so the core never imports electron.

export interface Printer {
  /** Send a finished PDF to a printer; rejects with a message the user can act on. */
  print(pdf: Buffer, opts: { printer?: string; copies?: number; jobName: string }): Promise<void>
  /** The printers this host can print to, the default first; none where it only saves files (the web host). */
  list(): Promise<string[]>
}

export interface FileStore {
  /** The folder that holds the replica, backups, logs and saved PDFs. */
  dataDir: string
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export const consoleLogger: Logger = {
  info: (msg, f) => console.log(JSON.stringify({ level: 'info', msg, ...f })),
  warn: (msg, f) => console.warn(JSON.stringify({ level: 'warn', msg, ...f })),
  error: (msg, f) => console.error(JSON.stringify({ level: 'error', msg, ...f }))
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }

/** A host that only saves PDFs (the web host, a headless run) says so plainly when asked to print. */
export const noPrinter: Printer = {
  print: async () => {
    throw new Error('This station saves the PDF but cannot send it to a printer; open the saved file to print it.')
  },
  list: async () => []
}

/** For tests: every job kept, in order. */
export function recordingPrinter(names = ['Front desk', 'Cheques']): Printer & {
  jobs: { pdf: Buffer; printer?: string; copies?: number; jobName: string }[]
} {
  const jobs: { pdf: Buffer; printer?: string; copies?: number; jobName: string }[] = []
  return {
    jobs,
    list: async () => names,
    print: async (pdf, opts) => {
      if (opts.printer && !names.includes(opts.printer)) throw new Error(`There is no printer "${opts.printer}".`)
      jobs.push({ pdf, ...opts })
    }
  }
}

/** Sale pulling, supplied by the sync layer; absent means this station cannot pull. */
export interface SalesPort {
  list(): Promise<SaleSummary[]>
  open(saleId: string): Promise<{ saleId: string; started: boolean }>
  /** Drop a sale's unfinished pull (it stops being retried). */
  forget(saleId: string): void
}

export interface GatewayState {
  connection: ConnectionState
  demo: boolean
  serverUrl: string | null
  lastError: string | null
  /** Talking to a venue hub, not to Circuit: the hub's name and whether Circuit answers the hub. */
  venue?: { hub: string; url: string; circuit: 'online' | 'offline' | 'unknown' } | null
}

/**
 * The core's view of its Circuit connection: which server, whether it
 * answers, and the client to talk to it. The sync layer implements it; the
 * kernel only reads its state.
 */
export interface CircuitGateway<Client = unknown> {
  state(): GatewayState
  onChange(cb: (s: GatewayState) => void): () => void
  /** Log in; the password is used once and never stored. Throws AppError. */
  connect(url: string, email: string, password: string): Promise<void>
  disconnect(): Promise<void>
  /**
   * Talk to a venue hub instead (its certificate pinned): log in there with
   * the person's Circuit credentials (the password is used once), and from
   * then on the client, pull and outbox go through the hub. Throws AppError.
   */
  joinHub(hub: JoinedHub, email: string, password: string): Promise<void>
  /** Back to Circuit directly (or the demo). */
  leaveHub(): Promise<void>
  /** What the hub said of Circuit (its live feed). */
  reportVenueCircuit(online: boolean | null): void
  /** The client, or null when no server is configured. */
  client(): Client | null
  /** Record how the last request went, so the status bar tells the truth. */
  reportReachable(ok: boolean, error?: string): void
  close(): Promise<void>
}

// --- What printing reads of other capabilities' records -----------------

/** An order's line as the desk and the paper show it (catalogue order). */
export interface OrderLineSource {
  itemId: string
  lot: string
  description: string
  hammer: number
  premium: number
  tax: number
  taxId: string | null
  consignmentNumber: string | null
}

export interface OrderChargeSource {
  id: number
  label: string
  amount: number
  tax: number
  date: string | null
}

/** A payment's particulars, as the replica keeps them. */
export interface PaymentParticulars {
  type: string
  card_type: string | null
  card_last4: string | null
  cheque_number: string | null
  bank_name: string | null
  bank_account: string | null
}

/**
 * An order as printed: the same rows and figures the checkout shows, supplied
 * by the capability that keeps orders (checkout), so paper and screen agree.
 */
export interface OrderPrintSource {
  /** The order exactly as the checkout shows it: totals, payments, what is due. */
  view(orderId: string): CheckoutOrder
  lines(orderId: string): OrderLineSource[]
  charges(orderId: string): OrderChargeSource[]
  /** "VISA •••• 4242", "Northern, cheque no. 000123". */
  paymentDetails(t: PaymentParticulars): string | null
  /** A buyer's orders for a sale by paddle, exactly as checkout.invoice answers them (for the statement). */
  buyer(saleId: string, paddle: string): CheckoutInvoice
}

export interface SessionSource {
  id: string
  sale_id: string
  number: number
  first_lot: string | null
  last_lot: string | null
}

/** A session's phone-bidder cards, supplied by the phone-cards capability. */
export interface PhoneCardPrintSource {
  session(sessionId: string): SessionSource
  cards(sessionId: string): PhoneCard[]
}

/** A consignor's statement and a cheque run as printed, supplied by the consignors capability. */
export interface ConsignorPrintSource {
  statement(saleId: string, clientId: string): ConsignorStatement
  chequeRun(runId: string): ChequeRun
}

// --- What the consignors capability asks of printing ----------------------

/**
 * The cheques the house pays consignors with, supplied by printing (which keeps
 * the cheque register): the same rules as `print.cheque` — the account's next
 * number, numbers only move forward, a reprint voids the spoilt number — and
 * the run report.
 */
export interface PayoutPrinting {
  /** `print.cheque` for a payment on a consignor order; `reprint` voids the payment's last cheque first. */
  cheque(input: {
    transactionId: string
    bankAccountId: string
    payee: string
    memo: string
    reprint?: boolean
    printer?: string
  }): Promise<ChequePrintResult>
  /** The register's cheques for a payment, newest first (issued and void). */
  chequesFor(transactionId: string): ChequeRegisterEntry[]
  /** The printers this host can print to (none where it only saves files). */
  printers(): Promise<string[]>
  /** `print.chequeRun`: the run's report, saved (and printed when a printer is named). */
  runReport(runId: string, printer?: string): Promise<PrintResult>
}

// --- What the warehouse reads of the buyers' orders ----------------------

/** An order as far as paid-or-not goes: what is due on it, and its lots. */
export interface OrderBalance {
  /** The order's id on this station (a local id while provisional). */
  orderId: string
  /** Circuit's id; null while the order is provisional (made here, Circuit's not yet in). */
  serverId: string | null
  /** Circuit's order number, or the provisional one. */
  number: string
  type: string
  status: string
  saleId: string | null
  clientId: string | null
  /** The order's amount due as the cashier sees it (negative: a refund owed). */
  amountDue: number
  itemIds: string[]
}

export interface BuyerBalance {
  /** Net over the buyer's orders for the sale, credit notes included (the checkout's `outstanding`). */
  outstanding: number
  orders: OrderBalance[]
}

/**
 * Paid or not, from the checkout's own figures (the same `outstanding` and
 * amount due the cashier sees), supplied by the capability that keeps orders.
 */
export interface BalanceSource {
  buyer(saleId: string, clientId: string): BuyerBalance
  /**
   * An order by its id, Circuit's id, the id it had while provisional, or
   * (within the sale) its number or provisional number; null when none.
   */
  order(ref: string, saleId?: string): OrderBalance | null
}

// --- What printing reads of the warehouse's records ----------------------

export interface SaleHeading {
  id: string
  label: string
  number: string | null
  date: string | null
}

/** One lot tag: the lot, its sale, its title, and the buyer's paddle once sold. */
export interface LotTagSource {
  itemId: string
  lot: string
  title: string
  paddle: string | null
}

/** A paid lot still to hand out, where it is kept. */
export interface PickLotSource {
  itemId: string
  lot: string
  title: string
  location: string | null
  paddle: string | null
  buyer: string
}

/** One release at the collection desk: the gate pass. */
export interface ReleaseSource {
  releaseId: string
  sale: SaleHeading
  buyer: { name: string; customerNumber: string | null; paddle: string | null }
  collectedBy: string
  note: string | null
  /** ISO time of the release. */
  at: string
  releasedBy: string
  station: string
  lots: { lot: string; title: string; orderNumber: string | null; confirmedReason: string | null }[]
}

export interface PackingSlipSource {
  shipmentId: string
  /** Circuit's shipment id once it has it. */
  serverId: string | null
  sale: SaleHeading
  orderId: string
  orderNumber: string
  buyer: { clientId: string | null; name: string; customerNumber: string | null; paddle: string | null }
  method: string
  trackingNumber: string | null
  weightGrams: number | null
  dimensionsMm: { length: number; width: number; height: number } | null
  lots: { lot: string; title: string; boxNumber: number | null }[]
  boxes: {
    boxNumber: number
    lots: string[]
    weightGrams: number | null
    dimensionsMm: { length: number; width: number; height: number } | null
  }[]
}

/** Tags, pick lists, gate passes and packing slips, supplied by the warehouse capability. */
export interface WarehousePrintSource {
  tags(saleId: string, itemIds?: string[]): { sale: SaleHeading; tags: LotTagSource[] }
  /** Every paid lot not yet handed out (of one paddle, if given), sorted by location then lot. */
  pickList(saleId: string, paddle?: string): { sale: SaleHeading; paddle: string | null; lots: PickLotSource[] }
  release(releaseId: string): ReleaseSource
  packingSlip(shipmentId: string): PackingSlipSource
}
