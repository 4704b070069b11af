// What the FairWarning client and its simulator agree on: how the keys travel
// (the item page does not say; every reading is a setting, see README.md), and
// what `items/[start]/[limit]` covers under each reading of `[limit]`.
import type { FairWarningKeyTransport, LimitMeaning } from '../../../src-shared/contract'

export const DEFAULT_KEY_TRANSPORT: FairWarningKeyTransport = 'key-headers'
export const DEFAULT_LIMIT_MEANING: LimitMeaning = 'end'
/** "If left blank, this will default to the first 50 records." */
export const DOCS_DEFAULT_PAGE = 50

export interface Credentials {
  headers: Record<string, string>
  query: Record<string, string>
  body: Record<string, string>
}

/**
 * "public:private" → the two halves; a key without a colon is both (one
 * secret given for the pair).
 */
export function splitKeyPair(key: string): { publicKey: string; privateKey: string } {
  const i = key.indexOf(':')
  return i > 0 ? { publicKey: key.slice(0, i), privateKey: key.slice(i + 1) } : { publicKey: key, privateKey: key }
}

/** Where the key goes for each transport. */
export function credentialsFor(key: string, transport: FairWarningKeyTransport): Credentials {
  const none: Credentials = { headers: {}, query: {}, body: {} }
  switch (transport) {
    case 'key-headers': {
      const { publicKey, privateKey } = splitKeyPair(key)
      return { ...none, headers: { 'public-key': publicKey, 'private-key': privateKey } }
    }
    case 'x-api-key':
      return { ...none, headers: { 'x-api-key': key } }
    case 'bearer':
      return { ...none, headers: { authorization: `Bearer ${key}` } }
    case 'query':
      return { ...none, query: { api_key: key } }
    case 'body':
      return { ...none, body: { api_key: key } }
  }
}

/** The records `items/start/second` asks for, as [first, end) indexes (0-based). */
export function pageWindow(start: number, second: number, meaning: LimitMeaning): { from: number; to: number } {
  return meaning === 'end' ? { from: start, to: Math.max(start, second) } : { from: start, to: start + second }
}

/** The path's last segment for a page of `size` records from `start`. */
export function secondSegment(start: number, size: number, meaning: LimitMeaning): number {
  return meaning === 'end' ? start + size : size
}
