// The collection desk's keys: a scanner's tag read anywhere on the screen,
// the search field's, the lots', and the window's while a buyer is open.
// Each answers from and changes the DeskScreen it is given.
import { WedgeReader } from '../../lib/wedge'
import { printGatePass, printPackingSlip, printPickList, printTags } from './desk-papers'
import type { DeskScreen } from './desk-screen.svelte'

/** What a lot tag reads: a lot number, with a letter or few. */
const LOT_CODE = /^\d{1,9}[A-Za-z]{0,3}$/

/**
 * A scan anywhere on the screen: every key of the window, read (capturing) before anything else
 * takes it. `search()` is the search field, where a person's typing (not fast) is the field's own.
 */
export function scanReader(screen: DeskScreen, search: () => HTMLElement | undefined): (e: KeyboardEvent) => void {
  const wedge = new WedgeReader()
  return (e) => {
    if (screen.preview) return
    const read = wedge.key(e)
    if (!read) return
    const target = e.target as HTMLElement | null
    const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
    const control = field || target instanceof HTMLSelectElement || target instanceof HTMLButtonElement
    // A person's Enter in a form or on a button belongs to it; so does a quick "25" and Enter typed
    // in a form's field unless it reads as a lot number (a tag's code is one).
    if (target === search() ? !read.fast : control && (!read.fast || !LOT_CODE.test(read.text))) return
    e.preventDefault()
    e.stopPropagation()
    // The scanner typed its code into the field that had focus: take it back out.
    if (field && read.fast) {
      const input = target as HTMLInputElement
      if (input.value.endsWith(read.text)) {
        input.value = input.value.slice(0, -read.text.length)
        input.dispatchEvent(new Event('input', { bubbles: true }))
      }
    }
    // A scan; and outside the search box, whatever is typed and entered is a tag's code (a lot
    // number) however fast it came: nothing else is typed there.
    screen.scan(read.text)
  }
}

/** The search field's keys: ↑/↓ among the matches, Enter opens (or searches), Esc clears. */
export function searchKey(screen: DeskScreen, e: KeyboardEvent): void {
  const n = screen.matches.length
  if (n && e.key === 'ArrowDown') screen.matchIndex = Math.min(screen.matchIndex + 1, n - 1)
  else if (n && e.key === 'ArrowUp') screen.matchIndex = Math.max(screen.matchIndex - 1, 0)
  else if (e.key === 'Enter') screen.enter()
  else if (e.key === 'Escape' && (screen.q || n)) {
    screen.q = ''
    screen.matches = []
  } else return
  e.preventDefault()
}

/** The lots' keys: ↑/↓, Home/End move the cursor, Space picks. */
export function listKey(screen: DeskScreen, e: KeyboardEvent): void {
  const b = screen.buyer
  if (!b || e.altKey || e.ctrlKey) return
  if (e.key === 'ArrowDown') screen.cursor = Math.min(screen.cursor + 1, b.lots.length - 1)
  else if (e.key === 'ArrowUp') screen.cursor = Math.max(screen.cursor - 1, 0)
  else if (e.key === 'Home') screen.cursor = 0
  else if (e.key === 'End') screen.cursor = b.lots.length - 1
  else if (e.key === ' ' && b.lots[screen.cursor]) screen.toggle(b.lots[screen.cursor].itemId)
  else return
  e.preventDefault()
}

/** The window's keys while a buyer is open: Esc, and the Alt chords (none while a form is open). */
export function deskKey(screen: DeskScreen, e: KeyboardEvent): void {
  const b = screen.buyer
  if (screen.preview || e.defaultPrevented || !b) return
  if (e.key === 'Escape') {
    if (screen.form) screen.form = null
    else screen.back()
    e.preventDefault()
    return
  }
  if (!e.altKey || screen.form) return
  switch (e.code) {
    case 'KeyA':
      screen.pickAllPaid()
      break
    case 'KeyR':
      screen.openForm('release')
      break
    case 'KeyS':
      screen.openForm('ship')
      break
    case 'KeyB':
      screen.openForm('box')
      break
    case 'KeyG':
      printGatePass(screen)
      break
    case 'KeyK':
      printPackingSlip(screen)
      break
    case 'KeyT':
      printTags(screen)
      break
    case 'KeyL':
      printPickList(screen, b.paddles[0])
      break
    default:
      return
  }
  e.preventDefault()
}
