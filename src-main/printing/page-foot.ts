// The foot of every page: "Page N of M" and the document's label, and above
// them the house's footer from Settings when it takes at most two lines.
import { MUTED, SIZE, contentBox, textAt, textHeight } from './layout'
import type { Doc } from './pdf'

const FOOT_STYLE = { size: SIZE.small, color: MUTED } as const
/** The house's footer (Settings) prints in the page foot when it takes at most this many lines. */
const FOOT_LINES = 2

/** Whether the house's footer fits in the foot of every page (else it prints after the document's last line). */
export function footerFitsPageFoot(doc: Doc, footer: string): boolean {
  const { width } = contentBox(doc)
  const line = textHeight(doc, 'Ag', width, FOOT_STYLE)
  return textHeight(doc, footer.trim(), width, FOOT_STYLE) <= FOOT_LINES * line + 0.5
}

/**
 * "Page N of M" (and a label) at the foot of every page; needs bufferPages. A short house footer (Settings, at
 * most two lines) prints centred above them.
 */
export function drawPageFooters(doc: Doc, label: string, houseFooter = ''): void {
  const { start, count } = doc.bufferedPageRange()
  const footer = houseFooter.trim()
  const inFoot = footer !== '' && footerFitsPageFoot(doc, footer)
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i)
    const { left, width } = contentBox(doc)
    const bottomMargin = doc.page.margins.bottom
    let y = doc.page.height - bottomMargin + 20
    // Text below the bottom margin would make PDFKit start a page; lift the margin while writing.
    doc.page.margins.bottom = 0
    if (inFoot) {
      const below = textAt(doc, footer, left, doc.page.height - bottomMargin + 6, {
        ...FOOT_STYLE,
        width,
        align: 'center'
      })
      y = Math.max(y, below + 3)
    }
    textAt(doc, label, left, y, { ...FOOT_STYLE, width: width * 0.75 })
    textAt(doc, `Page ${i + 1} of ${count}`, left + width * 0.75, y, {
      ...FOOT_STYLE,
      width: width * 0.25,
      align: 'right'
    })
    doc.page.margins.bottom = bottomMargin
  }
}
