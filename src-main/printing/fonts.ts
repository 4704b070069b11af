// Every document embeds DejaVu Sans (the body font): PDF's standard fonts are
// WinAnsi only and are not embedded, so "Łukasz", Greek and Cyrillic names
// would not print. Text in other scripts falls back, cluster by cluster, to the
// Noto faces shipped beside it: Hebrew, Arabic, Chinese/Japanese/Korean and a
// monochrome emoji font (PDFKit cannot draw colour glyphs). PDFKit embeds only
// the glyphs a document uses from each face it uses.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import bidiFactory from 'bidi-js'
import { create, type Font } from 'fontkit'

export const FONT = { regular: 'Body', bold: 'Bold' } as const

const FONT_FILES: Record<(typeof FONT)[keyof typeof FONT], string> = {
  Body: 'DejaVuSans.ttf',
  Bold: 'DejaVuSans-Bold.ttf'
}

export const bidi = bidiFactory()

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

/** Fonts opened with fontkit, once per process and file; and whether each keeps its glyph objects across documents. */
const opened = new Map<string, { font: Font; keepsGlyphs: boolean }>()

/**
 * fontkit keeps one glyph object per glyph with the code points it was first reached from, and PDFKit
 * writes those as the glyph's text. A font whose glyphs are each reached from one code point and never
 * by substitution (DejaVu, cut without layout tables) has all of them made once, in code point order,
 * and kept: documents then share them. Any other (Arabic forms and ligatures, CJK compatibility
 * characters sharing a glyph, emoji sequences) has them forgotten at the start of each document, as if
 * the document had opened the font itself, so what it prints never depends on what was printed before.
 */
function keepsGlyphs(font: Font): boolean {
  const gsub = (font as unknown as { GSUB?: { lookupList?: { length: number } } }).GSUB
  if ((gsub?.lookupList?.length ?? 0) > 0) return false
  const seen = new Set<number>()
  for (const point of [...font.characterSet].sort((a, b) => a - b)) {
    const { id } = font.glyphForCodePoint(point)
    if (seen.has(id)) return false
    seen.add(id)
  }
  return true
}

/** Forgets fontkit's glyph objects; the parsed tables stay. `_glyphs` is fontkit 2.0.4's cache (the version is pinned). */
function forgetGlyphs(font: Font): void {
  ;(font as unknown as { _glyphs: Record<number, unknown> })._glyphs = {}
}

function openFont(file: string): Font {
  let entry = opened.get(file)
  if (!entry) {
    const font = create(readFileSync(join(fontsDir(), file)))
    if (!('layout' in font)) throw new Error(`${file} is a font collection, not one font.`)
    entry = { font, keepsGlyphs: keepsGlyphs(font) }
    if (!entry.keepsGlyphs) forgetGlyphs(font)
    opened.set(file, entry)
  }
  return entry.font
}

/** A face a run of text is set in. */
export class Face {
  private readonly coverage = new Map<number, boolean>()

  constructor(
    /** The name it is registered under in a document. */
    readonly name: string,
    private readonly file: string,
    /** Drawn with a thin outline too: bold text in a face shipped in one weight. */
    readonly fauxBold = false
  ) {}

  font(): Font {
    return openFont(this.file)
  }

  has(codePoint: number): boolean {
    let known = this.coverage.get(codePoint)
    if (known === undefined) {
      known = this.font().hasGlyphForCodePoint(codePoint)
      this.coverage.set(codePoint, known)
    }
    return known
  }

  /**
   * Selects this face in `doc`, registering it there on first use. The fontkit font is opened once per
   * process and shared by every document (parsing the 6.8 MB CJK face cost more than a page);
   * PDFKit keeps an embedded subset per document and name.
   */
  use(doc: PDFKit.PDFDocument): void {
    doc.registerFont(this.name, this.font() as unknown as Buffer)
    doc.font(this.name)
  }
}

const BODY = { regular: new Face(FONT.regular, FONT_FILES.Body), bold: new Face(FONT.bold, FONT_FILES.Bold) }

/**
 * Registers the body and bold fonts under FONT's names and selects the body font; other faces register
 * when used. Starts the document's glyph objects afresh where they cannot be shared (see keepsGlyphs).
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const { font, keepsGlyphs } of opened.values()) if (!keepsGlyphs) forgetGlyphs(font)
  BODY.bold.use(doc)
  BODY.regular.use(doc)
}

interface Fallback {
  regular: Face
  bold: Face
  /** The clusters it is meant for (by their first code point), when the body font cannot set them. */
  serves: RegExp
}

