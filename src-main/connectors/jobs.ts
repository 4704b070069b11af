// Long connector work (an import, a publish) as jobs: one at a time per
// connector and sale, progress on the event bus (`connectors.progress`), and
// a cancel flag the work checks between two lots.
import type { ConnectorProgress } from '../../src-shared/events'
import { AppError } from '../../src-shared/rpc'
import type { EventBus } from '../core/event-bus'

export type Counts = ConnectorProgress['counts']

export class Job {
  cancelled = false
  /** The app is closing: stop between two lots, discard nothing. */
  halted = false
  /** While true, no second job of this connector may start for the sale (an import's queueing, a publish). */
  exclusive = true
  phase: ConnectorProgress['phase'] = 'queueing'
  done = 0
  total = 0
  counts: Counts = { created: 0, updated: 0, unchanged: 0, refused: 0 }
  message: string | null = null
  problems: ConnectorProgress['problems'] = []
  private cancelListeners: (() => void)[] = []

  constructor(
    readonly id: string,
    readonly connector: ConnectorProgress['connector'],
    readonly saleId: string,
    private readonly events: EventBus
  ) {}

  emit(patch: Partial<Pick<Job, 'phase' | 'done' | 'total' | 'counts' | 'message' | 'problems'>> = {}): void {
    Object.assign(this, patch)
    this.events.emit('connectors.progress', {
      jobId: this.id,
      connector: this.connector,
      saleId: this.saleId,
      phase: this.phase,
      done: this.done,
      total: this.total,
      counts: { ...this.counts },
      message: this.message,
      problems: [...this.problems]
    })
  }

  onCancel(fn: () => void): void {
    this.cancelListeners.push(fn)
  }

  /** Stop between two lots, or (halted) whether the user cancelled or the app closes. */
  get stopping(): boolean {
    return this.cancelled || this.halted
  }

  cancel(): void {
    if (this.cancelled) return
    this.cancelled = true
    for (const fn of this.cancelListeners) fn()
  }
}

export class Jobs {
  private readonly running = new Map<string, Job>()

  constructor(private readonly events: EventBus) {}

  /** A new job; a second one for the same connector and sale while one runs is refused. */
  start(id: string, connector: Job['connector'], saleId: string, what: string): Job {
    for (const j of this.running.values()) {
      if (j.exclusive && j.connector === connector && j.saleId === saleId)
        throw new AppError('busy', `${what} is already running for this sale; wait for it to end or cancel it.`)
    }
    const job = new Job(id, connector, saleId, this.events)
    this.running.set(id, job)
    return job
  }

  finish(job: Job): void {
    this.running.delete(job.id)
  }

  get(id: string): Job | undefined {
    return this.running.get(id)
  }

  /**
   * The app is closing: every job stops between two lots. Nothing is
   * discarded — an import's queued lots stay in the outbox and go at the next start.
   */
  haltAll(): void {
    for (const j of this.running.values()) j.halted = true
  }
}
