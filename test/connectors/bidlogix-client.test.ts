// The Bidlogix client against its simulator over HTTP: items created as DRAFT,
// the ErrorModel on a 400, duplicates (listed, or only in the message),
// WebcastItem only in a webcast auction, the key transports.
import { afterEach, describe, expect, it } from 'vitest'
import type { BidlogixKeyTransport } from '../../src-shared/contract'
import { createBidlogixClient, type BidlogixItem } from '../../src-main/connectors/bidlogix/client'
import { ITEM_CLASS } from '../../src-main/connectors/bidlogix/protocol'
import {
  startBidlogixSimulator,
  type BidlogixSimOptions,
  type RunningBidlogixSim
} from '../../src-main/connectors/bidlogix/simulator'
import { ConnectorError } from '../../src-main/connectors/http'

let sims: RunningBidlogixSim[] = []
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()))
  sims = []
})

async function sim(o: Partial<BidlogixSimOptions> = {}) {
  const s = await startBidlogixSimulator({ clientId: '7', key: 'k:s', ...o })
  sims.push(s)
  return s
}

const client = (url: string, o: { key?: string; transport?: BidlogixKeyTransport; clientId?: string } = {}) =>
  createBidlogixClient({
    baseUrl: url,
    clientId: o.clientId ?? '7',
    key: o.key ?? 'k:s',
    keyTransport: o.transport ?? 'header'
  })

const item = (lotNumber: string, patch: Partial<BidlogixItem> = {}): BidlogixItem => ({
  '@class': ITEM_CLASS,
  type: 'Lot',
  lotNumber,
  title: `Lot ${lotNumber}`,
  ...patch
})

describe('create items', () => {
  it('creates an item as DRAFT (statusId 2) and answers its id', async () => {
    const s = await sim()
    const r = await client(s.url).createItems('1001', [
      item('12', { reservePrice: 321, summary: 'Estimate £400.00–£600.00' })
    ])
    expect(r).toEqual({ kind: 'created', items: [{ id: '200', lotNumber: '12', statusId: 2 }] })
    expect(s.items()).toMatchObject([{ lotNumber: '12', statusId: 2, reservePrice: 321, auctionId: '1001' }])
  })

  it.each(['list', 'message'] as const)(
    'a lot number already in the auction is a 400 that names it (duplicates as a %s)',
    async (d) => {
      const s = await sim({ duplicates: d })
      await client(s.url).createItems('1001', [item('12')])
      const r = await client(s.url).createItems('1001', [item('12')])
      expect(r).toEqual({ kind: 'duplicate', lots: ['12'], message: 'Lot numbers already exist in auction 1001: 12' })
      expect(s.items()).toHaveLength(1)
    }
  )

  it('a value of the wrong type is the ErrorModel with its field, and nothing is created', async () => {
    const s = await sim()
    const bad = { ...item('13'), reservePrice: '321' } as unknown as BidlogixItem
    const e = await client(s.url)
      .createItems('1001', [bad])
      .then(() => null)
      .catch((err: ConnectorError) => err)
    expect(e).toMatchObject({ kind: 'http', status: 400 })
    expect(e!.message).toMatch(
      /^Bidlogix refused the item \(400\) \(field reservePrice\): Could not read JSON: Can not construct instance of java\.lang\.Long/
    )
    expect(s.items()).toHaveLength(0)
  })

  it('WebcastItem only in a webcast auction', async () => {
    const s = await sim()
    const e = await client(s.url)
      .createItems('1001', [item('1', { type: 'WebcastItem' })])
      .catch((err: ConnectorError) => err)
    expect((e as ConnectorError).message).toMatch(/only valid in a Webcast auction/)
    const ok = await client(s.url).createItems('1002', [item('1', { type: 'WebcastItem' })])
    expect(ok.kind).toBe('created')
  })

  it.each(['header', 'signature', 'bearer'] as const)(
    'the key travels by %s when both sides agree; a wrong one is refused',
    async (t) => {
      const s = await sim({ keyTransport: t })
      expect((await client(s.url, { transport: t }).createItems('1001', [item('5')])).kind).toBe('created')
      const e = await client(s.url, { transport: t, key: 'k:wrong' })
        .createItems('1001', [item('6')])
        .catch((err: ConnectorError) => err)
      expect(e).toMatchObject({ kind: 'auth', status: 401 })
      expect((e as ConnectorError).message).toMatch(/Check them in Connectors \(F8\)/)
      expect((e as ConnectorError).message).not.toContain('k:wrong')
    }
  )

  it('an answer lost after the item was made is an unknown outcome; sending again gets the duplicate', async () => {
    const s = await sim()
    await fetch(`${s.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ dropAfterApplyRate: 1 }) })
    const e = await client(s.url)
      .createItems('1001', [item('20')])
      .catch((err: ConnectorError) => err)
    expect((e as ConnectorError).kind).toBe('unknown-outcome')
    await fetch(`${s.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ dropAfterApplyRate: 0 }) })
    expect(await client(s.url).createItems('1001', [item('20')])).toMatchObject({ kind: 'duplicate', lots: ['20'] })
    expect(s.items()).toHaveLength(1)
  })

  it('an unknown auction is refused with the ErrorModel', async () => {
    const s = await sim()
    const e = await client(s.url)
      .createItems('999', [item('1')])
      .catch((err: ConnectorError) => err)
    expect(e).toMatchObject({ kind: 'http', status: 404 })
  })
})
