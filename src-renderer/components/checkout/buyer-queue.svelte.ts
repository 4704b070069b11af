// The buyers waiting at the desk (checkout.queue): who bought and still owes,
// newest hammer first. Read again whenever the records change; Enter takes
// the buyer chosen (the top one unless the arrows moved), and never one the
// desk has just settled: a key pressed while a reading is on its way waits
// for it.
import type { CheckoutQueueEntry } from '../../../src-shared/contract'
import type { AppState } from '../../lib/app-state.svelte'

export class BuyerQueue {
  rows = $state.raw<CheckoutQueueEntry[]>([])
  /** The row Enter takes: the top one unless the arrows moved. */
  active = $state(0)
  /** The sale the rows are for. */
  saleId = $state('')
  /** A reading is on its way: the rows on screen may still list a buyer just settled. */
  loading = $state(false)
  private seq = 0
  private pending: Promise<void> = Promise.resolve()

  constructor(private readonly app: AppState) {}

  /** Read the sale's queue; the newest reading wins. `fromTop` puts the choice back on the first buyer. */
  load(saleId: string, fromTop = false): Promise<void> {
    const mine = ++this.seq
    if (fromTop || saleId !== this.saleId) this.active = 0
    if (!saleId) {
      this.rows = []
      this.saleId = ''
      this.loading = false
      return (this.pending = Promise.resolve())
    }
    this.loading = true
    this.pending = this.app.api
      .call('checkout.queue', { saleId })
      .then((rows) => {
        if (mine !== this.seq) return
        // The choice stays on the same buyer while they are still waiting.
        const chosen = this.saleId === saleId && !fromTop ? this.rows[this.active]?.clientId : undefined
        const at = chosen === undefined ? -1 : rows.findIndex((r) => r.clientId === chosen)
        this.rows = rows
        this.saleId = saleId
        this.active = at >= 0 ? at : Math.min(this.active, Math.max(0, rows.length - 1))
        this.loading = false
      })
      .catch((err) => {
        if (mine !== this.seq) return
        this.loading = false
        this.app.fail(err)
      })
    return this.pending
  }

  move(step: number): void {
    if (this.rows.length) this.active = Math.max(0, Math.min(this.rows.length - 1, this.active + step))
  }

  /** The buyer Enter takes, once the reading on its way (if any) has landed; null when nobody waits. */
  async chosen(): Promise<CheckoutQueueEntry | null> {
    let seen: Promise<void>
    do {
      seen = this.pending
      await seen
    } while (seen !== this.pending)
    return this.rows[this.active] ?? null
  }
}
