// The Sync screen over a fake bridge: conflicts and refusals first, both
// versions side by side, the keys send exactly the settling calls, the choice
// stays on its entry after an action, and the audit log reads in words.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from '../App.svelte'
import { Api } from '../lib/api'
import { fakeBridge, fakeInfo, fakeStatus } from '../fake-bridge'
import type { OutboxEntry } from '../../src-shared/contract'

const entry = (seq: number, state: OutboxEntry['state'], extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  seq,
  opId: `op${seq}`,
  entityType: 'item',
  entityId: `i${seq}`,
  label: `Lot ${seq} passed`,
  op: 'clerk.pass',
  state,
  attempts: 1,
  lastStatus: null,
  lastError: null,
  createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  nextAttemptAt: null,
  conflict: null,
  ...extra
})

function setup() {
  // The outbox as the core has it: a retry makes the refused entry wait again, which moves it down the list.
  let outbox = [
    entry(1, 'pending'),
    entry(2, 'needs_attention', { lastError: 'Circuit refused it: HTTP 422 cheque date in the future' }),
    entry(3, 'conflict', {
      label: 'Lot 288 sold to paddle 204 for £850.00',
      conflict: {
        ours: 'sold to paddle 204 for £850.00',
        theirs: 'sold to paddle 4411 for £900.00',
        serverUpdated: null
      }
    })
  ]
  const { bridge, calls } = fakeBridge({
    'app.info': fakeInfo,
    'app.status': { ...fakeStatus, pending: 1, conflicts: 1, needsAttention: 1 },
    'sales.list': [],
    'outbox.list': () => outbox,
    'audit.list': [
      {
        id: 7,
        at: new Date().toISOString(),
        actor: 'Ann',
        station: 'Podium laptop',
        action: 'clerking.sell',
        entityType: 'item',
        entityId: 'i15',
        before: { lot: '15', status: 'available', hammer: null, winnerClientId: null, paddle: null },
        after: { lot: '15', status: 'sold', hammer: 120000, winnerClientId: 'c115', paddle: '204' },
        text: 'Lot 15 sold to 204 (L. Marchetti) for £1,200.00'
      }
    ],
    'outbox.keepMine': entry(3, 'pending'),
    'outbox.takeTheirs': entry(3, 'discarded'),
    'outbox.retry': (input: Record<string, string> | undefined) => {
      outbox = outbox.map((e) =>
        e.seq === Number(input!.seq) ? { ...e, state: 'pending' as const, lastError: null } : e
      )
      return outbox.find((e) => e.seq === Number(input!.seq))
    },
    'outbox.discard': entry(2, 'discarded'),
    'sync.now': { started: true }
  })
  render(App, { props: { api: new Api(bridge) } })
  return calls
}

async function openSync() {
  await fireEvent.keyDown(window, { key: 'F4' })
  await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(3))
  return screen.getByTestId('outbox-list')
}

const sent = (calls: { name: string; input: unknown }[]) =>
  calls.filter((c) => (c.name.startsWith('outbox.') && c.name !== 'outbox.list') || c.name === 'sync.now')

describe('the Sync screen', () => {
  it('lists conflicts first with both versions, then refusals, then waiting entries with their age', async () => {
    setup()
    await openSync()
    const rows = screen.getAllByTestId('outbox-row')
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['conflict', 'needs_attention', 'pending'])
    expect(screen.getByTestId('conflict-versions').textContent).toContain('Circuit: sold to paddle 4411 for £900.00')
    expect(rows[1].textContent).toContain('cheque date in the future')
    expect(rows[2].textContent).toContain('5 min')
    // States read in words.
    expect(rows.map((r) => r.querySelector('[data-code]')?.textContent)).toEqual([
      'Conflict',
      'Needs attention',
      'Waiting'
    ])
  })

  it('keeps the choice on the entry after a retry moves it down the list', async () => {
    const calls = setup()
    const list = await openSync()
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    const chosen = () => screen.getAllByTestId('outbox-row').find((r) => r.getAttribute('aria-selected') === 'true')
    expect(chosen()?.getAttribute('data-seq')).toBe('2')
    await fireEvent.keyDown(list, { key: 'r' })
    await waitFor(() => expect(sent(calls)).toEqual([{ name: 'outbox.retry', input: { seq: 2 } }]))
    // Seq 2 now waits (after seq 1): the choice went with it instead of staying on the second row.
    await waitFor(() =>
      expect(screen.getAllByTestId('outbox-row').map((r) => r.getAttribute('data-seq'))).toEqual(['3', '1', '2'])
    )
    expect(chosen()?.getAttribute('data-seq')).toBe('2')
    expect(screen.getByTestId('app-message').getAttribute('data-kind')).toBe('success')
  })

  it('shows the audit log in words: what, where, when, who', async () => {
    setup()
    await openSync()
    const row = screen.getByTestId('audit-row')
    expect(row.textContent).toContain('Lot 15 sold to 204 (L. Marchetti) for £1,200.00')
    expect(row.textContent).toContain('podium')
    expect(row.textContent).toContain('Ann · Podium laptop')
    expect(screen.getByTestId('audit-table').textContent).not.toMatch(/[{}"]|120000|clerking\.sell/)
  })

  it('K keeps mine, T takes theirs on a conflict; R retries; S sends now', async () => {
    const calls = setup()
    const list = await openSync()
    await fireEvent.keyDown(list, { key: 'k' })
    await fireEvent.keyDown(list, { key: 't' })
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    await fireEvent.keyDown(list, { key: 'r' })
    await fireEvent.keyDown(list, { key: 's' })
    await waitFor(() =>
      expect(sent(calls)).toEqual([
        { name: 'outbox.keepMine', input: { seq: 3 } },
        { name: 'outbox.takeTheirs', input: { seq: 3 } },
        { name: 'outbox.retry', input: { seq: 2 } },
        { name: 'sync.now', input: {} }
      ])
    )
  })

  it('D asks before discarding; Esc keeps the entry, Enter discards it with confirm', async () => {
    const calls = setup()
    const list = await openSync()
    await fireEvent.keyDown(list, { key: 'ArrowDown' })
    await fireEvent.keyDown(list, { key: 'd' })
    expect(screen.getByTestId('discard-confirm').textContent).toContain('for good')
    await fireEvent.keyDown(list, { key: 'Escape' })
    expect(screen.queryByTestId('discard-confirm')).toBeNull()
    expect(sent(calls)).toEqual([])
    await fireEvent.keyDown(list, { key: 'd' })
    await fireEvent.keyDown(list, { key: 'Enter' })
    await waitFor(() => expect(sent(calls)).toEqual([{ name: 'outbox.discard', input: { seq: 2, confirm: true } }]))
  })
})
