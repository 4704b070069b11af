// The papers the collection desk prints, each shown in the print preview
// first: the pick list, the gate pass of a release, a shipment's packing
// slip, lot tags.
import type { DeskScreen } from './desk-screen.svelte'

/** The sale's pick list, or one paddle's (Alt+L: the open buyer's). */
export function printPickList(screen: DeskScreen, paddle?: string): void {
  const saleId = screen.saleId
  void screen.printDoc('Pick list', (printer) => screen.app.api.call('print.pickList', { saleId, paddle, printer }))
}

/** Alt+G: the gate pass (release note) of the release made last. */
export function printGatePass(screen: DeskScreen): void {
  const releaseId = screen.lastRelease
  if (!releaseId) screen.say('Release lots first (Alt+R): the gate pass is for a release.', 'warning')
  else
    void screen.printDoc('Release note', (printer) => screen.app.api.call('print.releaseNote', { releaseId, printer }))
}

/** Alt+K: the packing slip of the shipment made last (here, or the buyer's latest). */
export function printPackingSlip(screen: DeskScreen): void {
  const shipmentId = screen.lastShipment ?? screen.buyer?.orders.flatMap((o) => o.shipments).at(-1)?.id
  if (!shipmentId) screen.say('There is no shipment to print a packing slip for (Alt+S ships).', 'warning')
  else
    void screen.printDoc('Packing slip', (printer) => screen.app.api.call('print.packingSlip', { shipmentId, printer }))
}

/** Alt+T: tags for the picked lots, or all the buyer's. */
export function printTags(screen: DeskScreen): void {
  const saleId = screen.saleId
  const itemIds = (screen.pickedLots.length ? screen.pickedLots : (screen.buyer?.lots ?? [])).map((l) => l.itemId)
  void screen.printDoc('Lot tags', (printer) =>
    screen.app.api.call('print.labels', { saleId, itemIds, stock: 'label-62x29', printer })
  )
}
