// A tiny method + path router. Paths are resource paths without the
// `/api/v1.0/` prefix, e.g. "datatable-items/:id". Shared by every server of
// Circuit's API (the simulator, the venue hub); each adds to the request
// context what its handlers need (its store, the caller).

import type { IncomingMessage } from 'node:http'
import type { Json, QueryObject, Reply } from './http'

export interface RouteContext {
  method: string
  /** resource path without the API prefix, e.g. "datatable-items/345" */
  path: string
  params: Record<string, string>
  query: QueryObject
  /** absolute request URL (used for self/next links) */
  url: URL
  body: Json | undefined
  req: IncomingMessage
}

export type Handler<C extends RouteContext = RouteContext> = (ctx: C) => Reply | Promise<Reply>

interface Route<C extends RouteContext> {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler<C>
}

export type Match<C extends RouteContext = RouteContext> =
  { handler: Handler<C>; params: Record<string, string> } | { methodNotAllowed: string[] } | null

export class Router<C extends RouteContext = RouteContext> {
  private routes: Route<C>[] = []

  add(method: string, path: string, handler: Handler<C>): this {
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

  get = (path: string, h: Handler<C>): this => this.add('GET', path, h)
  post = (path: string, h: Handler<C>): this => this.add('POST', path, h)
  patch = (path: string, h: Handler<C>): this => this.add('PATCH', path, h)
  delete = (path: string, h: Handler<C>): this => this.add('DELETE', path, h)

  match(method: string, path: string): Match<C> {
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
