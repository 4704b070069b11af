// datatable-clients (list/get/POST with uuid upsert/PATCH) and client-address CRUD.

import { randomUUID } from 'node:crypto'
import {
  badRequest,
  idOf,
  isObject,
  ok,
  requireObject,
  single,
  unprocessable,
  type JsonObject
} from '../../circuit-server/http'
import { formatDisplay } from '../money'
import { listResponse, pickFields, type ListDef } from '../../circuit-server/query'
import type { Router } from '../sim-router'
import type { SimStore } from '../store'
import { toIso } from '../../circuit-server/time'
import type { AddressFields, Client, ClientAddress, ClientStatus } from '../types'

const STATUSES: ClientStatus[] = ['new', 'pending', 'approved', 'unapproved', 'deleted']
const STATUS_LABEL: Record<ClientStatus, string> = {
  new: 'New',
  pending: 'Pending',
  approved: 'Approved',
  unapproved: 'Unapproved',
  deleted: 'Deleted'
}
const ADDRESS_KEYS: (keyof AddressFields)[] = [
  'country',
  'administrative_area',
  'locality',
  'postal_code',
  'thoroughfare',
  'premise',
  'first_name',
  'last_name'
]
const COUNTRY_NAMES: Record<string, string> = {
  GB: 'United Kingdom',
  IE: 'Ireland',
  FR: 'France',
  IT: 'Italy',
  DE: 'Germany',
  US: 'United States'
}
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

export function serializeClient(store: SimStore, c: Client): JsonObject {
  const addr = store.defaultAddress(c.id)?.address
  const balance = store.clientBalance(c.id)
  const payment = c.defaultPaymentMethod ? store.term('payment_types', c.defaultPaymentMethod) : undefined
  const source = c.sourceId ? store.term('client_sources', c.sourceId) : undefined
  return {
    id: c.id,
    uuid: c.uuid,
    label: store.clientLabel(c),
    first_name: c.firstName,
    last_name: c.lastName,
    company: c.company,
    email: c.email,
    phone: c.phone,
    mobile: c.mobile,
    philaworksplace_id: c.customerNumber,
    status: { id: c.status, label: STATUS_LABEL[c.status] },
    address: addr
      ? {
          country: addr.country,
          city: addr.locality,
          state: addr.administrative_area,
          postal_code: addr.postal_code,
          street: addr.thoroughfare,
          premise: addr.premise
        }
      : null,
    // decimal string, not the docs' float: negative = the client owes money
    balance: { value: store.money(balance), formatted: formatDisplay(balance, store.currency) },
    default_payment_method: payment ? { id: payment.id, label: payment.label } : null,
    source: source ? { id: source.id, label: source.label } : null,
    tax_id: c.taxId,
    categories: c.categories.map((id) => ({ id, label: store.term('categories', id)?.label ?? '' })),
    additional_charges: [],
    consignor_commissions: [{ consignor_commission: '15.00', step_from: '0.00' }],
    created: toIso(c.created),
    updated: toIso(c.updated)
  }
}

function clientsDef(store: SimStore): ListDef<Client> {
  const addr = (c: Client): AddressFields | undefined => store.defaultAddress(c.id)?.address
  return {
    resource: 'datatable-clients',
    defaultSort: 'id',
    filters: {
      id: { kind: 'id', get: (c) => c.id },
      uuid: { kind: 'id', get: (c) => c.uuid },
      status: { kind: 'exact', get: (c) => c.status },
      first_name: { kind: 'text', get: (c) => c.firstName },
      last_name: { kind: 'text', get: (c) => c.lastName },
      company: { kind: 'text', get: (c) => c.company },
      last_name_company: { kind: 'text', get: (c) => [c.lastName, c.company] },
      email: { kind: 'text', get: (c) => c.email },
      phone: { kind: 'text', get: (c) => [c.phone, c.mobile] },
      country: { kind: 'exact', get: (c) => addr(c)?.country ?? null },
      city: { kind: 'text', get: (c) => addr(c)?.locality ?? null },
      state: { kind: 'text', get: (c) => addr(c)?.administrative_area ?? null },
      postal_code: { kind: 'text', get: (c) => addr(c)?.postal_code ?? null },
      default_payment_method: { kind: 'id', get: (c) => c.defaultPaymentMethod },
      source: { kind: 'id', get: (c) => c.sourceId },
      philaworksplace_id: { kind: 'text', get: (c) => c.customerNumber },
      created: { kind: 'date', get: (c) => c.created },
      updated: { kind: 'date', get: (c) => c.updated }
    },
    serialize: (c) => serializeClient(store, c),
    search: (c) => `${c.firstName} ${c.lastName} ${c.company ?? ''} ${c.email ?? ''} ${c.customerNumber}`
  }
}

