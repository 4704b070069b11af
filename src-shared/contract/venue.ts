// The venue: several stations sharing a sale on the LAN with no internet.
// One station hosts the venue hub; the others join it with its pairing code.
import { z } from 'zod'
import { call, noInput, singleLine } from './define'

export interface FoundHub {
  name: string
  url: string
  station: string
  lastSeen: number
}

export interface VenueStatus {
  /** alone: talks to Circuit itself; hub: hosts the venue; joined: talks to a hub. */
  role: 'alone' | 'hub' | 'joined'
  hosting: { url: string; port: number; host: string; pairingCode: string; line: string } | null
  joined: { url: string; name: string; circuit: 'online' | 'offline' | 'unknown' } | null
  /** Hubs heard on the LAN (DNS-SD), newest first. */
  found: FoundHub[]
}

// 0: any free port (tests, a quick trial).
const port = z.number().int().min(0).max(65535)
const hubUrl = z
  .string()
  .trim()
  .max(200)
  .regex(/^https:\/\/[^\s/]+(:\d{1,5})?\/?$/i, 'A hub address is https://ADDRESS:PORT (plain http is refused).')
const pairingCode = z
  .string()
  .trim()
  .max(20)
  .regex(/^[0-9A-Za-z\s-]{8,20}$/, 'The pairing code is eight letters and digits, as XXXX-XXXX.')

export const venueCalls = {
  'venue.status': call<VenueStatus>()(noInput, {
    mutates: false,
    summary:
      'Whether this station hosts the venue, has joined a hub, or talks to Circuit itself; the hubs heard on the LAN'
  }),
  'venue.host': call<VenueStatus>()(z.object({ port: port.optional(), host: singleLine(100).optional() }).strict(), {
    mutates: true,
    queued: false,
    summary:
      'Host the venue hub on this station (TLS; the pairing code comes from its certificate); again at every start until stopped'
  }),
  'venue.stopHosting': call<VenueStatus>()(noInput, {
    mutates: true,
    queued: false,
    summary: 'Stop hosting the venue hub'
  }),
  'venue.join': call<VenueStatus>()(
    z
      .object({
        url: hubUrl,
        code: pairingCode,
        email: singleLine(200),
        password: z.string().min(1).max(500)
      })
      .strict(),
    {
      mutates: true,
      queued: false,
      summary:
        "Join a venue hub: its certificate must match the pairing code (then it is pinned); log in there with Circuit's credentials (used once, never stored)"
    }
  ),
  'venue.leave': call<VenueStatus>()(noInput, {
    mutates: true,
    queued: false,
    summary: 'Leave the venue hub and talk to Circuit directly again'
  })
} as const
