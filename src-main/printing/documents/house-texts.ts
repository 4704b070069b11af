// The house's own words on the buyer's paper, from Settings: how to pay by
// bank transfer and collection notes (left), the terms of sale (right, small),
// and the footer, which prints at the foot of every page (drawPageFooters).
// Side by side when both columns fit on a page; a text too long for that is
// set full width, paragraph by paragraph, so it pages with the document's own
// running header rather than PDFKit's.
import { MUTED, SIZE, contentBox, ensureSpace, gap, rule, textAt, textHeight, type StartPage } from '../layout'
import { footerFitsPageFoot } from '../page-foot'
import type { Doc } from '../pdf'
import type { HouseTexts } from '../types'

const COLUMN_GAP = 18
const TITLE_GAP = 3
const AFTER_SECTION = 10

interface Section {
  title: string
  paragraphs: string[]
  size: number
}

function section(title: string, text: string, size: number): Section[] {
  const trimmed = text.trim()
  return trimmed ? [{ title, paragraphs: trimmed.split(/\r?\n/).map((p) => p.trimEnd() || ' '), size }] : []
}

const titleStyle = { size: SIZE.heading, bold: true }

function sectionHeight(doc: Doc, s: Section, width: number): number {
  const title = textHeight(doc, s.title, width, titleStyle) + TITLE_GAP
  return title + s.paragraphs.reduce((h, p) => h + textHeight(doc, p, width, { size: s.size }), 0) + AFTER_SECTION
}

const columnHeight = (doc: Doc, sections: Section[], width: number) =>
  sections.reduce((h, s) => h + sectionHeight(doc, s, width), 0)

/** Draws the sections in a column from (x, doc.y); returns the y below them. */
function drawColumn(doc: Doc, sections: Section[], x: number, width: number): number {
  let y = doc.y
  for (const s of sections) {
    y = textAt(doc, s.title, x, y, { ...titleStyle, width }) + TITLE_GAP
    for (const p of s.paragraphs) y = textAt(doc, p, x, y, { size: s.size, width })
    y += AFTER_SECTION
  }
  return y
}

/** Full width, a paragraph at a time: for texts too long to sit side by side on one page. */
function drawStacked(doc: Doc, sections: Section[], startPage: StartPage): void {
  const { left, width } = contentBox(doc)
  for (const s of sections) {
    ensureSpace(doc, textHeight(doc, s.title, width, titleStyle) + 2 * SIZE.heading, startPage)
    doc.y = textAt(doc, s.title, left, doc.y, { ...titleStyle, width }) + TITLE_GAP
    for (const p of s.paragraphs) {
      ensureSpace(doc, textHeight(doc, p, width, { size: s.size }), startPage)
      doc.y = textAt(doc, p, left, doc.y, { size: s.size, width })
    }
    gap(doc, AFTER_SECTION)
  }
}

/**
 * Bank details (when asked: there is something to pay) and collection notes on the left, the terms of sale on the
 * right; an empty text prints nothing, not even its heading.
 */
export function drawHouseTexts(
  doc: Doc,
  texts: HouseTexts | undefined,
  startPage: StartPage,
  o: { bankDetails: boolean; terms?: boolean }
): void {
  if (!texts) return
  const leftSections = [
    ...(o.bankDetails ? section('Payment by bank transfer', texts.bankDetails, SIZE.body) : []),
    ...section('Collection', texts.collectionNotes, SIZE.body)
  ]
  const rightSections = o.terms === false ? [] : section('Terms of sale', texts.terms, SIZE.small)
  if (!leftSections.length && !rightSections.length) return
  const box = contentBox(doc)
  const twoColumns = leftSections.length > 0 && rightSections.length > 0
  const width = twoColumns ? (box.width - COLUMN_GAP) / 2 : box.width
  const height = Math.max(columnHeight(doc, leftSections, width), columnHeight(doc, rightSections, width))
  const pageRoom = box.bottom - doc.page.margins.top - 60
  if (height > pageRoom) return drawStacked(doc, [...leftSections, ...rightSections], startPage)
  ensureSpace(doc, height, startPage)
  const top = doc.y
  const leftBottom = drawColumn(doc, leftSections, box.left, width)
  doc.y = top
  const rightBottom = drawColumn(doc, rightSections, twoColumns ? box.left + width + COLUMN_GAP : box.left, width)
  doc.y = Math.max(leftBottom, rightBottom)
}

/** A footer too long for the page foot (more than two lines) prints once, after the document's last line. */
export function drawLongFooter(doc: Doc, texts: HouseTexts | undefined, startPage: StartPage): void {
  const footer = texts?.footer.trim()
  if (!footer || footerFitsPageFoot(doc, footer)) return
  const { left, width } = contentBox(doc)
  const style = { size: SIZE.small, color: MUTED, width, align: 'center' } as const
  ensureSpace(doc, textHeight(doc, footer, width, style) + 12, startPage)
  rule(doc, doc.y + 2)
  doc.y = textAt(doc, footer, left, doc.y + 8, style)
}
