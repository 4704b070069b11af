// The audit log in words: "Lot 15 sold to 204 (L. Marchetti) for £1,200.00 —
// podium, 14:02". The core says what happened (auditText, with money, names
// and invoice numbers it knows); the Sync screen adds where and when
// (auditLine). Never JSON, never minor units, never an internal id where a
// number or a name is known.
import { stateWord } from './status-words'

/** What the core knows to put words to an entry. */
export interface AuditFacts {
  /** Minor units as the house shows money: "£1,200.00". */
  money: (minor: number) => string
  /** A client's name as the station has it ("Marchetti, Laura"), or null. */
  clientName: (clientId: string) => string | null
  /** An order's invoice (or provisional) number, or null. */
  orderNumber: (orderId: string) => string | null
}

export interface AuditRecord {
  action: string
  entityType: string | null
  entityId: string | null
  before: unknown
  after: unknown
}

type Obj = Record<string, unknown>

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const lots = (n: number) => `${n} ${n === 1 ? 'lot' : 'lots'}`

/** "Marchetti, Laura" → "L. Marchetti"; a name without a comma (a company) stays whole. */
export function shortName(name: string): string {
  const [last, first] = name.split(',').map((s) => s.trim())
  if (!first || !last) return name.trim()
  return `${first[0].toUpperCase()}. ${last}`
}

/** "sold to 204 (L. Marchetti) for £1,200.00", "passed", "not clerked". */
function lotResult(state: Obj, facts: AuditFacts): string {
  const status = str(state.status) ?? 'available'
  if (status !== 'sold') return stateWord('lot', status).toLowerCase()
  const clientId = str(state.winnerClientId)
  const name = clientId ? facts.clientName(clientId) : null
  const paddle = str(state.paddle) ?? '?'
  const hammer = num(state.hammer)
  return `sold to ${paddle}${name ? ` (${shortName(name)})` : ''}${hammer === null ? '' : ` for ${facts.money(hammer)}`}`
}

function clerking(action: string, before: Obj, after: Obj, facts: AuditFacts): string {
  const lot = str(after.lot) ?? str(before.lot) ?? '?'
  const was = str(before.status) ?? 'available'
  const wasText = was === 'available' ? '' : ` (was ${lotResult(before, facts)})`
  switch (action) {
    case 'clerking.sell':
      return `Lot ${lot} ${lotResult(after, facts)}${wasText}`
    case 'clerking.pass':
      return `Lot ${lot} passed${wasText}`
    case 'clerking.withdraw':
      return `Lot ${lot} withdrawn${wasText}`
    case 'clerking.reopen':
      return `Lot ${lot} reopened${wasText}`
    default:
      return `Undone: lot ${lot} ${lotResult(after, facts)} again${wasText}`
  }
}

const METHOD: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  cheque: 'Cheque',
  wire: 'Bank transfer',
  transfer: 'Bank transfer'
}

function checkout(action: string, entityId: string | null, before: Obj, after: Obj, facts: AuditFacts): string {
  const order = (id: string | null) => (id ? (facts.orderNumber(id) ?? id) : '?')
  const invoice = order(entityId)
  switch (action) {
    case 'checkout.pay': {
      const amount = num(after.amount)
      const change = num(after.changeDue)
      const method = METHOD[str(after.method) ?? ''] ?? 'A'
      return (
        `${method} payment of ${amount === null ? '?' : facts.money(amount)} on invoice ${str(after.order) ?? '?'}` +
        (change ? `, change ${facts.money(change)}` : '')
      )
    }
    case 'checkout.setStatus':
      return `Invoice ${invoice} moved from ${stateWord('order', str(before.status))} to ${stateWord('order', str(after.status))}`
    case 'checkout.split':
      return `${lots(list(after.itemIds).length)} split off invoice ${invoice} onto invoice ${order(str(after.into))}`
    case 'checkout.creditNote':
      return `Credit note ${order(str(after.note))} for ${lots(list(after.itemIds).length)} of invoice ${invoice}`
    case 'checkout.cancelReissue':
      return `Invoice ${invoice} cancelled and issued again as ${order(str(after.reissued))}`
    case 'checkout.charges': {
      const added = obj(after.added)
      const amount = num(added.amount)
      if (amount !== null) return `Charge of ${facts.money(amount)} added to invoice ${invoice}`
      return `A charge removed from invoice ${invoice}`
    }
    default:
      return `Invoice ${invoice} changed`
  }
}

function phoneCard(action: string, before: Obj, after: Obj): string {
  const paddle = str(after.paddle) ?? str(before.paddle)
  const who = paddle ? `paddle ${paddle}` : 'a bidder'
  const count = list(after.itemIds).length
  switch (action) {
    case 'phoneCard.add':
      return `Phone card for ${who} added (${lots(count)})`
    case 'phoneCard.change':
      return `Phone card for ${who} changed (${lots(count)})`
    case 'phoneCard.delete':
      return `Phone card for ${who} deleted`
    default:
      return `Lot ${str(after.lot) ?? '?'} moved from ${str(before.card) ?? '?'}'s phone card to ${str(after.card) ?? '?'}'s`
  }
}

