// Layout helpers shared by the documents. They draw at doc.y and leave doc.y
// below what they drew, so a document reads top to bottom. All text goes
// through textAt / textHeight / textWidth: text the body font sets on its own
// takes PDFKit's path; any other (Hebrew, Arabic, CJK, emoji…) is set run by
// run in the faces that have it, in bidi order (script-runs.ts).
import { AppError } from '../../src-shared/rpc'
import { FONT, bodyFontSets } from './fonts'
import type { Doc } from './pdf'
import { drawSetLines, lineMetrics, setLines, type RunStyle } from './script-runs'
import type { House } from './types'

export const SIZE = { small: 8, body: 9, heading: 11, large: 14, title: 18 } as const
export const MUTED = '#555555'
export const ALERT = '#b00020'

const INK = '#000000'
const RULE = '#999999'
const HEADER_FILL = '#e8e8e8'
const CELL_PADDING = 4
const LOGO_BOX: [number, number] = [120, 48]
const TITLE_WIDTH = 200
const SECTION_GAP = 14
/** A section title starts a new page unless this much room is left: title, header row and a row or two. */
const SECTION_MIN_START = 60

/** Starts a new page and draws its header; used when content runs off a page. */
export type StartPage = () => void

export interface TextStyle {
  size?: number
  bold?: boolean
  color?: string
  /** Wrap within this width; default: up to the right margin. */
  width?: number
  align?: 'left' | 'right' | 'center'
}

function applyStyle(doc: Doc, style: TextStyle): void {
  doc
    .font(style.bold ? FONT.bold : FONT.regular)
    .fontSize(style.size ?? SIZE.body)
    .fillColor(style.color ?? INK)
}

function runStyle(style: TextStyle): RunStyle {
  return { size: style.size ?? SIZE.body, bold: style.bold ?? false, color: style.color ?? INK }
}

/** Draws text with its top-left at (x, y); returns the y below it. */
export function textAt(doc: Doc, text: string, x: number, y: number, style: TextStyle = {}): number {
  applyStyle(doc, style)
  const width = style.width ?? doc.page.width - doc.page.margins.right - x
  if (bodyFontSets(text)) {
    doc.text(text, x, y, { width, align: style.align })
    return doc.y
  }
  const lines = setLines(doc, text, runStyle(style), width)
  const bottom = drawSetLines(doc, lines, x, y, width, style.align ?? 'left', runStyle(style))
  applyStyle(doc, style)
  doc.x = x
  doc.y = bottom
  return bottom
}

export function textHeight(doc: Doc, text: string, width: number, style: TextStyle = {}): number {
  applyStyle(doc, style)
  if (bodyFontSets(text)) return doc.heightOfString(text, { width })
  const lines = setLines(doc, text, runStyle(style), width)
  const { height } = lineMetrics(doc, runStyle(style))
  applyStyle(doc, style)
  return lines.length * height
}

export function textWidth(doc: Doc, text: string, style: TextStyle = {}): number {
  applyStyle(doc, style)
  if (bodyFontSets(text)) return doc.widthOfString(text)
  const widest = Math.max(0, ...setLines(doc, text, runStyle(style)).map((l) => l.width))
  applyStyle(doc, style)
  return widest
}

export function contentBox(doc: Doc): { left: number; right: number; width: number; bottom: number } {
  const { margins, width, height } = doc.page
  return {
    left: margins.left,
    right: width - margins.right,
    width: width - margins.left - margins.right,
    bottom: height - margins.bottom
  }
}

/** A hairline across the page, or across [left, right]. */
export function rule(doc: Doc, y: number, color = RULE, span?: { left: number; right: number }): void {
  const { left, right } = span ?? contentBox(doc)
  doc.moveTo(left, y).lineTo(right, y).lineWidth(0.5).strokeColor(color).stroke()
}

/** Starts a new page when fewer than `height` points are left on this one. */
export function ensureSpace(doc: Doc, height: number, startPage: StartPage): void {
  if (doc.y + height > contentBox(doc).bottom) startPage()
}

export function gap(doc: Doc, points = SECTION_GAP): void {
  doc.y += points
}

// --- Page headers ---------------------------------------------------------

