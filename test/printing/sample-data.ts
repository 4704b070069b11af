// Sample data for the printing tests: one house, one of each document.
import { crc32, deflateSync } from 'node:zlib'
import type {
  ChequeData,
  ClerkSheetData,
  Currency,
  House,
  InvoiceData,
  InvoiceLine,
  PhoneBidderCardsData,
  ReceiptData
} from '../../src-main/printing'

export const GBP: Currency = {
  code: 'GBP',
  symbol: '£',
  template: '@symbol@amount',
  decimalSign: '.',
  thousandsSign: ',',
  decimals: 2
}
export const EUR: Currency = {
  code: 'EUR',
  symbol: '€',
  template: '@amount @symbol',
  decimalSign: ',',
  thousandsSign: '.',
  decimals: 2
}
export const USD: Currency = { ...GBP, code: 'USD', symbol: '$' }

export const CREATED = new Date(Date.UTC(2026, 2, 7, 18, 30, 0))

export const NAMES = {
  latin: 'Łukasz Dvořák',
  nordic: 'Zoë Ørsted',
  greek: 'Σοφία Παπαδοπούλου',
  cyrillic: 'Дмитрий Иванов',
  hebrew: 'שרה כהן',
  arabic: 'محمد العلي',
  chinese: '王小明',
  emoji: 'Ana Ruiz 🎨'
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A small RGBA PNG (a blue bar fading out), so the logo path with an alpha channel is exercised. */
export function logoPng(width = 96, height = 32): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8-bit RGBA, no interlace
  const rows: number[] = []
  for (let y = 0; y < height; y++) {
    rows.push(0) // filter: none
    for (let x = 0; x < width; x++) rows.push(20, 60, 160, 255 - Math.floor((x * 200) / width))
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from(rows))),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

export const HOUSE: House = {
  name: 'Hartley & Finch Auctioneers',
  address: '12 Market Street\nLewes BN7 2NB\nUnited Kingdom',
  vatNumber: 'GB 123 4567 89',
  logoPng: logoPng(),
  currency: GBP
}

export const SALE = { name: 'Fine Art & Antiques', date: '2026-03-05' }

export const INVOICE_LINES: InvoiceLine[] = [
  { lot: '12', description: 'A George III mahogany bureau', hammer: 120000, premium: 30000, tax: 6000 },
  {
    lot: '47A',
    description: 'Pair of Meissen figures',
    hammer: 85000,
    premium: 21250,
    tax: 4250,
    consignmentNumber: 'C-2231'
  },
  { lot: '103', description: 'Oil on canvas, harbour at dusk', hammer: 345000, premium: 86250, tax: 17250 }
]

export const INVOICE: InvoiceData = {
  house: HOUSE,
  numbering: { provisional: false, invoiceNumber: 'INV-10422' },
  issueDate: '2026-03-06',
  customerNumber: 'C-88412',
  paddle: '214',
  buyer: {
    name: 'Margaret Ellison',
    addressLines: ['4 Castle Lane', 'Ditchling BN6 8TA'],
    vatNumber: null
  },
  sale: SALE,
  lines: INVOICE_LINES,
  charges: [
    { label: 'Packing and shipping', amount: 4500, tax: 900, date: '2026-03-06' },
    { label: 'Storage', amount: 1200, tax: 240 }
  ],
  totals: { hammer: 550000, premium: 137500, tax: 28640, charges: 5700, grandTotal: 721840 },
  payments: [
    { date: '2026-03-06', methodLabel: 'Card', amount: 500000, reference: 'VISA •••• 4242' },
    { date: '2026-03-07', methodLabel: 'Bank transfer', amount: 100000, reference: 'HF-10422' }
  ],
  amountDue: 121840
}

export const PROVISIONAL_INVOICE: InvoiceData = {
  ...INVOICE,
  numbering: { provisional: true, provisionalNumber: 'P-0007' }
}

/** `count` invoice lines with lot numbers 1..count, for page-break tests. */
export function manyLines(count: number): InvoiceLine[] {
  return Array.from({ length: count }, (_, i) => ({
    lot: String(i + 1),
    description: `Lot description number ${i + 1}`,
    hammer: 10000 + i * 100,
    premium: 2500 + i * 25,
    tax: 500 + i * 5
  }))
}

export const RECEIPT: ReceiptData = {
  house: HOUSE,
  receiptNumber: 'R-5531',
  date: '2026-03-06',
  buyer: { name: 'Margaret Ellison', customerNumber: 'C-88412', paddle: '214' },
  orderNumber: 'O-77120',
  invoiceNumber: 'INV-10422',
  payment: { methodLabel: 'Card', details: 'VISA •••• 4242', amount: 500000, reference: 'AUTH 0941' },
  balanceRemaining: 221840
}

export const CHEQUE: ChequeData = {
  payee: 'Jonathan Whitcombe',
  amountMinor: 123456,
  currency: USD,
  date: '2026-03-07',
  memo: 'Consignment C-2231 settlement',
  chequeNumber: '004512',
  bankName: 'First Harbor Bank',
  accountLabel: 'Operating account ••• 9921'
}

export const PHONE_BIDDERS: PhoneBidderCardsData = {
  house: HOUSE,
  sale: SALE,
  bidders: [
    {
      name: 'Henry Castellane',
      paddle: 'T1',
      phone: '+44 7700 900123',
      staffMember: 'Alice Moreton',
      lots: [
        { lotNumber: '103', title: 'Oil on canvas, harbour at dusk', estimateLow: 300000, estimateHigh: 500000 },
        { lotNumber: '12', title: 'A George III mahogany bureau', estimateLow: 80000, estimateHigh: 120000 },
        { lotNumber: '47A', title: 'Pair of Meissen figures', estimateLow: 60000, estimateHigh: null }
      ]
    },
    {
      name: NAMES.cyrillic,
      paddle: 'T2',
      phone: '+7 495 555 0199',
      staffMember: NAMES.nordic,
      lots: [{ lotNumber: '9', title: 'Fabergé-style enamel box', estimateLow: 150000, estimateHigh: 250000 }]
    }
  ]
}

export const CLERK_SHEET: ClerkSheetData = {
  house: HOUSE,
  sale: SALE,
  sessionLabel: 'Session 1 (lots 1–4)',
  lots: [
    {
      lotNumber: '1',
      title: 'Victorian silver teapot',
      estimateLow: 20000,
      estimateHigh: 30000,
      paddle: '118',
      price: 26000
    },
    {
      lotNumber: '2',
      title: 'Set of six dining chairs',
      estimateLow: 40000,
      estimateHigh: 60000,
      paddle: null,
      price: null
    },
    {
      lotNumber: '3',
      title: 'Persian rug, 2.1 × 1.4 m',
      estimateLow: 50000,
      estimateHigh: 70000,
      paddle: '214',
      price: 65000
    },
    { lotNumber: '4', title: 'Longcase clock', estimateLow: null, estimateHigh: null, paddle: null, price: null }
  ],
  blankRows: 12
}
