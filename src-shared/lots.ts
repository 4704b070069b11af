// Lot numbers are a number and an optional letter ("269A"). Catalogue order is
// numeric on the number, then the letter: 27 < 269 < 269A < 270.

export interface LotParts {
  number: number | null
  letter: string
}

const LOT_RE = /^\s*(\d{1,9})\s*([A-Za-z]{0,3})\s*$/

export function parseLot(lot: string): LotParts {
  const m = LOT_RE.exec(lot)
  if (!m) return { number: null, letter: lot.trim().toUpperCase() }
  return { number: Number(m[1]), letter: m[2].toUpperCase() }
}

/** A text key whose plain string order is catalogue order. Unnumbered lots sort last. */
export function lotSortKey(lot: string): string {
  const { number, letter } = parseLot(lot)
  if (number === null) return `~${letter}`
  return number.toString().padStart(9, '0') + letter
}

export function compareLots(a: string, b: string): number {
  const ka = lotSortKey(a)
  const kb = lotSortKey(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/**
 * "12, 15-18 40A" → ["12", "15-18", "40A"]: lots and ranges as typed on a
 * phone card (the way Circuit's call requests take them). Spaces around a
 * dash belong to the range; commas, semicolons and spaces separate.
 */
export function splitLotList(text: string): string[] {
  return text
    .replace(/\s*[-–]\s*/g, '-')
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
}
