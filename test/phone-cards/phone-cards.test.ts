// Phone-bidder cards through a real station (SQLite file, outbox sender) and
// the simulator over HTTP: made, changed, moved and deleted here, found on
// Circuit once; refused when one caller would take two bidders on a lot.
import { cardById } from '../../src-main/phone-cards/cards'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import type { ClerkBoard, PhoneCard, PhoneCardsOptions } from '../../src-shared/contract'
import { snapshotTables, tempDir } from '../helpers'
import { startStation, type Station } from '../sync/stations'

let sim: RunningSimulator
let station: Station
let board: ClerkBoard
const cleanups: (() => void)[] = []

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, lots: 60, clients: 40, quiet: true })
  const data = tempDir('saleroom-phone-')
  cleanups.push(data.cleanup)
  station = await startStation(data.dir, sim.url, { name: 'Phones' })
  await station.pull('1')
  board = await station.call<ClerkBoard>('clerking.board', { saleId: '1' })
})
afterAll(async () => {
  await station.close()
  await sim.close()
  for (const c of cleanups) c()
})

const simCard = (sessionId: string, clientId: string) =>
  [...sim.store.phoneCards.values()].find((c) => c.sessionId === sessionId && c.clientId === clientId)
const lotIds = (lots: string[]) => lots.map((l) => board.lots.find((x) => x.lot === l)!.id).sort()