/** The document's name and numbers, printed top right of the first page. */
export interface TitleBlock {
  title: string
  lines: string[]
  /** Printed large in red under the title, e.g. "PROVISIONAL". */
  stamp?: string
}

function drawHouseDetails(doc: Doc, house: House, x: number, y: number, width: number): number {
  let bottom = textAt(doc, house.name, x, y, { size: SIZE.large, bold: true, width })
  bottom = textAt(doc, house.address, x, bottom + 2, { width })
  if (house.vatNumber) bottom = textAt(doc, `VAT No. ${house.vatNumber}`, x, bottom, { width })
  return bottom
}

function drawTitleBlock(doc: Doc, block: TitleBlock, x: number, y: number): number {
  const style = { width: TITLE_WIDTH, align: 'right' } as const
  let bottom = textAt(doc, block.title, x, y, { ...style, size: SIZE.title, bold: true })
  if (block.stamp) {
    bottom = textAt(doc, block.stamp, x, bottom, { ...style, size: SIZE.title, bold: true, color: ALERT })
  }
  for (const line of block.lines) bottom = textAt(doc, line, x, bottom + 1, style)
  return bottom
}

/** First-page header: logo above the house name, address and VAT number on the left; the title block on the right. */
export function drawHouseHeader(doc: Doc, house: House, title: TitleBlock): void {
  const { left, right, width } = contentBox(doc)
  const top = doc.page.margins.top
  let detailsTop = top
  if (house.logoPng) {
    try {
      doc.image(house.logoPng, left, top, { fit: LOGO_BOX })
    } catch {
      // A PNG or JPEG by its first bytes whose inside is damaged: a clear answer, not an internal error.
      throw new AppError(
        'invalid_input',
        'The house logo is a damaged image: choose a PNG or JPEG image under 2 MB in Settings (F5).'
      )
    }
    detailsTop += LOGO_BOX[1] + 6
  }
  const detailsBottom = drawHouseDetails(doc, house, left, detailsTop, width - TITLE_WIDTH - 12)
  const titleBottom = drawTitleBlock(doc, title, right - TITLE_WIDTH, top)
  closeHeader(doc, Math.max(detailsBottom, titleBottom))
}

/** Header of later pages and of staff sheets: house name left, what the page is right. */
export function drawRunningHeader(doc: Doc, houseName: string, caption: string, stamp?: string): void {
  const { left, width } = contentBox(doc)
  const top = doc.page.margins.top
  const half = width / 2
  const nameBottom = textAt(doc, houseName, left, top, { size: SIZE.heading, bold: true, width: half })
  let captionBottom = textAt(doc, caption, left + half, top, { width: half, align: 'right' })
  if (stamp) {
    captionBottom = textAt(doc, stamp, left + half, captionBottom, {
      width: half,
      align: 'right',
      bold: true,
      color: ALERT
    })
  }
  closeHeader(doc, Math.max(nameBottom, captionBottom))
}

function closeHeader(doc: Doc, bottom: number): void {
  rule(doc, bottom + 6)
  doc.y = bottom + 6 + SECTION_GAP
}

// --- Blocks ---------------------------------------------------------------

export function sectionTitle(doc: Doc, title: string): void {
  const { left } = contentBox(doc)
  doc.y = textAt(doc, title, left, doc.y, { size: SIZE.heading, bold: true }) + 4
}

export interface LabelledRow {
  label: string
  value: string
  bold?: boolean
  size?: number
}

/** Label on the left, value right-aligned, within [x, x + width]; e.g. an invoice's totals. */
export function drawLabelledRows(
  doc: Doc,
  rows: LabelledRow[],
  x: number,
  width: number,
  labelWidth = width * 0.55
): void {
  for (const row of rows) {
    const style = { bold: row.bold, size: row.size }
    const y = doc.y
    const labelBottom = textAt(doc, row.label, x, y, { ...style, width: labelWidth })
    const valueBottom = textAt(doc, row.value, x + labelWidth, y, {
      ...style,
      width: width - labelWidth,
      align: 'right'
    })
    doc.y = Math.max(labelBottom, valueBottom) + 2
  }
}

