// The phone bank's cards for one session: the list, the card chosen, the
// form for a new or changed card, moving a lot between cards, deleting, and
// printing them. Every change is the station's own at once and reaches
// Circuit through the outbox.
import type { PhoneCard, PhoneCardsOptions, PodiumBidder, PodiumSession, PrintResult } from '../../src-shared/contract'
import { splitLotList } from '../../src-shared/lots'
import type { AppState } from './app-state.svelte'

/** The cards' messages carry this test id. */
export const CARD_MESSAGE = 'card-message'

export type CardMode = 'list' | 'edit' | 'move' | 'delete'

export class PhoneDesk {
  sessionId = $state('')
  cards = $state.raw<PhoneCard[]>([])
  options = $state.raw<PhoneCardsOptions | null>(null)
  selected = $state(0)
  mode = $state<CardMode>('list')
  preview = $state.raw<PrintResult | null>(null)

  // The form, for a new card or the chosen one.
  editing = $state<string | null>(null)
  paddle = $state('')
  phone = $state('')
  staffId = $state('')
  lotsText = $state('')
  // Moving a lot.
  moveLot = $state('')
  moveTo = $state('')

  constructor(
    private readonly app: AppState,
    readonly sessions: readonly PodiumSession[],
    sessionId: string,
    private readonly bidders: ReadonlyMap<string, PodiumBidder>
  ) {
    this.sessionId = sessionId
  }

  readonly card = $derived(this.cards[this.selected] ?? null)

  get session(): PodiumSession | null {
    return this.sessions.find((s) => s.id === this.sessionId) ?? null
  }

  /** The bidder the paddle typed belongs to, if the sale has one. */
  get bidder(): PodiumBidder | undefined {
    return this.bidders.get(this.paddle.trim().toUpperCase())
  }

  /** What the paddle typed is: the bidder's name, or why Circuit cannot call them on the phone. */
  readonly paddleNote = $derived.by(() => {
    if (this.paddle.trim() === '') return ''
    const b = this.bidder
    if (!b) {
      return "Not registered for this sale. Circuit's API cannot create a phone paddle: register one in Circuit's back office (client → Bidding info), then open the sale again."
    }
    if (b.type !== 'phone') {
      return `${b.name} — a ${b.type} paddle. Circuit's API cannot create a phone paddle; add one in Circuit's back office if the house wants it.`
    }
    return b.name
  })

  async load(): Promise<void> {
    try {
      const [cards, options] = await Promise.all([
        this.app.api.call('phoneCards.list', { sessionId: this.sessionId }),
        this.app.api.call('phoneCards.options', { sessionId: this.sessionId })
      ])
      this.cards = cards
      this.options = options
      this.selected = Math.min(this.selected, Math.max(0, cards.length - 1))
    } catch (err) {
      this.app.fail(err)
    }
  }

  startEdit(c: PhoneCard | null): void {
    this.editing = c?.id ?? null
    this.paddle = c?.paddle ?? ''
    this.phone = c?.phone ?? ''
    this.staffId = c?.staffId ?? ''
    this.lotsText = c ? c.lots.map((l) => l.lot).join(', ') : ''
    this.app.messages.clear()
    this.mode = 'edit'
  }

  startMove(): void {
    if (!this.card) return
    this.moveLot = this.card.lots[0]?.lot ?? ''
    this.moveTo = ''
    this.app.messages.clear()
    this.mode = 'move'
  }

  async save(): Promise<void> {
    const existing = this.cards.find((c) => c.id === this.editing)
    const paddle = this.paddle.trim()
    try {
      const saved = await this.app.api.call('phoneCards.save', {
        card: {
          ...(existing ? { id: existing.id, clientId: existing.clientId } : {}),
          sessionId: this.sessionId,
          ...(existing && paddle === (existing.paddle ?? '') ? {} : { paddle }),
          phone: this.phone.trim() === '' ? null : this.phone.trim(),
          staffId: this.staffId === '' ? null : this.staffId,
          lots: splitLotList(this.lotsText)
        }
      })
      await this.load()
      this.selected = Math.max(
        0,
        this.cards.findIndex((c) => c.id === saved.id)
      )
      const n = saved.lots.length
      this.app.tell(`Saved ${saved.clientName}'s card (${n} ${n === 1 ? 'lot' : 'lots'}).`, CARD_MESSAGE)
      this.mode = 'list'
    } catch (err) {
      this.app.fail(err, CARD_MESSAGE)
    }
  }

  async move(): Promise<void> {
    const card = this.card
    if (!card) return
    const to = this.cards.find((c) => (c.paddle ?? '').toUpperCase() === this.moveTo.trim().toUpperCase())
    if (!to) {
      this.app.warn(`No card in this session has paddle ${this.moveTo.trim()}.`, CARD_MESSAGE)
      return
    }
    try {
      const lot = this.moveLot.trim()
      await this.app.api.call('phoneCards.moveLot', { lot, fromCardId: card.id, toCardId: to.id })
      this.app.tell(`Lot ${lot} moved to ${to.clientName}'s card.`, CARD_MESSAGE)
      this.mode = 'list'
      await this.load()
    } catch (err) {
      this.app.fail(err, CARD_MESSAGE)
    }
  }

  async remove(): Promise<void> {
    const card = this.card
    if (!card) return
    try {
      await this.app.api.call('phoneCards.delete', { cardId: card.id })
      this.app.tell(`Deleted ${card.clientName}'s card.`, CARD_MESSAGE)
      this.mode = 'list'
      await this.load()
    } catch (err) {
      this.app.fail(err, CARD_MESSAGE)
    }
  }

  nextSession(): void {
    if (this.sessions.length === 0) return
    const at = this.sessions.findIndex((s) => s.id === this.sessionId)
    this.sessionId = this.sessions[(at + 1) % this.sessions.length].id
    this.selected = 0
  }

  async print(printer?: string): Promise<void> {
    try {
      this.preview = await this.app.api.call('print.phoneCards', { sessionId: this.sessionId, printer })
    } catch (err) {
      this.app.fail(err, CARD_MESSAGE)
    }
  }
}
