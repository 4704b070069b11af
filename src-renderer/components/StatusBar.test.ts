import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import StatusBar from './StatusBar.svelte'
import { statusLine, whenShort } from '../lib/format'
import type { StatusSnapshot } from '../../src-shared/events'

const base: StatusSnapshot = {
  seq: 1,
  connection: 'offline',
  demo: false,
  serverUrl: 'https://house.example',
  pending: 37,
  needsAttention: 0,
  conflicts: 0,
  oldestPendingAt: null,
  lastSyncAt: '2026-11-22T18:42:00',
  lastError: null,
  paused: null,
  backup: { folder: null, lastAt: null, lastError: null },
  diskFull: null,
  sendingHeld: null,
  lostEntries: [],
  via: { kind: 'direct' }
}

describe('status bar', () => {
  it('says the connection, the waiting count and the last sync in one line', () => {
    expect(statusLine(base, new Date('2026-11-23T07:30:00'))).toBe('Offline — 37 waiting — last sync 18:42 yesterday')
    expect(
      statusLine({ ...base, connection: 'online', pending: 0, needsAttention: 2 }, new Date('2026-11-22T20:00:00'))
    ).toBe('Online — 0 waiting — 2 need attention — last sync 18:42 today')
    expect(whenShort(null)).toBe('never')
    expect(
      statusLine(
        {
          ...base,
          oldestPendingAt: '2026-11-23T07:18:00',
          conflicts: 1,
          needsAttention: 1,
          paused: { reason: 'Circuit asked us to wait until 07:31:00 UTC', until: null }
        },
        new Date('2026-11-23T07:30:00')
      )
    ).toBe(
      'Offline — 37 waiting (oldest 12 min) — 1 conflict — 1 need attention — paused: Circuit asked us to wait until 07:31:00 UTC — last sync 18:42 yesterday'
    )
  })

  it('renders the snapshot, the demo tag and the server', () => {
    render(StatusBar, { props: { status: { ...base, demo: true } } })
    expect(screen.getByTestId('status-line').textContent).toMatch(/^Offline — 37 waiting — last sync /)
    expect(screen.getByText('Demo')).toBeTruthy()
    expect(screen.getByText('https://house.example')).toBeTruthy()
  })

  it('never shows a library’s error code: the words stay, the code goes to the tooltip', () => {
    render(StatusBar, {
      props: { status: { ...base, lastError: 'connection to Circuit lost (UND_ERR_SOCKET)' } }
    })
    const err = screen.getByTitle('connection to Circuit lost (UND_ERR_SOCKET)')
    expect(err.textContent).toBe('connection to Circuit lost')
  })

  it('shows "Starting…" before the first snapshot', () => {
    render(StatusBar, { props: { status: null } })
    expect(screen.getByTestId('status-bar').textContent).toContain('Starting…')
  })

  it('says in the one line when the disk is full, sending is held, or changes were lost in a crash', () => {
    render(StatusBar, {
      props: {
        status: {
          ...base,
          diskFull: {
            where: '/home/clerk/.config/Saleroom',
            message:
              'The disk is full: free space on the disk that holds /home/clerk/.config/Saleroom, then try again; nothing was recorded.'
          },
          sendingHeld: { since: '2026-11-23T10:05:00.000Z', entries: 8, message: 'Restored copy — sending is held' },
          lostEntries: [
            { seq: 41, opId: 'a', label: 'Lot 12 sold to 204 for £850.00' },
            { seq: 42, opId: 'b', label: 'Payment £88.00 by card' },
            { seq: 43, opId: 'c', label: 'Lot 13 passed' }
          ]
        }
      }
    })
    const full = screen.getByTestId('disk-full')
    expect(full.textContent).toBe(
      'Disk full — free space on /home/clerk/.config/Saleroom; nothing new can be recorded there'
    )
    expect(full.title).toContain('then try again; nothing was recorded')
    expect(screen.getByTestId('sending-held').textContent).toBe(
      'Sending held (restored copy): 8 waiting for your confirmation — F5'
    )
    const lost = screen.getByTestId('lost-entries')
    expect(lost.textContent).toBe(
      '3 changes lost in a crash: Lot 12 sold to 204 for £850.00, Payment £88.00 by card, … — enter again (F5)'
    )
    expect(lost.title.split('\n')).toHaveLength(3)
  })

  it('shows none of them when all is well', () => {
    render(StatusBar, { props: { status: base } })
    for (const id of ['disk-full', 'sending-held', 'lost-entries']) expect(screen.queryByTestId(id)).toBeNull()
  })
})
