// What went wrong, in the user's words. The core's errors are written for
// people, except one: a refused input says "Invalid input for clerking.sell."
// with the reasons per field — the reasons are what the user reads, never the
// call's name. A fault inside this window (a bug) is not shown as a stack's
// text either; it is logged for support.
import { CallError } from './api'

/** The dispatcher's own sentence for a refused input: developer text, never shown. */
const DEVELOPER_TEXT = /^Invalid input for [\w.]+\.?$/

/** The field messages of a refused input, each once. */
function fieldMessages(fields: Record<string, string[]> | undefined): string[] {
  return [...new Set(Object.values(fields ?? {}).flat())]
}

export function errorText(err: unknown): string {
  if (err instanceof CallError) {
    const { code, message, fields } = err.error
    const said = fieldMessages(fields)
    if (DEVELOPER_TEXT.test(message)) {
      return said.length ? said.join(' ') : 'That was not accepted: check what was typed and try again.'
    }
    // A confirmation's reasons are its message already.
    if (code === 'needs_confirmation') return message
    return [message, ...said.filter((s) => !message.includes(s))].join(' ')
  }
  console.error(err)
  return 'Something went wrong in this window and the action may not have finished. Try it again; if it happens again, restart Saleroom.'
}