/** Lines of text in a column starting at (x, doc.y); returns the y below them. */
export function drawLines(doc: Doc, lines: string[], x: number, width: number, style: TextStyle = {}): number {
  let y = doc.y
  for (const line of lines) y = textAt(doc, line, x, y, { ...style, width })
  return y
}

// --- Tables ---------------------------------------------------------------

export interface Column {
  header: string
  /** Points, or 'fill' for the column that takes the width left over. */
  width: number | 'fill'
  align?: 'left' | 'right'
}

export interface Table {
  columns: Column[]
  rows: string[][]
  /** Rows are at least this tall: room to write by hand. */
  minRowHeight?: number
  /** Box every cell (forms filled in by hand) instead of a rule under each row. */
  grid?: boolean
  /** Where the table sits across the page; default the whole width between the margins. */
  span?: { left: number; width: number }
}

function tableSpan(doc: Doc, table: Table): { left: number; width: number } {
  return table.span ?? { left: contentBox(doc).left, width: contentBox(doc).width }
}

function columnWidths(doc: Doc, table: Table): number[] {
  const fixed = table.columns.reduce((sum, c) => sum + (c.width === 'fill' ? 0 : c.width), 0)
  const fill = tableSpan(doc, table).width - fixed
  return table.columns.map((c) => (c.width === 'fill' ? fill : c.width))
}

interface RowStyle {
  bold: boolean
  minHeight: number
  fill?: string
}

function rowHeight(doc: Doc, cells: string[], widths: number[], style: RowStyle): number {
  const tallest = Math.max(
    ...cells.map((text, i) => textHeight(doc, text, widths[i] - 2 * CELL_PADDING, { bold: style.bold }))
  )
  return Math.max(tallest + 2 * CELL_PADDING, style.minHeight)
}

function drawRow(doc: Doc, table: Table, cells: string[], widths: number[], style: RowStyle): void {
  const height = rowHeight(doc, cells, widths, style)
  const top = doc.y
  const span = tableSpan(doc, table)
  let x = span.left
  if (style.fill) doc.rect(x, top, span.width, height).fillColor(style.fill).fill()
  cells.forEach((text, i) => {
    if (table.grid) doc.rect(x, top, widths[i], height).lineWidth(0.5).strokeColor(RULE).stroke()
    const align = table.columns[i].align ?? 'left'
    textAt(doc, text, x + CELL_PADDING, top + CELL_PADDING, {
      bold: style.bold,
      width: widths[i] - 2 * CELL_PADDING,
      align
    })
    x += widths[i]
  })
  if (!table.grid) rule(doc, top + height, RULE, { left: span.left, right: span.left + span.width })
  doc.y = top + height
}

/** Draws the table at doc.y; when a row does not fit, starts a page and repeats the header row. */
export function drawTable(doc: Doc, table: Table, startPage: StartPage): void {
  const widths = columnWidths(doc, table)
  const header = table.columns.map((c) => c.header)
  const headerStyle: RowStyle = { bold: true, minHeight: 0, fill: HEADER_FILL }
  const bodyStyle: RowStyle = { bold: false, minHeight: table.minRowHeight ?? 0 }
  const firstRowHeight = table.rows.length ? rowHeight(doc, table.rows[0], widths, bodyStyle) : 0
  ensureSpace(doc, rowHeight(doc, header, widths, headerStyle) + firstRowHeight, startPage)
  drawRow(doc, table, header, widths, headerStyle)
  let rowsOnPage = 0
  for (const cells of table.rows) {
    // A row taller than a whole page is drawn where it is rather than paging forever.
    if (rowsOnPage > 0 && doc.y + rowHeight(doc, cells, widths, bodyStyle) > contentBox(doc).bottom) {
      startPage()
      drawRow(doc, table, header, widths, headerStyle)
      rowsOnPage = 0
    }
    drawRow(doc, table, cells, widths, bodyStyle)
    rowsOnPage++
  }
}

/** A titled table that keeps its title with its first rows. */
export function drawTableSection(doc: Doc, title: string, table: Table, startPage: StartPage): void {
  ensureSpace(doc, SECTION_MIN_START, startPage)
  sectionTitle(doc, title)
  drawTable(doc, table, startPage)
  gap(doc)
}
