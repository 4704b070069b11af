// The podium's state for one sale: the board (lots, sessions, paddles, bid
// steps), the current lot, the phone bidders per lot, the pace, and the
// clerk's actions. Every action is answered by the station's own database;
// Circuit hears about it later through the outbox, so nothing here waits for
// the network. The components only draw this and pass keys to it.
import type { ClerkBoard, ClerkResult, PhoneBid, PodiumBidder, PodiumLot, PrintResult } from '../../src-shared/contract'
import { nextStep, stepAtOrAbove } from '../../src-shared/bid-steps'
import { stateWord } from '../../src-shared/status-words'
import type { AppState } from './app-state.svelte'
import { pace as paceOf, type Pace } from './pace'
import { findLot, nextUnclerked, parsePrice, totals } from './podium'

/** The clerk's own messages carry this test id. */
export const CLERK_MESSAGE = 'clerk-message'

const RESULT_ACTIONS = new Set(['clerking.sell', 'clerking.pass', 'clerking.withdraw'])

export class ClerkDesk {
  board = $state.raw<ClerkBoard | null>(null)
  lots = $state.raw<PodiumLot[]>([])
  current = $state(-1)
  phoneBids = $state.raw<Record<string, PhoneBid[]>>({})
  /** When results were recorded (ms), for the pace. */
  resultTimes = $state.raw<number[]>([])
  /** The price typed in the hammer box, for the asking price shown above the grid. */
  typedPrice = $state('')
  /** Ticks once a minute so the pace's "time left" stays true while nothing is clerked. */
  now = $state(Date.now())
  /** The lot of the latest hammer recorded here (null: none yet, the catalogue order decides). */
  lastSoldId = $state<string | null>(null)
  /** A clerk sheet made, shown in the print preview. */
  sheet = $state.raw<PrintResult | null>(null)

  constructor(
    private readonly app: AppState,
    readonly saleId: string
  ) {}

  // Both maps are made anew from each board or list, never changed in place: plain Maps are enough.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly indexById = $derived(new Map(this.lots.map((l, i) => [l.id, i])))
  readonly bidders = $derived(
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    new Map<string, PodiumBidder>((this.board?.bidders ?? []).map((b) => [b.paddle.toUpperCase(), b]))
  )
  readonly lot = $derived(this.current >= 0 ? (this.lots[this.current] ?? null) : null)
  readonly session = $derived(this.board?.sessions.find((s) => s.id === this.lot?.sessionId) ?? null)
  readonly saleTotals = $derived(totals(this.lots))
  readonly sessionTotals = $derived(this.session ? totals(this.lots, this.session.id) : null)

  /** This lot and the next few with phone bidders: the phone bank gets ready before a lot comes up. */
  readonly phoneAhead = $derived.by(() => {
    if (this.current < 0) return []
    return this.lots
      .slice(this.current, this.current + 6)
      .filter((l) => this.phoneBids[l.id]?.length)
      .map((l) => ({ lot: l, bids: this.phoneBids[l.id] }))
  })

  /**
   * The last lot sold: the latest hammer recorded (also after a jump or going
   * back to reopen a lot), while it is still sold; else the last sold lot
   * before the current one in catalogue order.
   */
  readonly lastSold = $derived.by(() => {
    const latest = this.lastSoldId === null ? undefined : this.indexById.get(this.lastSoldId)
    if (latest !== undefined && this.lots[latest].status === 'sold') return this.lots[latest]
    for (let i = Math.min(this.current, this.lots.length) - 1; i >= 0; i--) {
      if (this.lots[i].status === 'sold') return this.lots[i]
    }
    return null
  })

  /**
   * The asking price: the figure typed (the room's bid), else the lot's low
   * estimate, put on the sale's steps; and the next bid one step up.
   */
  readonly asking = $derived.by((): { ask: number; next: number | null } | null => {
    const typed = parsePrice(this.typedPrice)
    const base = typed !== null && typed > 0 ? typed : (this.lot?.estimateLow ?? null)
    if (base === null) return null
    const steps = this.board?.bidSteps ?? null
    if (!steps || steps.length === 0) return { ask: base, next: null }
    return { ask: stepAtOrAbove(base, steps), next: nextStep(base, steps) }
  })

  readonly pace = $derived.by((): Pace | null =>
    paceOf(this.resultTimes, this.sessionTotals?.left ?? this.saleTotals.left, this.now)
  )

  async load(): Promise<void> {
    try {
      const b = await this.app.api.call('clerking.board', { saleId: this.saleId })
      this.board = b
      this.lots = b.lots
      if (this.current < 0 || this.current >= this.lots.length) this.current = nextUnclerked(this.lots, -1)
      if (this.current < 0 && this.lots.length) this.current = 0
    } catch (err) {
      this.app.fail(err)
    }
  }

  async loadPhoneBids(): Promise<void> {
    try {
      this.phoneBids = await this.app.api.call('phoneCards.podium', { saleId: this.saleId })
    } catch (err) {
      this.app.fail(err)
    }
  }

