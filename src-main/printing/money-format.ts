// Amounts as Circuit's currency settings print them. Integer minor units in,
// text out: the digits come from the shared integer formatter, never a float.
import { formatPlain } from '../../src-shared/money'
import type { Currency, Minor } from './types'

const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g

/** 123456 → "1,234.56" (no symbol), with the currency's separators and decimals. */
export function formatAmount(minor: Minor, currency: Currency): string {
  const [whole, fraction] = formatPlain(Math.abs(minor), currency.decimals).split('.')
  const grouped = whole.replace(THOUSANDS, currency.thousandsSign)
  const body = fraction === undefined ? grouped : `${grouped}${currency.decimalSign}${fraction}`
  return minor < 0 ? `-${body}` : body
}

/** 123456 → "£1,234.56" or "1.234,56 €" following the template; negatives lead with "-". */
export function formatMoney(minor: Minor, currency: Currency): string {
  const text = currency.template
    .replace('@amount', formatAmount(Math.abs(minor), currency))
    .replace('@symbol', currency.symbol)
    .trim()
  return minor < 0 ? `-${text}` : text
}

/** "£1,000–£1,500"; one side alone when the other is unknown; "" when neither is. */
export function formatEstimate(low: Minor | null, high: Minor | null, currency: Currency): string {
  const sides = [low, high].filter((v): v is Minor => v !== null).map((v) => formatMoney(v, currency))
  return sides.join('–')
}
