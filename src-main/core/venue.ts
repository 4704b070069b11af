// The venue as this station knows it: the hub it joined (its address and
// the certificate it pinned when it paired), and whether it hosts the venue
// itself. Kept in the settings table; read by the sync layer (which server
// the client talks to) and written by the venue capability.
import { readKeyed, removeKeyed, writeKeyed } from './keyed-values'
import type { Replica } from '../db/replica'

export interface JoinedHub {
  /** https://ADDR:PORT */
  url: string
  /** The hub's certificate as paired (PEM) and its SHA-256: the pin. */
  certPem: string
  fingerprint: string
  /** The hub station's name, for the status bar. */
  name: string
  /** Who logged in there last (never the password). */
  email: string | null
}

export interface HostedVenue {
  port: number
  host: string
}

const JOINED = 'venueHub'
const HOSTED = 'venueHost'

function read<T>(db: Replica, key: string): T | null {
  const text = readKeyed(db, 'settings', key)
  if (text === null) return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}

function write(db: Replica, key: string, value: unknown, now: number): void {
  if (value === null) {
    removeKeyed(db, 'settings', key)
    return
  }
  writeKeyed(db, 'settings', key, JSON.stringify(value), now)
}

export const readJoinedHub = (db: Replica): JoinedHub | null => read<JoinedHub>(db, JOINED)
export const writeJoinedHub = (db: Replica, hub: JoinedHub | null, now: number): void => write(db, JOINED, hub, now)
export const readHostedVenue = (db: Replica): HostedVenue | null => read<HostedVenue>(db, HOSTED)
export const writeHostedVenue = (db: Replica, v: HostedVenue | null, now: number): void => write(db, HOSTED, v, now)
