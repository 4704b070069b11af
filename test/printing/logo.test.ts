// The house logo cannot freeze or crash the host: a FIFO, /dev/zero, a
// directory, a 3 MB file and a text file are each refused, when the logo is
// set in Settings and when a document is made, with one message that does not
// tell whether the path exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Core } from '../../src-main/app/boot'
import { house } from '../../src-main/printing/from-replica'
import { LOGO_MAX_BYTES, logoBytes } from '../../src-main/printing/logo'
import type { RpcResult } from '../../src-shared/rpc'
import { snapshotTables, tempDir, testCore } from '../helpers'
import { logoPng } from './sample-data'

let core: Core
let dir: string
let cleanup: () => void
const writers: ChildProcess[] = []

const png = logoPng()
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0')])

/**
 * A FIFO with a writer that, a moment later, sends a good PNG down it. Code that opens it without
 * O_NONBLOCK waits for that writer and takes the PNG; the logo check must refuse it without waiting.
 */
function fifoWithWriter(path: string): string {
  expect(spawnSync('mkfifo', [path]).status).toBe(0)
  const writer = spawn(
    process.execPath,
    [
      '-e',
      `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(path)}, Buffer.from('${png.toString('base64')}', 'base64')), 300)`
    ],
    { stdio: 'ignore' }
  )
  writers.push(writer)
  return path
}

const setLogo = (file: string) => core.dispatch('settings.update', { houseLogoFile: file })
/** The message with the path taken out: what it says about the file itself. */
const said = (r: RpcResult<unknown>, path: string) =>
  r.ok ? 'accepted' : `${r.error.code}: ${r.error.message.replace(path, '<path>')}`

beforeAll(async () => {
  const t = tempDir('saleroom-logo-')
  dir = t.dir
  cleanup = t.cleanup
  core = await testCore(join(dir, 'data'))
})
afterAll(async () => {
  for (const w of writers) w.kill()
  await core.close()
  cleanup()
})

describe('the house logo', () => {
  it('Settings takes a PNG or a JPEG under 2 MB', async () => {
    writeFileSync(join(dir, 'logo.png'), png)
    writeFileSync(join(dir, 'logo.jpg'), jpeg)
    expect((await setLogo(join(dir, 'logo.jpg'))).ok).toBe(true)
    expect((await setLogo(join(dir, 'logo.png'))).ok).toBe(true)
    expect(logoBytes(join(dir, 'logo.png'))).toEqual(png)
  })

  it('refuses a FIFO, /dev/zero, a directory, a 3 MB file and a text file with one message, and changes nothing', async () => {
    const big = join(dir, 'big.png')
    writeFileSync(big, Buffer.concat([png, Buffer.alloc(3_000_000 - png.length)]))
    writeFileSync(join(dir, 'notes.txt'), 'not a picture\n')
    mkdirSync(join(dir, 'folder.png'))
    symlinkSync('/dev/zero', join(dir, 'zero.png'))
    const refused = [
      join(dir, 'missing.png'),
      join(dir, 'notes.txt'),
      join(dir, 'folder.png'),
      big,
      fifoWithWriter(join(dir, 'pipe.png')),
      join(dir, 'zero.png'),
      '/dev/zero'
    ]
    const before = snapshotTables(core.replica()!.raw)
    const answers = []
    for (const path of refused) answers.push(said(await setLogo(path), path))
    // The same words whether the path is missing, a device, a pipe or a file of the wrong kind.
    expect(new Set(answers).size).toBe(1)
    expect(answers[0]).toMatch(
      /^invalid_input: <path> is not a usable logo file: choose a PNG or JPEG image under 2 MB/
    )
    expect(snapshotTables(core.replica()!.raw)).toEqual(before)
  })

  it('a logo that became unusable after it was chosen stops a document with the same message', async () => {
    const path = join(dir, 'house.png')
    writeFileSync(path, png)
    expect((await setLogo(path)).ok).toBe(true)
    expect(house(core.replica()!).logoPng).toEqual(png)

    // The FIFO last: nothing replaces it while its writer waits.
    const swaps: [string, () => void][] = [
      ['/dev/zero', () => symlinkSync('/dev/zero', path)],
      ['a directory', () => mkdirSync(path)],
      ['a 3 MB file', () => writeFileSync(path, Buffer.concat([png, Buffer.alloc(3_000_000)]))],
      ['a text file', () => writeFileSync(path, 'hello')],
      ['a FIFO', () => fifoWithWriter(path)]
    ]
    for (const [what, swap] of swaps) {
      rmSync(path, { recursive: true, force: true })
      swap()
      let message = ''
      try {
        house(core.replica()!)
      } catch (err) {
        message = `${(err as { code: string }).code}: ${(err as Error).message.replace(path, '<path>')}`
      }
      expect(message, what).toMatch(/^invalid_input: <path> is not a usable logo file/)
    }
  })

  it('never reads more than the size it saw when it opened the file, plus one byte', () => {
    expect(LOGO_MAX_BYTES).toBe(2_000_000)
    const justUnder = join(dir, 'just-under.png')
    writeFileSync(justUnder, Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES - 1 - png.length)]))
    expect(logoBytes(justUnder)?.length).toBe(LOGO_MAX_BYTES - 1)
    const atLimit = join(dir, 'at-limit.png')
    writeFileSync(atLimit, Buffer.concat([png, Buffer.alloc(LOGO_MAX_BYTES - png.length)]))
    expect(logoBytes(atLimit)).toBeNull()
  })
})
