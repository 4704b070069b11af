// The look-up screen's state: what is typed, the one answer for it (lots and
// buyers together, one call per keystroke), the buyer chosen and their lots.
// A newer keystroke's answer wins over an older one that arrives late.
import type { BuyerRow, LotRow } from '../../src-shared/contract'
import type { AppState } from './app-state.svelte'

export const LOT_LIMIT = 50
export const BUYER_LIMIT = 20

export class LookupDesk {
  lots = $state.raw<LotRow[]>([])
  buyers = $state.raw<BuyerRow[]>([])
  /** The text the lists are for (the screen's data-searched). */
  searched = $state('')
  selectedBuyer = $state(0)
  buyer = $state.raw<BuyerRow | null>(null)
  buyerLots = $state.raw<LotRow[]>([])
  private seq = 0

  constructor(private readonly app: AppState) {}

  async search(text: string): Promise<void> {
    const mine = ++this.seq
    if (text.trim() === '') {
      this.lots = []
      this.buyers = []
      this.searched = ''
      return
    }
    try {
      const answer = await this.app.api.call('lookup.search', {
        q: text,
        lotLimit: LOT_LIMIT,
        buyerLimit: BUYER_LIMIT
      })
      if (mine !== this.seq) return
      this.lots = answer.lots
      this.buyers = answer.buyers
      this.selectedBuyer = 0
      this.searched = text
    } catch (err) {
      if (mine === this.seq) this.app.fail(err)
    }
  }

  async openBuyer(b: BuyerRow | undefined): Promise<void> {
    if (!b) return
    try {
      this.buyerLots = await this.app.api.call('buyer.lots', { clientId: b.clientId })
      this.buyer = b
    } catch (err) {
      this.app.fail(err)
    }
  }

  closeBuyer(): void {
    this.buyer = null
    this.buyerLots = []
  }

  moveBuyer(by: number): void {
    if (this.buyers.length === 0) return
    this.selectedBuyer = Math.max(0, Math.min(this.buyers.length - 1, this.selectedBuyer + by))
  }
}
