// The currency amounts are shown in, on screen and on paper: Circuit's own
// (its /me `config.currency`, which the pull keeps in sync_state under
// `circuit_currency`), else the house's setting. Formatting is Intl's, with
// this currency's code and decimals (src-shared/money.ts).
import { currencyOf, GBP, isCurrencyCode, type MoneyCurrency } from '../../src-shared/money'
import { readKeyed } from './keyed-values'
import type { Replica } from '../db/replica'
import { readSettings } from './settings'

interface StoredCircuitCurrency {
  code?: unknown
  symbol?: unknown
  decimals?: unknown
}

function fromCircuit(db: Replica): MoneyCurrency | null {
  const text = readKeyed(db, 'sync_state', 'circuit_currency')
  if (text === null) return null
  let stored: StoredCircuitCurrency
  try {
    stored = JSON.parse(text) as StoredCircuitCurrency
  } catch {
    return null
  }
  // A /me without a currency (or with a code Intl does not know) says nothing: the house's setting stands.
  const code = typeof stored.code === 'string' ? stored.code.trim().toUpperCase() : ''
  if (!isCurrencyCode(code)) return null
  const usual = currencyOf(code)
  const decimals =
    typeof stored.decimals === 'number' && Number.isInteger(stored.decimals) && stored.decimals >= 0
      ? Math.min(stored.decimals, 6)
      : usual.decimals
  const symbol = typeof stored.symbol === 'string' && stored.symbol.trim() !== '' ? stored.symbol.trim() : usual.symbol
  return { code, decimals, symbol }
}

export function houseCurrency(db: Replica): MoneyCurrency {
  const circuit = fromCircuit(db)
  if (circuit) return circuit
  const code = readSettings(db).currencyCode
  return isCurrencyCode(code) ? currencyOf(code) : GBP
}