export function serializeAddress(store: SimStore, a: ClientAddress): JsonObject {
  const f = a.address
  const name = `${f.first_name} ${f.last_name}`.trim()
  const rendered = [
    name,
    [f.premise, f.thoroughfare].filter(Boolean).join(', '),
    `${f.locality}${f.administrative_area ? `, ${f.administrative_area}` : ''} ${f.postal_code}`.trim(),
    COUNTRY_NAMES[f.country] ?? f.country
  ]
    .filter(Boolean)
    .join('\n')
  return {
    id: a.id,
    label: `${a.isDefault ? 'Default address' : 'Address'} - ${f.country} - ${f.postal_code}`,
    client: a.clientId,
    address: { ...f, name_line: name },
    address_types: a.types.map((t) => ({
      id: t,
      label: t === 'billing' ? 'Billing' : t === 'shipping' ? 'Shipping' : t
    })),
    default_address: a.isDefault,
    validated: a.validated,
    rendered,
    created: toIso(a.created),
    updated: toIso(a.updated)
  }
}

const addressesDef = (store: SimStore): ListDef<ClientAddress> => ({
  resource: 'client-address',
  defaultSort: 'id',
  filters: {
    id: { kind: 'id', get: (a) => a.id },
    client: { kind: 'id', get: (a) => a.clientId },
    default_address: { kind: 'bool', get: (a) => a.isDefault },
    country: { kind: 'exact', get: (a) => a.address.country },
    updated: { kind: 'date', get: (a) => a.updated }
  },
  serialize: (a) => serializeAddress(store, a)
})

type ClientPatch = Partial<
  Pick<
    Client,
    | 'firstName'
    | 'lastName'
    | 'company'
    | 'email'
    | 'phone'
    | 'mobile'
    | 'status'
    | 'customerNumber'
    | 'taxId'
    | 'defaultPaymentMethod'
    | 'categories'
  >
>

function nullableString(body: JsonObject, key: string, errors: Record<string, string[]>): string | null | undefined {
  if (!(key in body)) return undefined
  const v = body[key]
  if (v === null) return null
  if (typeof v !== 'string') {
    errors[key] = ['Must be a string.']
    return undefined
  }
  return v
}

/** Validate the writable client fields shared by POST, PATCH and station-edit. */
export function parseClientFields(
  store: SimStore,
  body: JsonObject
): { patch: ClientPatch; address?: Partial<AddressFields> } {
  const errors: Record<string, string[]> = {}
  const patch: ClientPatch = {}
  const first = nullableString(body, 'first_name', errors)
  if (first !== undefined) patch.firstName = first ?? ''
  const last = nullableString(body, 'last_name', errors)
  if (last !== undefined) patch.lastName = last ?? ''
  const company = nullableString(body, 'company', errors)
  if (company !== undefined) patch.company = company
  const email = nullableString(body, 'email', errors)
  if (email !== undefined) {
    if (email !== null && !EMAIL.test(email)) errors.email = ['Please enter a valid email address']
    else patch.email = email
  }
  for (const [wire, prop] of [
    ['phone', 'phone'],
    ['mobile', 'mobile'],
    ['tax_id', 'taxId'],
    ['philaworksplace_id', 'customerNumber']
  ] as const) {
    const v = nullableString(body, wire, errors)
    if (v !== undefined) {
      if (prop === 'customerNumber') {
        if (v === null || v === '') errors[wire] = ['Customer number cannot be empty.']
        else patch.customerNumber = v
      } else patch[prop] = v
    }
  }
  if ('status' in body) {
    const v = isObject(body.status) ? body.status.id : body.status
    if (typeof v !== 'string' || !STATUSES.includes(v as ClientStatus))
      errors.status = [`Must be one of ${STATUSES.join(', ')}.`]
    else patch.status = v as ClientStatus
  }
  if ('default_payment_method' in body) {
    const id = body.default_payment_method === null ? null : idOf(body.default_payment_method)
    if (id !== null && !store.term('payment_types', id))
      errors.default_payment_method = [`Unknown payment type ${String(id)}.`]
    else patch.defaultPaymentMethod = id
  }
  if ('categories' in body) {
    const v = body.categories
    const ids = Array.isArray(v) ? v.map(idOf) : null
    if (!ids || ids.some((x) => x === null)) errors.categories = ['Must be an array of category ids.']
    else patch.categories = ids as string[]
  }
  let address: Partial<AddressFields> | undefined
  if ('address' in body) {
    const a = body.address
    if (!isObject(a)) errors.address = ['Must be an object.']
    else {
      address = {}
      // accept both the address-field names and the datatable-clients row names (street/city/state)
      const alias: Record<string, keyof AddressFields> = {
        street: 'thoroughfare',
        city: 'locality',
        state: 'administrative_area'
      }
      for (const [k, v] of Object.entries(a)) {
        const key = alias[k] ?? (k as keyof AddressFields)
        if (!ADDRESS_KEYS.includes(key)) continue
        if (typeof v !== 'string') errors[`address.${k}`] = ['Must be a string.']
        else address[key] = v
      }
    }
  }
  if (Object.keys(errors).length) throw unprocessable(errors)
  return { patch, address }
}

