// The renderer's typed client. Under Electron it talks through the preload's
// `window.saleroom`; in a plain browser (the web host) over HTTP + SSE. Both
// carry the same contract.
import type { CallInput, CallName, CallResult } from '../../src-shared/contract'
import type { CallOptions, EventName, Events, SaleroomBridge } from '../../src-shared/events'
import type { RpcError, RpcResult } from '../../src-shared/rpc'

export class CallError extends Error {
  constructor(readonly error: RpcError) {
    super(error.message)
    this.name = 'CallError'
  }
}

export class Api {
  constructor(private readonly bridge: SaleroomBridge) {}

  async call<K extends CallName>(name: K, input: CallInput<K>, opts?: CallOptions): Promise<CallResult<K>> {
    const result = (await this.bridge.invoke(name, input, opts)) as RpcResult<CallResult<K>>
    if (!result.ok) throw new CallError(result.error)
    return result.data
  }

  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void {
    return this.bridge.on(event, cb)
  }
}

declare global {
  interface Window {
    saleroom?: SaleroomBridge
  }
}

const TOKEN_KEY = 'saleroom_token'

/** The bridge for the page served by the web host. */
export function webBridge(): SaleroomBridge {
  const fromUrl = new URLSearchParams(location.search).get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    // Keep the token out of the visible address; sessionStorage (per origin, so per port) keeps it for reloads.
    history.replaceState(null, '', location.pathname)
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
  let source: EventSource | null = null

  return {
    async invoke(name, input, opts) {
      try {
        const res = await fetch(`/rpc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-saleroom-token': token,
            ...(opts?.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {})
          },
          body: JSON.stringify(input ?? {})
        })
        return await res.json()
      } catch {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: 'Saleroom’s core is not answering. Is the Saleroom process still running?'
          }
        }
      }
    },
    on(event, cb) {
      // An EventSource cannot send headers: the stream takes the token in its query.
      source ??= new EventSource(`/events?token=${encodeURIComponent(token)}`)
      const listener = (e: MessageEvent) => cb(JSON.parse(e.data))
      source.addEventListener(event, listener as EventListener)
      return () => source?.removeEventListener(event, listener as EventListener)
    }
  }
}

export function pickBridge(): SaleroomBridge {
  return window.saleroom ?? webBridge()
}
