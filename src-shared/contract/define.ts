// How a capability declares its calls. Each capability has one file in this
// folder; index.ts merges them and refuses a name declared twice.
import { z } from 'zod'

export interface CallSpec<S extends z.ZodType = z.ZodType, R = unknown> {
  input: S
  /** Changes data: listed as such on the web host and followed by a status refresh. */
  mutates: boolean
  /**
   * Runs in the core's write queue, one at a time. A call that talks to the
   * network (log-in) mutates but is not queued: a hammer never waits behind it.
   */
  queued: boolean
  summary: string
  /** Phantom: the result type, never set at run time. */
  result?: R
}

export function call<R>() {
  return <S extends z.ZodType>(
    input: S,
    opts: { mutates: boolean; summary: string; queued?: boolean }
  ): CallSpec<S, R> => ({
    input,
    mutates: opts.mutates,
    queued: opts.mutates && opts.queued !== false,
    summary: opts.summary
  })
}

export type CallTable = Record<string, CallSpec>

/** One table from the capabilities' tables; a name declared twice is a programming error. */
export function mergeCalls<T extends readonly CallTable[]>(...tables: T): UnionToIntersection<T[number]> {
  const out: CallTable = {}
  for (const t of tables) {
    for (const [name, spec] of Object.entries(t)) {
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new Error(`Call "${name}" is declared twice`)
      out[name] = spec
    }
  }
  return out as UnionToIntersection<T[number]>
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

export const noInput = z.object({}).strict()
/** A record id: Circuit's numeric ids, or a local id for a record made offline. */
export const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Must be an id (letters, digits, - or _).')
/**
 * No control characters (NUL, escape, line breaks…) in names and searches: they print as garbage and hide
 * text. Nor the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): U+202E makes
 * "Smith" read "htimS" and hides what a name really says.
 */
const NO_CONTROL = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u
/** One line of plain text: a name, a label. */
export const singleLine = (max: number) =>
  z.string().trim().min(1).max(max).regex(NO_CONTROL, 'Must not contain control characters.')
export const searchText = z.string().max(200).regex(NO_CONTROL, 'Must not contain control characters.')
/**
 * The largest amount any call takes: 10^11 minor units (1,000,000,000.00 in a
 * two-decimal currency). Far above any real hammer or payment, far below
 * where a keying slip (999,999,999,999) would be taken for money.
 */
export const MAX_MINOR = 100_000_000_000
/** Integer minor units (cents); never a float. */
export const minor = z
  .number()
  .int()
  .safe()
  .max(MAX_MINOR, 'Too large: an amount is at most 1,000,000,000.00 (100,000,000,000 minor units).')
/** The same at the podium and at checkout: a paddle typed on one is found on the other. */
export const PADDLE_MAX_LENGTH = 12
/** A bidder's paddle (bidder number): letters, digits and dashes. */
export const paddle = z
  .string()
  .trim()
  .min(1, 'Type a paddle.')
  .max(PADDLE_MAX_LENGTH, `A paddle is at most ${PADDLE_MAX_LENGTH} characters.`)
  .regex(/^[A-Za-z0-9-]+$/, 'A paddle is letters and digits.')
