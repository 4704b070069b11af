// The arithmetic of a virtualised grid with rows of one height: which rows
// are in the page for a scroll position, and where to scroll so a row is in
// view with some rows of context around it. Kept apart from the component so
// it is tested alone.

export interface GridWindowOptions {
  rowHeight: number
  /** Rows drawn beyond each edge of the view, so a fast scroll shows no gap. */
  overscan?: number
  /** Used until the viewport has been measured (and in jsdom, which measures nothing). */
  fallbackHeight?: number
}

export class GridWindow {
  /** Scroll offset of the rows' area, in px. */
  scrollTop = $state(0)
  /** Height of the viewport below the heading row, in px; 0 until measured. */
  viewHeight = $state(0)
  count = $state(0)
  readonly rowHeight: number
  readonly overscan: number
  private readonly fallbackHeight: number

  constructor(opts: GridWindowOptions) {
    this.rowHeight = opts.rowHeight
    this.overscan = opts.overscan ?? 8
    this.fallbackHeight = opts.fallbackHeight ?? 480
  }

  // Getters over the state above: cheap sums, read where they are drawn.

  /** The height rows are laid out for. */
  get height(): number {
    return this.viewHeight > 0 ? this.viewHeight : this.fallbackHeight
  }

  /** How many whole rows the view shows. */
  get rowsInView(): number {
    return Math.max(1, Math.floor(this.height / this.rowHeight))
  }

  /** The first row in the page. */
  get first(): number {
    return Math.max(0, Math.floor(this.scrollTop / this.rowHeight) - this.overscan)
  }

  /** One past the last row in the page. */
  get last(): number {
    return Math.min(this.count, Math.ceil((this.scrollTop + this.height) / this.rowHeight) + this.overscan)
  }

  /**
   * The scroll offset that puts row `index` exactly `above` rows from the top
   * (fewer at the start, and never past the end): a row that always sits in
   * the same place, as the podium's current lot does, with what comes next
   * below it.
   */
  scrollPinned(index: number, above: number): number {
    if (index < 0 || index >= this.count) return this.scrollTop
    const room = Math.min(above, this.rowsInView - 1)
    const max = Math.max(0, this.count * this.rowHeight - this.height)
    return Math.min(max, Math.max(0, (index - room) * this.rowHeight))
  }

  /**
   * The scroll offset that shows row `index` with `context` rows above it when
   * it is off the top, or below it when it is off the bottom; the current
   * offset when the row is already in view with that context.
   */
  scrollFor(index: number, context = 2): number {
    if (index < 0 || index >= this.count) return this.scrollTop
    const room = Math.min(context, Math.floor((this.rowsInView - 1) / 2))
    const top = index * this.rowHeight
    const wantTop = Math.max(0, top - room * this.rowHeight)
    const wantBottom = top + (room + 1) * this.rowHeight
    if (this.scrollTop > wantTop) return wantTop
    if (this.scrollTop + this.height < wantBottom) return Math.max(0, wantBottom - this.height)
    return this.scrollTop
  }
}