function emptyAddress(c: Client): AddressFields {
  return {
    country: 'GB',
    administrative_area: '',
    locality: '',
    postal_code: '',
    thoroughfare: '',
    premise: '',
    first_name: c.firstName,
    last_name: c.lastName
  }
}

/** Apply validated client fields; the address goes to the default client-address (created if missing). */
export function applyClientFields(
  store: SimStore,
  client: Client,
  patch: ClientPatch,
  address?: Partial<AddressFields>
): void {
  Object.assign(client, patch)
  if (address) {
    const current = store.defaultAddress(client.id)
    if (current) {
      Object.assign(current.address, address)
      store.stamp(current)
    } else {
      const t = store.now()
      store.addAddress({
        id: store.nextId(),
        clientId: client.id,
        address: { ...emptyAddress(client), ...address },
        types: ['billing', 'shipping'],
        isDefault: true,
        validated: false,
        created: t,
        updated: t
      })
    }
  }
  store.stamp(client)
}

function parseAddressBody(
  body: JsonObject,
  partial: boolean
): { fields: Partial<AddressFields>; types?: string[]; isDefault?: boolean } {
  const errors: Record<string, string[]> = {}
  const fields: Partial<AddressFields> = {}
  if ('address' in body) {
    if (!isObject(body.address)) errors.address = ['Must be an object.']
    else
      for (const [k, v] of Object.entries(body.address)) {
        if (!ADDRESS_KEYS.includes(k as keyof AddressFields)) continue
        if (typeof v !== 'string') errors[`address.${k}`] = ['Must be a string.']
        else fields[k as keyof AddressFields] = v
      }
  } else if (!partial) errors.address = ['This field is required']
  if (!partial && !fields.country) errors['address.country'] = ['This field is required']
  let types: string[] | undefined
  if ('address_types' in body) {
    const v = body.address_types
    if (!Array.isArray(v) || v.some((t) => typeof t !== 'string' || !['billing', 'shipping'].includes(t)))
      errors.address_types = ['Must be an array of "billing"/"shipping".']
    else types = v as string[]
  }
  let isDefault: boolean | undefined
  if ('default_address' in body) {
    if (typeof body.default_address !== 'boolean' && body.default_address !== 1 && body.default_address !== 0)
      errors.default_address = ['Must be a boolean.']
    else isDefault = Boolean(body.default_address)
  }
  if (Object.keys(errors).length) throw unprocessable(errors)
  return { fields, types, isDefault }
}

function makeDefault(store: SimStore, address: ClientAddress): void {
  for (const other of store.clientAddresses(address.clientId)) {
    if (other.id !== address.id && other.isDefault) {
      other.isDefault = false
      store.stamp(other)
    }
  }
  address.isDefault = true
}

