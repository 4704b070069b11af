// The currencies the simulator can run in (`--currency`, SimulatorOptions.currency).
// The shape is /me's `config.currency` (FIELD-NOTES §2.1) plus the ISO code;
// `decimal_amount` decides how every wire amount is written and read.

export interface Currency {
  key: string
  /** ISO 4217, upper case (not part of /me's config.currency; sales carry it). */
  code: string
  symbol: string
  template: string
  decimal_sign: string
  decimal_amount: number
  thousands_sign: string
}

const currency = (
  code: string,
  symbol: string,
  decimals: number,
  template = '@symbol@amount',
  decimalSign = '.',
  thousandsSign = ','
): Currency => ({
  key: code.toLowerCase(),
  code,
  symbol,
  template,
  decimal_sign: decimalSign,
  decimal_amount: decimals,
  thousands_sign: thousandsSign
})

export const CURRENCIES: Readonly<Record<string, Currency>> = {
  GBP: currency('GBP', '£', 2),
  EUR: currency('EUR', '€', 2, '@amount @symbol', ',', '.'),
  USD: currency('USD', '$', 2),
  CHF: currency('CHF', 'CHF', 2, '@symbol @amount', '.', "'"),
  JPY: currency('JPY', '¥', 0),
  KWD: currency('KWD', 'KD', 3, '@symbol @amount'),
  BHD: currency('BHD', 'BD', 3, '@symbol @amount')
}

export const GBP = CURRENCIES.GBP

/** The currency for an ISO code (any case), or an error naming the ones there are. */
export function currencyFor(code: string): Currency {
  const c = CURRENCIES[code.trim().toUpperCase()]
  if (!c) throw new Error(`Unknown currency "${code}". Known: ${Object.keys(CURRENCIES).join(', ')}.`)
  return c
}
