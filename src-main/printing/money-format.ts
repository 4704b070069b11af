// Amounts on paper exactly as on screen: Intl.NumberFormat with Circuit's
// currency code and decimals (src-shared/money.ts is the one formatter).
// Integer minor units in, text out; never a float.
import { formatAmount as sharedAmount, formatMoney as sharedMoney } from '../../src-shared/money'
import type { Currency, Minor } from './types'

/** 123456 → "1,234.56" (no symbol), in the currency's decimals: a cheque's figures. */
export function formatAmount(minor: Minor, currency: Currency): string {
  return sharedAmount(minor, currency)
}

/** 123456 → "£1,234.56"; JPY 1234 → "¥1,234"; KWD 1234 → "KWD 1.234"; negatives lead with "-". */
export function formatMoney(minor: Minor, currency: Currency): string {
  return sharedMoney(minor, currency)
}

/** "£1,000.00–£1,500.00"; one side alone when the other is unknown; "" when neither is. */
export function formatEstimate(low: Minor | null, high: Minor | null, currency: Currency): string {
  const sides = [low, high].filter((v): v is Minor => v !== null).map((v) => formatMoney(v, currency))
  return sides.join('–')
}
