// Every document embeds DejaVu Sans: PDF's standard fonts are WinAnsi only and
// are not embedded, so "Łukasz", Greek and Cyrillic names would not print.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const FONT = { regular: 'Body', bold: 'Bold' } as const

const FONT_FILES: Record<(typeof FONT)[keyof typeof FONT], string> = {
  Body: 'DejaVuSans.ttf',
  Bold: 'DejaVuSans-Bold.ttf'
}

/**
 * The folder holding the shipped fonts: $SALEROOM_RESOURCES/fonts when set and
 * present, else the first `resources/fonts` found walking up from this file
 * (src-main/printing under tsx and vitest, out/main in the electron-vite bundle).
 */
export function fontsDir(): string {
  const fromEnv = process.env.SALEROOM_RESOURCES
  if (fromEnv && existsSync(join(fromEnv, 'fonts'))) return join(fromEnv, 'fonts')
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'fonts')
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) break
  }
  throw new Error(`No resources/fonts folder found above ${__dirname}; set SALEROOM_RESOURCES to the resources folder.`)
}

/** The font files, read once: every document embeds them, and reading them each time cost more than the layout. */
let fontBytes: Map<string, Buffer> | null = null
function fontFiles(): Map<string, Buffer> {
  if (!fontBytes) {
    const dir = fontsDir()
    fontBytes = new Map(Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(join(dir, file))]))
  }
  return fontBytes
}

/** Registers the body and bold fonts under FONT's names and selects the body font. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, bytes] of fontFiles()) doc.registerFont(name, bytes)
  doc.font(FONT.regular)
}
