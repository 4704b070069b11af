// A consignor's statement for a sale, read from the replica (offline too):
// the consignor's lots and their results, from this station's lots (so a lot
// clerked here shows at once); the commission at each consignment's rate by
// the shared maths; the consignor order's charges and payments. Circuit's own
// figure (its consignment statements, else its consignor order's total) is
// the authority: where ours differs, the statement says so and by how much.
import { commissionOf, statementFigures } from '../../src-shared/consignor-maths'
import type {
  ChequeRegisterEntry,
  ConsignorDifference,
  ConsignorLot,
  ConsignorLotResult,
  ConsignorPayment,
  ConsignorStatement,
  ConsignorSummary
} from '../../src-shared/contract'
import { formatPlain } from '../../src-shared/money'
import { AppError } from '../../src-shared/rpc'
import type { Kysely } from 'kysely'
import { jsonValues } from '../db/json-values'
import type { Replica } from '../db/replica'
import { OPEN_OUTBOX_STATES, type Database } from '../db/schema'

/** The register's cheques for a payment (printing keeps the register). */
export type ChequesFor = (transactionId: string) => ChequeRegisterEntry[]

interface ConsignmentRow {
  id: string
  number: string | null
  commission_bp: number | null
  commission_steps: string
  payment_instructions: string | null
  owner_name: string | null
  customer_number: string | null
}

export interface ConsignorOrderRow {
  id: string
  server_id: string | null
  order_number: string | null
  status: string
  grand_total: number | null
}

interface ItemRow {
  id: string
  lot: string
  title: string
  status: string
  hammer: number | null
  consignment_id: string | null
}

interface PaymentRow {
  id: string
  server_id: string | null
  type: string
  amount: number
  date: string | null
  created: string | null
  info: string | null
  cheque_number: string | null
  voided_at: number | null
}

// Each statement is read once per consignor (a sale's list, a cheque run): the per-consignor
// queries are compiled once. Those over a list of ids bind the list as one JSON value.

/** Circuit's currency settings, as the last pull kept them. */
export const CURRENCY = (q: Kysely<Database>) =>
  q.selectFrom('sync_state').select('value').where('key', '=', 'circuit_currency')

const SALE = (q: Kysely<Database>, a: { id: string }) => q.selectFrom('sales').select('id').where('id', '=', a.id)

/** The sale is on this station. */
export const hasSale = (db: Replica, saleId: string): boolean => db.prepared(SALE).first({ id: saleId }) !== undefined

/** The consignor's order for the sale: a standing one first, then one Circuit knows, then by id. */
const CONSIGNOR_ORDER = (q: Kysely<Database>, a: { saleId: string; clientId: string }) =>
  q
    .selectFrom('orders')
    .select(['id', 'server_id', 'order_number', 'status', 'grand_total'])
    .where('sale_id', '=', a.saleId)
    .where('client_id', '=', a.clientId)
    .where('type', '=', 'consignor')
    .orderBy((eb) => eb('status', '=', 'canceled'))
    .orderBy((eb) => eb('server_id', 'is', null))
    .orderBy('id')
    .limit(1)

const CLIENT = (q: Kysely<Database>, a: { id: string }) =>
  q
    .selectFrom('clients')
    .select(['display_name', 'first_name', 'last_name', 'company', 'customer_number', 'address'])
    .where('id', '=', a.id)

const CONSIGNMENTS = (q: Kysely<Database>, a: { saleId: string; clientId: string }) =>
  q
    .selectFrom('consignments')
    .select([
      'id',
      'number',
      'commission_bp',
      'commission_steps',
      'payment_instructions',
      'owner_name',
      'customer_number'
    ])
    .where('sale_id', '=', a.saleId)
    .where('owner_id', '=', a.clientId)
    .orderBy('id')

const ORDER_LINE_PREMIUMS = (q: Kysely<Database>, a: { orderId: string }) =>
  q.selectFrom('order_lines').select(['item_id', 'premium']).where('order_id', '=', a.orderId)

