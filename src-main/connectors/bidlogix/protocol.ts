// What the Bidlogix client and its simulator agree on: the class names the
// docs require, how the key travels (the create-items page says only "See
// Bidlogix API document"; a setting, see README.md), and how a duplicate lot
// number is recognised in a 400 answer.
import { createHash } from 'node:crypto'
import type { BidlogixKeyTransport, BidlogixMoneyUnit } from '../../../src-shared/contract'

export const COLLECTION_CLASS = 'com.bidlogix.scaffold.models.BackboneCollectionModel'
export const ITEM_CLASS = 'com.bidlogix.scaffold.models.auctionapi.ItemApiModel'
export const ATTACHMENT_CLASS = 'com.bidlogix.scaffold.models.auctionapi.UrlAttachmentApiModel'

export const DEFAULT_KEY_TRANSPORT: BidlogixKeyTransport = 'header'
export const DEFAULT_MONEY_UNIT: BidlogixMoneyUnit = 'whole'

/** The "header" transport's fixed API name (Bidlogix's general API information). */
export const API_NAME = 'bidlogixapi'

/**
 * "key:secret" → the two halves, for the signature transport; a key without a
 * colon is both.
 */
function keyAndSecret(key: string): { key: string; secret: string } {
  const i = key.indexOf(':')
  return i > 0 ? { key: key.slice(0, i), secret: key.slice(i + 1) } : { key, secret: key }
}

/** Bidlogix's API security article: SHA-1 of "bdxapikey=K&bdxapiClientId=C&bdxapisecret=S", hex. */
export function signature(key: string, clientId: string): string {
  const k = keyAndSecret(key)
  return createHash('sha1')
    .update(`bdxapikey=${k.key}&bdxapiClientId=${clientId}&bdxapisecret=${k.secret}`)
    .digest('hex')
}

/** The headers that carry the key. */
export function credentialHeaders(
  key: string,
  clientId: string,
  transport: BidlogixKeyTransport
): Record<string, string> {
  switch (transport) {
    case 'header':
      return { 'x-api-name': API_NAME, 'x-api-password': key }
    case 'signature':
      return { bdxapi_name: signature(key, clientId) }
    case 'bearer':
      return { authorization: `Bearer ${key}` }
  }
}

/** The docs' ErrorModel: {failed, code, message, field} (+ our reading of "the duplicates listed"). */
export interface ErrorModel {
  failed: boolean
  code: string | null
  message: string | null
  field: string | null
  duplicates?: string[]
}

export function readErrorModel(body: unknown): ErrorModel | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null
  const o = body as Record<string, unknown>
  if (o.failed !== true && o.failed !== 'true') return null
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)
  const dups = Array.isArray(o.duplicates)
    ? o.duplicates.map((d) =>
        typeof d === 'object' && d !== null ? str((d as { lotNumber?: unknown }).lotNumber) : str(d)
      )
    : null
  return {
    failed: true,
    code: str(o.code),
    message: str(o.message),
    field: str(o.field),
    ...(dups ? { duplicates: dups.filter((d): d is string => d !== null) } : {})
  }
}

/**
 * The lot numbers a 400 says already exist in the auction ("the duplicates
 * listed in the body"), or null when the error is not about duplicates. Read
 * from a `duplicates` list when there is one, else from the message.
 */
export function duplicateLots(e: ErrorModel): string[] | null {
  const aboutDuplicates =
    /duplicate/i.test(e.code ?? '') || /duplicate|already exist/i.test(e.message ?? '') || e.duplicates !== undefined
  if (!aboutDuplicates) return null
  if (e.duplicates && e.duplicates.length) return e.duplicates
  const m = /:\s*([^:]+)$/.exec(e.message ?? '')
  return m ? m[1].split(/[,\s]+/).filter(Boolean) : []
}
