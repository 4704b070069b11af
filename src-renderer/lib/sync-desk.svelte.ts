// The Sync screen's state: what waits for Circuit (conflicts and refusals
// first), the entry chosen, and this station's recent actions in words. The
// chosen entry stays chosen after an action and a reload even when its new
// state moves it in the list; if it is gone, the choice stays at its place.
import type { AuditEntry, OutboxEntry } from '../../src-shared/contract'
import type { AppState } from './app-state.svelte'

export type SettleCall = 'outbox.retry' | 'outbox.keepMine' | 'outbox.takeTheirs' | 'outbox.discard'

// Conflicts and refusals first: those are the ones that need a person.
const ORDER: OutboxEntry['state'][] = ['conflict', 'needs_attention', 'unknown', 'in_flight', 'pending']

export function sortEntries(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return [...entries].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.seq - b.seq)
}

const SETTLED: Record<SettleCall, (label: string) => string> = {
  'outbox.retry': (l) => `Sending again: ${l}.`,
  'outbox.keepMine': (l) => `This station's version goes to Circuit: ${l}.`,
  'outbox.takeTheirs': (l) => `Circuit's version kept; this station's change dropped: ${l}.`,
  'outbox.discard': (l) => `Discarded: ${l}.`
}

export class SyncDesk {
  rows = $state.raw<OutboxEntry[]>([])
  audit = $state.raw<AuditEntry[]>([])
  /** Index of the chosen entry in `rows`. */
  selected = $state(0)
  confirmDiscard = $state(false)
  /** When the list was read (ms): the ages shown are as of then. */
  readAt = $state(Date.now())

  constructor(private readonly app: AppState) {}

  readonly chosen = $derived(this.rows[this.selected] ?? null)

  async load(): Promise<void> {
    try {
      const [outbox, audit] = await Promise.all([
        this.app.api.call('outbox.list', { limit: 500 }),
        this.app.api.call('audit.list', { limit: 100 })
      ])
      this.show(outbox)
      this.audit = audit
      this.readAt = Date.now()
    } catch (err) {
      this.app.fail(err)
    }
  }

  /** New rows, keeping the choice on the same entry (by its seq), else at the same place. */
  show(entries: readonly OutboxEntry[]): void {
    const seq = this.chosen?.seq
    const at = this.selected
    const rows = sortEntries(entries)
    const same = seq === undefined ? -1 : rows.findIndex((e) => e.seq === seq)
    this.rows = rows
    this.selected = same >= 0 ? same : Math.max(0, Math.min(at, rows.length - 1))
  }

  async settle(name: SettleCall, entry: OutboxEntry | null = this.chosen): Promise<void> {
    if (!entry) return
    try {
      if (name === 'outbox.discard') await this.app.api.call(name, { seq: entry.seq, confirm: true })
      else await this.app.api.call(name, { seq: entry.seq })
      this.app.tell(SETTLED[name](entry.label))
      await this.load()
    } catch (err) {
      this.app.fail(err)
    }
  }

  async sendNow(): Promise<void> {
    try {
      await this.app.api.call('sync.now', {})
      this.app.messages.info('Sending what is waiting now.')
      await this.load()
    } catch (err) {
      this.app.fail(err)
    }
  }
}