const ORDER_CHARGES = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('order_charges')
    .select(['label', 'description', 'amount', 'tax'])
    .where('order_id', '=', a.orderId)
    .orderBy('id')

const ORDER_PAYMENTS = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('transactions')
    .select(['id', 'server_id', 'type', 'amount', 'date', 'created', 'info', 'cheque_number', 'voided_at'])
    .where('order_id', '=', a.orderId)
    .orderBy((eb) => eb.fn.coalesce('date', 'created'))
    .orderBy('created')
    .orderBy('id')

/** Cheque payments on the order that carry our reference (`[saleroom:<id>]` in `info`), not voided. */
const OUR_SETTLEMENTS = (q: Kysely<Database>, a: { orderId: string }) =>
  q
    .selectFrom('transactions')
    .select(['id', 'amount'])
    .where('order_id', '=', a.orderId)
    .where('voided_at', 'is', null)
    .where('amount', '>', 0)
    .where('type', '=', 'cheque')
    .where((eb) =>
      eb(
        eb.fn<number>('instr', [
          eb.fn.coalesce('info', eb.val('')),
          eb(eb(eb.val('[saleroom:'), '||', eb.ref('id')), '||', eb.val(']'))
        ]),
        '>',
        0
      )
    )
    .orderBy('created')
    .orderBy('id')

/** Money in the words of Circuit's currency settings (from the last pull), for messages. */
export function moneyText(db: Replica): (minor: number) => string {
  const row = db.prepared(CURRENCY).first({})
  const c = row
    ? (JSON.parse(row.value) as {
        symbol: string
        template: string
        decimalSign: string
        thousandsSign: string
        decimals: number
      })
    : { symbol: '£', template: '@symbol@amount', decimalSign: '.', thousandsSign: ',', decimals: 2 }
  return (minor) => {
    const [whole, fraction] = formatPlain(Math.abs(minor), c.decimals).split('.')
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, c.thousandsSign)
    const amount = fraction === undefined ? grouped : `${grouped}${c.decimalSign}${fraction}`
    const text = c.template.replace('@amount', amount).replace('@symbol', c.symbol).trim()
    return minor < 0 ? `-${text}` : text
  }
}

export function consignorOrderOf(db: Replica, saleId: string, clientId: string): ConsignorOrderRow | null {
  return db.prepared(CONSIGNOR_ORDER).first({ saleId, clientId }) ?? null
}

const RESULT: Record<string, ConsignorLotResult> = {
  sold: 'sold',
  passed: 'passed',
  unsold: 'passed',
  withdrawn: 'withdrawn',
  available: 'open'
}

/** "Smith, Ann" as the replica names people; "Ann Smith" as a cheque and a letter do. */
function personName(c: { first_name: string; last_name: string; company: string | null; display_name: string }) {
  const name = `${c.first_name} ${c.last_name}`.trim()
  return name || c.company || c.display_name
}

function addressLines(json: string | null): string[] {
  if (!json) return []
  try {
    const a = JSON.parse(json) as Record<string, string | null>
    const cityLine = [a.city, a.state, a.postalCode].filter((x) => x && x.trim()).join(' ')
    return [a.street, cityLine, a.country].filter((x): x is string => !!x && x.trim() !== '')
  } catch {
    return []
  }
}

const PAYABLE_TO = /^\s*cheques?\s+(?:made\s+)?payable\s+to\s*:?\s*(.+?)\s*\.?\s*$/i

/**
 * A name as a cheque may carry it: no control characters, and none of the bidi embeddings,
 * overrides and isolates that would make "Smith" print as "htimS" (the same rule as typed names).
 */
const printable = (text: string) => text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '').trim()

/** Whom the cheque is made out to: what the payment instructions name, else the consignor. */
export function payeeOf(instructions: readonly string[], name: string): string {
  for (const text of instructions) {
    const m = PAYABLE_TO.exec(printable(text))
    if (m && m[1].trim()) return m[1].trim().slice(0, 120)
  }
  return printable(name).slice(0, 120) || 'the consignor'
}

