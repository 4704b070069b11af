// The Bidlogix create-items page's own samples and contradictions, each read
// the way bidlogix/README.md decides, and the mapping from a Circuit lot.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CircuitItem } from '../../src-main/circuit'
import {
  amountFor,
  estimateSummary,
  mapLot,
  premiumOf,
  type PublishSettings
} from '../../src-main/connectors/bidlogix/mapping'
import {
  COLLECTION_CLASS,
  credentialHeaders,
  duplicateLots,
  ITEM_CLASS,
  readErrorModel,
  signature
} from '../../src-main/connectors/bidlogix/protocol'
import { DEFAULT_CURRENCY } from '../../src-shared/money'

/** Response 2 exactly as the page prints it: colons lost, trailing commas, non-breaking spaces. */
const RESPONSE_2 = readFileSync(join(__dirname, 'fixtures/bidlogix-response-2.txt'), 'utf8')

/** The repair a reader has to make: put back the colons, drop trailing commas. */
function repaired(text: string): unknown {
  const t = text
    .replace(/\u00a0/g, ' ')
    .replace(/"([A-Za-z@0-9_]+)"(?=["\dntf\-[{])/g, '"$1":')
    .replace(/,(\s*[}\]])/g, '$1')
  return JSON.parse(t)
}

// Request 1 and its response, and the error example, as the page gives them
// once the braces its copy lost are put back.
const REQUEST_1 = {
  '@class': 'com.bidlogix.scaffold.models.BackboneCollectionModel',
  collection: [
    { type: 'Listing', '@class': 'com.bidlogix.scaffold.models.auctionapi.ItemApiModel' },
    { type: 'Listing', '@class': 'com.bidlogix.scaffold.models.auctionapi.ItemApiModel' }
  ]
}
const ERROR_EXAMPLE = {
  '@class': '.ErrorModel',
  failed: true,
  field: null,
  code: 'BIDLOGIX_API',
  message:
    "Could not read JSON: Can not construct instance of java.math.BigDecimal from String value 'dfsdf': not a valid representation",
  loggedIn: false
}

const settings: PublishSettings = {
  moneyUnit: 'whole',
  vendorId: 10,
  categoryId: 2,
  webcast: false,
  currency: DEFAULT_CURRENCY
}

function lot(patch: Partial<CircuitItem> = {}): CircuitItem {
  return {
    id: '345',
    saleId: '3',
    lot: '269A',
    lotNumber: 269,
    lotLetter: 'A',
    title: 'George III silver sauceboat',
    description: 'London 1768.',
    estimateLow: 40000,
    estimateHigh: 60000,
    reserve: 32050,
    openingPrice: 20099,
    hammer: null,
    status: 'available',
    winnerClientId: null,
    winnerPaddle: null,
    consignmentId: '12',
    consignorName: null,
    category: '51',
    updated: null,
    raw: { images: [{ id: '1', url: 'https://cdn.example.test/vase-1.jpg' }] },
    ...patch
  }
}

describe("the docs' samples", () => {
  it('response 2 as printed is not JSON; repaired, its item reads (type "Listing" although a BulkBuyItem was sent)', () => {
    expect(() => JSON.parse(RESPONSE_2)).toThrow()
    const r = repaired(RESPONSE_2) as {
      '@class': string
      collection: { id: number; type: string; lotNumber: string; statusId: number }[]
    }
    // Answers abbreviate the class names the requests spell out in full.
    expect(r['@class']).toBe('.BackboneCollectionModel')
    expect(COLLECTION_CLASS.endsWith(r['@class'])).toBe(true)
    expect(r.collection[0]).toMatchObject({ id: 219, type: 'Listing', lotNumber: '2', statusId: 2 })
  })

  it("our request carries what request 1 says is the minimum: the collection's @class, and each item's type and @class", () => {
    const m = mapLot(lot(), settings, null)
    if (!m.ok) throw new Error(m.reason)
    expect(REQUEST_1['@class']).toBe(COLLECTION_CLASS)
    expect(m.item['@class']).toBe(REQUEST_1.collection[0]['@class'])
    expect(m.item['@class']).toBe(ITEM_CLASS)
    expect(m.item.type).toBe('Lot')
  })

  it('reads the error example as the ErrorModel {failed, code, message, field}; it is not about duplicates', () => {
    const e = readErrorModel(ERROR_EXAMPLE)
    expect(e).toMatchObject({ failed: true, code: 'BIDLOGIX_API', field: null })
    expect(duplicateLots(e!)).toBeNull()
    expect(readErrorModel({ collection: [] })).toBeNull()
  })

  it('reads "the duplicates listed in the body" from a list, else from the message', () => {
    expect(duplicateLots(readErrorModel({ failed: true, code: 'X', message: 'm', duplicates: ['12', '13'] })!)).toEqual(
      ['12', '13']
    )
    expect(
      duplicateLots(
        readErrorModel({
          failed: true,
          code: 'BIDLOGIX_API',
          message: 'Lot numbers already exist in auction 9: 12, 13A'
        })!
      )
    ).toEqual(['12', '13A'])
    expect(
      duplicateLots(readErrorModel({ failed: true, code: 'DUPLICATE_LOT_NUMBER', message: null, field: 'lotNumber' })!)
    ).toEqual([])
  })
})

describe('the mapping', () => {
  it('always sends lotNumber; title, description, estimates in summary, images', () => {
    const m = mapLot(lot(), settings, 15, ['https://images.example-auctions.test/items/1-full.jpg'])
    if (!m.ok) throw new Error(m.reason)
    expect(m.item).toMatchObject({
      lotNumber: '269A',
      title: 'George III silver sauceboat',
      description: 'London 1768.',
      summary: 'Estimate £400.00–£600.00',
      buyersPremium: 15,
      vendorId: 10,
      categoryId: 2
    })
    expect(m.item.images!.map((i) => i.url)).toEqual([
      'https://cdn.example.test/vase-1.jpg',
      'https://images.example-auctions.test/items/1-full.jpg'
    ])
  })

  it('whole units: the reserve rounded up and the opening bid down, each with a warning; minor units as they are', () => {
    const m = mapLot(lot(), settings, null)
    if (!m.ok) throw new Error(m.reason)
    expect(m.item.reservePrice).toBe(321)
    expect(m.item.openingBid).toBe(200)
    expect(m.warnings).toEqual([
      'opening bid £200.99 sent as 200 (whole units, rounded down)',
      'reserve £320.50 rounded up to 321 (Bidlogix takes whole units)'
    ])
    const minor = mapLot(lot(), { ...settings, moneyUnit: 'minor' }, null)
    if (!minor.ok) throw new Error(minor.reason)
    expect(minor.item.reservePrice).toBe(32050)
    expect(minor.item.openingBid).toBe(20099)
    expect(minor.warnings).toEqual([])
    expect(amountFor(32000, 'whole', 'up')).toEqual({ value: 320, rounded: false })
  })

  it('buyersPremium only when the premium is flat and a whole percentage (Long 0–100), else left out with a warning', () => {
    expect(premiumOf('20%')).toEqual({ value: 20, warning: null })
    expect(premiumOf('25% up to 5000, 20% thereafter')).toMatchObject({
      value: null,
      warning: expect.stringMatching(/tiered/)
    })
    expect(premiumOf('22.5%')).toMatchObject({ value: null, warning: expect.stringMatching(/not a whole percentage/) })
    expect(premiumOf(null)).toMatchObject({ value: null, warning: expect.stringMatching(/no buyer's premium/) })
    const m = mapLot(lot(), settings, null)
    expect(m.ok && 'buyersPremium' in m.item).toBe(false)
  })

  it('type is WebcastItem only for a webcast auction; a withdrawn lot is skipped with its reason', () => {
    const w = mapLot(lot(), { ...settings, webcast: true }, null)
    expect(w.ok && w.item.type).toBe('WebcastItem')
    expect(mapLot(lot({ status: 'withdrawn' }), settings, null)).toEqual({
      ok: false,
      reason: 'withdrawn on Circuit: not published',
      warnings: []
    })
  })

  it('summary for one estimate, or none', () => {
    expect(estimateSummary(lot({ estimateHigh: null }), DEFAULT_CURRENCY)).toBe('Estimate £400.00')
    expect(estimateSummary(lot({ estimateLow: 0, estimateHigh: 0 }), DEFAULT_CURRENCY)).toBeNull()
  })
})

describe('the key, "See Bidlogix API document"', () => {
  it('X-Api-Name / X-Api-Password by default; the signature of the security article; a bearer token', () => {
    expect(credentialHeaders('pw', '7', 'header')).toEqual({ 'x-api-name': 'bidlogixapi', 'x-api-password': 'pw' })
    expect(credentialHeaders('k:s', '7', 'signature')).toEqual({ bdxapi_name: signature('k:s', '7') })
    // SHA-1 of "bdxapikey=k&bdxapiClientId=7&bdxapisecret=s", hex.
    expect(signature('k:s', '7')).toBe('495a98668532d33699b6ae6f13fee333f683cae4')
    expect(credentialHeaders('k', '7', 'bearer')).toEqual({ authorization: 'Bearer k' })
  })
})
