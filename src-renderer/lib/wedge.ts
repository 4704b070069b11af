// A USB barcode scanner is a keyboard ("keyboard wedge"): it types the code
// and presses Enter, far faster than a person types. The reader watches the
// key presses of the whole window and, at each Enter, says what was typed
// since the last pause or other key, and whether it came as fast as a
// scanner sends it. Times are the key events' own time stamps, so a busy page
// does not make a scan look slow.

/** A scanner sends a character every few milliseconds; a person rarely two within this. */
export const SCAN_GAP_MS = 50

/** The characters a lot tag's code holds (lot numbers: digits and a letter or two). */
const CODE_CHAR = /^[A-Za-z0-9-]$/

export interface WedgeRead {
  text: string
  /** Every key of it, Enter included, came within SCAN_GAP_MS of the one before: a scan. */
  fast: boolean
}

export interface KeyLike {
  key: string
  timeStamp: number
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
}

export class WedgeReader {
  /** Code characters since the last Enter or other key. */
  private chars: string[] = []
  /** Where the latest run of quick keys began in `chars`. */
  private burstStart = 0
  private last = Number.NEGATIVE_INFINITY

  constructor(private readonly gapMs = SCAN_GAP_MS) {}

  /**
   * Feed every key press; answers what was read when the key is an Enter that ends some text,
   * else null. A quick run ending in a quick Enter is a scan (whatever was typed before it by
   * hand is not part of the code); anything slower is text a person typed, all of it.
   */
  key(e: KeyLike): WedgeRead | null {
    const quick = e.timeStamp - this.last <= this.gapMs
    this.last = e.timeStamp
    if (e.altKey || e.ctrlKey || e.metaKey) {
      this.reset()
      return null
    }
    if (e.key === 'Enter') {
      const burst = this.chars.slice(this.burstStart)
      const read: WedgeRead | null =
        quick && burst.length
          ? { text: burst.join(''), fast: true }
          : this.chars.length
            ? { text: this.chars.join(''), fast: false }
            : null
      this.reset()
      return read
    }
    if (e.key === 'Shift') return null // a scanner holds Shift for a capital letter
    if (!CODE_CHAR.test(e.key)) {
      this.reset()
      return null
    }
    if (!quick) this.burstStart = this.chars.length
    this.chars.push(e.key)
    return null
  }

  reset(): void {
    this.chars = []
    this.burstStart = 0
  }
}
