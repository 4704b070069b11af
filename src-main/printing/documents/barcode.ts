// Code 128 barcodes drawn as vector bars. The symbol (start code, code sets,
// check character, stop) is encoded by bwip-js, a maintained barcode library;
// this file only turns its bar and space widths into rectangles, so the bars
// stay sharp at any printer's resolution.
import bwipjs from 'bwip-js/node'
import { AppError } from '../../../src-shared/rpc'
import type { Doc } from '../pdf'

/** Code 128 asks for a quiet zone of at least ten modules on each side. */
export const QUIET_ZONE_MODULES = 10

/** The symbol's bar and space widths in modules, bar first. */
export function code128Modules(text: string): number[] {
  let encoded: { sbs?: number[] }[]
  try {
    // The linear form of raw(): each row's bar and space widths ("sbs").
    encoded = bwipjs.raw({ bcid: 'code128', text }) as unknown as { sbs?: number[] }[]
  } catch {
    throw new AppError('invalid_input', `"${text}" cannot be printed as a Code 128 barcode.`)
  }
  const first = encoded[0]
  if (!first?.sbs?.length) throw new AppError('invalid_input', `"${text}" gave no Code 128 barcode.`)
  return first.sbs
}

export interface BarcodeBox {
  x: number
  y: number
  /** The room across, quiet zones included; the symbol is centred in it. */
  width: number
  height: number
  /** The widest a module may be drawn (points); a short lot number is not stretched beyond it. */
  maxModule?: number
}

/** Draws the lot number's Code 128 symbol centred in the box; returns the module width used. */
export function drawCode128(doc: Doc, text: string, box: BarcodeBox): number {
  const widths = code128Modules(text)
  const modules = widths.reduce((a, b) => a + b, 0)
  const module = Math.min(box.maxModule ?? 2, box.width / (modules + 2 * QUIET_ZONE_MODULES))
  let x = box.x + (box.width - modules * module) / 2
  doc.save()
  doc.fillColor('#000000')
  widths.forEach((w, i) => {
    // Even places are bars, odd places spaces.
    if (i % 2 === 0) doc.rect(x, box.y, w * module, box.height)
    x += w * module
  })
  doc.fill()
  doc.restore()
  return module
}