  /** The pace survives a restart: the recent results come from the audit log. */
  async loadPace(): Promise<void> {
    try {
      const recent = await this.app.api.call('audit.list', { limit: 200 })
      const mine = recent.filter(
        (e) => RESULT_ACTIONS.has(e.action) && e.entityId !== null && this.indexById.has(e.entityId)
      )
      this.resultTimes = [...mine.map((e) => Date.parse(e.at)), ...this.resultTimes]
      // The newest first: the latest hammer of this sale, unless one was recorded since the screen opened.
      this.lastSoldId ??= mine.find((e) => e.action === 'clerking.sell')?.entityId ?? null
    } catch {
      // The pace is a nicety: without it the line says so.
    }
  }

  /** A precise change (Circuit acknowledged, a conflict): refresh just the lots named. */
  async refresh(ids: readonly string[]): Promise<void> {
    const mine = ids.filter((id) => this.indexById.has(id))
    if (mine.length === 0) return
    try {
      this.merge(await this.app.api.call('clerking.lots', { ids: mine.slice(0, 500) }))
    } catch (err) {
      this.app.fail(err)
    }
  }

  merge(fresh: readonly PodiumLot[]): void {
    if (fresh.length === 0) return
    const next = this.lots.slice()
    for (const l of fresh) {
      const i = this.indexById.get(l.id)
      if (i !== undefined) next[i] = l
    }
    this.lots = next
  }

  /** A result came back: show it, and move on (to the next lot, or to the lot it concerns). */
  applied(result: ClerkResult, move: 'next' | 'stay' | 'to-lot', action?: string): void {
    this.merge([result.lot])
    if (action && RESULT_ACTIONS.has(action)) this.resultTimes = [...this.resultTimes, Date.now()]
    if (action === 'clerking.sell') this.lastSoldId = result.lot.id
    this.app.messages.clear()
    if (move === 'next') {
      const i = result.nextId ? this.indexById.get(result.nextId) : undefined
      this.current = i ?? nextUnclerked(this.lots, this.current)
    } else if (move === 'to-lot') {
      this.current = this.indexById.get(result.lot.id) ?? this.current
    }
  }

  /** Pass, withdraw or reopen the current lot; true when it was done. */
  async act(name: 'clerking.pass' | 'clerking.withdraw' | 'clerking.reopen', move: 'next' | 'stay'): Promise<boolean> {
    const lot = this.lot
    if (!lot) return false
    try {
      this.applied(await this.app.api.call(name, { itemId: lot.id }), move, name)
      return true
    } catch (err) {
      this.app.fail(err, CLERK_MESSAGE)
      return false
    }
  }

  /** Undo this station's last clerking action; true when it was done. */
  async undo(): Promise<boolean> {
    try {
      this.applied(await this.app.api.call('clerking.undo', {}), 'to-lot')
      const lot = this.lot
      if (lot) {
        this.app.messages.info(
          `Undone: lot ${lot.lot} is ${stateWord('lot', lot.status).toLowerCase()} again.`,
          CLERK_MESSAGE
        )
      }
      return true
    } catch (err) {
      this.app.fail(err, CLERK_MESSAGE)
      return false
    }
  }

  move(by: number): void {
    if (this.lots.length === 0) return
    this.current = Math.min(this.lots.length - 1, Math.max(0, this.current + by))
  }

  pick(index: number): void {
    if (index >= 0 && index < this.lots.length) this.current = index
  }

  /** The lot typed in the jump box; false (and says why) when there is none. */
  jump(typed: string): boolean {
    const i = findLot(this.lots, typed)
    if (i < 0) {
      this.app.warn(`There is no lot ${typed.trim()} in this sale.`, CLERK_MESSAGE)
      return false
    }
    this.current = i
    this.app.messages.clear()
    return true
  }

  nextSession(): void {
    const board = this.board
    if (!board || board.sessions.length === 0) return
    const at = board.sessions.findIndex((s) => s.id === this.session?.id)
    const target = board.sessions[(at + 1) % board.sessions.length]
    const firstLeft = this.lots.findIndex((l) => l.sessionId === target.id && l.status === 'available')
    const first = firstLeft >= 0 ? firstLeft : this.lots.findIndex((l) => l.sessionId === target.id)
    if (first >= 0) this.current = first
  }

  /** The paper fallback: the session's lots with what is known, and blank lines. */
  async printSheet(printer?: string): Promise<void> {
    const sessionId = this.session?.id ?? this.board?.sessions[0]?.id
    if (!sessionId) {
      this.app.warn('This sale has no sessions to print a clerk sheet for.', CLERK_MESSAGE)
      return
    }
    try {
      this.sheet = await this.app.api.call('print.clerkSheet', { sessionId, printer })
    } catch (err) {
      this.app.fail(err, CLERK_MESSAGE)
    }
  }
}
