import { formatAmount } from '../../src-shared/money'
import type { StatusSnapshot } from '../../src-shared/events'

export function money(minor: number | null | undefined): string {
  return minor === null || minor === undefined ? '—' : formatAmount(minor)
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

/** The status bar's one line: "Offline — 37 waiting — last sync 18:42 yesterday". */
export function statusLine(s: StatusSnapshot, now?: Date): string {
  const parts = [CONNECTION_LABEL[s.connection], `${s.pending} waiting`]
  if (s.needsAttention > 0) parts.push(`${s.needsAttention} need attention`)
  parts.push(`last sync ${whenShort(s.lastSyncAt, now)}`)
  return parts.join(' — ')
}
