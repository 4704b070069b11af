// The one contract between the renderer and the core: every call, one file
// per capability, merged here. The preload, the ipcMain registration, the web
// host and the renderer's client are all derived from this table.
import type { z } from 'zod'
import { appCalls } from './app'
import { checkoutCalls } from './checkout'
import { clerkingCalls } from './clerking'
import { connectorsCalls } from './connectors'
import { consignorsCalls } from './consignors'
import { venueCalls } from './venue'
import { mergeCalls } from './define'
import { lookupCalls } from './lookup'
import { phoneCardCalls } from './phone-cards'
import { printingCalls } from './printing'
import { safetyNetCalls } from './safety-net'
import { settingsCalls } from './settings'
import { syncCalls } from './sync'
import { warehouseCalls, warehousePrintCalls } from './warehouse'

export * from '../events'
export * from './app'
export * from './checkout'
export * from './clerking'
export * from './connectors'
export * from './consignors'
export * from './lookup'
export * from './phone-cards'
export * from './printing'
export * from './safety-net'
export * from './settings'
export * from './sync'
export * from './venue'
export * from './warehouse'
export type { CallSpec } from './define'

export const calls = mergeCalls(
  appCalls,
  settingsCalls,
  lookupCalls,
  syncCalls,
  clerkingCalls,
  phoneCardCalls,
  safetyNetCalls,
  printingCalls,
  checkoutCalls,
  connectorsCalls,
  consignorsCalls,
  venueCalls,
  warehouseCalls,
  warehousePrintCalls
)

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>
export type CallResult<K extends CallName> = NonNullable<Calls[K]['result']>

export const CALL_NAMES = Object.keys(calls) as CallName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}
