// The one message on screen at a time. Success, warning and error are told
// apart (green, amber, red, each with its own mark); a new message replaces
// the old one rather than joining it; a success clears itself after a while,
// a warning or an error stays until it is dismissed, replaced, or the screen
// changes.
export type MessageKind = 'success' | 'info' | 'warning' | 'error'

export interface ShownMessage {
  /** Grows with every message, so the same text said twice is announced twice. */
  id: number
  kind: MessageKind
  text: string
  /** Where tests (and screen readers' landmarks) find it, e.g. "card-message"; default "app-message". */
  testid: string
}

/** How long a success or info message stays, in ms. */
export const SUCCESS_STAYS_MS = 8_000

export class Messages {
  current = $state.raw<ShownMessage | null>(null)
  private seq = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly staysMs = SUCCESS_STAYS_MS) {}

  show(kind: MessageKind, text: string, testid = 'app-message'): void {
    this.stopTimer()
    const shown = { id: ++this.seq, kind, text, testid }
    this.current = shown
    if ((kind === 'success' || kind === 'info') && this.staysMs > 0) {
      this.timer = setTimeout(() => {
        if (this.current === shown) this.current = null
      }, this.staysMs)
    }
  }

  success(text: string, testid?: string): void {
    this.show('success', text, testid)
  }

  info(text: string, testid?: string): void {
    this.show('info', text, testid)
  }

  warning(text: string, testid?: string): void {
    this.show('warning', text, testid)
  }

  error(text: string, testid?: string): void {
    this.show('error', text, testid)
  }

  clear(): void {
    this.stopTimer()
    this.current = null
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