export function consignorStatement(
  db: Replica,
  chequesFor: ChequesFor,
  saleId: string,
  clientId: string
): ConsignorStatement {
  if (!hasSale(db, saleId)) {
    throw new AppError('not_found', `There is no sale ${saleId} on this station: open it on the Podium (F1) first.`)
  }
  const client = db.prepared(CLIENT).first({ id: clientId })
  const consignments: ConsignmentRow[] = db.prepared(CONSIGNMENTS).all({ saleId, clientId })
  const order = consignorOrderOf(db, saleId, clientId)
  if (!consignments.length && !order) {
    throw new AppError(
      'not_found',
      `Client ${clientId} consigned nothing to sale ${saleId} that this station knows of.`
    )
  }
  const money = moneyText(db)
  const byId = new Map(consignments.map((c) => [c.id, c]))
  // Circuit's commission per lot on its consignor order: used where no rate is known here.
  const circuitLines = new Map(
    (order ? db.prepared(ORDER_LINE_PREMIUMS).all({ orderId: order.id }) : []).map((l) => [l.item_id, l.premium])
  )
  const items: ItemRow[] = db.all(
    db.q
      .selectFrom('items')
      .select(['id', 'lot', 'title', 'status', 'hammer', 'consignment_id'])
      .where('sale_id', '=', saleId)
      .where((eb) =>
        eb.or([
          eb('consignment_id', 'in', jsonValues(consignments.map((c) => c.id))),
          eb('id', 'in', jsonValues([...circuitLines.keys()]))
        ])
      )
      .orderBy('lot_sort')
  )
  const problems: string[] = []
  const unknownRate = new Set<string>()
  for (const c of consignments) {
    const steps = JSON.parse(c.commission_steps) as { rateBp: number | null }[]
    if (steps.length > 1) {
      problems.push(
        `Consignment ${c.number ?? c.id} has ${steps.length} commission steps; this station applies its first rate to every lot.`
      )
    }
  }
  const lots: ConsignorLot[] = items.map((i) => {
    const consignment = i.consignment_id ? byId.get(i.consignment_id) : undefined
    const result = RESULT[i.status] ?? 'open'
    const sold = result === 'sold' && i.hammer !== null
    const rateBp = consignment?.commission_bp ?? null
    const fromCircuit = circuitLines.get(i.id) ?? null
    if (sold && rateBp === null) unknownRate.add(consignment?.number ?? i.consignment_id ?? `lot ${i.lot}`)
    return {
      itemId: i.id,
      lot: i.lot,
      title: i.title,
      consignment: consignment?.number ?? null,
      result,
      hammer: sold ? i.hammer : null,
      rateBp,
      commission: commissionOf({ sold, hammer: i.hammer, rateBp, commission: fromCircuit })
    }
  })
  if (unknownRate.size) {
    problems.push(
      `Circuit sent no commission rate for ${[...unknownRate].join(', ')}: the commission there is Circuit's own per lot, where it sent one.`
    )
  }
  const chargeLines = order ? db.prepared(ORDER_CHARGES).all({ orderId: order.id }) : []
  const paymentRows: PaymentRow[] = order ? db.prepared(ORDER_PAYMENTS).all({ orderId: order.id }) : []
  const payments: ConsignorPayment[] = paymentRows.map((t) => ({
    id: t.id,
    date: t.date ?? t.created,
    method: t.type,
    amount: t.amount,
    pending: t.server_id === null && t.voided_at === null,
    voided: t.voided_at !== null,
    chequeNumber: t.cheque_number,
    cheques: chequesFor(t.id).map((c) => ({ bankAccountId: c.bankAccountId, number: c.number, state: c.state }))
  }))
  let figures
  try {
    figures = statementFigures({
      lots: lots.map((l) => ({
        sold: l.result === 'sold',
        hammer: l.hammer,
        rateBp: l.rateBp,
        commission: l.commission
      })),
      charges: chargeLines.map((c) => ({ amount: c.amount, tax: c.tax ?? 0 })),
      payments: payments.filter((p) => !p.voided).map((p) => p.amount)
    })
  } catch (err) {
    if (!(err instanceof RangeError)) throw err
    throw new AppError(
      'conflict',
      `The figures of client ${clientId} in sale ${saleId} add up to more than this station can count exactly. Correct them on Circuit, then pull the sale again.`
    )
  }
  // The lots with a change of this station's still on its way to Circuit.
  const pendingLots = db
    .all(
      db.q
        .selectFrom('items as i')
        .select('i.lot')
        .where('i.id', 'in', jsonValues(items.map((i) => i.id)))
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('outbox as e')
              .select((e) => e.lit(1).as('one'))
              .where('e.entity_type', '=', 'item')
              .whereRef('e.entity_id', '=', 'i.id')
              .where('e.state', 'in', OPEN_OUTBOX_STATES)
          )
        )
        .orderBy('i.lot_sort')
    )
    .map((r) => r.lot)

  // Circuit's figure: its statements for the consignor's consignments, else its consignor order's total.
  const statements = db.all(
    db.q
      .selectFrom('consignment_statements')
      .select('total')
      .where('sale_id', '=', saleId)
      .where((eb) =>
        eb.or([eb('owner_id', '=', clientId), eb('consignment_id', 'in', jsonValues(consignments.map((c) => c.id)))])
      )
  )
  let circuitTotal: number | null = null
  let source: ConsignorDifference['source'] = 'statements'
  if (statements.length && statements.every((s) => s.total !== null)) {
    circuitTotal = statements.reduce((sum, s) => sum + (s.total ?? 0), 0)
  } else if (order?.server_id && order.grand_total !== null) {
    circuitTotal = order.grand_total
    source = 'order'
  }
  let difference: ConsignorDifference | null = null
  if (circuitTotal !== null && circuitTotal !== figures.total) {
    const amount = circuitTotal - figures.total
    const why = pendingLots.length
      ? `lot(s) ${pendingLots.slice(0, 8).join(', ')} were clerked here and are not yet on Circuit (see the Sync screen, F4)`
      : 'pull the sale again; if it still differs, check the lots, rates and charges on Circuit'
    difference = {
      circuits: circuitTotal,
      ours: figures.total,
      amount,
      source,
      message: `Circuit's ${source === 'statements' ? 'statement total' : 'consignor order total'} is ${money(circuitTotal)}; ours is ${money(figures.total)} (${money(Math.abs(amount))} ${amount > 0 ? 'more' : 'less'} on Circuit). Circuit's figure is the authority: ${why}.`
    }
  }

  const instructions = [
    ...new Set(consignments.map((c) => c.payment_instructions?.trim() ?? '').filter((t) => t !== ''))
  ]
  const name = client
    ? personName(client)
    : (consignments.find((c) => c.owner_name)?.owner_name ?? `Client ${clientId}`)
  return {
    saleId,
    clientId,
    lots,
    hammer: figures.hammer,
    commission: figures.commission,
    charges: figures.charges,
    paid: figures.paid,
    netPayable: figures.netPayable,
    difference,
    consignor: {
      name,
      customerNumber: client?.customer_number ?? consignments.find((c) => c.customer_number)?.customer_number ?? null,
      address: addressLines(client?.address ?? null),
      paymentInstructions: instructions
    },
    payee: payeeOf(instructions, name),
    order: order ? { id: order.id, number: order.order_number ?? order.id, status: order.status } : null,
    chargeLines: chargeLines.map((c) => ({
      label: c.label ?? c.description ?? 'Charge',
      amount: c.amount,
      tax: c.tax ?? 0
    })),
    payments,
    total: figures.total,
    circuitTotal,
    problems,
    pendingLots
  }
}

