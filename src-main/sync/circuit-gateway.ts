// The live Circuit connection: which server (settings, environment, or the
// built-in demo simulator), whether it answers, and the client to talk to it.
import { createCircuitClient, type CircuitApiClient, type SecretStore } from '../circuit'
import { CircuitError } from '../circuit/errors'
import { startSimulator, type RunningSimulator } from '../circuit-sim'
import type { Replica } from '../db/replica'
import type { Clock } from '../core/clock'
import type { Logger } from '../core/ports'
import { readSettings, seedDemoHouse } from '../core/settings'
import { readJoinedHub, writeJoinedHub, type JoinedHub } from '../core/venue'
import { fetchHubCertificate, normaliseCode, pairingCodeOf, pinnedFetch } from '../circuit/pinning'
import { AppError } from '../../src-shared/rpc'
import type { CircuitGateway, GatewayState } from './gateway'
import { circuitToAppError, isUnreachable } from './errors'

/** A server given by the environment (kiosks, tests): CIRCUIT_URL/EMAIL/PASSWORD. */
export interface CircuitEnv {
  url?: string
  email?: string
  password?: string
}

export const DEMO_USER = 'demo@saleroom.test'
export const DEMO_PASSWORD = 'demo'

export interface GatewayOptions {
  db: Replica
  clock: Clock
  secrets: SecretStore
  env: CircuitEnv
  log: Logger
  /** With no server configured, run the simulator in-process as a demo (default on). */
  demo?: false | { seed?: number; lots?: number; clients?: number }
  /** How often to check an unreachable server (ms, default 15 s; 0 = never). */
  probeIntervalMs?: number
  timeoutMs?: number
  /** `--join URL --code CODE`: pair with this venue hub at start (credentials from the environment). */
  join?: { url: string; code: string }
}

interface Target {
  url: string
  email: string | null
  /** Only for the demo and for kiosk credentials from the environment; never written anywhere. */
  password: string | null
  demo: boolean
  /** A venue hub: its pinned certificate (the client's fetch trusts only it). */
  hub?: JoinedHub
}

/**
 * A station that changes where it pulls from (joins a hub, leaves one) forgets
 * its pulls' cursors: the next open is a full pull from the new server, whose
 * "updated" stamps are its own.
 */
function forgetPullCursors(db: Replica): void {
  db.tx(() =>
    db.run(db.q.deleteFrom('sync_state').where((eb) => eb.or([eb('key', 'like', 'pull:%'), eb('key', '=', 'hubFeed')])))
  )
}

/**
 * A station that leaves its hub (to go direct to Circuit, or to host the venue itself in a
 * handover) takes the hub's provisional orders as its own: their ids were the hub's, never
 * Circuit's, so they wait for Circuit's order holding their lots, which takes their place.
 */
function adoptHubProvisionalOrders(db: Replica): void {
  db.tx(() =>
    db.run(
      db.q
        .updateTable('orders')
        .set({ server_id: null })
        .where('server_id', 'is not', null)
        .where('order_number', 'is', null)
        .where('provisional_number', 'is not', null)
    )
  )
}

