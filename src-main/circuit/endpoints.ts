// The endpoint table. Each entry: method, absolute path template, response
// shape, row decoder, and where the contract comes from:
//   documented – in the current HTML docs (or both generations)
//   legacy     – only in the older Markdown README ([C-old]); may still be live
//   assumed    – undocumented; shape taken from Circuit's own shipped clients or guessed
//
// Shapes: list    → {data:[row…], count, next{href}}
//         single  → {data:[row]} or {data:{row}} (emptyOk: 204 / {data:[]} → null)
//         command → {data:{…}} (or the bare object)
//         ack     → anything (DELETE bodies such as {data:[],status:204})

import {
  ackDecoder,
  bidderDecoder,
  cancelAndReissueDecoder,
  chequeDecoder,
  clientAddressDecoder,
  clientDecoder,
  consignmentDecoder,
  consignmentStatementDecoder,
  creditNoteDecoder,
  deleteWinningBidDecoder,
  itemsBulkDecoder,
  itemDecoder,
  itemDimensionsDecoder,
  itemLotDecoder,
  meDecoder,
  orderDecoder,
  orderSplitDecoder,
  phoneCardDecoder,
  saleroomReleaseDecoder,
  staffDecoder,
  type RowDecoder,
  saleDecoder,
  sessionDecoder,
  shipmentDecoder,
  shippingAreaDecoder,
  shippingBoxDecoder,
  termDecoder,
  transactionDecoder
} from './decoders'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'
export type Shape = 'list' | 'single' | 'command' | 'ack'
/** `saleroom`: served by a Saleroom venue hub only, never by Circuit (a station sends it to its hub alone). */
export type Provenance = 'documented' | 'assumed' | 'legacy' | 'saleroom'

export interface EndpointDef<T, S extends Shape = Shape> {
  method: HttpMethod
  /** Absolute path; `{id}` placeholders are filled and percent-encoded. */
  path: string
  shape: S
  decoder: RowDecoder<T>
  status: Provenance
  /** single: a 204 or `{data:[]}` is accepted and yields null. */
  emptyOk?: boolean
  note: string
}

const V = '/api/v1.0'
const ep = <T, S extends Shape>(d: EndpointDef<T, S>): EndpointDef<T, S> => d

export const TERM_VOCABULARIES = [
  'payment_types',
  'bank_accounts',
  'additional_charges',
  'bid_steps',
  'tax_types',
  'vat_amounts'
] as const
export type TermVocabulary = (typeof TERM_VOCABULARIES)[number]

const term = (vocab: TermVocabulary) =>
  ep({
    method: 'GET',
    path: `${V}/${vocab}`,
    shape: 'list',
    decoder: termDecoder,
    status: 'documented',
    note: `taxonomy ${vocab}: {data:[{id,label,…}],count}`
  })