describe('phone-bidder cards', () => {
  it("lists a session's cards as Circuit holds them, with staff to choose from", async () => {
    const session = board.sessions[0]
    const cards = await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
    const onSim = [...sim.store.phoneCards.values()].filter((c) => c.sessionId === session.id)
    expect(cards.map((c) => c.clientId).sort()).toEqual(onSim.map((c) => c.clientId).sort())
    for (const card of cards) {
      const s = onSim.find((c) => c.clientId === card.clientId)!
      expect(card.lots.map((l) => l.itemId).sort()).toEqual([...s.lots].sort())
      expect(card.staffName).toBe(sim.store.staff.get(s.staffId)!.name)
      expect(card.phonePaddle).toBe(true)
    }
    const options = await station.call<PhoneCardsOptions>('phoneCards.options', { sessionId: session.id })
    expect(options.staff.filter((s) => s.phoneStaff).map((s) => s.name)).toEqual(
      [...sim.store.staff.values()]
        .filter((s) => s.roles.includes('phone_staff'))
        .map((s) => s.name)
        .sort()
    )
  })

  it('adds, changes, moves a lot between and deletes cards; Circuit ends with each change once', async () => {
    const session = board.sessions[0]
    const floor = board.bidders.filter((b) => b.type === 'floor')
    const [a, b] = [floor[0], floor[1]]
    const first = board.lots.filter((l) => l.sessionId === session.id)

    const cardA = await station.call<PhoneCard>('phoneCards.save', {
      card: {
        sessionId: session.id,
        paddle: a.paddle,
        phone: '+44 20 7946 0001',
        staffId: '4',
        lots: [first[0].lot, `${first[2].lot}-${first[4].lot}`]
      }
    })
    expect(cardA.id).toMatch(/^local-/)
    expect(cardA.pending).toBe(true)
    expect(cardA.lots.map((l) => l.lot)).toEqual([first[0].lot, first[2].lot, first[3].lot, first[4].lot])
    expect(cardA.phonePaddle).toBe(false) // a floor paddle: the screen says Circuit cannot make a phone one
    const cardB = await station.call<PhoneCard>('phoneCards.save', {
      card: { sessionId: session.id, clientId: b.clientId, staffId: '5', lots: [first[1].lot] }
    })
    await station.settle()

    expect(simCard(session.id, a.clientId)).toMatchObject({
      paddle: a.paddle,
      phone: '+44 20 7946 0001',
      staffId: '4',
      lots: lotIds([first[0].lot, first[2].lot, first[3].lot, first[4].lot])
    })
    expect(simCard(session.id, b.clientId)).toMatchObject({ staffId: '5', lots: [first[1].id] })
    // Circuit's id replaced the local one in place.
    const listed = await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
    const nowA = listed.find((c) => c.clientId === a.clientId)!
    expect(nowA.id).toBe(simCard(session.id, a.clientId)!.id)
    expect(nowA.pending).toBe(false)
    // A screen still holding the local id finds the card under Circuit's.
    expect(cardById(station.core.replica()!, cardA.id)).toMatchObject({ id: nowA.id, clientId: a.clientId })
    const nowB = listed.find((c) => c.clientId === b.clientId)!

    // Move a lot from A's card to B's: one action, both cards change on Circuit.
    const moved = await station.call<{ from: PhoneCard; to: PhoneCard }>('phoneCards.moveLot', {
      lot: first[3].lot,
      fromCardId: nowA.id,
      toCardId: nowB.id
    })
    expect(moved.to.lots.map((l) => l.lot)).toEqual([first[1].lot, first[3].lot])
    await station.settle()
    expect(simCard(session.id, a.clientId)!.lots).toEqual(lotIds([first[0].lot, first[2].lot, first[4].lot]))
    expect(simCard(session.id, b.clientId)!.lots).toEqual(lotIds([first[1].lot, first[3].lot]))
    expect(cardB.id).not.toBe(nowB.id)

    await station.call('phoneCards.delete', { cardId: nowB.id })
    await station.settle()
    expect(simCard(session.id, b.clientId)).toBeUndefined()
    expect(station.core.pusher()!.totals.sent).toBeGreaterThanOrEqual(5)
  })

  it('refuses one caller on two bidders for the same lot, and changes nothing', async () => {
    const session = board.sessions[0]
    const floor = board.bidders.filter((b) => b.type === 'floor')
    const lot = board.lots.filter((l) => l.sessionId === session.id)[10]
    await station.call('phoneCards.save', {
      card: { sessionId: session.id, paddle: floor[5].paddle, staffId: '3', lots: [lot.lot] }
    })
    const before = snapshotTables(station.core.replica()!.raw)
    const r = await station.send('phoneCards.save', {
      card: { sessionId: session.id, paddle: floor[6].paddle, staffId: '3', lots: [lot.lot] }
    })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('conflict')
      expect(r.error.message).toContain(`for lot ${lot.lot}: one caller cannot take two bidders on the same lot`)
    }
    expect(snapshotTables(station.core.replica()!.raw)).toEqual(before)
    await station.settle()
  })

  it('refuses lots outside the session, unknown paddles and unknown staff, with the reason', async () => {
    const [s1, s2] = board.sessions
    const other = board.lots.find((l) => l.sessionId === s2.id)!
    const floor = board.bidders.filter((b) => b.type === 'floor')
    const outside = await station.send('phoneCards.save', {
      card: { sessionId: s1.id, paddle: floor[7].paddle, lots: [other.lot] }
    })
    expect(!outside.ok && outside.error.message).toContain(`is not in session ${s1.number}`)
    const unknown = await station.send('phoneCards.save', { card: { sessionId: s1.id, paddle: '999999', lots: [] } })
    expect(!unknown.ok && unknown.error.message).toContain("Circuit's API has no way to create a phone paddle")
    const staff = await station.send('phoneCards.save', {
      card: { sessionId: s1.id, paddle: floor[7].paddle, staffId: '77', lots: [] }
    })
    expect(!staff.ok && staff.error.code).toBe('not_found')
    const badLot = await station.send('phoneCards.save', {
      card: { sessionId: s1.id, paddle: floor[7].paddle, lots: ['12; DROP TABLE'] }
    })
    expect(!badLot.ok && badLot.error.code).toBe('invalid_input')
  })

  it('a card changed on Circuit after ours was based on it is a conflict, settled by keeping ours', async () => {
    const session = board.sessions[1]
    const cards = await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
    const card = cards[0]
    // The web back office moves the card to another caller first.
    const onSim = simCard(session.id, card.clientId)!
    onSim.staffId = onSim.staffId === '3' ? '4' : '3'
    onSim.updated += 1000
    const onCards = new Set([...sim.store.phoneCards.values()].flatMap((c) => c.lots))
    const lot = board.lots.filter((l) => l.sessionId === session.id).find((l) => !onCards.has(l.id))!
    await station.call('phoneCards.save', {
      card: {
        id: card.id,
        sessionId: session.id,
        clientId: card.clientId,
        lots: [...card.lots.map((l) => l.lot), lot.lot]
      }
    })
    await station.settle()
    const conflicts = station.core
      .replica()!
      .raw.prepare(`SELECT seq FROM outbox WHERE entity_type = 'phone_card' AND state = 'conflict'`)
      .all() as { seq: number }[]
    expect(conflicts).toHaveLength(1)
    await station.call('outbox.keepMine', { seq: conflicts[0].seq })
    await station.settle()
    expect(simCard(session.id, card.clientId)!.lots).toContain(lot.id)
  })

  it('a card made here keeps answering to its local id after Circuit replaces it (the screen still holds that id)', async () => {
    const session = board.sessions[1]
    const taken = new Set(
      [...sim.store.phoneCards.values()].filter((c) => c.sessionId === session.id).map((c) => c.clientId)
    )
    const floor = board.bidders.filter((b) => b.type === 'floor' && !taken.has(b.clientId))
    const onCards = new Set([...sim.store.phoneCards.values()].flatMap((c) => c.lots))
    const free = board.lots.filter((l) => l.sessionId === session.id && !onCards.has(l.id))
    const made = await Promise.all(
      [floor[0], floor[1]].map((b, i) =>
        station.call<PhoneCard>('phoneCards.save', {
          card: {
            sessionId: session.id,
            paddle: b.paddle,
            staffId: i === 0 ? '3' : '4',
            lots: [free[i * 2].lot, free[i * 2 + 1].lot]
          }
        })
      )
    )
    expect(made.map((c) => c.id)).toEqual([expect.stringMatching(/^local-/), expect.stringMatching(/^local-/)])
    // Circuit answers: the rows now carry Circuit's ids.
    await station.settle()
    expect(
      (await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })).map((c) => c.id)
    ).not.toContain(made[0].id)
    // The clerk moves a lot using the ids on screen, made before Circuit answered.
    const moved = await station.call<{ from: PhoneCard; to: PhoneCard }>('phoneCards.moveLot', {
      fromCardId: made[0].id,
      toCardId: made[1].id,
      lot: free[0].lot
    })
    expect(moved.from.id).not.toMatch(/^local-/)
    expect(moved.to.lots.map((l) => l.itemId)).toContain(free[0].id)
    await station.settle()
    expect(simCard(session.id, floor[1].clientId)!.lots).toContain(free[0].id)
  })

  it("a Circuit that does not keep a card's caller (our extension) still verifies it, and the station keeps its caller", async () => {
    await fetch(`${sim.url}/_sim/shapes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropPhoneCardStaff: true })
    })
    try {
      const session = board.sessions[0]
      const taken = new Set(
        [...sim.store.phoneCards.values()].filter((c) => c.sessionId === session.id).map((c) => c.clientId)
      )
      const bidder = board.bidders.filter((b) => b.type === 'floor' && !taken.has(b.clientId))[0]
      const onCards = new Set([...sim.store.phoneCards.values()].flatMap((c) => c.lots))
      const lot = board.lots.filter((l) => l.sessionId === session.id && !onCards.has(l.id))[0]
      await station.call<PhoneCard>('phoneCards.save', {
        card: { sessionId: session.id, paddle: bidder.paddle, staffId: '4', lots: [lot.lot] }
      })
      await station.settle()
      // Sent once, acknowledged: no stop, no conflict.
      const open = station.core
        .replica()!
        .raw.prepare(`SELECT state FROM outbox WHERE entity_type = 'phone_card' AND state NOT IN ('done', 'discarded')`)
        .all()
      expect(open).toEqual([])
      expect(simCard(session.id, bidder.clientId)!.lots).toEqual([lot.id])
      // The station still shows who calls the bidder.
      const cards = await station.call<PhoneCard[]>('phoneCards.list', { sessionId: session.id })
      expect(cards.find((c) => c.clientId === bidder.clientId)).toMatchObject({ staffId: '4' })
    } finally {
      await fetch(`${sim.url}/_sim/shapes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dropPhoneCardStaff: false })
      })
    }
  })
})
