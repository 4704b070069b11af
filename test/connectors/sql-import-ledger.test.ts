// Pins what the import's ledger and job queries do, beyond the happy path:
// an update queued for a lot already on Circuit keeps the link's Circuit id
// (COALESCE in the upsert), even when the update then stops on a conflict; and
// a job that both creates and updates lots counts each by its own kind.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { ConnectorCounts, FairWarningPreview } from '../../src-shared/contract'
import { generatedCatalogue } from '../../src-main/connectors/fairwarning/catalogue'
import { startRig, WINTER, type Rig } from './rig'

let rig: Rig
beforeAll(async () => {
  rig = await startRig({ items: generatedCatalogue(4) })
})
afterAll(() => rig?.close())

const preview = () => rig.call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: WINTER, filters: {} })
const importLots = (previewId: string) =>
  rig.call<ConnectorCounts>('connectors.fairwarning.import', { saleId: WINTER, previewId })
const linkOf = (sourceId: number) =>
  rig.core
    .replica()!
    .all(
      rig.core
        .replica()!
        .q.selectFrom('connector_links')
        .select(['lot', 'state', 'target_id'])
        .where('source', '=', 'fairwarning')
        .where('source_id', '=', String(sourceId))
    )

it('a job of creates and updates counts each kind; a stopped update keeps the Circuit id of its lot', async () => {
  const first = await importLots((await preview()).previewId)
  expect(first).toEqual({ created: 4, updated: 0, unchanged: 0, refused: 0 })
  const [a, b] = rig.fw.items
  const idOf = (lot: number) => rig.imported().find((i) => i.lot === String(lot))!.id
  const bId = idOf(b.item_lot as number)
  expect(linkOf(b.item_id)).toEqual([{ lot: String(b.item_lot), state: 'done', target_id: bId }])

  // Lot a changed in FairWarning only (an update that goes through); lot b changed in FairWarning and,
  // differently, on Circuit (its update ends in a conflict); one new item (a create).
  const circuitB = rig.circuit.store.items.get(bId)!
  circuitB.title = 'Retitled on Circuit'
  const added = generatedCatalogue(1, 520, 99001)[0]
  const items = [
    ...rig.fw.items.map((i) =>
      i.item_id === a.item_id || i.item_id === b.item_id ? { ...i, item_title: `${String(i.item_title)} (revised)` } : i
    ),
    added
  ]
  await fetch(`${rig.fw.url}/_sim/items`, { method: 'POST', body: JSON.stringify({ items }) })
  const p = await preview()
  expect(p.create.map((l) => l.sourceId)).toEqual([String(added.item_id)])
  expect(p.update.map((l) => l.sourceId).sort()).toEqual([String(a.item_id), String(b.item_id)].sort())

  const r = await importLots(p.previewId)
  expect(r).toEqual({ created: 1, updated: 1, unchanged: 2, refused: 1 })
  const last = rig.progress.filter((e) => e.connector === 'fairwarning').at(-1)!
  expect(last.problems?.map((x) => x.lot)).toEqual([String(b.item_lot)])

  // The update written as queued knew no Circuit id: the link kept the one it had.
  expect(linkOf(b.item_id)).toEqual([{ lot: String(b.item_lot), state: 'queued', target_id: bId }])
  expect(linkOf(a.item_id)[0].target_id).toBe(idOf(a.item_lot as number))
})
