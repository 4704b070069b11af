// The venue capability's calls: hosting the venue hub on this station,
// joining another's, leaving, and what the LAN advertises.
import type { VenueStatus } from '../../src-shared/contract/venue'
import type { venueCalls } from '../../src-shared/contract/venue'
import { AppError, type RpcResult } from '../../src-shared/rpc'
import { createCircuitClient, createMemorySecretStore } from '../circuit'
import { CircuitError } from '../circuit/errors'
import { fetchHubCertificate, PairingError } from '../circuit/pinning'
import type { Actions } from '../core/action'
import type { Clock } from '../core/clock'
import type { HandlersFor } from '../core/dispatcher'
import type { EventBus } from '../core/event-bus'
import type { CircuitGateway, Logger } from '../core/ports'
import { readSettings } from '../core/settings'
import { readHostedVenue, readJoinedHub, writeHostedVenue } from '../core/venue'
import type { Replica } from '../db/replica'
import { browseHubs } from './discovery'
import { startHub, type RunningHub } from './hub'
import type { UpstreamCheck } from './logins'

export interface VenueDeps {
  db: Replica
  actions: Actions
  clock: Clock
  events: EventBus
  log: Logger
  dataDir: string
  circuit: CircuitGateway<unknown>
  /** The core's own door (late-bound: the dispatcher is made after the handlers). */
  dispatch(
    name: string,
    input: unknown,
    meta?: { onBehalfOf?: { actor: string; station: string } }
  ): Promise<RpcResult<unknown>>
}

export const DEFAULT_HUB_PORT = 5443

export interface Venue {
  handlers: HandlersFor<typeof venueCalls>
  /** Start hosting again if this station hosted when it last ran. */
  resume(): Promise<void>
  close(): Promise<void>
}

export function venueCapability(deps: VenueDeps): Venue {
  const { db, actions, circuit } = deps
  let hub: RunningHub | null = null
  let browser: ReturnType<typeof browseHubs> | null = null
  // Starting and stopping the hub one at a time (a start at boot and a --hub-port may meet).
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => undefined)
    return next
  }

  /** A person's credentials checked against this station's own Circuit (never kept). */
  const checkUpstream: UpstreamCheck = async (email, password) => {
    const own = circuit.client() as { baseUrl?: string } | null
    if (!own?.baseUrl || circuit.state().venue) return 'unreachable'
    const probe = createCircuitClient({
      baseUrl: own.baseUrl,
      now: deps.clock.now,
      secrets: createMemorySecretStore(),
      timeoutMs: 10_000,
      credentials: () => null
    })
    try {
      await probe.login(email, password)
      return 'ok'
    } catch (err) {
      if (err instanceof CircuitError && (err.kind === 'auth-required' || /credential|401|403/i.test(err.message)))
        return 'wrong'
      return 'unreachable'
    }
  }

  const status = (): VenueStatus => {
    const joined = circuit.state().venue
    return {
      role: hub ? 'hub' : joined ? 'joined' : 'alone',
      hosting: hub
        ? { url: hub.url, port: hub.port, host: hub.host, pairingCode: hub.pairingCode, line: hub.line }
        : null,
      joined: joined ? { url: joined.url, name: joined.hub, circuit: joined.circuit } : null,
      found: (browser ??= browseHubs(deps.clock.now)).found()
    }
  }

  const host = (port: number, address: string) => serial(() => startHosting(port, address))

  async function startHosting(port: number, host: string): Promise<void> {
    if (circuit.state().venue) {
      throw new AppError(
        'conflict',
        'This station has joined a venue hub: leave it first (Settings → Venue), then host.'
      )
    }
    if (hub) await hub.close()
    hub = null
    hub = await startHub(
      {
        db,
        dataDir: deps.dataDir,
        clock: deps.clock,
        events: deps.events,
        log: deps.log,
        dispatch: deps.dispatch,
        station: () => readSettings(db).stationName,
        circuitOnline: () => circuit.state().connection === 'online' && !circuit.state().venue,
        checkUpstream
      },
      { port, host }
    ).catch((err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? `port ${port} is taken` : err.message
      throw new AppError('conflict', `The venue hub could not start: ${why}.`)
    })
  }

  return {
    resume: async () => {
      const saved = readHostedVenue(db)
      if (!saved || readJoinedHub(db)) return
      try {
        await host(saved.port, saved.host)
        deps.log.info(hub!.line)
      } catch (err) {
        deps.log.error('venue hub did not start again', { error: err instanceof Error ? err.message : String(err) })
      }
    },
    close: async () => {
      await serial(async () => {
        await hub?.close()
        hub = null
      })
      await browser?.stop()
      browser = null
    },
    handlers: {
      'venue.status': status,
      'venue.host': async ({ port, host: address }) => {
        const p = port ?? DEFAULT_HUB_PORT
        const h = address ?? '0.0.0.0'
        await host(p, h)
        actions.run((tx) => {
          writeHostedVenue(db, { port: p, host: h }, tx.now)
          tx.audit({
            action: 'venue.host',
            entityType: 'settings',
            after: { url: hub!.url, pairingCode: hub!.pairingCode }
          })
          tx.changed('settings', null)
        })
        return status()
      },
      'venue.stopHosting': async () => {
        await serial(async () => {
          if (!hub) throw new AppError('conflict', 'This station does not host the venue.')
          await hub.close()
          hub = null
        })
        actions.run((tx) => {
          writeHostedVenue(db, null, tx.now)
          tx.audit({ action: 'venue.stopHosting', entityType: 'settings' })
          tx.changed('settings', null)
        })
        return status()
      },
      'venue.join': async ({ url, code, email, password }) => {
        if (hub) throw new AppError('conflict', 'This station hosts the venue; it cannot join another hub.')
        let pin: { certPem: string; fingerprint: string }
        try {
          pin = await fetchHubCertificate(url, code)
        } catch (err) {
          throw new AppError(err instanceof PairingError ? 'invalid_input' : 'offline', (err as Error).message)
        }
        const name = new URL(url).host
        await circuit.joinHub({ url: url.replace(/\/+$/, ''), ...pin, name, email }, email, password)
        actions.run((tx) => {
          tx.audit({ action: 'venue.join', entityType: 'settings', after: { url, hub: name } })
          tx.changed('settings', null)
        })
        return status()
      },
      'venue.leave': async () => {
        await circuit.leaveHub()
        actions.run((tx) => {
          tx.audit({ action: 'venue.leave', entityType: 'settings' })
          tx.changed('settings', null)
        })
        return status()
      }
    }
  }
}
