// The podium's plain logic, kept out of the components so it is tested alone.
import type { PodiumLot } from '../../src-shared/contract'
import { lotSortKey } from '../../src-shared/lots'
import { parseMinor } from '../../src-shared/money'

export interface Totals {
  lots: number
  sold: number
  passed: number
  withdrawn: number
  left: number
  hammer: number
  /** Estimates of the sold lots, against which the hammer total is read. */
  low: number
  high: number
  /** Sold out of offered (sold + passed), in whole percent; null before any lot is offered. */
  sellThrough: number | null
}

export function totals(lots: readonly PodiumLot[], sessionId: string | null = null): Totals {
  const t: Totals = {
    lots: 0,
    sold: 0,
    passed: 0,
    withdrawn: 0,
    left: 0,
    hammer: 0,
    low: 0,
    high: 0,
    sellThrough: null
  }
  for (const l of lots) {
    if (sessionId !== null && l.sessionId !== sessionId) continue
    t.lots++
    if (l.status === 'sold') {
      t.sold++
      t.hammer += l.hammer ?? 0
      t.low += l.estimateLow ?? 0
      t.high += l.estimateHigh ?? 0
    } else if (l.status === 'unsold') t.passed++
    else if (l.status === 'withdrawn') t.withdrawn++
    else t.left++
  }
  const offered = t.sold + t.passed
  t.sellThrough = offered === 0 ? null : Math.round((t.sold / offered) * 100)
  return t
}

/** The lot typed in the jump box: exactly that lot, else the first lot at or after it in catalogue order. */
export function findLot(lots: readonly PodiumLot[], typed: string): number {
  const text = typed.trim().toUpperCase()
  if (!text) return -1
  const exact = lots.findIndex((l) => l.lot.toUpperCase() === text)
  if (exact >= 0) return exact
  const key = lotSortKey(text)
  return lots.findIndex((l) => lotSortKey(l.lot) >= key)
}

/** The next unclerked lot after `from` (wrapping to the first one left), or -1. */
export function nextUnclerked(lots: readonly PodiumLot[], from: number): number {
  for (let i = from + 1; i < lots.length; i++) if (lots[i].status === 'available') return i
  for (let i = 0; i <= from && i < lots.length; i++) if (lots[i].status === 'available') return i
  return -1
}

/** "850", "850.00", "1,250.50" → minor units; null when it is not an amount. */
export function parsePrice(text: string): number | null {
  const cleaned = text.replace(/[,\s£$€]/g, '')
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null
  return parseMinor(cleaned)
}

/**
 * Ctrl+Z belongs to the text when it is typed in a field that holds text (the
 * browser's own undo: a paddle half typed); only from an empty field, or from
 * no field, does it undo the last clerking action.
 */
export function ctrlZEditsText(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target instanceof HTMLTextAreaElement) return target.value !== ''
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type) && target.value !== ''
  return target.isContentEditable && (target.textContent ?? '') !== ''
}

const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'])
