// The house logo: a file the user names in Settings, read when it is set and
// at every print. Whatever the path names, reading it must not freeze or
// crash the host (a FIFO blocks a plain read for ever; /dev/zero never ends),
// and the answer must not tell whether some other path exists: every file
// that is not a usable logo gets the same message.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { AppError } from '../../src-shared/rpc'

/** "Under 2 MB". */
export const LOGO_MAX_BYTES = 2_000_000

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const JPEG = Buffer.from([0xff, 0xd8, 0xff])

// Non-blocking: opening a FIFO for reading returns at once instead of waiting for a writer. No
// controlling terminal from a tty. (Windows has neither flag; it has no FIFOs to open either.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)

/**
 * The logo's bytes, or null when `file` is not a usable logo: not there, not readable, not a
 * regular file (a directory, FIFO, device), 2 MB or more, or not a PNG or JPEG by its first bytes.
 * The size is that of the file opened (fstat), and no more than that size plus one byte is read,
 * so a file that grows while being read is refused rather than followed.
 */
export function logoBytes(file: string): Buffer | null {
  let fd: number
  try {
    fd = openSync(file, OPEN_FLAGS)
  } catch {
    return null
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.size >= LOGO_MAX_BYTES) return null
    const bytes = Buffer.alloc(stat.size + 1)
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, null)
      if (n === 0) break
      read += n
    }
    if (read > stat.size) return null
    const logo = bytes.subarray(0, read)
    const isPng = logo.length > PNG.length && logo.subarray(0, PNG.length).equals(PNG)
    const isJpeg = logo.length > JPEG.length && logo.subarray(0, JPEG.length).equals(JPEG)
    return isPng || isJpeg ? logo : null
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

function unusable(file: string): AppError {
  return new AppError(
    'invalid_input',
    `${file} is not a usable logo file: choose a PNG or JPEG image under 2 MB that this station can read, in Settings (F5).`
  )
}

/** The logo for a document; a logo that was usable when chosen and is no longer stops the print with the same message. */
export function readLogo(file: string): Buffer {
  const bytes = logoBytes(file)
  if (!bytes) throw unusable(file)
  return bytes
}

/** For Settings: refuse a logo file now rather than fail every print later. */
export function checkLogo(file: string): void {
  readLogo(file)
}
