// The previews on the demo's catalogue: what fits, what collides with the
// Circuit sale, what cannot be mapped — each refused with its reason; the
// mapping tables let a refused lot through; a Bidlogix lot number someone
// else holds is a conflict, never claimed; keys stay out of the replica, the
// audit and the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BidlogixPreview, ConnectorCounts, ConnectorsStatus, FairWarningPreview } from '../../src-shared/contract'
import { demoCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { BL_KEY, FW_KEY, startRig, WINTER, type Rig } from './rig'

let rig: Rig
beforeAll(async () => {
  rig = await startRig({ items: demoCatalogue() })
})
afterAll(() => rig?.close())

const preview = () => rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })

describe('the FairWarning preview', () => {
  it('lists the lots to create and refuses the rest, each with its reason', async () => {
    const p = await preview()
    expect(p.saleLabel).toBe('Winter Interiors')
    expect(p.total).toBe(39)
    expect(p.create.map((l) => l.lot)).toContain('505A')
    expect(p.create).toHaveLength(31)
    const reasons = Object.fromEntries(p.refused.map((r) => [r.lot, r.reason]))
    expect(reasons).toEqual({
      '38': 'lot 38 is already in this sale on Circuit ("' + titleOf('38') + '")',
      '40': 'lot 40 is already in this sale on Circuit ("' + titleOf('40') + '")',
      '520': 'FairWarning holds lot 520 twice (items 88021 and 88107); only the first is imported',
      '531BIS': 'its lot suffix "BIS" is longer than one character; a Circuit lot takes one letter (269A)',
      '532': 'FairWarning category 99 has no Circuit category — choose one in the category table',
      '533': 'low estimate 250.125 has more than two decimals',
      '534': 'consignor Z9 has no consignment in this Circuit sale — choose one in the consignor table',
      '535': 'its low estimate 800 is above its high estimate 600'
    })
    expect(p.collisions).toEqual(['38', '40'])
    expect(p.unmapped).toEqual({ categories: ['99'], consignors: ['Z9'] })
    // What has no counterpart is listed on the lot, not lost silently.
    const lot503 = p.create.find((l) => l.lot === '503')!
    expect(lot503.warnings.join(' ')).toMatch(/buy-it-now 450.*timed bidding.*shelf location "Bay 4, shelf B"/)
  })

  it('a row in the category and consignor tables lets those lots through', async () => {
    const choices = await rig.call<{ categories: { id: string }[]; consignments: { id: string; label: string }[] }>(
      'connectors.circuitChoices',
      { saleId: WINTER }
    )
    expect(choices.consignments.map((c) => /A-1|B-1|C-1/.exec(c.label)?.[0])).toEqual(['A-1', 'B-1', 'C-1'])
    await rig.call('connectors.fairwarning.mapCategory', {
      fairwarningCategory: '99',
      circuitCategory: choices.categories[0].id
    })
    await rig.call('connectors.fairwarning.mapConsignor', {
      saleId: WINTER,
      consignor: 'Z9',
      consignmentId: choices.consignments[1].id
    })
    const p = await preview()
    expect(p.create.map((l) => l.lot)).toEqual(expect.arrayContaining(['532', '534']))
    expect(p.refused.map((l) => l.lot).sort()).toEqual(['38', '40', '520', '531BIS', '533', '535'])
    expect(p.unmapped).toEqual({ categories: [], consignors: [] })
  })

  it('an unknown sale, an unknown preview and a bad filter are clear errors that change nothing', async () => {
    expect(await rig.send('connectors.fairwarning.preview', { saleId: '999', filters: {} })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'Circuit has no sale 999.' }
    })
    expect(await rig.send('connectors.fairwarning.import', { saleId: WINTER, previewId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' }
    })
    expect(
      await rig.send('connectors.fairwarning.preview', { saleId: WINTER, filters: { lotFrom: 'x' } })
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' }
    })
  })
})

function titleOf(lot: string): string {
  return [...rig.circuit.store.items.values()].find(
    (i) => i.saleId === WINTER && `${i.lotNumber}${i.lotLetter}` === lot
  )!.title
}

describe('Bidlogix', () => {
  it('a lot number Bidlogix holds that was not published from here is a conflict, not claimed as ours', async () => {
    const p = await preview()
    await rig.call<ConnectorCounts>('connectors.fairwarning.import', { saleId: WINTER, previewId: p.previewId })
    // Someone else put lot 7 into the auction first.
    const r = await fetch(`${rig.bl.url}/auction-mgt/bdxapi/items/1001?clientId=42`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-name': 'bidlogixapi', 'x-api-password': BL_KEY },
      body: JSON.stringify({
        '@class': 'x',
        collection: [{ '@class': 'x', type: 'Lot', lotNumber: '7', title: 'Not ours' }]
      })
    })
    expect(r.status).toBe(200)
    const withdrawn = [...rig.circuit.store.items.values()].find((i) => i.saleId === WINTER && i.lotNumber === 9)!
    await fetch(`${rig.circuit.url}/_sim/station-edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'withdraw', item: withdrawn.id })
    })
    const bp = await rig.call<BidlogixPreview>('connectors.bidlogix.preview', { saleId: WINTER, auctionId: 1001 })
    expect(bp.refused).toEqual([
      {
        sourceId: withdrawn.id,
        lot: '9',
        title: withdrawn.title,
        reason: 'withdrawn on Circuit: not published',
        warnings: []
      }
    ])
    const counts = await rig.call<ConnectorCounts>('connectors.bidlogix.publish', {
      saleId: WINTER,
      auctionId: '1001',
      confirm: true
    })
    expect(counts.refused).toBe(2)
    const end = rig.progress.filter((e) => e.connector === 'bidlogix').at(-1)!
    expect(end.problems).toEqual([
      { lot: '7', reason: 'Bidlogix already has lot 7 in auction 1001, not published from here' }
    ])
    expect(rig.bl.items().filter((i) => i.lotNumber === '7')).toEqual([expect.objectContaining({ title: 'Not ours' })])
    // The image address kept from FairWarning travels to Bidlogix.
    const lot504 = rig.bl.items().find((i) => i.lotNumber === '504')!
    expect(lot504.images.map((i) => i.url)).toEqual(['https://images.example-auctions.test/items/88004-full.jpg'])
    // Published again: the conflict is still shown; nothing is created twice.
    const again = await rig.call<ConnectorCounts>('connectors.bidlogix.publish', {
      saleId: WINTER,
      auctionId: '1001',
      confirm: true
    })
    expect(again.created).toBe(0)
    expect(again.refused).toBe(2)
  })
})

describe('keys', () => {
  it('are kept in the secret store: never in the replica, the audit or the answers', async () => {
    const before = await rig.call<ConnectorsStatus>('connectors.status')
    expect(before.fairwarning.keySet).toBe(true)
    expect(before.fairwarning.fromEnvironment).toBe(true)
    // From the environment they cannot be changed here.
    expect(await rig.send('connectors.fairwarning.configure', { key: 'other' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' }
    })
    await rig.call('connectors.fairwarning.configure', { limitMeaning: 'count', dimensionUnit: 'cm' })
    const db = rig.core.replica()!.raw
    const everything = JSON.stringify(
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'"
        )
        .all()
        .map((t) => db.prepare(`SELECT * FROM "${(t as { name: string }).name}"`).all())
    )
    for (const k of [FW_KEY, BL_KEY, 'priv-key']) expect(everything).not.toContain(k)
    expect(JSON.stringify(before)).not.toContain('priv-key')
  })
})
