// Text the body font cannot set alone: names in Hebrew, Arabic, Chinese,
// Japanese, Korean, emoji, mixed with Latin. Each paragraph goes through the
// Unicode bidirectional algorithm (bidi-js), is cut into clusters (graphemes)
// each set in the face that has it (fonts.ts), broken into lines at the
// Unicode line-break opportunities (linebreak), and each line is drawn run by
// run, in visual order, on the body font's baseline. Arabic letters join and
// marks sit through the face's OpenType tables, which fontkit applies to each run.
import LineBreaker from 'linebreak'
import type { BidiCharTypeName } from 'bidi-js'
import { bidi, bodyFace, faceFor, printable, type Face } from './fonts'
import type { Doc } from './pdf'

export interface RunStyle {
  size: number
  bold: boolean
  color: string
}

interface Cluster {
  text: string
  /** UTF-16 offset in its paragraph. */
  start: number
  /** Null: nothing to print (a direction mark). */
  face: Face | null
  /** Its bidi embedding level: odd is right to left. */
  level: number
}

/** A run of one face and one level, ready for PDFKit. */
interface Run {
  face: Face
  level: number
  /** The characters in the order fontkit must receive them to come out in visual order. */
  text: string
  /** Laid out as one piece (PDFKit otherwise lays out word by word), so fontkit's right-to-left order spans it. */
  whole: boolean
  width: number
}

/** One line: its runs in visual order (left to right) and its width. */
export interface SetLine {
  runs: Run[]
  width: number
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })

// bidi-js classes each UTF-16 unit: a character outside the BMP goes in as two
// units of a BMP character of the same class (an emoji is neutral, not L).
const SAME_CLASS: Partial<Record<BidiCharTypeName, string>> = {
  L: 'a',
  R: '\u05d0',
  AL: '\u0627',
  EN: '0',
  ES: '+',
  ET: '#',
  AN: '\u0660',
  CS: ',',
  WS: ' ',
  ON: '!',
  NSM: '\u0300',
  BN: '\u200b'
}
function bidiInput(paragraph: string): string {
  if (!/[\ud800-\udfff]/.test(paragraph)) return paragraph
  let out = ''
  for (const ch of paragraph) {
    if (ch.length === 1) out += ch
    else out += (SAME_CLASS[bidi.getBidiCharTypeName(ch)] ?? 'a').repeat(ch.length)
  }
  return out
}

// fontkit lays a run out right to left (reversing its glyphs) when the first
// character of a definite script is in one of these scripts; we hand it text
// in whichever order makes the glyphs come out in visual order.
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u
const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Cypriot}\p{Script=Kharoshthi}\p{Script=Phoenician}\p{Script=Lydian}\p{Script=Avestan}\p{Script=Imperial_Aramaic}\p{Script=Inscriptional_Pahlavi}\p{Script=Inscriptional_Parthian}\p{Script=Old_South_Arabian}\p{Script=Old_North_Arabian}\p{Script=Old_Turkic}\p{Script=Meroitic_Cursive}\p{Script=Meroitic_Hieroglyphs}\p{Script=Manichaean}\p{Script=Mende_Kikakui}\p{Script=Nabataean}\p{Script=Palmyrene}\p{Script=Psalter_Pahlavi}]/u
function fontkitReverses(text: string): boolean {
  for (const ch of text) if (!NO_SCRIPT.test(ch)) return RTL_SCRIPT.test(ch)
  return false
}

function clustersOf(paragraph: string, bold: boolean): Cluster[] {
  const { levels } = bidi.getEmbeddingLevels(bidiInput(paragraph), 'auto')
  const out: Cluster[] = []
  let previous: Face | null = null
  for (const { segment, index } of graphemes.segment(paragraph)) {
    const face = faceFor(segment, previous, bold)
    if (face) previous = face
    out.push({ text: segment, start: index, face, level: levels[index] })
  }
  return out
}

/** Runs of one face and level over clusters[from, to), in logical order. */
function runsOf(doc: Doc, clusters: Cluster[], from: number, to: number, style: RunStyle): Run[] {
  const runs: Run[] = []
  let i = from
  while (i < to) {
    const face = clusters[i].face
    if (!face) {
      i++
      continue
    }
    const level = clusters[i].level
    const parts: string[] = []
    for (; i < to && (clusters[i].face === null || (clusters[i].face === face && clusters[i].level === level)); i++) {
      if (clusters[i].face) parts.push(shown(clusters[i].text, face, level))
    }
    const logical = parts.join('')
    if (!logical) continue
    const whole = fontkitReverses(logical)
    const rtl = level % 2 === 1
    const text = rtl === whole ? logical : parts.reverse().join('')
    face.use(doc)
    doc.fontSize(style.size)
    const width = doc.widthOfString(text, whole ? { features: [] } : {})
    runs.push({ face, level, text, whole, width })
  }
  return runs
}

/** A cluster as drawn: right to left, brackets and the like take their mirrored form. */
function shown(cluster: string, face: Face, level: number): string {
  const text = printable(cluster, face)
  if (level % 2 === 0 || [...text].length !== 1) return text
  return bidi.getMirroredCharacter(text) ?? text
}

