// The replica's tables as Kysely sees them. Booleans are honest 0 | 1, money
// is integer minor units, times are epoch ms (local) or ISO text (Circuit's).
import type { Generated, Selectable } from 'kysely'

export interface SettingsTable {
  key: string
  value: string
  updated_at: number
}

interface Synced {
  server_updated: string | null
  raw: string
}

export interface SalesTable extends Synced {
  id: string
  label: string
  sale_number: string | null
  sale_date: string | null
  status: string
  item_count: number | null
  venue: string | null
  lots_locked: 0 | 1
  buyers_premium: string | null
  pulled_at: number | null
}

export interface SaleSessionsTable extends Synced {
  id: string
  sale_id: string
  number: number
  date: string | null
  first_lot: string | null
  last_lot: string | null
  auctioneer: string | null
}

export interface ClientsTable extends Synced {
  id: string
  uuid: string | null
  first_name: string
  last_name: string
  company: string | null
  display_name: string
  email: string | null
  phone: string | null
  customer_number: string | null
  status: string
  /** JSON of CircuitAddress. */
  address: string | null
}

export interface ItemsTable extends Synced {
  id: string
  sale_id: string
  lot: string
  lot_number: number | null
  lot_letter: string
  lot_sort: string
  title: string
  description: string
  estimate_low: number | null
  estimate_high: number | null
  reserve: number | null
  opening_price: number | null
  hammer: number | null
  status: 'available' | 'sold' | 'unsold' | 'passed' | 'withdrawn'
  winner_client_id: string | null
  winner_paddle: string | null
  consignment_id: string | null
  consignor_name: string | null
  category: string | null
  location: string | null
}

export interface SaleBiddersTable extends Synced {
  id: string
  sale_id: string
  client_id: string
  paddle: string
  bidder_type: 'floor' | 'phone' | 'absentee' | 'online' | 'agent'
}

export interface PhoneBidderCardsTable extends Synced {
  id: string
  sale_id: string
  session_id: string | null
  client_id: string
  paddle: string | null
  phone: string | null
  staff: string | null
}

export interface PhoneCardLotsTable {
  card_id: string
  item_id: string
}

export interface OrdersTable {
  id: string
  server_id: string | null
  order_number: string | null
  provisional_number: string | null
  type: string
  status: string
  sale_id: string | null
  client_id: string | null
  customer_number: string | null
  grand_total: number | null
  amount_due: number | null
  payment_received: number | null
  created: string | null
  server_updated: string | null
  raw: string | null
  /** JSON CircuitInvoiceData: what the invoice prints from Circuit. */
  invoice: string | null
  owner_name: string | null
  /** A credit note's order: the one it credits (a local id until Circuit's replaces it). */
  credit_for: string | null
  /** Why the credit note was issued, as the cashier typed it. */
  credit_reason: string | null
  /** The order a provisional one was made from (split, reissue, credit note). */
  made_from: string | null
  /** Something the cashier should know about this order (a provisional credit note removed, and why). */
  notice: string | null
  /** Σ of Circuit's lines and charges (with tax) behind its grand_total when it sent it. */
  server_basis: number | null
}

export interface OrderLinesTable {
  order_id: string
  item_id: string
  lot: string | null
  description: string | null
  hammer: number | null
  premium: number | null
  tax_id: string | null
  tax: number | null
  consignment_number: string | null
}

export interface OrderChargesTable {
  id: Generated<number>
  order_id: string
  term_id: string | null
  label: string | null
  amount: number
  tax: number | null
  description: string | null
  date: string | null
  tax_rate_bp: number | null
}

export interface TransactionsTable {
  id: string
  server_id: string | null
  order_id: string
  type: string
  amount: number
  date: string | null
  card_type: string | null
  card_last4: string | null
  cheque_number: string | null
  cheque_date: string | null
  bank_id: string | null
  bank_name: string | null
  bank_account: string | null
  bank_branch: string | null
  info: string | null
  created: string | null
  server_updated: string | null
  raw: string | null
  /** When the payment was voided at the desk (epoch ms); a voided payment no longer counts as paid. */
  voided_at: number | null
  void_reason: string | null
  /** The station's own receipt number (R-DESK1-0001) until Circuit's transaction id is known. */
  receipt_number: string | null
}

