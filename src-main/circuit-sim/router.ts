// A tiny method + path router. Paths are resource paths without the
// `/api/v1.0/` prefix, e.g. "datatable-items/:id".

import type { IncomingMessage } from 'node:http'
import type { Json, QueryObject, Reply } from './http'
import type { SimStore } from './store'

export interface Ctx {
  method: string
  /** resource path without the API prefix, e.g. "datatable-items/345" */
  path: string
  params: Record<string, string>
  query: QueryObject
  /** absolute request URL (used for self/next links) */
  url: URL
  body: Json | undefined
  store: SimStore
  req: IncomingMessage
  /** staff id of the authenticated user, when the route needs auth */
  uid: string | null
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

export type Match = { handler: Handler; params: Record<string, string> } | { methodNotAllowed: string[] } | null

export class Router {
  private routes: Route[] = []

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = []
    const source = path
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          keys.push(seg.slice(1))
          return '([^/]+)'
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler })
    return this
  }

  get = (path: string, h: Handler): this => this.add('GET', path, h)
  post = (path: string, h: Handler): this => this.add('POST', path, h)
  patch = (path: string, h: Handler): this => this.add('PATCH', path, h)
  delete = (path: string, h: Handler): this => this.add('DELETE', path, h)

  match(method: string, path: string): Match {
    const allowed: string[] = []
    for (const r of this.routes) {
      const m = r.pattern.exec(path)
      if (!m) continue
      if (r.method !== method) {
        allowed.push(r.method)
        continue
      }
      const params: Record<string, string> = {}
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])))
      return { handler: r.handler, params }
    }
    return allowed.length ? { methodNotAllowed: allowed } : null
  }
}
