// Public surface of the Circuit API client.
export { createCircuitClient, DEFAULT_ITEM_FIELDS } from './client'
export type {
  CircuitApiClient,
  CircuitClientOptions,
  Page,
  ListAllOptions,
  CallOptions,
  ItemHistoryPatch,
  ChargeInput,
  OrderCreateInput,
  OrderPatchInput,
  TransactionInput,
  TransactionPatchInput,
  PhoneCardInput,
  OrderCriteria,
  ShipmentInput,
  ShippingBoxInput,
  ItemCreateInput,
  ItemFieldsInput,
  ItemDimensionsInput
} from './client'
export type { AuthFlow, TokenTransport, Credentials, CredentialsProvider, AccessToken } from './auth'
export { createFileSecretStore, createMemorySecretStore, type SecretStore } from './secret-store'
export * from './errors'
export {
  endpoints,
  TERM_VOCABULARIES,
  type EndpointKey,
  type ListEndpointKey,
  type RowOf,
  type TermVocabulary,
  type Provenance
} from './endpoints'
export { encodeQuery, type CircuitQuery, type FilterSpec } from './query'
export { normaliseTransactionType, type DecodeContext } from './decoders'
export { DEFAULT_MAX_RESPONSE_BYTES, MAX_JSON_DEPTH } from './http'
export * from './decode-primitives'
export type * from './records'
export type * from './types'
