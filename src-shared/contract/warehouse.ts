// The warehouse: the collection desk (finding a buyer by a scanned tag, a
// paddle or an invoice number; releasing paid lots, unpaid ones only when
// confirmed), shipments and shipping boxes through the outbox, and the
// warehouse's paper (lot tags with a Code 128 barcode, pick lists, gate
// passes, packing slips). The names warehouse.release, warehouse.collections,
// warehouse.ship, warehouse.box, print.labels and print.pickList and their
// inputs are a public interface (venue scripts call them on /rpc).
import { z } from 'zod'
import { parseDecimalMinor } from '../money'
import { call, id, minor, paddle, searchText, singleLine } from './define'
import type { PrintResult } from './printing'

/** A lot that has gone out of the door: who took it and when. */
export interface Collection {
  itemId: string
  lot: string
  paddle: string | null
  collectedBy: string
  /** ISO time. */
  at: string
}

export interface ReleaseResult {
  /** The gate pass: print.releaseNote prints it. */
  releaseId: string
  collections: Collection[]
  /** What the user confirmed (unpaid, packed to ship); empty when nothing needed confirming. */
  confirmed: string[]
}

/** A release another station recorded, as the venue hub took it. */
export interface RecordReleaseResult {
  releaseId: string
  /** False: the hub held this release already (a replay), nothing changed. */
  recorded: boolean
}

/** What a scan or a typed text found at the desk. */
export interface DeskMatch {
  kind: 'lot' | 'paddle' | 'invoice'
  /** "Lot 269A — paddle 204, Marchetti, Laura", "Paddle 204 — Marchetti, Laura", "Invoice 5012 — …". */
  label: string
  /** The buyer to open; null when there is none (a lot not sold). */
  clientId: string | null
  itemId: string | null
  /** Why it cannot be opened, in words (a lot passed, withdrawn, not yet sold). */
  message: string | null
}

/** Where a shipment or a box is on its way to Circuit. */
export type SendState = 'waiting' | 'on_circuit' | 'needs_attention'

export interface DeskLot {
  itemId: string
  lot: string
  title: string
  hammer: number | null
  location: string | null
  orderId: string | null
  orderNumber: string | null
  /** Paid: its order has nothing due, or the buyer owes nothing over all their orders. */
  paid: boolean
  /** What is due on the lot's order (null: no order yet). */
  due: number | null
  collected: {
    collectedBy: string
    at: string
    releasedBy: string
    station: string
    releaseId: string
    note: string | null
    confirmedReason: string | null
  } | null
  shipmentId: string | null
  boxNumber: number | null
}

export interface DeskShipment {
  id: string
  serverId: string | null
  orderId: string
  method: string
  trackingNumber: string | null
  cost: number | null
  weightGrams: number | null
  lots: string[]
  state: SendState
  /** Circuit's refusal or the conflict, in words, while it needs attention. */
  problem: string | null
}

export interface DeskBox {
  id: string
  orderId: string
  boxNumber: number
  weightGrams: number | null
  dimensionsCm: { length: number; width: number; height: number } | null
  lots: string[]
  state: SendState
  problem: string | null
}

export interface DeskOrder {
  orderId: string
  number: string
  provisional: boolean
  status: string
  amountDue: number
  shipments: DeskShipment[]
  boxes: DeskBox[]
}

/** A buyer at the collection desk: every lot they bought in the sale, paid or not, out or not. */
export interface DeskBuyer {
  saleId: string
  clientId: string
  name: string
  customerNumber: string | null
  paddles: string[]
  /** The checkout's net outstanding over the buyer's orders (negative: a refund owed). */
  outstanding: number
  lots: DeskLot[]
  orders: DeskOrder[]
}

export interface ShipmentResult {
  shipment: DeskShipment
}

export interface BoxResult {
  box: DeskBox
}

export interface ShippingArea {
  id: string
  label: string
  description: string | null
  baseRate: number | null
}

/** "2.5" or 2.5 (kg) → 2500 g; null when it is not a weight (at most three decimals, at most 100,000 kg, above 0). */
export function gramsOf(kg: number | string): number | null {
  const text = typeof kg === 'number' ? (Number.isFinite(kg) ? String(kg) : '') : kg.trim()
  if (!/^\d+(\.\d+)?$/.test(text)) return null
  const g = parseDecimalMinor(text, { decimals: 3 })
  return g !== null && g > 0 && g <= 100_000_000 ? g : null
}

/** 30.5 (cm) → 305 mm; null when it is not a length (at most one decimal, above 0, at most 10 m). */
export function mmOf(cm: number | string): number | null {
  const text = typeof cm === 'number' ? (Number.isFinite(cm) ? String(cm) : '') : cm.trim()
  if (!/^\d+(\.\d+)?$/.test(text)) return null
  const mm = parseDecimalMinor(text, { decimals: 1 })
  return mm !== null && mm > 0 && mm <= 10_000 ? mm : null
}

// A number (2.5) or decimal text ("2.5"); checked digit by digit (gramsOf, mmOf), never through a float.
const weightKg = z
  .union([z.number().positive().max(100_000), z.string().regex(/^\d{1,6}(\.\d{1,3})?$/, 'A weight like 2.5.')])
  .refine((v) => gramsOf(v) !== null, 'A weight in kilograms above 0, at most three decimals (2.5), at most 100,000.')
const length = z
  .union([z.number().positive().max(1000), z.string().regex(/^\d{1,4}(\.\d)?$/, 'A length like 30.5.')])
  .refine((v) => mmOf(v) !== null, 'A length in centimetres above 0, at most one decimal (30.5), at most 1,000.')
