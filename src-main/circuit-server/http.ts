// HTTP plumbing shared by all routes: error type, JSON replies, body and
// bracket-notation query parsing.

import type { IncomingMessage } from 'node:http'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined }
export type JsonObject = { [key: string]: Json | undefined }

/** Circuit's documented error body: {title, status, detail, errors?}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Record<string, string[]>,
    readonly extra?: JsonObject,
    readonly headers?: Record<string, string>
  ) {
    super(detail ?? title)
  }

  body(): JsonObject {
    const body: JsonObject = { ...(this.extra ?? {}), title: this.title, status: this.status }
    if (this.detail !== undefined) body.detail = this.detail
    if (this.errors) body.errors = this.errors
    return body
  }
}

export const badRequest = (detail: string, errors?: Record<string, string[]>): HttpError =>
  new HttpError(400, 'Bad Request', detail, errors)
export const notFound = (detail: string): HttpError => new HttpError(404, 'Resource not found', detail)
export const conflict = (detail: string): HttpError => new HttpError(409, 'Conflict', detail)
export const unprocessable = (errors: Record<string, string[]>, title = 'Validation error'): HttpError => {
  const first = Object.entries(errors)[0]
  return new HttpError(422, title, first ? `${first[0]}: ${first[1][0]}` : title, errors)
}

export interface Reply {
  status: number
  body?: Json
  headers?: Record<string, string>
  /** raw body for non-JSON answers (the stub cheque PDF) */
  raw?: { contentType: string; data: Buffer }
}

export const ok = (body: Json, status = 200): Reply => ({ status, body })
export const single = (row: JsonObject, status = 200): Reply => ({ status, body: { data: [row] } })
export const command = (data: JsonObject, status = 200): Reply => ({ status, body: { data } })

const MAX_BODY = 10 * 1024 * 1024

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size > MAX_BODY) throw new HttpError(413, 'Payload Too Large', `Body exceeds ${MAX_BODY} bytes.`)
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Empty body -> undefined; malformed JSON -> 400 with the standard error body. */
export function parseJsonBody(text: string): Json | undefined {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as Json
  } catch (err) {
    throw badRequest(`Malformed JSON body: ${(err as Error).message}`)
  }
}

export type QueryValue = string | QueryObject
export interface QueryObject {
  [key: string]: QueryValue
}

/**
 * Parse PHP/Drupal-style bracket query strings into a tree:
 * `filter[status][value][0]=a` -> {filter:{status:{value:{"0":"a"}}}}.
 * `x[]=a&x[]=b` become keys "0","1". Later scalars overwrite earlier ones.
 */
export function parseQuery(search: URLSearchParams): QueryObject {
  const root: QueryObject = {}
  for (const [rawKey, value] of search) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(rawKey)
    const path = m ? [m[1], ...[...m[2].matchAll(/\[([^\]]*)\]/g)].map((x) => x[1])] : [rawKey]
    let node: QueryObject = root
    for (let i = 0; i < path.length; i++) {
      let key = path[i]
      const last = i === path.length - 1
      if (key === '') key = String(Object.keys(node).length)
      if (last) {
        node[key] = value
      } else {
        const child = node[key]
        if (typeof child !== 'object') node[key] = {}
        node = node[key] as QueryObject
      }
    }
  }
  return root
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Require a JSON object body (commands, POST, PATCH). */
export function requireObject(body: Json | undefined): JsonObject {
  if (!isObject(body)) throw badRequest('Request body must be a JSON object.')
  return body
}

/** Accepts an id sent as "123" or 123. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (isObject(value) && (typeof value.id === 'string' || typeof value.id === 'number')) return String(value.id)
  return null
}

/** Circuit booleans: true/false, 1/0, "1"/"0", "true"/"false". */
export function boolOf(value: unknown): boolean | null {
  if (value === true || value === 1 || value === '1' || value === 'true') return true
  if (value === false || value === 0 || value === '0' || value === 'false') return false
  return null
}

export function strOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return null
}
