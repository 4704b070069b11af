// A venue for connector tests: the Circuit simulator, the FairWarning and
// Bidlogix simulators, all over real HTTP, and one real station (its own
// SQLite file) pointed at them through the environment-style targets.
import { bootCore, type Core } from '../../src-main/app/boot'
import { circuitSide } from '../../src-main/app/host-setup'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createMemorySecretStore } from '../../src-main/circuit'
import { systemClock } from '../../src-main/core/clock'
import { sequentialIds } from '../../src-main/core/ids'
import { noPrinter, silentLogger } from '../../src-main/core/ports'
import {
  startBidlogixSimulator,
  type BidlogixSimOptions,
  type RunningBidlogixSim
} from '../../src-main/connectors/bidlogix/simulator'
import {
  startFairWarningSimulator,
  type FairWarningSimOptions,
  type RunningFairWarningSim,
  type WireItem
} from '../../src-main/connectors/fairwarning/simulator'
import { DEMO_CATEGORY_MAP } from '../../src-main/connectors/fairwarning/catalogue'
import type { ConnectorProgress } from '../../src-shared/events'
import type { RpcResult } from '../../src-shared/rpc'
import { tempDir } from '../helpers'

export const FW_KEY = 'pub-key:priv-key'
export const BL_CLIENT = '42'
export const BL_KEY = 'bl-secret'
/** The Circuit simulator's upcoming sale: "Winter Interiors", lots 1–40. */
export const WINTER = '3'

export interface Rig {
  circuit: RunningSimulator
  fw: RunningFairWarningSim
  bl: RunningBidlogixSim
  core: Core
  dataDir: string
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  send(name: string, input?: unknown): Promise<RpcResult<unknown>>
  progress: ConnectorProgress[]
  /** Every Circuit item of the sale whose lot number is 500 or more (the FairWarning range). */
  imported(saleId?: string): { id: string; lot: string; title: string }[]
  faults(target: 'circuit' | 'fw' | 'bl', f: { error500Rate?: number; dropAfterApplyRate?: number }): Promise<void>
  close(): Promise<void>
}

export async function startRig(o: {
  items: WireItem[]
  fw?: Partial<FairWarningSimOptions>
  bl?: Partial<BidlogixSimOptions>
  circuitLots?: number
}): Promise<Rig> {
  const circuit = await startSimulator({ seed: 7, lots: o.circuitLots ?? 60, clients: 40, quiet: true })
  const fw = await startFairWarningSimulator({ key: FW_KEY, items: o.items, ...o.fw })
  const bl = await startBidlogixSimulator({ clientId: BL_CLIENT, key: BL_KEY, ...o.bl })
  const data = tempDir('saleroom-connectors-')
  const core = await bootCore({
    dataDir: data.dir,
    clock: systemClock,
    ids: sequentialIds('c'),
    host: 'web',
    version: '0.0.0-test',
    printer: noPrinter,
    log: silentLogger,
    connect: circuitSide({
      env: { url: circuit.url, email: 'demo@saleroom.test', password: 'demo' },
      connectors: {
        fairwarning: { url: fw.url, key: FW_KEY },
        bidlogix: { url: bl.url, clientId: BL_CLIENT, key: BL_KEY }
      },
      secrets: () => createMemorySecretStore(),
      connectorRetryBaseMs: 2,
      demo: false,
      probeIntervalMs: 50,
      pusher: { backoffBaseMs: 2, backoffCapMs: 20, tickMs: 10, random: () => 0.5 }
    })
  })
  const progress: ConnectorProgress[] = []
  core.events.subscribe((name, payload) => {
    if (name === 'connectors.progress') progress.push(payload as ConnectorProgress)
  })
  const send = (name: string, input: unknown = {}) => core.dispatch(name, input)
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const r = await send(name, input)
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
    return r.data as T
  }
  // The demo's category table, so the generated catalogues map.
  for (const [fairwarningCategory, circuitCategory] of Object.entries(DEMO_CATEGORY_MAP))
    await call('connectors.fairwarning.mapCategory', { fairwarningCategory, circuitCategory })
  const post = async (url: string, body: unknown) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
    if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`)
  }
  return {
    circuit,
    fw,
    bl,
    core,
    dataDir: data.dir,
    call,
    send,
    progress,
    imported: (saleId = WINTER) =>
      [...circuit.store.items.values()]
        .filter((i) => i.saleId === saleId && i.lotNumber >= 500)
        .map((i) => ({ id: i.id, lot: `${i.lotNumber}${i.lotLetter}`, title: i.title })),
    faults: (target, f) => post(`${{ circuit: circuit.url, fw: fw.url, bl: bl.url }[target]}/_sim/faults`, f),
    close: async () => {
      await core.close()
      await Promise.all([circuit.close(), fw.close(), bl.close()])
      data.cleanup()
    }
  }
}