/** The Unicode bidi algorithm's rule L2 over runs: from the highest level down to the lowest odd one, reverse. */
function visualOrder(runs: Run[]): Run[] {
  if (runs.length < 2) return runs
  const out = [...runs]
  const highest = Math.max(...out.map((r) => r.level))
  const lowestOdd = Math.min(...out.map((r) => r.level)) | 1
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < out.length;) {
      if (out[i].level < level) {
        i++
        continue
      }
      let j = i
      while (j < out.length && out[j].level >= level) j++
      out.splice(i, j - i, ...out.slice(i, j).reverse())
      i = j
    }
  }
  return out
}

const BLANK = /^\s*$/u

function widthOf(doc: Doc, clusters: Cluster[], from: number, to: number, style: RunStyle): number {
  return runsOf(doc, clusters, from, to, style).reduce((sum, r) => sum + r.width, 0)
}

/** Cluster ranges [from, to) of each line: words at the line-break opportunities, greedily, a word too long cut by clusters. */
function lineRanges(
  doc: Doc,
  paragraph: string,
  clusters: Cluster[],
  style: RunStyle,
  width?: number
): [number, number][] {
  if (clusters.length === 0) return [[0, 0]]
  if (width === undefined) return [[0, clusters.length]]
  const clusterAt = new Map(clusters.map((c, i) => [c.start, i]))
  const words: [number, number][] = []
  const breaker = new LineBreaker(paragraph)
  let from = 0
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    const to = bk.position >= paragraph.length ? clusters.length : clusterAt.get(bk.position)
    if (to === undefined || to <= from) continue // a break inside a cluster is no break
    words.push([from, to])
    from = to
  }
  if (from < clusters.length) words.push([from, clusters.length])

  const fits = (w: number) => w <= width + 1e-6
  const lines: [number, number][] = []
  let start = 0
  let end = 0
  let used = 0
  const place = (a: number, b: number) => {
    let trimmed = b
    while (trimmed > a && BLANK.test(clusters[trimmed - 1].text)) trimmed--
    const visible = widthOf(doc, clusters, a, trimmed, style)
    if (end > start && !fits(used + visible)) {
      lines.push([start, end])
      start = end = a
      used = 0
    }
    if (end === start && !fits(visible)) {
      // Longer than a line: as many clusters as fit on each line (at least one), the rest goes on.
      let k = a
      for (;;) {
        let fit = k + 1
        while (fit < trimmed && fits(widthOf(doc, clusters, k, fit + 1, style))) fit++
        if (fit >= trimmed) break
        lines.push([k, fit])
        k = fit
      }
      start = k
      end = b
      used = widthOf(doc, clusters, k, b, style)
      return
    }
    end = b
    used += widthOf(doc, clusters, a, b, style)
  }
  for (const [a, b] of words) place(a, b)
  lines.push([start, end])
  return lines
}

// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are not obeyed on paper: a name
// prints as its own letters read, never reversed by an override hidden in it (the contract refuses
// them in names; this covers what came from elsewhere).
const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

/** Lays `text` out in lines no wider than `width` (unbounded when not given); "\n" starts a paragraph. */
export function setLines(doc: Doc, text: string, style: RunStyle, width?: number): SetLine[] {
  const lines: SetLine[] = []
  for (const paragraph of text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(DIRECTION_CONTROLS, '')
    .split('\n')) {
    const clusters = clustersOf(paragraph, style.bold)
    for (const [from, to] of lineRanges(doc, paragraph, clusters, style, width)) {
      let end = to
      while (end > from && BLANK.test(clusters[end - 1].text)) end--
      const runs = visualOrder(runsOf(doc, clusters, from, end, style))
      lines.push({ runs, width: runs.reduce((sum, r) => sum + r.width, 0) })
    }
  }
  return lines
}

/** The body font's line height and ascent at this style: every line and run share them. */
export function lineMetrics(doc: Doc, style: RunStyle): { height: number; ascent: number } {
  const body = bodyFace(style.bold)
  body.use(doc)
  doc.fontSize(style.size)
  const font = body.font()
  return { height: doc.currentLineHeight(true), ascent: (font.ascent / font.unitsPerEm) * style.size }
}

/** Draws lines from `setLines` with the first line's top at y; returns the y below the last. */
export function drawSetLines(
  doc: Doc,
  lines: SetLine[],
  x: number,
  y: number,
  width: number,
  align: 'left' | 'right' | 'center',
  style: RunStyle
): number {
  const { height, ascent } = lineMetrics(doc, style)
  lines.forEach((line, i) => {
    const baseline = y + i * height + ascent
    let left = x + (align === 'right' ? width - line.width : align === 'center' ? (width - line.width) / 2 : 0)
    for (const run of line.runs) {
      drawRun(doc, run, left, baseline, style)
      left += run.width
    }
  })
  return y + lines.length * height
}

function drawRun(doc: Doc, run: Run, x: number, baseline: number, style: RunStyle): void {
  run.face.use(doc)
  doc.fontSize(style.size).fillColor(style.color)
  const options: PDFKit.Mixins.TextOptions = {
    lineBreak: false,
    baseline: 'alphabetic',
    ...(run.whole ? { features: [] } : {})
  }
  if (!(style.bold && run.face.fauxBold)) {
    doc.text(run.text, x, baseline, options)
    return
  }
  // Outlined as well as filled; the text render mode is graphics state, so it ends with restore().
  doc.save()
  doc.lineWidth(style.size * 0.035).strokeColor(style.color)
  doc.text(run.text, x, baseline, { ...options, fill: true, stroke: true })
  doc.restore()
}