export function registerClients(router: Router): void {
  router.get('datatable-clients', (ctx) => ok(listResponse(ctx, clientsDef(ctx.store), ctx.store.clients.values())))
  router.get('datatable-clients/:id', (ctx) => {
    const c = ctx.store.getOr404(ctx.store.clients, ctx.params.id, 'Client')
    return single(pickFields(serializeClient(ctx.store, c), ctx.query.fields))
  })
  router.post('datatable-clients', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    const uuid = 'uuid' in body ? body.uuid : undefined
    if (uuid !== undefined && (typeof uuid !== 'string' || uuid.trim() === ''))
      throw unprocessable({ uuid: ['Must be a non-empty string.'] })
    const { patch, address } = parseClientFields(store, body)
    // documented upsert: POST with a known uuid updates that client
    const existingId = typeof uuid === 'string' ? store.clientsByUuid.get(uuid) : undefined
    if (existingId) {
      const client = store.clients.get(existingId)!
      applyClientFields(store, client, patch, address)
      return single(serializeClient(store, client), 200)
    }
    if (!patch.firstName && !patch.lastName && !patch.company) {
      throw unprocessable({ last_name: ['A first name, last name or company is required'] })
    }
    const t = store.now()
    const client: Client = {
      id: store.nextId(),
      uuid: typeof uuid === 'string' ? uuid : randomUUID(),
      firstName: '',
      lastName: '',
      company: null,
      email: null,
      phone: null,
      mobile: null,
      customerNumber: patch.customerNumber ?? store.nextCustomerNumber(),
      status: 'new',
      taxId: null,
      defaultPaymentMethod: null,
      sourceId: null,
      categories: [],
      created: t,
      updated: t
    }
    store.addClient(client)
    applyClientFields(store, client, patch, address)
    return single(serializeClient(store, client), 201)
  })
  router.patch('datatable-clients/:id', (ctx) => {
    const store = ctx.store
    const client = store.getOr404(store.clients, ctx.params.id, 'Client')
    const { patch, address } = parseClientFields(store, requireObject(ctx.body))
    applyClientFields(store, client, patch, address)
    return single(serializeClient(store, client))
  })

  router.get('client-address', (ctx) => {
    // legacy spelling ?client_id=123 also accepted
    if (typeof ctx.query.client_id === 'string') {
      ctx.query.filter = {
        ...(typeof ctx.query.filter === 'object' ? ctx.query.filter : {}),
        client: ctx.query.client_id
      }
    }
    return ok(listResponse(ctx, addressesDef(ctx.store), ctx.store.addresses.values()))
  })
  router.get('client-address/:id', (ctx) =>
    single(serializeAddress(ctx.store, ctx.store.getOr404(ctx.store.addresses, ctx.params.id, 'Address')))
  )
  router.post('client-address', (ctx) => {
    const store = ctx.store
    const body = requireObject(ctx.body)
    const clientId = idOf(body.client)
    if (!clientId) throw unprocessable({ client: ['This field is required'] })
    const client = store.clients.get(clientId)
    if (!client) throw unprocessable({ client: [`Client ${clientId} does not exist.`] })
    const { fields, types, isDefault } = parseAddressBody(body, false)
    const t = store.now()
    const address: ClientAddress = {
      id: store.nextId(),
      clientId,
      address: { ...emptyAddress(client), ...fields },
      types: types ?? ['billing', 'shipping'],
      isDefault: false,
      validated: false,
      created: t,
      updated: t
    }
    const first = store.clientAddresses(clientId).length === 0
    store.addAddress(address)
    if (isDefault || first) makeDefault(store, address)
    store.stamp(address)
    store.stamp(client)
    return single(serializeAddress(store, address), 201)
  })
  router.patch('client-address/:id', (ctx) => {
    const store = ctx.store
    const address = store.getOr404(store.addresses, ctx.params.id, 'Address')
    const { fields, types, isDefault } = parseAddressBody(requireObject(ctx.body), true)
    if (isDefault === false && address.isDefault)
      throw badRequest('Make another address the default instead of unsetting the default address.')
    Object.assign(address.address, fields)
    if (types) address.types = types
    if (isDefault) makeDefault(store, address)
    store.stamp(address)
    const client = store.clients.get(address.clientId)
    if (client) store.stamp(client)
    return single(serializeAddress(store, address))
  })
  router.delete('client-address/:id', (ctx) => {
    const store = ctx.store
    const address = store.getOr404(store.addresses, ctx.params.id, 'Address')
    const siblings = store.clientAddresses(address.clientId).filter((a) => a.id !== address.id)
    if (siblings.length === 0)
      throw badRequest("You cannot delete a client's default address if it's the only address.")
    store.removeAddress(address.id)
    if (address.isDefault) {
      const next = siblings.sort((a, b) => Number(a.id) - Number(b.id))[0]
      makeDefault(store, next)
      store.stamp(next)
    }
    const client = store.clients.get(address.clientId)
    if (client) store.stamp(client)
    // documented DELETE answer: {"data":[],"status":204} (HTTP 200 so the body survives)
    return ok({ data: [], status: 204 })
  })
}
