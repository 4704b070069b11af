// The currency every amount on screen is shown in: Circuit's own (app.currency),
// read when the app starts and again after a pull or a change of settings.
// One reactive value for the whole window, so `money()` anywhere follows it.
import { GBP, type MoneyCurrency } from '../../src-shared/money'
import type { Api } from './api'

export const shownCurrency: MoneyCurrency = $state({ ...GBP })

/** Ask the core which currency amounts are in; until it answers (or if it cannot), the last one stands. */
export async function readCurrency(api: Api): Promise<void> {
  try {
    const c = await api.call('app.currency', {})
    shownCurrency.code = c.code
    shownCurrency.decimals = c.decimals
    shownCurrency.symbol = c.symbol
  } catch {
    // A damaged or closing core: amounts keep the currency they had.
  }
}
