// The Consignors screen's keys: the consignors list's, the cheque run's, and
// the window's (the Alt chords, and Enter/Esc on what asks first). Each
// answers from and changes the ConsignorsScreen it is given.
import type { ChequeRun, ConsignorSummary } from '../../../src-shared/contract'
import type { ConsignorsScreen } from './consignors-screen.svelte'

/** Alt+P: the consignor's statement on paper. */
export const printStatement = (screen: ConsignorsScreen, c: ConsignorSummary): Promise<void> => {
  const saleId = screen.saleId
  return screen.showPrint(`Statement — ${c.name}`, (p) =>
    screen.app.api.call('print.consignorStatement', { saleId, clientId: c.clientId, printer: p })
  )
}

/** Alt+V: the cheque run's report. */
export const printReport = (screen: ConsignorsScreen, r: ChequeRun): Promise<void> =>
  screen.showPrint(`Cheque run ${r.number}`, (p) =>
    screen.app.api.call('print.chequeRun', { runId: r.runId, printer: p })
  )

/** The consignors list: ↑/↓ choose, Enter opens the statement. */
export function listKey(screen: ConsignorsScreen, e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || screen.confirming || screen.preview) return
  if (e.key === 'ArrowDown') screen.selected = Math.min(screen.selected + 1, screen.consignors.length - 1)
  else if (e.key === 'ArrowUp') screen.selected = Math.max(screen.selected - 1, 0)
  else if (e.key === 'Enter' && screen.current) void screen.openStatement(screen.current)
  else return
  e.preventDefault()
  e.stopPropagation()
}

/** The cheques of a run: ↑/↓ choose a cheque, Page Up/Down another run. */
export function runKey(screen: ConsignorsScreen, e: KeyboardEvent): void {
  const run = screen.run
  if (e.altKey || e.ctrlKey || screen.confirming || screen.preview || !run) return
  if (e.key === 'ArrowDown') screen.lineIndex = Math.min(screen.lineIndex + 1, run.lines.length - 1)
  else if (e.key === 'ArrowUp') screen.lineIndex = Math.max(screen.lineIndex - 1, 0)
  else if (e.key === 'PageDown') {
    screen.runIndex = Math.min(screen.runIndex + 1, screen.runs.length - 1)
    screen.lineIndex = 0
  } else if (e.key === 'PageUp') {
    screen.runIndex = Math.max(screen.runIndex - 1, 0)
    screen.lineIndex = 0
  } else return
  e.preventDefault()
  e.stopPropagation()
}

/** The window's keys: Enter/Esc on what asks first, else the Alt chords and Esc closing the statement. */
export function consignorsKey(screen: ConsignorsScreen, e: KeyboardEvent): void {
  if (screen.preview || e.defaultPrevented) return
  const asked = screen.confirming
  if (asked) {
    if (e.key === 'Enter' && !screen.busy) {
      screen.confirming = null
      void asked.go()
    } else if (e.key === 'Escape') {
      screen.confirming = null
      screen.settling.reset()
    } else return
    e.preventDefault()
    return
  }
  if (screen.busy) return
  const { current, run, line } = screen
  if (e.altKey && e.code === 'KeyS' && current) void screen.settle(current)
  else if (e.altKey && e.code === 'KeyR') screen.askRun()
  else if (e.altKey && e.code === 'KeyP' && current) void printStatement(screen, current)
  else if (e.altKey && e.code === 'KeyV' && run) void printReport(screen, run)
  else if (e.altKey && e.code === 'KeyX' && run && line) screen.askReprint(run, line)
  else if (e.altKey && e.code === 'KeyL') screen.focus.list()
  else if (e.altKey && e.code === 'KeyK') screen.focus.runList()
  else if (e.key === 'Escape' && screen.statement) screen.statement = null
  else return
  e.preventDefault()
}
