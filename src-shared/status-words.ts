// One word for each state, on every screen and in the audit log: the podium,
// the look-up, checkout and the Sync screen all read this table, so a lot that
// passed says "Passed" everywhere (never "unsold"), an order in process says
// "In process" (never "in_process").

/** How a state is shown: green when it is done and well, amber when it waits, red when a person must act. */
export type Tone = 'success' | 'warning' | 'error' | 'neutral'

export interface StatusWord {
  word: string
  tone: Tone
}

/** The kinds of record whose states have words. */
export type StatusKind = 'lot' | 'order' | 'orderType' | 'outbox' | 'sale' | 'copy'

const LOT: Record<string, StatusWord> = {
  available: { word: 'Not clerked', tone: 'neutral' },
  sold: { word: 'Sold', tone: 'success' },
  // Circuit spells a passed lot "unsold" or "passed"; at the rostrum it passes.
  unsold: { word: 'Passed', tone: 'neutral' },
  passed: { word: 'Passed', tone: 'neutral' },
  withdrawn: { word: 'Withdrawn', tone: 'neutral' },
  conflict: { word: 'Conflict', tone: 'error' }
}

const ORDER: Record<string, StatusWord> = {
  new: { word: 'New', tone: 'neutral' },
  in_process: { word: 'In process', tone: 'warning' },
  finished: { word: 'Finished', tone: 'success' },
  locked: { word: 'Locked', tone: 'neutral' },
  canceled: { word: 'Cancelled', tone: 'neutral' },
  cancelled: { word: 'Cancelled', tone: 'neutral' },
  paid: { word: 'Paid', tone: 'success' }
}

const ORDER_TYPE: Record<string, StatusWord> = {
  bidder: { word: 'Invoice', tone: 'neutral' },
  invoice: { word: 'Invoice', tone: 'neutral' },
  credit_note: { word: 'Credit note', tone: 'neutral' },
  consignor: { word: 'Consignor statement', tone: 'neutral' }
}

const OUTBOX: Record<string, StatusWord> = {
  pending: { word: 'Waiting', tone: 'warning' },
  in_flight: { word: 'Sending', tone: 'warning' },
  unknown: { word: 'Checking', tone: 'warning' },
  needs_attention: { word: 'Needs attention', tone: 'error' },
  conflict: { word: 'Conflict', tone: 'error' },
  done: { word: 'Sent', tone: 'success' },
  discarded: { word: 'Discarded', tone: 'neutral' }
}

const SALE: Record<string, StatusWord> = {
  published: { word: 'Published', tone: 'neutral' },
  unpublished: { word: 'Not published', tone: 'neutral' },
  draft: { word: 'Draft', tone: 'neutral' },
  open: { word: 'Open', tone: 'neutral' },
  live: { word: 'Live', tone: 'success' },
  closed: { word: 'Closed', tone: 'neutral' },
  finished: { word: 'Finished', tone: 'neutral' },
  archived: { word: 'Archived', tone: 'neutral' }
}

/** Why a copy of the database was taken (Settings → Safety net). */
const COPY: Record<string, StatusWord> = {
  'after-pull': { word: 'After a pull', tone: 'neutral' },
  shutdown: { word: 'At shut-down', tone: 'neutral' },
  clerking: { word: 'While clerking', tone: 'neutral' },
  'pre-migration': { word: 'Before an update', tone: 'neutral' },
  copy: { word: 'Copy', tone: 'neutral' }
}

export const STATUS_WORDS: Readonly<Record<StatusKind, Readonly<Record<string, StatusWord>>>> = {
  lot: LOT,
  order: ORDER,
  orderType: ORDER_TYPE,
  outbox: OUTBOX,
  sale: SALE,
  copy: COPY
}

/** "in_process" → "In process": an unknown code still reads as words, never as a code. */
function asWords(code: string): string {
  const text = code.replace(/[_-]+/g, ' ').trim()
  return text === '' ? '—' : text[0].toUpperCase() + text.slice(1).toLowerCase()
}

/** The word and tone for a state; a code the table does not know is spelled out in words, neutral. */
export function statusWord(kind: StatusKind, code: string | null | undefined): StatusWord {
  if (code === null || code === undefined || code === '') return { word: '—', tone: 'neutral' }
  return STATUS_WORDS[kind][code] ?? STATUS_WORDS[kind][code.toLowerCase()] ?? { word: asWords(code), tone: 'neutral' }
}

/** Just the word: "Passed", "In process", "Credit note". */
export function stateWord(kind: StatusKind, code: string | null | undefined): string {
  return statusWord(kind, code).word
}
