// Station settings and the Circuit connection.
import { z } from 'zod'
import { call, id, minor, noInput, singleLine } from './define'

/** ISO 4217 codes as Intl knows them (Node and Chromium alike), so every code taken can be formatted. */
const CURRENCY_CODES = Intl.supportedValuesOf('currency') as [string, ...string[]]

/**
 * A kind of charge (Circuit's additional_charges terms) with the amount and
 * VAT rate the checkout fills in when it is added: the station's own when set
 * in Settings, else Circuit's term defaults (default_amount, default_vat).
 */
export interface ChargeDefault {
  termId: string
  label: string
  /** Minor units; null when neither the station nor Circuit gives one. */
  amount: number | null
  /** VAT in basis points (2000 = 20 %); null when none is given. */
  vatRateBp: number | null
  /** Where the figures come from. */
  source: 'station' | 'circuit' | 'none'
}

/** Text that may run over several lines (an address, terms): no control characters but line breaks and tabs. */
const multiLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .regex(/^(?:[^\p{Cc}]|\r?\n|\t)*$/u, 'Must not contain control characters other than line breaks.')

/** What the station keeps (key-value in its settings table). */
export interface StoredSettings {
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
  /** The house's terms of sale, printed on invoices (several lines). */
  termsText: string
  /** How to pay by bank transfer (bank, sort code, account, IBAN…), printed on invoices. */
  bankDetails: string
  /** Collection and shipping notes, printed on invoices. */
  collectionNotes: string
  /** A line or two at the foot of every invoice and receipt. */
  documentFooter: string
  /** Print each lot's consignment number on invoices (off by default: buyers need not see it). */
  printConsignmentNumbers: boolean
}

/** What settings.get and settings.update answer: the stored settings and what is made from Circuit's records. */
export interface Settings extends StoredSettings {
  /** Every kind of charge with the amount and VAT the checkout fills in (set per term through settings.update). */
  chargeDefaults: ChargeDefault[]
}

/** One kind of charge's defaults as the station sets them, or back to Circuit's. */
export const chargeDefaultInput = z.union([
  z
    .object({
      termId: id,
      amount: minor.nonnegative('A charge is not negative.').nullable(),
      vatRateBp: z.number().int().min(0).max(10_000, 'VAT is at most 100 %.').nullable()
    })
    .strict(),
  z.object({ termId: id, useCircuit: z.literal(true) }).strict()
])

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
        currencyCode: z.enum(CURRENCY_CODES, {
          error: 'A currency code of three capital letters, e.g. GBP, EUR, JPY.'
        }),
        termsText: multiLine(4000),
        bankDetails: multiLine(1000),
        collectionNotes: multiLine(2000),
        documentFooter: multiLine(400),
        printConsignmentNumbers: z.boolean(),
        chargeDefaults: z.array(chargeDefaultInput).max(100)
      })
      .partial()
      .strict(),
    {
      mutates: true,
      summary:
        'Change the station, the house on its documents, the paper texts (termsText, bankDetails, collectionNotes, documentFooter, printConsignmentNumbers) or the charge defaults per kind of charge'
    }
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
