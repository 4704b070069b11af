// The simulator's routes: the shared Circuit-API router, with what the
// simulator's handlers see of a request (its in-memory store, the caller).
import { Router as ApiRouter, type RouteContext } from '../circuit-server/router'
import type { SimStore } from './store'

export interface Ctx extends RouteContext {
  store: SimStore
  /** staff id of the authenticated user, when the route needs auth */
  uid: string | null
}

export class Router extends ApiRouter<Ctx> {}