const SETTING_WORDS: Record<string, string> = {
  stationName: 'station name',
  userName: 'user name',
  houseName: 'house name',
  houseAddress: 'house address',
  houseVatNumber: 'VAT number',
  houseLogoFile: 'logo',
  termsText: 'terms',
  bankDetails: 'bank details',
  collectionNotes: 'collection notes',
  documentFooter: 'footer',
  printConsignmentNumbers: 'consignment numbers on invoices',
  chargeDefaults: 'charge defaults',
  currencyCode: 'currency',
  backupFolder: 'second folder',
  backupEveryMinutes: 'copy interval',
  backupKeep: 'copies kept'
}

/** A changed setting: short values are quoted, long texts only named. */
function settingChange(key: string, value: unknown): string {
  const name = SETTING_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  if (typeof value === 'boolean') return `${name} ${value ? 'on' : 'off'}`
  if (value === null || value === '') return `${name} cleared`
  if ((typeof value === 'string' && value.length <= 40 && !value.includes('\n')) || typeof value === 'number') {
    return `${name} → ${value}`
  }
  return `${name} changed`
}

function sync(action: string, before: Obj): string {
  const label = str(before.label) ?? 'a change'
  switch (action) {
    case 'outbox.retry':
      return `Sent again: ${label}`
    case 'outbox.keepMine':
      return `This station's version kept over Circuit's: ${label}`
    case 'outbox.takeTheirs':
      return `Circuit's version taken, this station's dropped: ${label}`
    case 'outbox.discard':
      return `Discarded, never to reach Circuit: ${label}`
    default:
      return label
  }
}

function cheque(action: string, after: Obj, facts: AuditFacts): string {
  const number = num(after.number)
  const amount = num(after.amount)
  switch (action) {
    case 'cheque.issue':
    case 'cheque.reprint':
      return (
        `Cheque ${number ?? '?'}${action === 'cheque.reprint' ? ' (reprinted)' : ''} to ${str(after.payee) ?? '?'}` +
        (amount === null ? '' : ` for ${facts.money(Math.abs(amount))}`)
      )
    case 'cheque.setNext':
      return `Cheques continue at ${num(after.next) ?? '?'}`
    case 'cheque.void':
      return `Cheque ${number ?? '?'} voided${str(after.reason) ? `: ${str(after.reason)}` : ''}`
    default:
      return 'Cheque printer offsets changed'
  }
}

/** "Clerking pass" from "clerking.pass": an action nobody has words for yet still reads as words. */
function fallback(action: string): string {
  const [area, verb = ''] = action.split('.')
  const words = `${verb.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`.trim()
  return `${area[0]?.toUpperCase() ?? ''}${area.slice(1)}${words ? `: ${words}` : ''}`
}

/** What happened, in a sentence. */
export function auditText(entry: AuditRecord, facts: AuditFacts): string {
  const before = obj(entry.before)
  const after = obj(entry.after)
  const action = entry.action
  if (action.startsWith('clerking.')) return clerking(action, before, after, facts)
  if (action.startsWith('checkout.')) return checkout(action, entry.entityId, before, after, facts)
  if (action.startsWith('phoneCard.')) return phoneCard(action, before, after)
  if (action.startsWith('outbox.')) return sync(action, before)
  if (action.startsWith('cheque.')) return cheque(action, after, facts)
  switch (action) {
    case 'settings.update': {
      const changes = Object.entries(after).map(([k, v]) => settingChange(k, v))
      return changes.length ? `Settings: ${changes.join(', ')}` : 'Settings saved, nothing changed'
    }
    case 'circuit.connect':
      return `Connected to Circuit at ${str(after.circuitUrl) ?? '?'} as ${str(after.circuitEmail) ?? '?'}`
    case 'circuit.disconnect':
      return 'Disconnected from Circuit (demo mode)'
    case 'backups.configure': {
      const folder = str(after.backupFolder)
      return folder
        ? `Safety net: copies to ${folder}${num(after.backupEveryMinutes) ? ` every ${num(after.backupEveryMinutes)} min` : ''}`
        : 'Safety net: no second folder'
    }
    case 'sale.forgetPull':
      return `Stopped pulling sale ${entry.entityId ?? '?'}`
    default:
      return fallback(action)
  }
}

/** The screen an action was taken on, as the user knows it. */
export function auditWhere(action: string): string {
  const area = action.split('.')[0]
  switch (area) {
    case 'clerking':
      return 'podium'
    case 'phoneCard':
      return 'phone cards'
    case 'checkout':
    case 'cheque':
      return 'checkout'
    case 'outbox':
    case 'sale':
      return 'Sync'
    default:
      return 'settings'
  }
}

/** "14:02" in this station's time. */
export function auditTime(isoText: string): string {
  return new Date(isoText).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
}

/** "Lot 15 sold to 204 (L. Marchetti) for £1,200.00 — podium, 14:02". */
export function auditLine(entry: { action: string; at: string; text: string }): string {
  return `${entry.text} — ${auditWhere(entry.action)}, ${auditTime(entry.at)}`
}