/** A settlement of ours on the consignor order whose cheque was never printed (the station stopped between). */
export function unprintedSettlement(db: Replica, s: ConsignorStatement): { id: string; amount: number } | null {
  if (!s.order) return null
  const mine = db.prepared(OUR_SETTLEMENTS).all({ orderId: s.order.id })
  return mine.find((t) => !s.payments.find((p) => p.id === t.id)?.cheques.some((c) => c.state === 'issued')) ?? null
}

/**
 * Why a cheque run passes this consignor by, or null when it pays them. A
 * settlement recorded here whose cheque was never printed is not passed by:
 * the run prints its cheque (no second payment).
 */
export function skipReason(db: Replica, s: ConsignorStatement): string | null {
  const money = moneyText(db)
  if (!s.order) {
    return 'Circuit has no consignor order for them in this sale on this station: pull the sale again (F1).'
  }
  if (s.order.status === 'canceled') return `Consignor order ${s.order.number} is cancelled.`
  if (unprintedSettlement(db, s)) return null
  if (s.difference) return s.difference.message
  if (s.problems.length && s.circuitTotal === null) {
    return `${s.problems.join(' ')} Circuit has sent no figure to check ours against: settle by hand once it has.`
  }
  if (s.netPayable > 0) return null
  if (s.netPayable === 0 && s.paid > 0) {
    const cheques = s.payments.flatMap((p) => p.cheques.filter((c) => c.state === 'issued').map((c) => c.number))
    const numbers = cheques.map((n) => String(n).padStart(6, '0'))
    return `Paid already: ${money(s.paid)}${numbers.length ? ` (cheque ${numbers.join(', ')})` : ''}.`
  }
  if (s.netPayable < 0 && s.paid > 0 && s.total >= 0) {
    return `Paid ${money(s.paid)}, ${money(-s.netPayable)} more than the ${money(s.total)} due: nothing to pay.`
  }
  if (s.netPayable < 0) {
    return `Owes the house ${money(-s.netPayable)}: the charges are more than the hammer less commission. Nothing to pay.`
  }
  return s.hammer === 0 ? 'Nothing to pay: no lot sold.' : 'Nothing to pay.'
}