export async function createCircuitGateway(opts: GatewayOptions): Promise<CircuitGateway<CircuitApiClient>> {
  const listeners = new Set<(s: GatewayState) => void>()
  let state: GatewayState = { connection: 'not-configured', demo: false, serverUrl: null, lastError: null }
  let client: CircuitApiClient | null = null
  let sim: RunningSimulator | null = null
  let probeTimer: NodeJS.Timeout | null = null
  let closed = false

  const setState = (patch: Partial<GatewayState>) => {
    const next = { ...state, ...patch }
    if (JSON.stringify(next) === JSON.stringify(state)) return
    state = next
    for (const l of listeners) l({ ...state })
  }

  /** The currency's decimals as last known (Circuit's /me at the last pull), so amounts decode right at once. */
  const knownDecimals = (): number | undefined => {
    const row = opts.db.first(opts.db.q.selectFrom('sync_state').select('value').where('key', '=', 'circuit_currency'))
    const d = row ? (JSON.parse(row.value) as { decimals?: unknown }).decimals : undefined
    return typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= 4 ? d : undefined
  }

  const makeClient = (t: Target) =>
    createCircuitClient({
      baseUrl: t.url,
      now: opts.clock.now,
      secrets: opts.secrets,
      timeoutMs: opts.timeoutMs ?? 15_000,
      currencyDecimals: knownDecimals(),
      // A hub is reached over TLS with its certificate pinned, and told which station calls (for its audit).
      ...(t.hub
        ? {
            // Two stations' results for one lot: the first to reach the hub wins (its writes are conditional).
            conditionalWrites: true,
            fetch: pinnedFetch(t.hub, () => ({
              'x-saleroom-station': encodeURIComponent(readSettings(opts.db).stationName)
            }))
          }
        : {}),
      credentials: () => (t.email && t.password ? { email: t.email, password: t.password } : null)
    })
  const venueOf = (t: Target): GatewayState['venue'] =>
    t.hub ? { hub: t.hub.name, url: t.hub.url, circuit: 'unknown' } : null

  async function probe(): Promise<void> {
    if (!client || closed) return
    try {
      await client.me()
      setState({ connection: 'online', lastError: null })
    } catch (err) {
      if (err instanceof CircuitError && err.kind === 'auth-required') {
        setState({ connection: 'auth-required', lastError: 'Circuit needs you to log in again (Settings, F5).' })
      } else if (isUnreachable(err)) {
        setState({ connection: 'offline', lastError: err instanceof Error ? err.message : String(err) })
      } else {
        setState({ connection: 'offline', lastError: err instanceof Error ? err.message : String(err) })
      }
    }
  }

  function startProbing() {
    const every = opts.probeIntervalMs ?? 15_000
    if (probeTimer || every <= 0) return
    probeTimer = setInterval(() => {
      if (state.connection !== 'online') void probe()
    }, every)
    probeTimer.unref()
  }

  async function stopDemo() {
    if (sim) {
      const s = sim
      sim = null
      await s.close()
    }
  }

  /**
   * Point the gateway at a server. A real server is probed in the background,
   * so a start with the network gone opens at once (status "Connecting", then
   * "Offline"); the in-process demo answers at once, so it is awaited.
   */
  async function use(t: Target) {
    client = makeClient(t)
    setState({
      connection: 'connecting',
      demo: t.demo,
      serverUrl: t.demo ? null : t.url,
      lastError: null,
      venue: venueOf(t)
    })
    const first = probe()
    startProbing()
    if (t.demo) await first
  }

  async function startDemo() {
    if (opts.demo === false) {
      client = null
      setState({ connection: 'not-configured', demo: false, serverUrl: null, lastError: null, venue: null })
      return
    }
    sim = await startSimulator({
      port: 0,
      seed: opts.demo?.seed ?? 1,
      lots: opts.demo?.lots,
      clients: opts.demo?.clients,
      user: DEMO_USER,
      password: DEMO_PASSWORD,
      quiet: true
    })
    opts.log.info('demo Circuit simulator started', { url: sim.url })
    // The demo house prints with an address, a VAT number and paper texts, where this station has none of its own.
    seedDemoHouse(opts.db, opts.clock.now())
    await use({ url: sim.url, email: DEMO_USER, password: DEMO_PASSWORD, demo: true })
  }

  /**
   * Pair with a hub: the code must match the certificate it presents; then that certificate is pinned.
   * The hub this station paired with before, at the same address and with the same code, needs no
   * new pairing: its pin is kept, so a station started again (`--join` in its start script) while
   * its hub is down opens and works on, and catches up when the hub is back.
   */
  async function pair(url: string, code: string, email: string | null): Promise<JoinedHub> {
    const address = url.replace(/\/+$/, '')
    const before = readJoinedHub(opts.db)
    if (before && before.url === address && pairingCodeOf(before.fingerprint) === normaliseCode(code)) {
      return { ...before, email: email ?? before.email }
    }
    const pin = await fetchHubCertificate(url, code)
    return { url: address, ...pin, name: new URL(url).host, email }
  }

  // Which server: a venue hub to join (--join), the environment (kiosks, tests), a hub joined
  // before, Settings, then the demo.
  const settings = readSettings(opts.db)
  const joined = readJoinedHub(opts.db)
  if (opts.join) {
    let hub: JoinedHub
    try {
      hub = await pair(opts.join.url, opts.join.code, opts.env.email ?? null)
    } catch (err) {
      throw new Error(
        `Could not join the venue hub at ${opts.join.url}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err }
      )
    }
    if (joined?.fingerprint !== hub.fingerprint) forgetPullCursors(opts.db)
    opts.db.tx(() => writeJoinedHub(opts.db, hub, opts.clock.now()))
    await use({ url: hub.url, email: opts.env.email ?? null, password: opts.env.password ?? null, demo: false, hub })
  } else if (joined) {
    await use({
      url: joined.url,
      email: opts.env.email ?? joined.email,
      password: opts.env.password ?? null,
      demo: false,
      hub: joined
    })
  } else if (opts.env.url) {
    await use({ url: opts.env.url, email: opts.env.email ?? null, password: opts.env.password ?? null, demo: false })
  } else if (settings.circuitUrl) {
    await use({ url: settings.circuitUrl, email: settings.circuitEmail, password: null, demo: false })
  } else {
    await startDemo()
  }

  return {
    state: () => ({ ...state }),
    onChange: (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    async connect(url, email, password) {
      const candidate = makeClient({ url, email, password: null, demo: false })
      try {
        await candidate.login(email, password)
        await candidate.me()
      } catch (err) {
        throw circuitToAppError(err, `Could not connect to ${url}`)
      }
      await stopDemo()
      client = candidate
      setState({ connection: 'online', demo: false, serverUrl: url, lastError: null, venue: null })
      startProbing()
    },
    async disconnect() {
      if (client && !state.demo) await client.logout().catch(() => {})
      client = null
      await stopDemo()
      await startDemo()
    },
    async joinHub(hub, email, password) {
      const candidate = makeClient({ url: hub.url, email, password: null, demo: false, hub })
      try {
        await candidate.login(email, password)
        await candidate.me()
      } catch (err) {
        throw circuitToAppError(err, `Could not log in at the venue hub ${hub.name}`)
      }
      const previous = readJoinedHub(opts.db)
      if (previous?.fingerprint !== hub.fingerprint) forgetPullCursors(opts.db)
      opts.db.tx(() => writeJoinedHub(opts.db, { ...hub, email }, opts.clock.now()))
      await stopDemo()
      client = candidate
      setState({
        connection: 'online',
        demo: false,
        serverUrl: hub.url,
        lastError: null,
        venue: venueOf({ url: hub.url, email, password: null, demo: false, hub })
      })
      startProbing()
    },
    async leaveHub() {
      if (!readJoinedHub(opts.db)) throw new AppError('conflict', 'This station has not joined a venue hub.')
      if (client) await client.logout().catch(() => {})
      client = null
      forgetPullCursors(opts.db)
      adoptHubProvisionalOrders(opts.db)
      opts.db.tx(() => writeJoinedHub(opts.db, null, opts.clock.now()))
      const s = readSettings(opts.db)
      if (opts.env.url)
        await use({
          url: opts.env.url,
          email: opts.env.email ?? null,
          password: opts.env.password ?? null,
          demo: false
        })
      else if (s.circuitUrl) await use({ url: s.circuitUrl, email: s.circuitEmail, password: null, demo: false })
      else await startDemo()
    },
    reportVenueCircuit(online) {
      if (!state.venue) return
      const circuit = online === null ? 'unknown' : online ? 'online' : 'offline'
      if (state.venue.circuit !== circuit) setState({ venue: { ...state.venue, circuit } })
    },
    client: () => client,
    reportReachable(ok, error) {
      if (!client) return
      // Said after every answer while sending: nothing to do when it is already so.
      if (ok && state.connection === 'online' && state.lastError === null) return
      if (ok) setState({ connection: 'online', lastError: null })
      else setState({ connection: 'offline', lastError: error ?? state.lastError })
    },
    async close() {
      closed = true
      if (probeTimer) clearInterval(probeTimer)
      await stopDemo()
    }
  }
}
