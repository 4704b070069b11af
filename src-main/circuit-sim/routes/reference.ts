// Reference data: taxonomy vocabularies, staff, and /me.

import { ok, single, type JsonObject } from '../../circuit-server/http'
import { listResponse, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import { TAXONOMIES, type Staff, type Term } from '../types'

const termDef = (name: string): ListDef<Term> => ({
  resource: name,
  defaultSort: 'id',
  filters: {
    id: { kind: 'id', get: (t) => t.id },
    label: { kind: 'text', get: (t) => t.label }
  },
  serialize: (t) => JSON.parse(JSON.stringify(t)) as JsonObject
})

const staffDef: ListDef<Staff> = {
  resource: 'staff',
  defaultSort: 'id',
  filters: {
    id: { kind: 'id', get: (s) => s.id },
    role: { kind: 'exact', get: (s) => s.roles },
    name: { kind: 'text', get: (s) => s.name }
  },
  serialize: (s) => ({ id: s.id, name: s.name, email: s.email, roles: [...s.roles], status: 'active' })
}

export function registerReference(router: Router): void {
  for (const name of TAXONOMIES) {
    router.get(name, (ctx) => ok(listResponse(ctx, termDef(name), ctx.store.taxonomies.get(name) ?? [])))
  }
  // README.txt spells this one `shipping-areas`; FIELD-NOTES §2.8 lists the taxonomy `shipping_areas`.
  router.get('shipping-areas', (ctx) =>
    ok(listResponse(ctx, termDef('shipping-areas'), ctx.store.taxonomies.get('shipping_areas') ?? []))
  )
  router.get('staff', (ctx) => ok(listResponse(ctx, staffDef, ctx.store.staff.values())))

  // FIELD-NOTES §2.1 shape (api-me.html); Pusher/bid server are not simulated -> null
  router.get('me', (ctx) => {
    const store = ctx.store
    const me = store.staff.get(ctx.uid ?? '1')!
    const { code: _code, ...currency } = store.currency
    return single({
      id: me.id,
      label: me.name,
      name: me.name,
      full_name: me.name,
      mail: me.email,
      email: me.email,
      roles: [...me.roles],
      permissions: ['access backoffice', 'clerk live sale', 'manage orders', 'manage transactions'],
      sale_context: '1',
      config: {
        pusherConfig: null,
        bidServer: null,
        bidServerAccessToken: null,
        websiteBasePath: ctx.url.origin,
        accountingCountry: 'GB',
        staff: [...store.staff.values()].map((s) => ({ id: s.id, name: s.name })),
        task_types: [],
        activity_types: [],
        currency,
        contentLanguages: ['en'],
        itemPageSettings: {}
      }
    })
  })
}
