import type { IsoDate } from './types'

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]

/** "2026-03-07" → "7 March 2026", read from the text (no time zone can shift it). Other text prints as given. */
export function formatDate(date: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined
  if (!m || !month) return date
  return `${Number(m[3])} ${month} ${m[1]}`
}
