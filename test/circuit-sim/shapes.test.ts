// The docs-shaped switches (POST/GET /_sim/shapes): the simulator can leave out
// its own extensions (`credit_note_for` on orders, `staff` on phone cards) and
// answer /me at one documented path only, as a server built from the docs would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { availableLots, paddle, startApi, type Api } from './helpers'

describe('circuit-sim docs-shaped switches', () => {
  let api: Api
  beforeAll(async () => {
    api = await startApi({ now: () => Date.UTC(2026, 10, 26, 15, 0, 0) })
  })
  afterAll(() => api.sim.close())

  const shapes = async () => (await api.control('GET', 'shapes')).body.data

  it('reads and sets the switches; bad ones are a 400 that changes nothing; reset turns them off', async () => {
    expect(await shapes()).toEqual({ omitCreditNoteFor: false, dropPhoneCardStaff: false, meNotFound: null })
    const set = await api.control('POST', 'shapes', { omitCreditNoteFor: true, dropPhoneCardStaff: true })
    expect(set.status).toBe(200)
    expect(set.body.data).toEqual({ omitCreditNoteFor: true, dropPhoneCardStaff: true, meNotFound: null })
    const bad = await api.control('POST', 'shapes', { omitCreditNoteFor: 'yes', meNotFound: 'v2', extra: 1 })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.errors).sort()).toEqual(['extra', 'meNotFound', 'omitCreditNoteFor'])
    expect(await shapes()).toEqual({ omitCreditNoteFor: true, dropPhoneCardStaff: true, meNotFound: null })
    await api.control('POST', 'reset')
    expect(await shapes()).toEqual({ omitCreditNoteFor: false, dropPhoneCardStaff: false, meNotFound: null })
  })

  it('omitCreditNoteFor: orders and credit notes no longer carry credit_note_for', async () => {
    const p = await paddle(api, '130')
    const [lot] = await availableLots(api, 1, 120)
    const sold = await api.call('PATCH', `datatable-items/${lot.id}`, {
      field_sold_for_amount: 10000,
      field_winner_bidder: p.clientId,
      field_sold_status: 'sold'
    })
    const orderId = sold.body.data[0].current_order
    await api.call('PATCH', `orders/${orderId}`, { status: 'finished' })
    const note = await api.call('POST', `order-create-credit-note/${orderId}`, { items: [lot.id] })
    const noteId = note.body.data.credit_note_order_nid
    expect((await api.get(`orders/${noteId}`)).data[0].credit_note_for).toBe(orderId)

    await api.control('POST', 'shapes', { omitCreditNoteFor: true })
    const row = (await api.get(`orders/${noteId}`)).data[0]
    expect(row).not.toHaveProperty('credit_note_for')
    // What the docs do show still identifies it: type, owner, sale, the lots and when it was made.
    expect(row).toMatchObject({ type: 'credit_note', owner: { id: p.clientId }, sale: { id: '1' }, items: [lot.id] })
    expect(row.created).toBe('2026-11-26T15:00:00Z')
    const list = await api.get(`orders?filter[type]=credit_note&filter[owner]=${p.clientId}&filter[sale]=1`)
    expect(list.data.every((o: object) => !('credit_note_for' in o))).toBe(true)
    await api.control('POST', 'shapes', { omitCreditNoteFor: false })
  })

  it('dropPhoneCardStaff: staff sent on POST is ignored and left out of every answer', async () => {
    const session = (await api.get('sale-sessions?filter[sale]=1')).data[0]
    const p = await paddle(api, '301')
    const existing = [...api.sim.store.phoneCards.values()].find(
      (c) => c.clientId === p.clientId && c.sessionId === session.id
    )
    // Not stored: an updated card keeps its staff, a new one gets the user who made it.
    const kept = existing?.staffId ?? '1'
    await api.control('POST', 'shapes', { dropPhoneCardStaff: true })
    const r = await api.call('POST', 'phone_bidder_cards', {
      sale_id: '1',
      client_id: p.clientId,
      session_id: session.id,
      paddle_number: '301',
      lots: [],
      staff: '2' // a known member of staff, but no card is seeded with them
    })
    expect([200, 201]).toContain(r.status)
    const card = r.body.data[0]
    expect(card).not.toHaveProperty('staff')
    // Even an unknown staff id is not looked at: Circuit does not know the field.
    const unknown = await api.call('POST', 'phone_bidder_cards', {
      sale_id: '1',
      client_id: p.clientId,
      session_id: session.id,
      staff: '9999'
    })
    expect(unknown.status).toBe(200)
    const listed = await api.get(`phone_bidder_cards?filter[session_id]=${session.id}`)
    expect(listed.data.every((c: object) => !('staff' in c))).toBe(true)
    const printed = await api.get(`sale-session-phone-bidders-card?filter[session]=${session.id}`)
    expect(printed.data.every((c: object) => !('staff' in c))).toBe(true)
    expect(api.sim.store.phoneCards.get(card.id)!.staffId).toBe(kept)

    await api.control('POST', 'shapes', { dropPhoneCardStaff: false })
    expect((await api.get(`phone_bidder_cards?filter[session_id]=${session.id}`)).data[0]).toHaveProperty('staff')
  })

  it('meNotFound: /me answers 404 at the path switched off and 200 at the other', async () => {
    const status = async (path: string) =>
      (await fetch(`${api.sim.url}${path}`, { headers: { authorization: `Bearer ${api.token}` } })).status
    expect([await status('/api/v1.0/me'), await status('/api/me')]).toEqual([200, 200])
    await api.control('POST', 'shapes', { meNotFound: 'versioned' })
    expect([await status('/api/v1.0/me'), await status('/en/api/v1.0/me'), await status('/api/me')]).toEqual([
      404, 404, 200
    ])
    await api.control('POST', 'shapes', { meNotFound: 'unversioned' })
    expect([await status('/api/v1.0/me'), await status('/api/me'), await status('/en/api/me')]).toEqual([200, 404, 404])
    await api.control('POST', 'shapes', { meNotFound: null })
  })

  it('start options set the switches, and reset goes back to them', async () => {
    const docs = await startApi({ lots: 20, clients: 20, shapes: { omitCreditNoteFor: true, meNotFound: 'versioned' } })
    try {
      const read = async () => (await docs.control('GET', 'shapes')).body.data
      expect(await read()).toEqual({ omitCreditNoteFor: true, dropPhoneCardStaff: false, meNotFound: 'versioned' })
      await docs.control('POST', 'shapes', { omitCreditNoteFor: false, meNotFound: null })
      await docs.control('POST', 'reset')
      expect(await read()).toEqual({ omitCreditNoteFor: true, dropPhoneCardStaff: false, meNotFound: 'versioned' })
    } finally {
      await docs.sim.close()
    }
  })
})
