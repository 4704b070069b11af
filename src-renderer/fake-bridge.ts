// For component tests: a bridge that answers from a table instead of a core,
// and the app-info and status every screen starts from.
import type { SaleroomBridge, StatusSnapshot } from '../src-shared/events'
import type { AppInfo } from '../src-shared/contract'

export const fakeInfo: AppInfo = {
  name: 'Saleroom',
  version: '1',
  host: 'web',
  dataDir: '/d',
  schemaVersion: 2,
  station: 'S',
  firstRun: false,
  damaged: null
}

export const fakeStatus: StatusSnapshot = {
  seq: 1,
  connection: 'online',
  demo: false,
  serverUrl: null,
  pending: 0,
  needsAttention: 0,
  conflicts: 0,
  oldestPendingAt: null,
  lastSyncAt: null,
  lastError: null,
  paused: null,
  backup: { folder: null, lastAt: null, lastError: null },
  diskFull: null,
  sendingHeld: null,
  lostEntries: [],
  via: { kind: 'direct' }
}

type Answer = unknown | ((input: Record<string, string> | undefined) => unknown)

/** Return one of these from an answer to make the call fail with that error. */
export class FakeError {
  constructor(readonly error: { code: string; message: string; fields?: Record<string, string[]> }) {}
}

/** Answers each call from `answers` (a value or a function of the input); records every call. */
export function fakeBridge(answers: Record<string, Answer>) {
  const calls: { name: string; input: Record<string, string> | undefined }[] = []
  const bridge: SaleroomBridge = {
    invoke: async (name, rawInput) => {
      const input = rawInput as Record<string, string> | undefined
      calls.push({ name, input })
      if (!(name in answers)) return { ok: false, error: { code: 'offline', message: `no fake for ${name}` } }
      const a = answers[name]
      const data = typeof a === 'function' ? a(input) : a
      if (data instanceof FakeError) return { ok: false, error: data.error }
      return { ok: true, data }
    },
    on: () => () => {}
  }
  return { bridge, calls }
}