const dimensionsCm = z.object({ length, width: length, height: length }).strict()
const itemIds = z.array(id).min(1).max(500)
const printTo = { printer: singleLine(200).optional() }

export const warehouseCalls = {
  'warehouse.find': call<DeskMatch[]>()(
    z
      .object({
        saleId: id,
        q: searchText,
        /** A scanned tag is a lot number: only lots are looked for. */
        scanned: z.boolean().optional()
      })
      .strict(),
    {
      mutates: false,
      summary:
        'The collection desk: what a scanned tag (a lot number) or a typed lot number, paddle or invoice number finds in the sale'
    }
  ),
  'warehouse.buyer': call<DeskBuyer>()(z.object({ saleId: id, clientId: id }).strict(), {
    mutates: false,
    summary:
      "Every lot a buyer bought in the sale: paid or not (the checkout's balance), released or not and to whom, location, shipments and boxes"
  }),
  'warehouse.release': call<ReleaseResult>()(
    z
      .object({
        itemIds,
        /** Who took the lots away: the buyer, or their carrier or agent. */
        collectedBy: singleLine(120),
        note: singleLine(300).optional(),
        /** Release lots the desk sees unpaid (or packed to ship): the reasons are kept with them. */
        confirm: z.boolean().optional()
      })
      .strict(),
    {
      mutates: true,
      summary:
        'Hand lots of one buyer out of the door (kept on this station; Circuit has no field for it). An unpaid lot, or one packed to ship, answers needs_confirmation (fields.reasons) unless confirm is true; then it is recorded with the reason and audited with who'
    }
  ),
  'warehouse.recordRelease': call<RecordReleaseResult>()(
    z
      .object({
        /** The release id the station made (unique across stations). */
        id,
        saleId: id,
        clientId: id.nullable(),
        collectedBy: singleLine(120),
        note: singleLine(300).nullable(),
        releasedBy: singleLine(200),
        station: singleLine(60),
        /** ISO time of the release at its station. */
        at: z.string().datetime({ offset: true }),
        lots: z
          .array(
            z
              .object({
                itemId: id,
                lot: singleLine(40),
                paddle: singleLine(40).nullable(),
                confirmedReason: z.string().max(4000).nullable()
              })
              .strict()
          )
          .min(1)
          .max(500)
      })
      .strict(),
    {
      mutates: true,
      summary:
        'The venue hub takes a release another station recorded (its POST saleroom-collections), kept as made there; the same release id again changes nothing. Collections are shared through the hub, never sent to Circuit'
    }
  ),
  'warehouse.collections': call<Collection[]>()(z.object({ saleId: id }).strict(), {
    mutates: false,
    summary: 'Every lot of the sale that has gone out of the door: lot, paddle, who collected it and when'
  }),
  'warehouse.ship': call<ShipmentResult>()(
    z
      .object({
        orderId: id,
        itemIds,
        /** The carrier and service, e.g. "FedEx Ground". */
        method: singleLine(100),
        tracking: singleLine(100).optional(),
        costMinor: minor.nonnegative().optional(),
        weightKg: weightKg.optional(),
        dimensionsCm: dimensionsCm.optional()
      })
      .strict(),
    {
      mutates: true,
      summary:
        "Ship lots of a buyer's order: sent to Circuit (POST shipments) through the outbox, read back first so a lost answer is never doubled, and checked against what Circuit recorded. A lot ships once"
    }
  ),
  'warehouse.box': call<BoxResult>()(
    z
      .object({
        orderId: id,
        itemIds,
        boxNumber: z.union([z.number().int().min(1).max(9999), z.string().regex(/^[1-9]\d{0,3}$/, 'A box number.')]),
        weightKg,
        dimensionsCm
      })
      .strict(),
    {
      mutates: true,
      summary:
        'Pack lots of an order in a numbered box (the same number again changes that box): sent to Circuit (POST shipping-box) through the outbox, read back first, never doubled. A lot goes in one box'
    }
  ),
  'warehouse.shippingAreas': call<ShippingArea[]>()(z.object({}).strict(), {
    mutates: false,
    summary: "Circuit's shipping areas and their base rates, as last pulled"
  })
} as const

/** The warehouse's paper: declared with the other print calls' shape, made by printing. */
export const warehousePrintCalls = {
  'print.labels': call<PrintResult>()(
    z
      .object({
        saleId: id,
        /** These lots only; all the sale's lots when absent. */
        itemIds: z.array(id).min(1).max(2000).optional(),
        stock: z.enum(['label-62x29', 'a4-24']),
        ...printTo
      })
      .strict(),
    {
      mutates: false,
      summary:
        'Lot tags: a Code 128 barcode of the lot number, the sale, the title and the paddle once sold; one 62 × 29 mm label each, or A4 sheets of 24'
    }
  ),
  'print.pickList': call<PrintResult>()(z.object({ saleId: id, paddle: paddle.optional(), ...printTo }).strict(), {
    mutates: false,
    summary: 'Every paid lot not yet handed out (of one paddle, if given), sorted by location'
  }),
  'print.releaseNote': call<PrintResult>()(z.object({ releaseId: id, ...printTo }).strict(), {
    mutates: false,
    summary: 'The gate pass of a release: the lots, the buyer, who collected them, a signature line'
  }),
  'print.packingSlip': call<PrintResult>()(z.object({ shipmentId: id, ...printTo }).strict(), {
    mutates: false,
    summary: "A shipment's packing slip: its lots, and which box each is in"
  })
} as const
