// Station settings and the Circuit connection.
import { z } from 'zod'
import { call, noInput, singleLine } from './define'

/** ISO 4217 codes as Intl knows them (Node and Chromium alike), so every code taken can be formatted. */
const CURRENCY_CODES = Intl.supportedValuesOf('currency') as [string, ...string[]]

export interface Settings {
  stationName: string
  userName: string
  circuitUrl: string | null
  circuitEmail: string | null
  currencySymbol: string
  /** The house's currency (ISO 4217), used until Circuit's own arrives with a pull. */
  currencyCode: string
  /** The second folder the database is copied to while clerking (another disk, a share); null: none. */
  backupFolder: string | null
  backupEveryMinutes: number
  backupKeep: number
  /** Printed at the head of invoices and receipts. */
  houseName: string
  houseAddress: string
  houseVatNumber: string | null
  /** A PNG file on this station, printed top left. */
  houseLogoFile: string | null
}

export const settingsCalls = {
  'settings.get': call<Settings>()(noInput, { mutates: false, summary: 'Station settings' }),
  'settings.update': call<Settings>()(
    z
      .object({
        stationName: singleLine(60),
        userName: singleLine(60),
        houseName: singleLine(120),
        houseAddress: z
          .string()
          .trim()
          .max(400)
          .regex(/^(?:[^\p{Cc}]|\r?\n)*$/u, 'Must not contain control characters other than line breaks.'),
        houseVatNumber: singleLine(40).nullable(),
        houseLogoFile: singleLine(400).nullable(),
        currencyCode: z.enum(CURRENCY_CODES, { error: 'A currency code of three capital letters, e.g. GBP, EUR, JPY.' })
      })
      .partial()
      .strict(),
    { mutates: true, summary: 'Change station name or user name' }
  ),
  'circuit.connect': call<Settings>()(
    z
      .object({
        url: z.string().trim().url().max(300),
        email: singleLine(200),
        password: z.string().min(1).max(200)
      })
      .strict(),
    // Logs in over the network outside the write queue, then records the result in one local transaction.
    { mutates: true, queued: false, summary: 'Log in to a Circuit server (the password is not stored)' }
  ),
  'circuit.disconnect': call<Settings>()(noInput, {
    mutates: true,
    queued: false,
    summary: 'Forget the Circuit server and token; go back to demo mode'
  })
} as const
