// linebreak (UAX #14 line-break opportunities, the package PDFKit itself uses) ships no types.
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string)
    /** The next place a line may end (before `position`, a UTF-16 offset); null after the last. */
    nextBreak(): { position: number; required: boolean } | null
  }
}
