// Work one capability must do inside another's action, in the same
// transaction, without either importing the other. The capability that acts
// fires a hook by name (`tx.fire`); the one that follows registers for it
// with the composition root (`actions.hook`). The names and payloads are
// declared here, in the kernel.
import type { ActionTx } from './action'

/** A lot's result as both sides need it: what the podium records. */
export interface LotResult {
  status: string
  hammer: number | null
  winnerClientId: string | null
}

export interface ActionHooks {
  /**
   * A lot's result changed at the podium (sold, passed, withdrawn, reopened,
   * undone). The buyer's order follows it (checkout), in the same transaction.
   */
  'lot.result': {
    item: { id: string; sale_id: string; lot: string; title: string }
    before: LotResult
    target: LotResult
  }
}

export type HookName = keyof ActionHooks
export type HookHandler<K extends HookName> = (tx: ActionTx, payload: ActionHooks[K]) => void
