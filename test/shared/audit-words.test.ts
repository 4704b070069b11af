// The audit log in words: each action a sentence with money formatted, names
// and invoice numbers, never JSON, minor units or a code.
import { describe, expect, it } from 'vitest'
import { auditLine, auditText, shortName, type AuditFacts } from '../../src-shared/audit-words'
import { formatMoney } from '../../src-shared/money'

const facts: AuditFacts = {
  money: (m) => formatMoney(m),
  clientName: (id) => ({ c115: 'Marchetti, Laura', c9: 'Núñez Antiques Ltd' })[id] ?? null,
  orderNumber: (id) => ({ o1: '25033', 'local-7': 'SPLIT-25033-1' })[id] ?? null
}
const text = (action: string, before: unknown, after: unknown, entityId: string | null = null) =>
  auditText({ action, entityType: null, entityId, before, after }, facts)

const UNCLERKED = { status: 'available', hammer: null, winnerClientId: null, paddle: null }

describe('the audit log in words', () => {
  it('says what the clerk did to a lot, with the buyer and the hammer as money', () => {
    const sold = { lot: '15', status: 'sold', hammer: 1_200_00, winnerClientId: 'c115', paddle: '204' }
    expect(text('clerking.sell', { lot: '15', ...UNCLERKED }, sold)).toBe(
      'Lot 15 sold to 204 (L. Marchetti) for £1,200.00'
    )
    expect(text('clerking.pass', { lot: '20', ...UNCLERKED }, { lot: '20', ...UNCLERKED, status: 'unsold' })).toBe(
      'Lot 20 passed'
    )
    expect(
      text('clerking.withdraw', { lot: '19', ...UNCLERKED }, { lot: '19', ...UNCLERKED, status: 'withdrawn' })
    ).toBe('Lot 19 withdrawn')
    expect(text('clerking.undo', sold, { lot: '15', ...UNCLERKED, undoes: 4 })).toBe(
      'Undone: lot 15 not clerked again (was sold to 204 (L. Marchetti) for £1,200.00)'
    )
    expect(text('clerking.reopen', { lot: '20', ...UNCLERKED, status: 'unsold' }, { lot: '20', ...UNCLERKED })).toBe(
      'Lot 20 reopened (was passed)'
    )
  })

  it('says what the cashier did, by invoice number', () => {
    expect(
      text('checkout.pay', null, {
        order: '25033',
        method: 'card',
        amount: 3_462_000,
        tendered: 3_462_000,
        changeDue: 0
      })
    ).toBe('Card payment of £34,620.00 on invoice 25033')
    expect(
      text('checkout.pay', null, { order: '25033', method: 'cash', amount: 5_000, tendered: 6_000, changeDue: 1_000 })
    ).toBe('Cash payment of £50.00 on invoice 25033, change £10.00')
    expect(text('checkout.setStatus', { status: 'in_process' }, { status: 'finished' }, 'o1')).toBe(
      'Invoice 25033 moved from In process to Finished'
    )
    expect(text('checkout.split', null, { itemIds: ['948'], into: 'local-7' }, 'o1')).toBe(
      '1 lot split off invoice 25033 onto invoice SPLIT-25033-1'
    )
    expect(text('checkout.charges', [], { added: { termId: '11', amount: 25_00, taxRateBp: 2000 } }, 'o1')).toBe(
      'Charge of £25.00 added to invoice 25033'
    )
  })

  it('says what changed in the settings and on the Sync screen', () => {
    expect(
      text('settings.update', { stationName: 'Station 1' }, { stationName: 'Podium laptop', userName: 'Ann' })
    ).toBe('Settings: station name → Podium laptop, user name → Ann')
    expect(text('settings.update', {}, { termsText: 'A long text\nof terms', printConsignmentNumbers: true })).toBe(
      'Settings: terms changed, consignment numbers on invoices on'
    )
    expect(
      text('outbox.retry', { seq: 3, state: 'needs_attention', label: 'Lot 3 sold to paddle 9999 for £700.00' }, {})
    ).toBe('Sent again: Lot 3 sold to paddle 9999 for £700.00')
  })

  it('never shows JSON or a code, even for an action it has no words for', () => {
    const said = text('records.somethingNew', { a: 1 }, { b: [2] })
    expect(said).toBe('Records: something new')
    expect(said).not.toMatch(/[{}[\]"]/)
  })

  it('adds where and when: "— podium, 14:02"', () => {
    const at = new Date(2026, 11, 1, 14, 2).toISOString()
    expect(auditLine({ action: 'clerking.sell', at, text: 'Lot 15 sold to 204 (L. Marchetti) for £1,200.00' })).toBe(
      'Lot 15 sold to 204 (L. Marchetti) for £1,200.00 — podium, 14:02'
    )
    expect(auditLine({ action: 'checkout.pay', at, text: 'x' })).toBe('x — checkout, 14:02')
    expect(shortName('Marchetti, Laura')).toBe('L. Marchetti')
    expect(shortName('Núñez Antiques Ltd')).toBe('Núñez Antiques Ltd')
  })
})
