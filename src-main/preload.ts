// The sandboxed preload: exposes exactly one invoke and one on, typed by the
// contract. ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isEventName, type EventName, type Events, type SaleroomBridge } from '../src-shared/events'

const RPC = 'saleroom:rpc'
const EVENT = 'saleroom:event'

const bridge: SaleroomBridge = {
  invoke(name, input, opts) {
    if (typeof name !== 'string') return Promise.reject(new TypeError('call name must be a string'))
    const key = typeof opts?.idempotencyKey === 'string' ? opts.idempotencyKey : undefined
    return ipcRenderer.invoke(RPC, name, input, key)
  },
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void) {
    if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`)
    const listener = (_e: IpcRendererEvent, name: string, payload: Events[E]) => {
      if (name === event) cb(payload)
    }
    ipcRenderer.on(EVENT, listener)
    return () => {
      ipcRenderer.removeListener(EVENT, listener)
    }
  }
}

contextBridge.exposeInMainWorld('saleroom', bridge)
