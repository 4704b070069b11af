// audit.list answers each entry with what happened in words, from a real
// station that pulled the demo's sale over HTTP: names from the clients the
// pull brought, money in Circuit's currency, invoice numbers, never JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { AuditEntry, ClerkBoard } from '../../src-shared/contract'
import { tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 1, lots: 40, clients: 30, quiet: true })
  const t = tempDir('saleroom-audit-text-')
  cleanups.push(t.cleanup)
  station = await startStation(t.dir, sim.url, { name: 'Podium' })
  await station.pull('1')
})
afterAll(async () => {
  await station?.close()
  await sim?.close()
  for (const c of cleanups) c()
})

describe('the audit log in words', () => {
  it('says who bought a lot and for how much, what passed, what was undone, and what changed in the settings', async () => {
    const board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
    const [a, b] = board.lots.filter((l) => l.status === 'available' && (l.reserve ?? 0) <= 1_000_00)
    const bidder = board.bidders.find((x) => x.type === 'floor')!
    await station.call('clerking.sell', { itemId: a.id, paddle: bidder.paddle, amount: 1_000_00, confirm: true })
    await station.call('clerking.pass', { itemId: b.id })
    await station.call('clerking.undo', {})
    await station.call('settings.update', { userName: 'Ann' })

    const entries = await station.call<AuditEntry[]>('audit.list', { limit: 4 })
    const [last, first] = bidder.name.split(',').map((s) => s.trim())
    expect(entries.map((e) => e.text)).toEqual([
      'Settings: user name → Ann',
      `Undone: lot ${b.lot} not clerked again (was passed)`,
      `Lot ${b.lot} passed`,
      `Lot ${a.lot} sold to ${bidder.paddle} (${first[0]}. ${last}) for £1,000.00`
    ])
    for (const e of entries) expect(e.text).not.toMatch(/[{}"]|undefined|null/)
  })
})
