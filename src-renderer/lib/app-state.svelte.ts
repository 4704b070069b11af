// The renderer's app-wide state, as a class with runes. It is handed down by
// context, so component tests can build one over a fake bridge.
import { createContext } from 'svelte'
import type { AppInfo } from '../../src-shared/contract'
import type { DataChanged, PullProgress, StatusSnapshot } from '../../src-shared/events'
import type { Api } from './api'
import { readCurrency } from './currency.svelte'
import { errorText } from './errors'
import { Messages, type MessageKind } from './messages.svelte'

export type ScreenId =
  'podium' | 'checkout' | 'lookup' | 'sync' | 'settings' | 'warehouse' | 'consignors' | 'connectors'

export interface ScreenDef {
  id: ScreenId
  key: string
  label: string
}

export const SCREENS: readonly ScreenDef[] = [
  { id: 'podium', key: 'F1', label: 'Podium' },
  { id: 'checkout', key: 'F2', label: 'Checkout' },
  { id: 'lookup', key: 'F3', label: 'Look-up' },
  { id: 'sync', key: 'F4', label: 'Sync' },
  { id: 'settings', key: 'F5', label: 'Settings' },
  { id: 'warehouse', key: 'F6', label: 'Collection' },
  { id: 'consignors', key: 'F7', label: 'Consignors' },
  { id: 'connectors', key: 'F8', label: 'Connectors' }
]

export class AppState {
  screen = $state<ScreenId>('podium')
  status = $state<StatusSnapshot | null>(null)
  info = $state.raw<AppInfo | null>(null)
  pull = $state.raw<PullProgress | null>(null)
  /** The one message on screen: what just happened, or what went wrong, in words the user can act on. */
  readonly messages = new Messages()
  /** Bumped when the core says data changed, so screens re-read. */
  dataVersion = $state(0)
  /** Bumped when the outbox changed (an action queued, Circuit acknowledged, an entry settled). */
  outboxVersion = $state(0)
  /** The user has chosen a screen: the first-run redirect to Settings no longer applies. */
  private navigated = false
  /** The last precise change, for screens that refresh only the records named. */
  lastChange = $state.raw<DataChanged | null>(null)
  ready = $state(false)
  /** The sale open at the podium; it stays open while the clerk visits other screens. */
  podiumSaleId = $state<string | null>(null)

  constructor(readonly api: Api) {}

  /**
   * Keep the newest snapshot. The event stream and the first app.status read
   * race each other; comparing seq means an older answer can never overwrite a
   * newer event (the podium's sale list waited on exactly that).
   */
  takeStatus(s: StatusSnapshot): void {
    if (this.status && s.seq < this.status.seq) return
    if (s.connection === 'auth-required' && this.status?.connection !== 'auth-required') {
      this.messages.error(
        'Circuit needs you to log in again: press F5 and connect. Work goes on from this station meanwhile.'
      )
    }
    this.status = s
  }

  async start(): Promise<void> {
    this.api.on('status', (s) => this.takeStatus(s))
    this.api.on('pull.progress', (p) => {
      this.pull = p
      if (p.done) {
        this.dataVersion++
        // A pull brings Circuit's /me: its currency is what amounts are shown in.
        void readCurrency(this.api)
        // A sale on this station: the first-run welcome has done its job.
        if (this.info?.firstRun && !p.error) this.info = { ...this.info, firstRun: false }
      }
    })
    this.api.on('data.changed', (c) => {
      this.lastChange = c
      // Screens that show the outbox follow it on its own counter; a precise change of a few
      // records is left to the screens that follow lastChange; only wholesale changes (a pull)
      // make every screen read again.
      if (c.entity === 'outbox') this.outboxVersion++
      else if (c.ids === null) this.dataVersion++
      if (c.entity === 'settings') void readCurrency(this.api)
    })
    try {
      this.info = await this.api.call('app.info', {})
      if (!this.info.damaged) {
        this.takeStatus(await this.api.call('app.status', {}))
        await readCurrency(this.api)
      }
      if (this.info.firstRun && !this.navigated) this.screen = 'settings'
    } catch (err) {
      this.fail(err)
    }
    this.ready = true
  }

  go(screen: ScreenId): void {
    this.navigated = true
    // What was said on one screen is about that screen.
    if (screen !== this.screen) this.messages.clear()
    this.screen = screen
  }

  /** The message on screen, if any (kept for screens that read it directly). */
  get notice(): { kind: MessageKind; text: string } | null {
    return this.messages.current
  }

  /** Something went wrong: says what, in the user's words (a refused field's own reason, never a call's name). */
  fail(err: unknown, testid?: string): void {
    this.messages.error(errorText(err), testid)
  }

  /** Something went well. */
  tell(text: string, testid?: string): void {
    this.messages.success(text, testid)
  }

  /** Something looks wrong but nothing failed. */
  warn(text: string, testid?: string): void {
    this.messages.warning(text, testid)
  }
}

export const [getApp, setApp] = createContext<AppState>()
