// Must show: a 2,000-lot import shows progress and can be cancelled without a
// half-written lot. The cancel comes while lots are still being queued and
// sent; afterwards every lot Circuit has is whole (fields and dimensions),
// the ledger names exactly those, nothing else is waiting, and a new preview
// offers the rest.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ConnectorCounts, FairWarningPreview } from '../../src-shared/contract'
import type { ConnectorProgress } from '../../src-shared/events'
import { generatedCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { decodeItem } from '../../src-main/connectors/fairwarning/client'
import { mapItem } from '../../src-main/connectors/fairwarning/mapping'
import { DEMO_CATEGORY_MAP } from '../../src-main/connectors/fairwarning/catalogue'
import { startRig, WINTER, type Rig } from './rig'

const LOTS = 2000
let rig: Rig
beforeAll(async () => {
  rig = await startRig({ items: generatedCatalogue(LOTS) })
})
afterAll(() => rig?.close())

it('a 2,000-lot import reports its progress and stops on cancel between two lots', async () => {
  const p = await rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })
  expect(p.create).toHaveLength(LOTS)

  // Cancel once a quarter of the lots are queued: some are on Circuit, some on their way, most not queued.
  let cancelled: Promise<unknown> | null = null
  const off = rig.core.events.subscribe((name, payload) => {
    const e = payload as ConnectorProgress
    if (name !== 'connectors.progress' || cancelled || e.phase !== 'queueing' || e.done < LOTS / 4) return
    cancelled = rig.call('connectors.cancel', { jobId: e.jobId })
  })
  const counts = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
    saleId: WINTER,
    previewId: p.previewId
  })
  off()
  expect(cancelled).not.toBeNull()
  await cancelled

  const events = rig.progress.filter((e) => e.connector === 'fairwarning')
  const queueing = events.filter((e) => e.phase === 'queueing')
  // Progress came in steps, each further on, out of the whole.
  expect(queueing.length).toBeGreaterThan(3)
  expect(queueing.every((e) => e.total === LOTS)).toBe(true)
  expect(queueing.map((e) => e.done)).toEqual([...queueing.map((e) => e.done)].sort((a, b) => a - b))
  expect(events.at(-1)!.phase).toBe('cancelled')

  // What Circuit has: only whole lots, each exactly as mapped, each once.
  const onCircuit = rig.imported()
  expect(onCircuit.length).toBeGreaterThan(0)
  expect(onCircuit.length).toBeLessThan(LOTS)
  expect(new Set(onCircuit.map((i) => i.lot)).size).toBe(onCircuit.length)
  expect(counts.created).toBe(onCircuit.length)
  const byLot = new Map(rig.fw.items.map((w) => [`${w.item_lot}${w.item_lot_suffix}`, w]))
  const state = (await (await fetch(`${rig.circuit.url}/_sim/state`)).json()) as {
    items: {
      id: string
      lotNumber: number
      lotLetter: string
      title: string
      description: string
      estimateLow: number
      dimensions: { height: string }
    }[]
  }
  for (const item of onCircuit) {
    const wire = byLot.get(item.lot)!
    const decoded = decodeItem(wire)
    if (!decoded.ok) throw new Error(decoded.unreadable.problem)
    const m = mapItem(decoded.item, {
      categories: DEMO_CATEGORY_MAP,
      consignors: {},
      consignmentsByNumber: Object.fromEntries(
        [...rig.circuit.store.consignments.values()]
          .filter((c) => c.saleId === WINTER)
          .map((c) => [`${c.symbol}${c.subSymbol}`, c.id])
      ),
      dimensionUnit: 'in'
    })
    if (!m.ok) throw new Error(m.reason)
    const held = state.items.find((s) => s.id === item.id)!
    expect(held.title).toBe(m.fields.title)
    expect(held.description).toBe(m.fields.description)
    expect(held.estimateLow).toBe(m.fields.estimateLow ?? 0)
    expect(held.dimensions.height).toBe(m.fields.dimensions ? `${m.fields.dimensions.height}in` : '')
  }

  // The ledger names exactly the lots Circuit has; nothing of the import is left waiting.
  const db = rig.core.replica()!
  const links = db.sql<{ lot: string; state: string; target_id: string | null }>(
    `SELECT lot, state, target_id FROM connector_links WHERE source = 'fairwarning' ORDER BY lot`
  )
  expect(links.map((l) => l.lot).sort()).toEqual(onCircuit.map((i) => i.lot).sort())
  expect(links.every((l) => l.state === 'done' && l.target_id !== null)).toBe(true)
  const open = db.sql<{ n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE entity_type = 'imported_item' AND state NOT IN ('done', 'discarded')`
  )[0]
  expect(open.n).toBe(0)
  // Queued lots not yet sent were taken back (discarded, never sent): the cancel reached into the outbox too.
  const discarded = db.sql<{ n: number; sent: number }>(
    `SELECT count(*) AS n, count(sent_at) AS sent FROM outbox WHERE entity_type = 'imported_item' AND state = 'discarded'`
  )[0]
  expect(discarded.n).toBeGreaterThan(0)
  expect(discarded.sent).toBe(0)
  const audit = db.sql<{ action: string }>(`SELECT action FROM audit_log WHERE action = 'connectors.cancel'`)
  expect(audit).toHaveLength(1)

  // Preview again: what reached Circuit is unchanged, the rest is offered again.
  const again = await rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })
  expect(again.unchanged).toHaveLength(onCircuit.length)
  expect(again.create).toHaveLength(LOTS - onCircuit.length)
  expect(again.refused).toEqual([])
})