export type Vocabulary =
  'payment_types' | 'bank_accounts' | 'additional_charges' | 'bid_steps' | 'tax_types' | 'vat_amounts'

export interface ReferenceTermsTable {
  vocabulary: Vocabulary
  id: string
  label: string
  attrs: string
  raw: string
}

export type OutboxState = 'pending' | 'in_flight' | 'unknown' | 'needs_attention' | 'conflict' | 'done' | 'discarded'
/** An entry in one of these is not settled: Circuit has not (yet) had the last word on it. */
export const OPEN_OUTBOX_STATES: readonly OutboxState[] = [
  'pending',
  'in_flight',
  'unknown',
  'needs_attention',
  'conflict'
]

export interface OutboxTable {
  seq: Generated<number>
  op_id: string
  entity_type: string
  entity_id: string
  op: string
  payload: string
  payload_version: number
  label: Generated<string>
  base_version: string | null
  depends_on: string | null
  state: Generated<OutboxState>
  attempts: Generated<number>
  next_attempt_at: number
  lease_until: number | null
  last_status: number | null
  last_error: string | null
  /** JSON: both versions when Circuit's record moved away from what this entry was based on. */
  conflict: string | null
  station: Generated<string>
  created_at: number
  sent_at: number | null
  acked_at: number | null
  /** SHA-256 (hex) of `payload` as written; null on entries written before migration 7. */
  payload_sha: string | null
}

export interface HubChangesTable {
  entity: string
  id: string
  seq: number
  deleted: 0 | 1
}

export interface IdempotencyKeysTable {
  key: string
  call: string
  input_hash: string
  /** The first call's answer (JSON), once it was answered. */
  result: string | null
  created_at: number
}

export interface PullSeenTable {
  sale_id: string
  entity: string
  id: string
}

export interface ClerkActionsTable {
  id: Generated<number>
  at: number
  station: string
  item_id: string
  action: string
  /** JSON ClerkState before and after. */
  before: string
  after: string
  audit_id: number
  undone_at: number | null
}

export interface IdMapTable {
  entity_type: string
  local_id: string
  server_id: string
  mapped_at: number
}

export interface SyncStateTable {
  key: string
  value: string
  updated_at: number
}

export interface AuditLogTable {
  id: Generated<number>
  at: number
  actor: string
  station: string
  action: string
  entity_type: string | null
  entity_id: string | null
  before: string | null
  after: string | null
  sale_id: string | null
}

export interface StaffTable {
  id: string
  name: string
  roles: string
  raw: string
}

export interface ConnectorLinksTable {
  /** 'fairwarning' (an import) or 'circuit' (a publish). */
  source: string
  source_id: string
  /** 'circuit' or 'bidlogix'. */
  target: string
  /** The Circuit sale (imports) or the Bidlogix auction (publishes). */
  scope: string
  lot: string
  target_id: string | null
  hash: string
  sent: string
  state: 'queued' | 'done' | 'sending' | 'published' | 'conflict'
  op_id: string | null
  job_id: string | null
  note: string | null
  created_at: number
  updated_at: number
}

export interface ConnectorConfigTable {
  connector: string
  value: string
  updated_at: number
}

export interface ConsignmentsTable {
  id: string
  sale_id: string | null
  owner_id: string | null
  /** "A-1" (current docs) or symbol + sub-symbol (legacy). */
  number: string | null
  label: string
  status: string
  /** The consignor's commission rate in basis points (1500 = 15 %); null when Circuit sent none. */
  commission_bp: number | null
  /** JSON [{from, commission, rateBp}]. */
  commission_steps: string
  payment_instructions: string | null
  owner_name: string | null
  customer_number: string | null
  total_hammer: number | null
  item_count: number | null
  server_updated: string | null
  raw: string
}

export interface ConsignmentStatementsTable {
  consignment_id: string
  sale_id: string
  owner_id: string | null
  order_number: string | null
  status: string
  /** Circuit's hammer − commission − charges for the consignment. */
  total: number | null
  actually_paid: number | null
  received_from_buyers: number | null
  consignor_label: string | null
  customer_number: string | null
  raw: string
}

