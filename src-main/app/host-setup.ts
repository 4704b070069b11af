// What both hosts share when they start: where the data lives, the logger,
// and how the Circuit side is built from settings and the environment.
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { version } from '../../package.json'
import type { BootOptions } from './boot'
import { disconnectedGateway, type CircuitGateway } from '../sync/gateway'
import { createCircuitGateway, type CircuitEnv, type GatewayOptions } from '../sync/circuit-gateway'
import { createSalePull } from '../sync/sale-pull'
import { OutboxPusher, type PusherOptions } from '../sync/pusher'
import { followHub, type HubFollower } from '../sync/hub-follow'
import { localSales } from '../sync/local-sales'
import { createFileSecretStore, type SecretStore } from '../circuit'
import { connectorEnv, type ConnectorSide, type ConnectorTargets } from '../connectors/config'
import { startConnectorDemo } from '../connectors/demo'
import { mergeVerifiers } from '../venue/logins'

export { connectorEnv }

export const APP_VERSION: string = version

/** SALEROOM_DATA_DIR wins; otherwise the host's default. */
export function resolveDataDir(explicit: string | undefined, fallback: string): string {
  const chosen = explicit ?? process.env.SALEROOM_DATA_DIR ?? fallback
  return resolve(chosen.replace(/^~(?=$|\/)/, homedir()))
}

export function defaultWebDataDir(): string {
  return join(process.cwd(), '.saleroom-data')
}

export function circuitEnv(env: NodeJS.ProcessEnv = process.env): CircuitEnv {
  return {
    url: env.CIRCUIT_URL || undefined,
    email: env.CIRCUIT_EMAIL || undefined,
    password: env.CIRCUIT_PASSWORD || undefined
  }
}

/** Until the Circuit client is wired, a host runs on its replica alone. */
export const replicaOnly: BootOptions['connect'] = async () => ({ gateway: disconnectedGateway() })

export interface CircuitSideOptions {
  env: CircuitEnv
  /** FairWarning and Bidlogix from the environment (FAIRWARNING_URL…, BIDLOGIX_URL…). */
  connectors?: ConnectorTargets
  /** First wait before trying FairWarning or Bidlogix again (tests shorten it). */
  connectorRetryBaseMs?: number
  /** Where the access token is kept (never the password). */
  secrets: (dataDir: string) => SecretStore
  demo?: GatewayOptions['demo']
  probeIntervalMs?: number
  /** `--join URL --code CODE`: join this venue hub at start. */
  join?: { url: string; code: string }
  /** Sender tuning (tests shorten the back-off). */
  pusher?: Partial<Pick<PusherOptions, 'backoffBaseMs' | 'backoffCapMs' | 'tickMs' | 'batchSize' | 'random'>>
}

/** The Circuit side of a host: the gateway (server, env, or demo) and sale pulling. */
export function circuitSide(o: CircuitSideOptions): BootOptions['connect'] {
  return async (db, deps) => {
    const secrets = o.secrets(deps.dataDir)
    const gateway = await createCircuitGateway({
      db,
      clock: deps.clock,
      secrets,
      env: o.env,
      log: deps.log,
      demo: o.demo,
      probeIntervalMs: o.probeIntervalMs,
      join: o.join
    })
    const sales = createSalePull({
      db,
      registry: deps.registry,
      gateway,
      clock: deps.clock,
      events: deps.events,
      log: deps.log
    })
    const pusher = new OutboxPusher({
      db,
      clock: deps.clock,
      gateway,
      events: deps.events,
      log: deps.log,
      registry: deps.registry,
      ...o.pusher
    })
    // Catch up alone: a pull cut off by a crash or by the network goes on once Circuit answers.
    gateway.onChange((s) => {
      if (s.connection === 'online') sales.resumeInterrupted()
    })
    if (gateway.state().connection === 'online') sales.resumeInterrupted()
    // Joined to a venue hub: follow its live feed (and stop when the station leaves it).
    let follower: HubFollower | null = null
    const follow = () => {
      const joined = gateway.state().venue != null
      if (joined && !follower) {
        follower = followHub({
          db,
          registry: deps.registry,
          gateway,
          events: deps.events,
          clock: deps.clock,
          log: deps.log,
          // A hub not followed before: the station's sales come whole from it.
          onNewHub: () => {
            for (const s of localSales(db)) if (s.pulledAt !== null) void sales.open(s.id).catch(() => undefined)
          },
          // Any station may have to take over as hub: it keeps the hub's log-in verifiers.
          onVerifiers: (v) => mergeVerifiers(deps.dataDir, v)
        })
      } else if (!joined && follower) {
        void follower.close()
        follower = null
      }
    }
    gateway.onChange(follow)
    follow()
    const closeGateway = gateway.close
    return {
      gateway: {
        ...gateway,
        close: async () => {
          await follower?.close()
          await closeGateway()
        }
      } as CircuitGateway<unknown>,
      sales,
      pusher,
      connectors: await connectorSide(o, secrets, gateway.state().demo)
    }
  }
}

/** The connectors' side: the environment's FairWarning and Bidlogix, else (in demo mode) the two demo simulators. */
async function connectorSide(o: CircuitSideOptions, secrets: SecretStore, demoMode: boolean): Promise<ConnectorSide> {
  const env = o.connectors ?? {}
  const demo = demoMode && (!env.fairwarning || !env.bidlogix) ? await startConnectorDemo() : null
  return {
    secrets,
    keyStore: secrets.where ?? "this station's secret store",
    retryBaseMs: o.connectorRetryBaseMs,
    targets: {
      fairwarning: env.fairwarning ?? demo?.targets.fairwarning,
      bidlogix: env.bidlogix ?? demo?.targets.bidlogix
    },
    demo: demo
      ? {
          fairwarning: env.fairwarning ? {} : demo.demo.fairwarning,
          bidlogix: env.bidlogix ? {} : demo.demo.bidlogix
        }
      : null,
    close: async () => {
      await demo?.close()
    }
  }
}

export function fileSecrets(dataDir: string): SecretStore {
  return createFileSecretStore(join(dataDir, 'secrets.json'))
}
