import { formatMoney, formatPlain, parseDecimalMinor } from '../../src-shared/money'
import type { StatusSnapshot } from '../../src-shared/events'
import { shownCurrency } from './currency.svelte'

/** An amount as the screen shows it: "£1,250.50", "¥1,250", "KWD 1.250" (Intl, Circuit's currency). */
export function money(minor: number | null | undefined): string {
  return minor === null || minor === undefined ? '—' : formatMoney(minor, shownCurrency)
}

/** An amount as a field holds it for editing: "1250.50" (the currency's decimals, no grouping, no symbol). */
export function moneyInput(minor: number): string {
  return formatPlain(minor, shownCurrency.decimals)
}

/**
 * What the cashier typed, in minor units of the shown currency: "1250", "1,250.50", "£1,250.50".
 * Null when it is not an amount (or has more decimals than the currency).
 */
export function parseMoneyInput(text: string): number | null {
  const symbol = shownCurrency.symbol.trim()
  let t = text.replace(/\s/g, '')
  if (symbol) t = t.split(symbol).join('')
  t = t.replace(/^[£€$¥]/, '')
  return parseDecimalMinor(t, { decimals: shownCurrency.decimals, grouping: true })
}

/** "18:42 today", "18:42 yesterday", "12 Nov 18:42". */
export function whenShort(isoText: string | null, now: Date = new Date()): string {
  if (!isoText) return 'never'
  const d = new Date(isoText)
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime()
  const diff = Math.round((day(now) - day(d)) / 86_400_000)
  if (diff === 0) return `${time} today`
  if (diff === 1) return `${time} yesterday`
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`
}

const CONNECTION_LABEL: Record<StatusSnapshot['connection'], string> = {
  'not-configured': 'Not connected',
  connecting: 'Connecting',
  online: 'Online',
  offline: 'Offline',
  'auth-required': 'Log in needed'
}

/** "4 min", "2 h 5 min", "3 days": how long something has waited. */
export function age(fromIso: string, now: Date = new Date()): string {
  const mins = Math.max(0, Math.floor((now.getTime() - new Date(fromIso).getTime()) / 60_000))
  if (mins < 1) return 'under a minute'
  if (mins < 60) return `${mins} min`
  const hours = Math.floor(mins / 60)
  if (hours < 24) return mins % 60 ? `${hours} h ${mins % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return days === 1 ? '1 day' : `${days} days`
}

/** The status bar's one line: "Offline — 37 waiting (oldest 12 min) — last sync 18:42 yesterday". */
export function statusLine(s: StatusSnapshot, now?: Date): string {
  const waiting =
    s.pending > 0 && s.oldestPendingAt
      ? `${s.pending} waiting (oldest ${age(s.oldestPendingAt, now)})`
      : `${s.pending} waiting`
  const parts = [CONNECTION_LABEL[s.connection], waiting]
  if (s.conflicts > 0) parts.push(`${s.conflicts} conflict${s.conflicts === 1 ? '' : 's'}`)
  if (s.needsAttention > 0) parts.push(`${s.needsAttention} need attention`)
  if (s.paused) parts.push(`paused: ${s.paused.reason}`)
  parts.push(`last sync ${whenShort(s.lastSyncAt, now)}`)
  return parts.join(' — ')
}