// Chinese, Japanese and Korean and the emoji ship in one weight: bold text in them is drawn outlined.
const CJK = new Face('CJK', 'NotoSansCJKsc-Regular-subset.otf')
const CJK_BOLD = new Face('CJK', 'NotoSansCJKsc-Regular-subset.otf', true)
const EMOJI = new Face('Emoji', 'NotoEmoji-Regular.ttf')
const EMOJI_BOLD = new Face('Emoji', 'NotoEmoji-Regular.ttf', true)

const FALLBACKS: Fallback[] = [
  {
    regular: new Face('Hebrew', 'NotoSansHebrew-Regular.ttf'),
    bold: new Face('HebrewBold', 'NotoSansHebrew-Bold.ttf'),
    serves: /\p{scx=Hebrew}/u
  },
  {
    regular: new Face('Arabic', 'NotoSansArabic-Regular.ttf'),
    bold: new Face('ArabicBold', 'NotoSansArabic-Bold.ttf'),
    serves: /\p{scx=Arabic}/u
  },
  {
    regular: CJK,
    bold: CJK_BOLD,
    serves: /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}\u3000-\u303f\uff00-\uffef]/u
  },
  {
    regular: EMOJI,
    bold: EMOJI_BOLD,
    serves: /[\p{Extended_Pictographic}\p{Emoji_Component}\u20e3]/u
  }
]

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u
/** A cluster shown as an emoji picture: presentation selector, emoji-default pictograph, keycap, flag, ZWJ sequence. */
const EMOJI_STYLE = /\ufe0f|\u20e3|\u200d|\p{Emoji_Presentation}|\p{Regional_Indicator}|\p{Emoji_Modifier}/u

/** The code points of a cluster that need a glyph: invisible format characters only print when the face has them. */
function visiblePoints(cluster: string): number[] {
  const out: number[] = []
  for (const ch of cluster) if (!IGNORABLE.test(ch)) out.push(ch.codePointAt(0)!)
  return out
}

const covers = (face: Face, points: number[]) => points.every((p) => face.has(p))

/**
 * The face a cluster (one grapheme: a letter with its marks, an emoji sequence)
 * prints in; null when it has nothing to print (a direction mark, a lone joiner).
 * The body font's own characters stay in it; a neutral it lacks (an Arabic
 * tatweel, a CJK full stop) stays in the face of the text before it.
 */
export function faceFor(cluster: string, previous: Face | null, bold: boolean): Face | null {
  const points = visiblePoints(cluster)
  if (points.length === 0) return null
  const body = bodyFace(bold)
  if (PICTOGRAPHIC.test(cluster) && EMOJI_STYLE.test(cluster)) {
    const face = bold ? EMOJI_BOLD : EMOJI
    if (covers(face, points)) return face
  }
  if (covers(body, points)) return body
  const first = String.fromCodePoint(points[0])
  if (previous && NEUTRAL.test(first) && covers(previous, points)) return previous
  for (const f of FALLBACKS) {
    const face = bold ? f.bold : f.regular
    if (f.serves.test(first) && covers(face, points)) return face
  }
  return body
}

/**
 * Text the body font sets on its own, left to right: every character is in
 * DejaVu (both weights) and none is right-to-left or a direction control.
 * Such text takes PDFKit's own path, as before fallback fonts existed.
 */
let bodyOnly: RegExp | null = null
const RTL_OR_CONTROL = new Set(['R', 'AL', 'AN', 'LRE', 'RLE', 'LRO', 'RLO', 'PDF', 'LRI', 'RLI', 'FSI', 'PDI'])
export function bodyFontSets(text: string): boolean {
  if (!bodyOnly) {
    const bold = new Set(BODY.bold.font().characterSet)
    const points = BODY.regular
      .font()
      .characterSet.filter((p) => bold.has(p) && !RTL_OR_CONTROL.has(bidi.getBidiCharTypeName(String.fromCodePoint(p))))
      .sort((a, b) => a - b)
    const ranges: string[] = []
    const hex = (p: number) => `\\u{${p.toString(16)}}`
    for (let i = 0; i < points.length;) {
      let j = i
      while (j + 1 < points.length && points[j + 1] === points[j] + 1) j++
      ranges.push(i === j ? hex(points[i]) : `${hex(points[i])}-${hex(points[j])}`)
      i = j + 1
    }
    bodyOnly = new RegExp(`^[\\n\\r\\t${ranges.join('')}]*$`, 'u')
  }
  return bodyOnly.test(text)
}

/** The body face of a weight: its metrics set the line height and the baseline every run shares. */
export function bodyFace(bold: boolean): Face {
  return bold ? BODY.bold : BODY.regular
}

/**
 * What of a cluster `face` draws: format characters (direction marks, joiners,
 * variation selectors) it has no glyph for are left out rather than printed as boxes.
 */
export function printable(cluster: string, face: Face): string {
  let out = ''
  for (const ch of cluster) if (!IGNORABLE.test(ch) || face.has(ch.codePointAt(0)!)) out += ch
  return out
}
