// The words on a cheque: "One thousand two hundred thirty-four and 56/100".
// The number words come from to-words (en-US); only the cheque styling is ours.
import { ToWords } from 'to-words/en-US'
import type { Currency, Minor } from './types'

const toWords = new ToWords()

const COMPOUND_TENS =
  /\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety) (one|two|three|four|five|six|seven|eight|nine)\b/g

/** to-words gives "One Thousand Thirty Four"; cheques read "One thousand thirty-four". */
function chequeStyle(words: string): string {
  const lower = words.toLowerCase().replace(COMPOUND_TENS, '$1-$2')
  return lower.charAt(0).toUpperCase() + lower.slice(1)
}

/** Major units in words, minor units as a fraction: 123456 → "One thousand two hundred thirty-four and 56/100". */
export function amountInWords(minor: Minor, currency: Currency): string {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new RangeError(`a cheque amount must be a non-negative integer of minor units, got ${minor}`)
  }
  const unit = 10 ** currency.decimals
  const fraction = minor % unit
  const words = chequeStyle(toWords.convert((minor - fraction) / unit))
  if (currency.decimals === 0) return words
  return `${words} and ${String(fraction).padStart(currency.decimals, '0')}/${unit}`
}
