// "Docs-shaped" switches (POST /_sim/shapes): make the simulator answer only
// what Circuit's API docs show, where it otherwise adds our own extensions, and
// make /me answer at one of its two documented paths only. All off by default;
// /_sim/reset goes back to the simulator's start options.

import { badRequest, isObject, type Json } from '../circuit-server/http'

export type MeNotFound = 'versioned' | 'unversioned' | null

export interface Shapes {
  /** Orders without `credit_note_for` (an extension: the docs do not link a credit note to its order). */
  omitCreditNoteFor: boolean
  /** Phone cards without `staff`: ignored on POST, left out of every answer (the docs have no such field). */
  dropPhoneCardStaff: boolean
  /**
   * /me answers 404 at one of its paths: 'versioned' (README.txt's /api/v1.0/me) or
   * 'unversioned' (api-me.html's /api/me), as a server shaped like one of the docs would.
   */
  meNotFound: MeNotFound
}

export const DEFAULT_SHAPES: Shapes = { omitCreditNoteFor: false, dropPhoneCardStaff: false, meNotFound: null }

const FLAGS = ['omitCreditNoteFor', 'dropPhoneCardStaff'] as const
const ME_VALUES: readonly MeNotFound[] = ['versioned', 'unversioned', null]

/** Validate and merge a partial setting. Unknown keys or bad values -> 400, nothing changed. */
export function mergeShapes(current: Shapes, body: Json | undefined): Shapes {
  if (!isObject(body)) throw badRequest('Body must be a JSON object of shape switches.')
  const next: Shapes = { ...current }
  const errors: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(body)) {
    if ((FLAGS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') errors[key] = ['Must be true or false.']
      else next[key as (typeof FLAGS)[number]] = value
    } else if (key === 'meNotFound') {
      if (!ME_VALUES.includes(value as MeNotFound)) errors[key] = ['Must be "versioned", "unversioned" or null.']
      else next.meNotFound = value as MeNotFound
    } else errors[key] = [`Unknown shape switch. Known: ${[...FLAGS, 'meNotFound'].join(', ')}.`]
  }
  if (Object.keys(errors).length) throw badRequest('Invalid shape switches.', errors)
  return next
}