/** Every consignor of the sale this station knows of: by consignment, and by consignor order. */
export function consignorIds(db: Replica, saleId: string): string[] {
  const q = db.q
  return db
    .all(
      q
        .selectFrom('consignments')
        .select('owner_id as client_id')
        .where('sale_id', '=', saleId)
        .where('owner_id', 'is not', null)
        .union(
          q
            .selectFrom('orders')
            .select('client_id')
            .where('sale_id', '=', saleId)
            .where('type', '=', 'consignor')
            .where('client_id', 'is not', null)
        )
        .$narrowType<{ client_id: string }>()
    )
    .map((r) => r.client_id)
}

export function consignorSummaries(db: Replica, chequesFor: ChequesFor, saleId: string): ConsignorSummary[] {
  if (!hasSale(db, saleId)) {
    throw new AppError('not_found', `There is no sale ${saleId} on this station: open it on the Podium (F1) first.`)
  }
  return consignorIds(db, saleId)
    .map((clientId): ConsignorSummary => {
      let s: ConsignorStatement
      try {
        s = consignorStatement(db, chequesFor, saleId, clientId)
      } catch (err) {
        // One consignor whose figures cannot be worked out does not hide the others.
        if (!(err instanceof AppError)) throw err
        return {
          clientId,
          name: `Client ${clientId}`,
          customerNumber: null,
          orderNumber: null,
          lotsSold: 0,
          lots: 0,
          hammer: 0,
          commission: 0,
          charges: 0,
          paid: 0,
          netPayable: 0,
          difference: null,
          skipReason: err.message,
          paymentInstructions: []
        }
      }
      return {
        clientId,
        name: s.consignor.name,
        customerNumber: s.consignor.customerNumber,
        orderNumber: s.order?.number ?? null,
        lotsSold: s.lots.filter((l) => l.result === 'sold').length,
        lots: s.lots.length,
        hammer: s.hammer,
        commission: s.commission,
        charges: s.charges,
        paid: s.paid,
        netPayable: s.netPayable,
        difference: s.difference?.amount ?? null,
        skipReason: skipReason(db, s),
        paymentInstructions: s.consignor.paymentInstructions
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId))
}