export const endpoints = {
  // Two documented places: README.txt's GET /api/v1.0/me (asked first) and api-me.html's
  // /api/me (with config.currency). client.me() falls back from one to the other on a 404.
  me: ep({
    method: 'GET',
    path: `${V}/me`,
    shape: 'single',
    decoder: meDecoder,
    status: 'documented',
    note: 'README.txt "Get Current User (Me)": {id,name,email,roles,permissions}; config.currency when the server sends it'
  }),
  'me.unversioned': ep({
    method: 'GET',
    path: '/api/me',
    shape: 'single',
    decoder: meDecoder,
    status: 'documented',
    note: 'api-me.html (current user, roles, config.currency); asked when /api/v1.0/me answers 404'
  }),

  'sales.list': ep({
    method: 'GET',
    path: `${V}/datatable-sales`,
    shape: 'list',
    decoder: saleDecoder,
    status: 'documented',
    note: 'sales/list.html'
  }),
  'sales.get': ep({
    method: 'GET',
    path: `${V}/datatable-sales/{id}`,
    shape: 'single',
    decoder: saleDecoder,
    status: 'documented',
    note: 'sales/get.html'
  }),
  'sessions.list': ep({
    method: 'GET',
    path: `${V}/sale-sessions`,
    shape: 'list',
    decoder: sessionDecoder,
    status: 'legacy',
    note: 'named in current docs without a shape; row shape from the legacy README (filter[sale])'
  }),

  'items.list': ep({
    method: 'GET',
    path: `${V}/datatable-items`,
    shape: 'list',
    decoder: itemDecoder,
    status: 'documented',
    note: 'items/list.html; default fields are only display_id,lot,status, so the client asks for a field list'
  }),
  'items.get': ep({
    method: 'GET',
    path: `${V}/datatable-items/{id}`,
    shape: 'single',
    decoder: itemDecoder,
    status: 'documented',
    note: 'items/get.html'
  }),
  'items.patch': ep({
    method: 'PATCH',
    path: `${V}/datatable-items/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: itemDecoder,
    status: 'documented',
    note: 'items/update.html: Item History fields (field_sold_for_amount in cents, field_winner_bidder, field_bidder_alias, field_sold_status, field_withdrawn)'
  }),
  'items.deleteWinningBid': ep({
    method: 'DELETE',
    path: `${V}/delete-winning-bid/{id}`,
    shape: 'command',
    decoder: deleteWinningBidDecoder,
    status: 'legacy',
    note: 'legacy README: → {success,item_id,previous_winner,previous_hammer_price}'
  }),
  'items.bulk': ep({
    method: 'POST',
    path: `${V}/items-bulk`,
    shape: 'command',
    decoder: itemsBulkDecoder,
    status: 'legacy',
    note: 'README.txt: {operation:"update_status", items[], values{status}}; the answer is not documented (assumed {operation, updated, items}). Clerking withdraws with PATCH field_withdrawn instead (clerking-ops.ts)'
  }),
  'items.lots': ep({
    method: 'GET',
    path: `${V}/items-lots`,
    shape: 'list',
    decoder: itemLotDecoder,
    status: 'legacy',
    note: 'legacy README: ?sale= → [{id,lot,position}] (no count)'
  }),

  'consignments.list': ep({
    method: 'GET',
    path: `${V}/datatable-consignments`,
    shape: 'list',
    decoder: consignmentDecoder,
    status: 'documented',
    note: 'datatable-consignments page (estimated/insurance_value in cents, consignor_commission_steps "15%", payment_instructions); legacy README shape (symbol, consignor_commission "15.00", total_hammer_price decimal string) also accepted'
  }),
  'consignmentStatements.list': ep({
    method: 'GET',
    path: `${V}/datatable-consignment-statements`,
    shape: 'list',
    decoder: consignmentStatementDecoder,
    status: 'legacy',
    note: 'legacy README: filter[sale|owner|status|customer_number] → {consignment_id,customer_number,consignor_label,order_id,status,owner_email,total,actually_paid,received_from_buyers}'
  }),

  'clients.list': ep({
    method: 'GET',
    path: `${V}/datatable-clients`,
    shape: 'list',
    decoder: clientDecoder,
    status: 'documented',
    note: 'clients/list.html'
  }),
  'clients.get': ep({
    method: 'GET',
    path: `${V}/datatable-clients/{id}`,
    shape: 'single',
    decoder: clientDecoder,
    status: 'documented',
    note: 'clients/get.html'
  }),
  'clients.create': ep({
    method: 'POST',
    path: `${V}/datatable-clients`,
    shape: 'single',
    decoder: clientDecoder,
    status: 'documented',
    note: 'clients/create.html; with `uuid` it is an upsert'
  }),
  'clients.patch': ep({
    method: 'PATCH',
    path: `${V}/datatable-clients/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: clientDecoder,
    status: 'documented',
    note: 'clients/update.html'
  }),

  'addresses.list': ep({
    method: 'GET',
    path: `${V}/client-address`,
    shape: 'list',
    decoder: clientAddressDecoder,
    status: 'documented',
    note: 'addresses: filter[client]'
  }),
  'addresses.get': ep({
    method: 'GET',
    path: `${V}/client-address/{id}`,
    shape: 'single',
    decoder: clientAddressDecoder,
    status: 'documented',
    note: 'addresses/get'
  }),
  'addresses.create': ep({
    method: 'POST',
    path: `${V}/client-address`,
    shape: 'single',
    decoder: clientAddressDecoder,
    status: 'documented',
    note: 'addresses/create'
  }),
  'addresses.patch': ep({
    method: 'PATCH',
    path: `${V}/client-address/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: clientAddressDecoder,
    status: 'documented',
    note: 'addresses/update'
  }),
  'addresses.delete': ep({
    method: 'DELETE',
    path: `${V}/client-address/{id}`,
    shape: 'ack',
    decoder: ackDecoder,
    status: 'documented',
    note: '→ {data:[],status:204}; the only default address cannot be deleted'
  }),

  'bidders.list': ep({
    method: 'GET',
    path: `${V}/bidder_ids`,
    shape: 'list',
    decoder: bidderDecoder,
    status: 'assumed',
    note: 'undocumented (used by Circuit UI with sale_uuid); ASSUMED ?filter[sale]=ID → {id,sale,client,bidder_number,bidder_type,live_credit,updated}'
  }),

  'phoneCards.list': ep({
    method: 'GET',
    path: `${V}/phone_bidder_cards`,
    shape: 'list',
    decoder: phoneCardDecoder,
    status: 'documented',
    note: 'messages.html: filter[sale_id], filter[session_id]'
  }),
  'phoneCards.upsert': ep({
    method: 'POST',
    path: `${V}/phone_bidder_cards`,
    shape: 'single',
    emptyOk: true,
    decoder: phoneCardDecoder,
    status: 'documented',
    note: 'upsert per client+session'
  }),
  'phoneCards.delete': ep({
    method: 'DELETE',
    path: `${V}/phone_bidder_cards`,
    shape: 'ack',
    decoder: ackDecoder,
    status: 'documented',
    note: 'body {id} or {ids:[…]}'
  }),
  'staff.list': ep({
    method: 'GET',
    path: `${V}/staff`,
    shape: 'list',
    decoder: staffDecoder,
    status: 'assumed',
    note: 'endpoint listed (FIELD-NOTES: staff /staff, /staff/{id}); row shape ASSUMED {id,name,roles[]}'
  }),
  'sessionPhoneCards.list': ep({
    method: 'GET',
    path: `${V}/sale-session-phone-bidders-card`,
    shape: 'list',
    decoder: phoneCardDecoder,
    status: 'assumed',
    note: 'documented by name only ("phone bidder cards per sale session", legacy filter[session]); row shape assumed = phone_bidder_cards'
  }),

  'orders.list': ep({
    method: 'GET',
    path: `${V}/orders`,
    shape: 'list',
    decoder: orderDecoder,
    status: 'documented',
    note: 'orders/list.html'
  }),
  'orders.get': ep({
    method: 'GET',
    path: `${V}/orders/{id}`,
    shape: 'single',
    decoder: orderDecoder,
    status: 'documented',
    note: 'orders/get.html (invoice_data lines, additional_charges)'
  }),
  'orders.create': ep({
    method: 'POST',
    path: `${V}/orders`,
    shape: 'single',
    emptyOk: true,
    decoder: orderDecoder,
    status: 'documented',
    note: 'orders/create.html'
  }),
  'orders.patch': ep({
    method: 'PATCH',
    path: `${V}/orders/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: orderDecoder,
    status: 'documented',
    note: 'orders/update.html'
  }),
  'orders.split': ep({
    method: 'PATCH',
    path: `${V}/order-split`,
    shape: 'command',
    decoder: orderSplitDecoder,
    status: 'documented',
    note: '{order,items[]} → {new_order_id,original_order_id,moved_items[]}; may merge into an open order'
  }),
  'orders.createCreditNote': ep({
    method: 'POST',
    path: `${V}/order-create-credit-note/{id}`,
    shape: 'command',
    decoder: creditNoteDecoder,
    status: 'documented',
    note: '{items[]} (≤100; finished/locked orders) → {credit_note_order_nid}'
  }),
  'orders.cancelAndReissue': ep({
    method: 'POST',
    path: `${V}/order-cancel-and-reissue/{id}`,
    shape: 'command',
    decoder: cancelAndReissueDecoder,
    status: 'documented',
    note: 'locked orders only → {new_order_nid,credit_note_nid}'
  }),

  'transactions.list': ep({
    method: 'GET',
    path: `${V}/transactions`,
    shape: 'list',
    decoder: transactionDecoder,
    status: 'documented',
    note: 'transactions/list.html'
  }),
  'transactions.get': ep({
    method: 'GET',
    path: `${V}/transactions/{id}`,
    shape: 'single',
    decoder: transactionDecoder,
    status: 'assumed',
    note: 'not in the docs (list, create, PATCH/DELETE are): the read of one transaction every Drupal RESTful resource has; 404 once deleted'
  }),
  'transactions.create': ep({
    method: 'POST',
    path: `${V}/transactions`,
    shape: 'single',
    decoder: transactionDecoder,
    status: 'documented',
    note: 'transactions/create.html → {id,order,transaction_type,amount,created}'
  }),
  'transactions.patch': ep({
    method: 'PATCH',
    path: `${V}/transactions/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: transactionDecoder,
    status: 'legacy',
    note: 'legacy README {amount,info}'
  }),
  'transactions.delete': ep({
    method: 'DELETE',
    path: `${V}/transactions/{id}`,
    shape: 'ack',
    decoder: ackDecoder,
    status: 'legacy',
    note: 'legacy README "Delete Transaction"; errors.html: 204 No Content'
  }),
  'cheques.generate': ep({
    method: 'POST',
    path: `${V}/generate-cheque`,
    shape: 'command',
    decoder: chequeDecoder,
    status: 'documented',
    note: 'current {transaction_id} → {cheque_url}; legacy {id} → {transaction_id,cheque_url,illustrated_cheque_url}'
  }),

  'shipments.list': ep({
    method: 'GET',
    path: `${V}/shipments`,
    shape: 'list',
    decoder: shipmentDecoder,
    status: 'documented',
    note: 'README.txt "List Shipments": filter[order], filter[status]; row shape = the create body + id, status, created, updated (assumed)'
  }),
  'shipments.create': ep({
    method: 'POST',
    path: `${V}/shipments`,
    shape: 'single',
    emptyOk: true,
    decoder: shipmentDecoder,
    status: 'documented',
    note: 'README.txt "Create Shipment": {order,items[],shipping_method,tracking_number,shipping_cost,weight,dimensions{length,width,height,unit}}; the answer is not documented (assumed: the row)'
  }),
  'shippingBoxes.list': ep({
    method: 'GET',
    path: `${V}/shipping-box`,
    shape: 'list',
    decoder: shippingBoxDecoder,
    status: 'assumed',
    note: 'not documented (only POST is): the list a Drupal RESTful resource has, filter[order]'
  }),
  'shippingBoxes.create': ep({
    method: 'POST',
    path: `${V}/shipping-box`,
    shape: 'single',
    emptyOk: true,
    decoder: shippingBoxDecoder,
    status: 'legacy',
    note: 'legacy README "Create Shipping Box" (create or update, keyed by order + box_number): {order,items[],box_number,weight,dimensions:"30x20x15cm"}; answer assumed'
  }),
  'shippingAreas.list': ep({
    method: 'GET',
    path: `${V}/shipping-areas`,
    shape: 'list',
    decoder: shippingAreaDecoder,
    status: 'legacy',
    note: 'legacy README "Shipping Areas": {id,label,description,base_rate}; FIELD-NOTES §2.8 lists the taxonomy'
  }),

  'terms.payment_types': term('payment_types'),
  'terms.bank_accounts': term('bank_accounts'),
  'terms.additional_charges': term('additional_charges'),
  'terms.bid_steps': term('bid_steps'),
  'terms.tax_types': term('tax_types'),
  'terms.vat_amounts': term('vat_amounts'),

  // ---- item creation (connectors: lots imported from FairWarning) ----
  'items.create': ep({
    method: 'POST',
    path: `${V}/datatable-items`,
    shape: 'single',
    emptyOk: true,
    decoder: itemDecoder,
    status: 'documented',
    note: 'FIELD-NOTES §2.4: POST datatable-items?sale_id= creates an item, consignment required (items/create.html); body fields assumed to be those the list shows'
  }),
  'itemDimensions.list': ep({
    method: 'GET',
    path: `${V}/item-dimensions`,
    shape: 'list',
    decoder: itemDimensionsDecoder,
    status: 'documented',
    note: 'README.txt Item Dimensions: GET ?filter[item]= (row shape assumed: id, item, height, width, depth, weight, unit)'
  }),
  'itemDimensions.patch': ep({
    method: 'PATCH',
    path: `${V}/item-dimensions/{id}`,
    shape: 'single',
    emptyOk: true,
    decoder: itemDimensionsDecoder,
    status: 'documented',
    note: 'README.txt Item Dimensions: PATCH {height, width, depth, weight, unit} as strings; no create is documented'
  }),
  // ---- a Saleroom venue hub's own records (never Circuit's) ----
  'collections.list': ep({
    method: 'GET',
    path: `${V}/saleroom-collections`,
    shape: 'list',
    decoder: saleroomReleaseDecoder,
    status: 'saleroom',
    note: "a venue hub's releases at the collection desk (filter[id|sale|updated]); Circuit has no collections"
  }),
  'collections.create': ep({
    method: 'POST',
    path: `${V}/saleroom-collections`,
    shape: 'single',
    decoder: saleroomReleaseDecoder,
    status: 'saleroom',
    note: 'a venue hub records a release keyed by its id (a replay answers the release as it is: 200, not 201)'
  }),
  'categories.list': ep({
    method: 'GET',
    path: `${V}/categories`,
    shape: 'list',
    decoder: termDecoder,
    status: 'documented',
    note: 'README.txt Taxonomy Terms: categories {id,label,parent,weight}'
  })
} as const

export type Endpoints = typeof endpoints
export type EndpointKey = keyof Endpoints
export type RowOf<K extends EndpointKey> = Endpoints[K] extends EndpointDef<infer T, Shape> ? T : never
export type ListEndpointKey = { [K in EndpointKey]: Endpoints[K]['shape'] extends 'list' ? K : never }[EndpointKey]

/** Name used in decode messages: the resource segment ("datatable-items"). */
export function resourceName(def: EndpointDef<unknown>): string {
  const p = def.path.replace(/^\/api\/(v1\.0\/)?/, '')
  return p.split('/')[0] || p
}
