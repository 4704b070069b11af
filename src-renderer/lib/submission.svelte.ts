// One user action, sent once. A form (a payment, a charge, a split) submits
// through one of these: while its call is in flight, another Enter or click
// does nothing; the call carries an idempotency key made for this action, so
// even a repeat that does reach the core (a second window, a retry after
// "not completed") answers the first result and changes nothing. The key is
// kept until the action succeeds or the form starts over.
import type { CallInput, CallName, CallResult } from '../../src-shared/contract'
import type { Api } from './api'

function newKey(): string {
  // crypto.randomUUID needs a secure context; the web host on 127.0.0.1 is one, and so is Electron's scheme.
  return `ui-${crypto.randomUUID()}`
}

export class Submission {
  /** True while the call is on its way: the form's submit button and keys are disabled. */
  busy = $state(false)
  private key: string | null = null

  constructor(private readonly api: Api) {}

  /**
   * Send the call for this action, once. Answers undefined when a call is
   * already in flight (the second Enter of a double Enter). Throws what the
   * call throws; the key is kept so a retry of the same action is recognised.
   */
  async send<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<K> | undefined> {
    if (this.busy) return undefined
    this.key ??= newKey()
    this.busy = true
    try {
      const result = await this.api.call(name, input, { idempotencyKey: this.key })
      this.key = null // done: the next action is a new one
      return result
    } finally {
      this.busy = false
    }
  }

  /** The form starts over (opened again, or its fields changed for a new action): a new key next time. */
  reset(): void {
    if (!this.busy) this.key = null
  }
}
