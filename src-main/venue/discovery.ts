// Finding the venue hub on the LAN by DNS-SD (`_saleroom._tcp`), through a
// kept library (bonjour-service over multicast DNS), not hand-written
// multicast. The hub advertises its name, port and pairing code's
// fingerprint prefix; stations list what they hear. Discovery is a
// convenience: a hub can always be joined by its address, and the pairing
// code — not the advertisement — is what a station trusts.
import { Bonjour, type Browser, type Service } from 'bonjour-service'

export const SERVICE_TYPE = 'saleroom'

export interface FoundHub {
  name: string
  /** https://ADDR:PORT */
  url: string
  host: string
  port: number
  /** The hub's advertised station name (its own word; check the pairing code). */
  station: string
  lastSeen: number
}

export interface Advertisement {
  stop(): Promise<void>
}

/** Advertise this station as the venue hub. */
export function advertiseHub(o: { name: string; port: number; station: string }): Advertisement {
  const bonjour = new Bonjour({}, () => {
    // A network without multicast: the hub is still reachable by its address.
  })
  const service = bonjour.publish({
    name: o.name,
    type: SERVICE_TYPE,
    protocol: 'tcp',
    port: o.port,
    txt: { station: o.station, v: '1' }
  })
  service.on('error', () => {})
  return {
    stop: () =>
      new Promise<void>((ok) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => ok()))
      })
  }
}

function toFound(s: Service, now: number): FoundHub | null {
  const address = (s.addresses ?? []).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ?? s.referer?.address
  if (!address || !s.port) return null
  const txt = (s.txt ?? {}) as Record<string, unknown>
  return {
    name: s.name,
    url: `https://${address}:${s.port}`,
    host: address,
    port: s.port,
    station: typeof txt.station === 'string' ? txt.station : s.name,
    lastSeen: now
  }
}

/** Listen for hubs; `found()` lists what was heard, newest first. */
export function browseHubs(now: () => number): { found(): FoundHub[]; stop(): Promise<void> } {
  const bonjour = new Bonjour({}, () => {})
  const seen = new Map<string, FoundHub>()
  const browser: Browser = bonjour.find({ type: SERVICE_TYPE, protocol: 'tcp' }, (s) => {
    const f = toFound(s, now())
    if (f) seen.set(f.url, f)
  })
  browser.on('down', (s: Service) => {
    for (const [url, f] of seen) if (f.name === s.name) seen.delete(url)
  })
  return {
    found: () => [...seen.values()].sort((a, b) => b.lastSeen - a.lastSeen),
    stop: () =>
      new Promise<void>((ok) => {
        browser.stop()
        bonjour.destroy(() => ok())
      })
  }
}
