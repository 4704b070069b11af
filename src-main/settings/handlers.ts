// Station settings and the Circuit connection. Logging in talks to the
// network, so it runs outside the write queue; only its result is recorded,
// in one local transaction.
import type { Settings } from '../../src-shared/contract'
import type { settingsCalls } from '../../src-shared/contract/settings'
import { AppError } from '../../src-shared/rpc'
import type { Actions } from '../core/action'
import type { HandlersFor } from '../core/dispatcher'
import type { CircuitGateway } from '../core/ports'
import { readSettings, settingsView, writeChargeDefaults, writeSettings } from '../core/settings'
import type { Replica } from '../db/replica'

export interface SettingsDeps {
  db: Replica
  actions: Actions
  circuit: CircuitGateway<unknown>
  /** Refuses a house logo file that documents could not use (printing's check, handed in by the composition root). */
  checkLogo: (file: string) => void
}

function pick<T extends object>(obj: T, keys: string[]): Partial<T> {
  const out: Partial<T> = {}
  for (const k of keys) if (k in obj) (out as Record<string, unknown>)[k] = (obj as Record<string, unknown>)[k]
  return out
}

export function settingsHandlers(deps: SettingsDeps): HandlersFor<typeof settingsCalls> {
  const { db, actions, circuit, checkLogo } = deps

  const recordServer = (action: string, url: string | null, email: string | null): Settings =>
    actions.run((tx) => {
      const before = readSettings(db)
      writeSettings(db, { circuitUrl: url, circuitEmail: email }, tx.now)
      tx.audit({
        action,
        entityType: 'settings',
        before: { circuitUrl: before.circuitUrl, circuitEmail: before.circuitEmail },
        after: { circuitUrl: url, circuitEmail: email }
      })
      tx.changed('settings', null)
      return settingsView(db)
    })

  return {
    'settings.get': () => settingsView(db),
    'settings.update': (input) => {
      if (input.houseLogoFile) checkLogo(input.houseLogoFile)
      const { chargeDefaults, ...patch } = input
      return actions.run((tx): Settings => {
        const before = readSettings(db)
        writeSettings(db, patch, tx.now)
        if (chargeDefaults) writeChargeDefaults(db, chargeDefaults, tx.now)
        // The audit names the user as they are after the change (a new user name signs its own change).
        tx.audit({
          action: 'settings.update',
          entityType: 'settings',
          before: pick(before, Object.keys(input)),
          after: input
        })
        tx.changed('settings', null)
        return settingsView(db)
      })
    },
    'circuit.connect': async ({ url, email, password }) => {
      try {
        await circuit.connect(url, email, password)
      } catch (err) {
        if (err instanceof AppError) throw err
        throw new AppError('circuit_error', err instanceof Error ? err.message : String(err))
      }
      return recordServer('circuit.connect', url, email)
    },
    'circuit.disconnect': async () => {
      await circuit.disconnect()
      return recordServer('circuit.disconnect', null, null)
    }
  }
}
