// Must show: import and publish each run twice, the second with 30 % of
// answers lost after applying — exactly one Circuit item per FairWarning item
// and one Bidlogix item per lot, and the second run reports "unchanged".
// Real parts throughout: the three simulators over HTTP, a real station
// (SQLite file, outbox sender) between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BidlogixPreview, ConnectorCounts, FairWarningPreview } from '../../src-shared/contract'
import { generatedCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { startRig, WINTER, type Rig } from './rig'

const LOTS = Number(process.env.SALEROOM_CONNECTOR_LOTS ?? 60)

describe(`FairWarning → Circuit → Bidlogix, ${LOTS} lots, each run twice`, () => {
  let rig: Rig
  beforeAll(async () => {
    rig = await startRig({ items: generatedCatalogue(LOTS) })
  })
  afterAll(() => rig?.close())

  const fwPreview = () =>
    rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })
  const circuitLotsOf = (lots: string[]) => {
    const counts = new Map<string, number>()
    for (const i of rig.imported()) counts.set(i.lot, (counts.get(i.lot) ?? 0) + 1)
    return lots.map((l) => counts.get(l) ?? 0)
  }

  it('imports every FairWarning item once, through 500s and lost answers', async () => {
    await rig.faults('circuit', { error500Rate: 0.15, dropAfterApplyRate: 0.3 })
    await rig.faults('fw', { error500Rate: 0.2, dropAfterApplyRate: 0.3 })
    const p = await fwPreview()
    expect(p.total).toBe(LOTS)
    expect(p.refused).toEqual([])
    expect(p.create).toHaveLength(LOTS)
    const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
      saleId: WINTER,
      previewId: p.previewId
    })
    expect(r).toEqual({ created: LOTS, updated: 0, unchanged: 0, refused: 0 })
    // Exactly one Circuit item per FairWarning item: no lot twice, none missing.
    expect(circuitLotsOf(p.create.map((l) => l.lot))).toEqual(p.create.map(() => 1))
    expect(rig.imported()).toHaveLength(LOTS)
    // Lost answers were decided by the read-back, not by sending again.
    const db = rig.core.replica()!
    const states = db.sql<{ state: string; n: number }>(
      `SELECT state, count(*) AS n FROM outbox WHERE entity_type = 'imported_item' GROUP BY state`
    )
    expect(states).toEqual([{ state: 'done', n: LOTS }])
    const links = db.sql<{ n: number; linked: number }>(
      `SELECT count(*) AS n, count(target_id) AS linked FROM connector_links WHERE source = 'fairwarning' AND state = 'done'`
    )[0]
    expect(links).toEqual({ n: LOTS, linked: LOTS })
    const last = rig.progress.filter((e) => e.connector === 'fairwarning').at(-1)!
    expect(last.phase).toBe('done')
    expect(last.done).toBe(LOTS)
  })

  it('a second run with 30 % of answers lost sends nothing and reports every lot unchanged', async () => {
    await rig.faults('circuit', { dropAfterApplyRate: 0.3 })
    const p = await fwPreview()
    expect(p.create).toEqual([])
    expect(p.update).toEqual([])
    expect(p.unchanged).toHaveLength(LOTS)
    const before = (await (await fetch(`${rig.circuit.url}/_sim/stats`)).json()) as {
      data: { requests: Record<string, number> }
    }
    const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
      saleId: WINTER,
      previewId: p.previewId
    })
    expect(r).toEqual({ created: 0, updated: 0, unchanged: LOTS, refused: 0 })
    const after = (await (await fetch(`${rig.circuit.url}/_sim/stats`)).json()) as {
      data: { requests: Record<string, number> }
    }
    const posts = (s: typeof before) => s.data.requests['POST /api/v1.0/datatable-items'] ?? 0
    expect(posts(after)).toBe(posts(before))
    expect(rig.imported()).toHaveLength(LOTS)
    // The same preview imported again is still unchanged (safe to run twice).
    const again = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
      saleId: WINTER,
      previewId: p.previewId
    })
    expect(again).toEqual({ created: 0, updated: 0, unchanged: LOTS, refused: 0 })
  })

  it('a lot changed in FairWarning is updated, not created again', async () => {
    await rig.faults('circuit', { dropAfterApplyRate: 0.3 })
    const first = rig.fw.items[0]
    const changed = rig.fw.items.map((i) =>
      i.item_id === first.item_id
        ? { ...i, item_title: 'Pair of George III mahogany hall chairs (re-catalogued)', item_low_estimate: 95.5 }
        : i
    )
    await fetch(`${rig.fw.url}/_sim/items`, { method: 'POST', body: JSON.stringify({ items: changed }) })
    const p = await fwPreview()
    expect(p.update.map((l) => l.sourceId)).toEqual([String(first.item_id)])
    expect(p.unchanged).toHaveLength(LOTS - 1)
    const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
      saleId: WINTER,
      previewId: p.previewId
    })
    expect(r).toEqual({ created: 0, updated: 1, unchanged: LOTS - 1, refused: 0 })
    const item = [...rig.circuit.store.items.values()].find(
      (i) => i.saleId === WINTER && i.lotNumber === first.item_lot
    )!
    expect(item.title).toBe('Pair of George III mahogany hall chairs (re-catalogued)')
    expect(item.estimateLow).toBe(9550)
    expect(rig.imported()).toHaveLength(LOTS)
  })

  it('publishes every lot of the sale once, through lost answers; the second run reports unchanged', async () => {
    await rig.faults('circuit', { error500Rate: 0, dropAfterApplyRate: 0 })
    await rig.faults('bl', { error500Rate: 0.15, dropAfterApplyRate: 0.3 })
    const p = await rig.call<BidlogixPreview>('connectors.bidlogix.preview', { saleId: WINTER, auctionId: '1001' })
    const circuitLots = [...rig.circuit.store.items.values()].filter((i) => i.saleId === WINTER)
    expect(p.create).toHaveLength(circuitLots.length)
    expect(p.lotsLocked).toBe(false)
    expect(p.notes.join(' ')).toMatch(/DRAFT/)
    // The lots are not locked on Circuit: the call asks first, and sends nothing until confirmed.
    await expect(rig.call('connectors.bidlogix.publish', { saleId: WINTER, auctionId: '1001' })).rejects.toThrow(
      /needs_confirmation The lots of .* are not locked on Circuit/
    )
    expect(rig.bl.items()).toHaveLength(0)
    const r = await rig.call<ConnectorCounts>('connectors.bidlogix.publish', {
      saleId: WINTER,
      auctionId: '1001',
      confirm: true
    })
    expect(r).toEqual({ created: circuitLots.length, updated: 0, unchanged: 0, refused: 0 })
    const items = rig.bl.items()
    expect(items).toHaveLength(circuitLots.length)
    expect(new Set(items.map((i) => i.lotNumber)).size).toBe(circuitLots.length)
    expect(items.every((i) => i.statusId === 2)).toBe(true)
    const end = rig.progress.filter((e) => e.connector === 'bidlogix').at(-1)!
    expect(end.phase).toBe('done')
    expect(end.message).toMatch(/DRAFT — make them live in Bidlogix/)

    const second = await rig.call<ConnectorCounts>('connectors.bidlogix.publish', {
      saleId: WINTER,
      auctionId: '1001',
      confirm: true
    })
    expect(second).toEqual({ created: 0, updated: 0, unchanged: circuitLots.length, refused: 0 })
    expect(rig.bl.items()).toHaveLength(circuitLots.length)
  })
})
