// On whose behalf a call runs. A station's own calls are signed with its own
// settings (user and station name). At a venue hub, a write that another
// station sends runs through the hub's action path on that station's behalf:
// the audit names the station and the person logged in there.
import { AsyncLocalStorage } from 'node:async_hooks'

export interface OnBehalfOf {
  actor: string
  station: string
}

export const callerContext = new AsyncLocalStorage<OnBehalfOf>()

/** The caller of the running call, when another station's; null for this station's own. */
export function currentCaller(): OnBehalfOf | null {
  return callerContext.getStore() ?? null
}
