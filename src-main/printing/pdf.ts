// One place creates PDFKit documents, so every document embeds the same fonts
// and gets the same deterministic metadata.
import PDFDocument from 'pdfkit'
import { registerFonts } from './fonts'
import type { DocumentOptions, PageSize, RenderedDocument } from './types'

export type Doc = PDFKit.PDFDocument

export interface Margins {
  top: number
  bottom: number
  left: number
  right: number
}

export interface PdfSettings {
  title: string
  author: string
  creationDate: Date
  /** Width and height in points. */
  size: [number, number]
  margins: Margins
}

const PAGE_SIZES: Record<PageSize, [number, number]> = { A4: [595.28, 841.89], LETTER: [612, 792] }

/** Room at the bottom for the "Page N of M" footer. */
export const PAGE_MARGINS: Margins = { top: 40, bottom: 56, left: 48, right: 48 }

/** Settings for an ordinary page-sized document (everything but cheques). */
export function pageSettings(title: string, author: string, options: DocumentOptions): PdfSettings {
  return {
    title,
    author,
    creationDate: options.creationDate,
    size: PAGE_SIZES[options.pageSize ?? 'A4'],
    margins: PAGE_MARGINS
  }
}

/**
 * Runs `draw` on a fresh document (no page yet: `draw` adds them) and returns the bytes.
 * PDFKit derives the trailer /ID from the info dictionary, so fixing CreationDate and
 * ModDate here is what makes the same data give the same bytes.
 */
export async function renderPdf(settings: PdfSettings, draw: (doc: Doc) => void): Promise<RenderedDocument> {
  const doc = new PDFDocument({
    // No first font: PDFKit would parse Helvetica's metrics for every document, to use none of them
    // (registerFonts selects the body font before anything is drawn).
    font: null as unknown as string,
    size: settings.size,
    margins: settings.margins,
    autoFirstPage: false,
    bufferPages: true,
    info: {
      Title: settings.title,
      Author: settings.author,
      Creator: 'Saleroom',
      Producer: 'Saleroom (PDFKit)',
      CreationDate: settings.creationDate,
      ModDate: settings.creationDate
    }
  })
  registerFonts(doc)
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })
  draw(doc)
  const pages = doc.bufferedPageRange().count
  doc.end()
  await ended
  return { bytes: Buffer.concat(chunks), pages }
}
