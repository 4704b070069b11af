// The clerk sheet as the podium's paper fallback: PASS and WD printed in the
// price column (never blank, so they are not taken for lots not yet clerked),
// the reserve and a phone mark, and a total at the foot of every page that
// adds up the lots on that page and carries the hammer forward. From sample
// data over several pages, then from a real station's replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { formatMoney, renderClerkSheet } from '../../src-main/printing'
import type { ClerkSheetLot } from '../../src-main/printing/types'
import type { ClerkBoard, PhoneCard, PrintResult } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'
import { CREATED, GBP, HOUSE, SALE } from './sample-data'

const OUT = join(__dirname, '../../test-results/printing')
const money = (minor: number) => formatMoney(minor, GBP)
const escape = (text: string) => text.replace(/[$.]/g, '\\$&')
const pageText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })

/** 90 lots: every fifth passed, every eleventh withdrawn, the rest up to lot 70 sold; a reserve and a phone here and there. */
function lots(): ClerkSheetLot[] {
  return Array.from({ length: 90 }, (_, i) => {
    const n = i + 1
    const result = n % 5 === 0 ? 'passed' : n % 11 === 0 ? 'withdrawn' : n <= 70 ? 'sold' : null
    return {
      lotNumber: String(n),
      title: `Sheet lot title ${n}`,
      estimateLow: 100_00 * n,
      estimateHigh: 150_00 * n,
      reserve: n % 3 === 0 ? 80_00 * n : null,
      phoneBidders: n % 7 === 0 ? (n % 14 === 0 ? 2 : 1) : 0,
      result,
      paddle: result === 'sold' ? String(200 + n) : null,
      price: result === 'sold' ? 110_00 * n : null
    }
  })
}

describe('the clerk sheet on paper', () => {
  it('prints PASS and WD, the reserve and a phone mark, and totals each page and carries them forward', async () => {
    mkdirSync(OUT, { recursive: true })
    const sample = lots()
    const doc = await renderClerkSheet(
      { house: HOUSE, sale: SALE, sessionLabel: 'Session 1 (lots 1–90)', lots: sample, blankRows: 10 },
      { creationDate: CREATED }
    )
    const file = join(OUT, 'clerk-sheet-totals.pdf')
    writeFileSync(file, doc.bytes)
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, join(OUT, 'clerk-sheet-totals')])
    expect(doc.pages).toBeGreaterThan(2)

    let carried = 0
    const seen = new Set<string>()
    for (let p = 1; p <= doc.pages; p++) {
      const text = pageText(file, p)
      const lines = text.split('\n')
      const onPage = sample.filter((l) => lines.some((line) => new RegExp(`\\b${l.title}\\b`).test(line)))
      for (const l of onPage) seen.add(l.lotNumber)
      const hammer = onPage.reduce((sum, l) => sum + (l.result === 'sold' ? l.price! : 0), 0)
      carried += hammer
      expect(text, `page ${p}`).toContain(`Hammer this page ${money(hammer)}`)
      expect(text, `page ${p}`).toContain(`Carried forward ${money(carried)}`)
      const count = (r: string) => onPage.filter((l) => l.result === r).length
      expect(text, `page ${p}`).toContain(
        `Page total: ${count('sold')} sold · ${count('passed')} passed · ${count('withdrawn')} withdrawn`
      )
      // Each lot's row says what became of it.
      for (const l of onPage) {
        const row = lines.find((line) => new RegExp(`\\b${l.title}\\b`).test(line))!
        if (l.result === 'passed') expect(row, l.lotNumber).toMatch(/PASS\s*$/)
        if (l.result === 'withdrawn') expect(row, l.lotNumber).toMatch(/WD\s*$/)
        if (l.result === 'sold')
          expect(row, l.lotNumber).toMatch(
            new RegExp(`${l.paddle}\\s+${money(l.price!).replace(/[$.]/g, '\\$&')}\\s*$`)
          )
        // Not clerked: nothing after the estimate (or the reserve) — no paddle, no price.
        if (l.result === null) {
          expect(row, l.lotNumber).not.toMatch(/PASS|WD/)
          const last = l.reserve ? escape(money(l.reserve)) : '–(£[\\d,]+\\.\\d\\d)?'
          expect(row.trimEnd(), l.lotNumber).toMatch(new RegExp(`${last}$`))
        }
        if (l.reserve) expect(row, l.lotNumber).toContain(money(l.reserve))
        if (l.phoneBidders) expect(row, l.lotNumber).toContain(l.phoneBidders > 1 ? `℡${l.phoneBidders}` : '℡')
        else expect(row, l.lotNumber).not.toContain('℡')
      }
    }
    expect(seen.size).toBe(sample.length)
    expect(carried).toBe(sample.reduce((s, l) => s + (l.result === 'sold' ? l.price! : 0), 0))
    // The ruled rows for clerking by hand end the sheet, with a place to total them.
    expect(pageText(file, doc.pages)).toContain('written on this page')
  })
})

describe('the clerk sheet from the replica', () => {
  let sim: RunningSimulator
  let station: Station
  const cleanups: (() => void)[] = []

  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, lots: 60, clients: 40, quiet: true })
    const t = tempDir('saleroom-clerk-sheet-')
    cleanups.push(t.cleanup)
    station = await startStation(t.dir, sim.url, { name: 'Podium' })
    await station.pull('1')
  })
  afterAll(async () => {
    await station?.close()
    await sim?.close()
    for (const c of cleanups) c()
  })

  it('prints what the podium recorded: the hammer, PASS, WD, the reserve and the phone bidders', async () => {
    const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const session = board.sessions[0]
    const mine = board.lots.filter((l) => l.sessionId === session.id && l.status === 'available')
    const cards = await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
    const phoned = new Set(cards.flatMap((c) => c.lots.map((l) => l.itemId)))
    const [sold, passed, withdrawn] = mine.filter((l) => (l.reserve ?? 0) <= 5_000_00 && l.title.length < 30)
    const paddle = board.bidders.find((b) => b.type === 'floor')!.paddle
    await station.call('clerking.sell', { itemId: sold.id, paddle, amount: 5_000_00, confirm: true })
    await station.call('clerking.pass', { itemId: passed.id })
    await station.call('clerking.withdraw', { itemId: withdrawn.id })

    const r = await station.call<PrintResult>('print.clerkSheet', { sessionId: session.id })
    const text = execFileSync('pdftotext', ['-layout', r.path, '-'], { encoding: 'utf8' })
    const row = (title: string) => text.split('\n').find((line) => line.includes(title.slice(0, 25)))!
    expect(row(sold.title)).toMatch(new RegExp(`${paddle}\\s+£5,000\\.00\\s*$`))
    expect(row(passed.title)).toMatch(/PASS\s*$/)
    expect(row(withdrawn.title)).toMatch(/WD\s*$/)
    const reserved = board.lots.find((l) => l.sessionId === session.id && l.reserve && l.title.length < 30)!
    expect(row(reserved.title)).toContain(money(reserved.reserve!))
    const withPhone = board.lots.find((l) => phoned.has(l.id) && l.title.length < 30)
    if (withPhone) expect(row(withPhone.title)).toContain('℡')
    expect(text).toContain(`Carried forward ${money(5_000_00)}`)
  })
})
