// The keyboard-wedge reader: a scanner types its code and Enter within a few
// milliseconds a key; a person does not. What was typed by hand before a
// scan is not part of the code; text typed by hand and Enter is read whole,
// as typed, and said to be slow.
import { describe, expect, it } from 'vitest'
import { WedgeReader, SCAN_GAP_MS } from '../../src-renderer/lib/wedge'

type Press = [key: string, at: number, mods?: { alt?: boolean; ctrl?: boolean }]

function feed(reader: WedgeReader, presses: Press[]) {
  return presses
    .map(([key, timeStamp, m]) =>
      reader.key({ key, timeStamp, altKey: m?.alt ?? false, ctrlKey: m?.ctrl ?? false, metaKey: false })
    )
    .filter((r) => r !== null)
}
const scan = (code: string, from: number, gap = 8): Press[] => [
  ...[...code].map((c, i): Press => [c, from + i * gap]),
  ['Enter', from + code.length * gap]
]

describe('the wedge reader', () => {
  it('reads a scan as fast, whatever its code', () => {
    const r = new WedgeReader()
    expect(feed(r, scan('269A', 1000))).toEqual([{ text: '269A', fast: true }])
    expect(feed(r, [['Shift', 2000], ...scan('12B', 2004)])).toEqual([{ text: '12B', fast: true }])
    expect(feed(r, scan('7', 3000))).toEqual([{ text: '7', fast: true }])
  })

  it('reads text typed by hand whole, and slow', () => {
    const r = new WedgeReader()
    expect(
      feed(r, [
        ['2', 0],
        ['0', 180],
        ['4', 330],
        ['Enter', 600]
      ])
    ).toEqual([{ text: '204', fast: false }])
  })

  it('a scan after keys typed by hand is the scan alone', () => {
    const r = new WedgeReader()
    expect(feed(r, [['9', 0], ['9', 400], ...scan('41', 2000)])).toEqual([{ text: '41', fast: true }])
  })

  it('a slow Enter after a quick burst is a person, and other keys or chords end what was read', () => {
    const r = new WedgeReader()
    expect(
      feed(r, [
        ['4', 0],
        ['1', 5],
        ['Enter', 5 + SCAN_GAP_MS + 1]
      ])
    ).toEqual([{ text: '41', fast: false }])
    expect(
      feed(r, [
        ['4', 1000],
        ['ArrowDown', 1005],
        ['Enter', 1010]
      ])
    ).toEqual([])
    expect(
      feed(r, [
        ['r', 2000, { alt: true }],
        ['Enter', 2005]
      ])
    ).toEqual([])
    expect(feed(r, [['Enter', 3000]])).toEqual([])
  })
})
