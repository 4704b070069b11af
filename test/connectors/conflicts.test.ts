// An imported lot edited in Circuit meanwhile: the update is a conflict on the
// Sync screen (both versions), never an overwrite; the preview says the lot
// waits there; discarding our change, or taking Circuit's version, lets the
// next preview offer FairWarning's again as an update over Circuit's.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ConnectorCounts, FairWarningPreview, OutboxEntry } from '../../src-shared/contract'
import { generatedCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { startRig, WINTER, type Rig } from './rig'

let rig: Rig
beforeAll(async () => {
  rig = await startRig({ items: generatedCatalogue(4) })
  const p = await preview()
  await rig.call('connectors.fairwarning.import', { saleId: WINTER, previewId: p.previewId })
})
afterAll(() => rig?.close())

const preview = () => rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })
const circuitItem = (lot: number) =>
  [...rig.circuit.store.items.values()].find((i) => i.saleId === WINTER && i.lotNumber === lot)!

async function retitle(itemId: number, title: string) {
  const items = rig.fw.items.map((i) => (i.item_id === itemId ? { ...i, item_title: title } : i))
  await fetch(`${rig.fw.url}/_sim/items`, { method: 'POST', body: JSON.stringify({ items }) })
}

async function editOnCircuit(lot: number, title: string) {
  await fetch(`${rig.circuit.url}/_sim/station-edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ op: 'edit-item', item: circuitItem(lot).id, fields: { title } })
  })
}

async function conflictFor(lot: string): Promise<OutboxEntry> {
  const entries = await rig.call<OutboxEntry[]>('outbox.list', { limit: 50 })
  const e = entries.find((x) => x.entityId === `${WINTER}/${lot}`)!
  expect(e.state).toBe('conflict')
  return e
}

it('an update over a lot edited in Circuit is a conflict with both versions, and the preview says it waits', async () => {
  const first = rig.fw.items[0]
  await editOnCircuit(501, 'Hall chairs (edited in Circuit)')
  await retitle(first.item_id, 'Hall chairs (re-catalogued in FairWarning)')
  const p = await preview()
  expect(p.update.map((l) => l.lot)).toEqual(['501'])
  const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', { saleId: WINTER, previewId: p.previewId })
  expect(r).toEqual({ created: 0, updated: 0, unchanged: 3, refused: 1 })
  expect(circuitItem(501).title).toBe('Hall chairs (edited in Circuit)')
  const e = await conflictFor('501')
  expect(e.conflict!.ours).toMatch(/re-catalogued in FairWarning/)
  expect(e.conflict!.theirs).toMatch(/edited in Circuit/)
  const again = await preview()
  expect(again.refused).toEqual([
    expect.objectContaining({
      lot: '501',
      reason: 'its last change waits on the Sync screen (F4): conflict; settle it there first'
    })
  ])
})

it("discarded on the Sync screen, the change is offered again over Circuit's current version", async () => {
  const e = await conflictFor('501')
  await rig.call('outbox.discard', { seq: e.seq, confirm: true })
  const p = await preview()
  expect(p.update.map((l) => l.lot)).toEqual(['501'])
  const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', { saleId: WINTER, previewId: p.previewId })
  expect(r).toEqual({ created: 0, updated: 1, unchanged: 3, refused: 0 })
  expect(circuitItem(501).title).toBe('Hall chairs (re-catalogued in FairWarning)')
  expect(rig.imported()).toHaveLength(4)
})

it("take theirs keeps Circuit's version; the next preview offers FairWarning's as an update over it", async () => {
  const second = rig.fw.items[1]
  await editOnCircuit(502, 'Davenport (edited in Circuit)')
  await retitle(second.item_id, 'Davenport (re-catalogued in FairWarning)')
  const p = await preview()
  await rig.call('connectors.fairwarning.import', { saleId: WINTER, previewId: p.previewId })
  const e = await conflictFor('502')
  await rig.call('outbox.takeTheirs', { seq: e.seq })
  expect(circuitItem(502).title).toBe('Davenport (edited in Circuit)')
  const after = await preview()
  expect(after.update.map((l) => l.lot)).toEqual(['502'])
  expect(after.refused).toEqual([])
  // Imported after all: it goes over Circuit's version without a conflict.
  const r = await rig.call<ConnectorCounts>('connectors.fairwarning.import', {
    saleId: WINTER,
    previewId: after.previewId
  })
  expect(r).toMatchObject({ updated: 1, refused: 0 })
  expect(circuitItem(502).title).toBe('Davenport (re-catalogued in FairWarning)')
})