export interface ConsignorRunsTable {
  id: string
  sale_id: string
  bank_account_id: string
  at: number
  station: string
  actor: string
  report_path: string | null
  report_pages: number | null
  positive_pay_path: string | null
  problem: string | null
}

export interface ConsignorRunLinesTable {
  run_id: string
  position: number
  client_id: string
  name: string
  payee: string
  order_number: string | null
  amount: number
  outcome: 'paid' | 'skipped' | 'failed'
  reason: string | null
  transaction_id: string | null
  /** JSON list of strings. */
  instructions: string
}

/**
 * A lot handed out at the collection desk: one lot of one release (key: release_id + item_id).
 * Shared with the other stations through a venue hub; never sent to Circuit. Two stations cut off
 * from each other may both release a lot: both rows are kept, the desk shows the first.
 */
export interface CollectionsTable {
  item_id: string
  sale_id: string
  release_id: string
  client_id: string | null
  paddle: string | null
  lot: string
  collected_by: string
  note: string | null
  confirmed_reason: string | null
  released_by: string
  station: string
  at: number
}

export interface ShipmentsTable {
  id: string
  server_id: string | null
  sale_id: string | null
  order_id: string
  method: string
  tracking_number: string | null
  cost: number | null
  weight_grams: number | null
  length_mm: number | null
  width_mm: number | null
  height_mm: number | null
  status: string | null
  created_at: number
  server_updated: string | null
  raw: string | null
}

export interface ShipmentItemsTable {
  shipment_id: string
  item_id: string
}

export interface ShippingBoxesTable {
  id: string
  server_id: string | null
  sale_id: string | null
  order_id: string
  box_number: number
  weight_grams: number | null
  length_mm: number | null
  width_mm: number | null
  height_mm: number | null
  /** JSON array of item ids. */
  items: string
  created_at: number
  server_updated: string | null
  raw: string | null
}

export interface ShippingAreasTable {
  id: string
  label: string
  description: string | null
  base_rate: number | null
  raw: string
}

/** A cheque issued or voided, by bank account and number (migration 5): the register never reuses a number. */
export interface ChequeRegisterTable {
  bank_account_id: string
  number: number
  transaction_id: string | null
  payee: string | null
  amount: number | null
  state: 'issued' | 'void'
  void_reason: string | null
  at: number
}

/** The next cheque number of each bank account, as the office set it. */
export interface ChequeAccountsTable {
  bank_account_id: string
  next_number: number
}

export interface Database {
  settings: SettingsTable
  cheque_register: ChequeRegisterTable
  cheque_accounts: ChequeAccountsTable
  sales: SalesTable
  sale_sessions: SaleSessionsTable
  clients: ClientsTable
  items: ItemsTable
  sale_bidders: SaleBiddersTable
  phone_bidder_cards: PhoneBidderCardsTable
  phone_card_lots: PhoneCardLotsTable
  staff: StaffTable
  orders: OrdersTable
  order_lines: OrderLinesTable
  order_charges: OrderChargesTable
  transactions: TransactionsTable
  reference_terms: ReferenceTermsTable
  outbox: OutboxTable
  id_map: IdMapTable
  sync_state: SyncStateTable
  audit_log: AuditLogTable
  clerk_actions: ClerkActionsTable
  pull_seen: PullSeenTable
  idempotency_keys: IdempotencyKeysTable
  hub_changes: HubChangesTable
  connector_links: ConnectorLinksTable
  connector_config: ConnectorConfigTable
  consignments: ConsignmentsTable
  consignment_statements: ConsignmentStatementsTable
  consignor_runs: ConsignorRunsTable
  consignor_run_lines: ConsignorRunLinesTable
  collections: CollectionsTable
  shipments: ShipmentsTable
  shipment_items: ShipmentItemsTable
  shipping_boxes: ShippingBoxesTable
  shipping_areas: ShippingAreasTable
}

export type ItemRow = Selectable<ItemsTable>
export type OutboxRow = Selectable<OutboxTable>
export type AuditRow = Selectable<AuditLogTable>
export type ConnectorLinkRow = Selectable<ConnectorLinksTable>
