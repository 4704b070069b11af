// The recovery screen and the held-sending banner over a fake bridge: what
// happened is said, the newest copy has the focus, the arrows choose and the
// chosen copy is restored; a restored station says on every screen that its
// sending is held, and the confirmation sends exactly the releasing call.
import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from '../App.svelte'
import { Api } from '../lib/api'
import { fakeBridge, fakeInfo, fakeStatus } from '../fake-bridge'
import type { AppInfo, BackupCopy } from '../../src-shared/contract'

const copy = (file: string, takenAt: string, station: string, extra: Partial<BackupCopy> = {}): BackupCopy => ({
  file,
  place: 'second-folder',
  kind: 'clerking',
  station,
  stationId: '4f9a2c1e7b30',
  takenAt,
  bytes: 4096,
  unsent: 2,
  sales: [],
  problem: null,
  ...extra
})

const lostInfo: AppInfo = {
  ...fakeInfo,
  damaged: {
    kind: 'missing',
    message:
      "The station's database (saleroom.db) is missing, but this data folder was used before (2 backups in backups/).",
    latestBackup: '/mnt/usb/newest.db',
    copies: [
      copy('/mnt/usb/newest.db', '2026-11-23T10:04:00.123Z', 'Podium'),
      copy('/d/backups/broken.db', '2026-11-23T10:02:00.000Z', 'Podium', { problem: 'damaged (page 3)' }),
      copy('/d/backups/older.db', '2026-11-23T09:58:00.000Z', 'Podium', { place: 'this-station' })
    ],
    lostEntries: [{ seq: 7, opId: 'op7', label: 'Lot 12 sold to paddle 204 for £850.00' }]
  }
}

describe('the recovery screen', () => {
  it('says what happened, offers the restorable copies newest first, and restores the one chosen by keyboard', async () => {
    let restored = false
    const { bridge, calls } = fakeBridge({
      'app.info': () => (restored ? fakeInfo : lostInfo),
      'app.status': fakeStatus,
      'sales.list': [],
      'backups.restore': (input: Record<string, string> | undefined) => {
        restored = true
        return { restoredFrom: input!.file, previousCopy: null, unsent: 2, held: true }
      }
    })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('damaged-screen')).toBeTruthy())
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe("The station's database is missing")
    expect(screen.getByTestId('damaged-message').textContent).toContain('used before')
    expect(screen.getByTestId('lost-entries').textContent).toContain('Lot 12 sold to paddle 204')
    // The damaged copy is not offered; the newest restorable one has the focus.
    const offered = screen.getAllByTestId('recovery-copy')
    expect(offered.map((b) => b.title)).toEqual(['/mnt/usb/newest.db', '/d/backups/older.db'])
    await waitFor(() => expect(document.activeElement).toBe(offered[0]))
    await fireEvent.keyDown(offered[0], { key: 'ArrowDown' })
    expect(document.activeElement).toBe(offered[1])
    await fireEvent.keyDown(offered[1], { key: 'ArrowUp' })
    await fireEvent.keyDown(offered[0], { key: 'ArrowDown' })
    await fireEvent.click(document.activeElement!)
    await waitFor(() => expect(screen.queryByTestId('damaged-screen')).toBeNull())
    expect(calls.filter((c) => c.name === 'backups.restore').map((c) => c.input)).toEqual([
      { file: '/d/backups/older.db' }
    ])
    // Never a first run: no other call ran while the screen was up.
    expect(
      calls
        .slice(
          0,
          calls.findIndex((c) => c.name === 'backups.restore')
        )
        .map((c) => c.name)
    ).toEqual(['app.info'])
  })

  it('going on without a copy needs a second, explicit step', async () => {
    const { bridge, calls } = fakeBridge({
      'app.info': { ...lostInfo, damaged: { ...lostInfo.damaged!, copies: [], latestBackup: null } },
      'backups.skipRestore': { kept: null }
    })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('no-copies')).toBeTruthy())
    await fireEvent.click(screen.getByTestId('skip'))
    expect(calls.map((c) => c.name)).not.toContain('backups.skipRestore')
    await fireEvent.click(screen.getByTestId('skip-confirm'))
    await waitFor(() =>
      expect(calls.filter((c) => c.name === 'backups.skipRestore').map((c) => c.input)).toEqual([{ confirm: true }])
    )
  })
})

describe('sending held after a restore', () => {
  it('shows a banner on every screen until the user confirms the original is off', async () => {
    let held = true
    const heldStatus = () => ({
      ...fakeStatus,
      seq: held ? 2 : 3,
      sendingHeld: held
        ? {
            since: '2026-11-23T10:05:00.000Z',
            entries: 3,
            message:
              'Restored copy — sending is held until you confirm the original station is switched off (Settings, F5).'
          }
        : null
    })
    const { bridge, calls } = fakeBridge({
      'app.info': fakeInfo,
      'app.status': heldStatus,
      'sales.list': [],
      'backups.releaseHold': () => {
        held = false
        return { released: true, entries: 3 }
      }
    })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('held-banner')).toBeTruthy())
    expect(screen.getByTestId('held-banner').textContent).toContain(
      'Restored copy — sending is held until you confirm the original station is switched off (Settings, F5)'
    )
    expect(screen.getByTestId('sending-held').textContent).toContain('3 waiting')
    await fireEvent.keyDown(window, { key: 'F2' })
    expect(screen.getByTestId('held-banner')).toBeTruthy()

    await fireEvent.click(screen.getByTestId('release-hold'))
    const yes = screen.getByTestId('release-hold-confirm')
    await waitFor(() => expect(document.activeElement).toBe(yes))
    expect(calls.map((c) => c.name)).not.toContain('backups.releaseHold')
    await fireEvent.click(yes)
    await waitFor(() => expect(screen.queryByTestId('held-banner')).toBeNull())
    expect(calls.filter((c) => c.name === 'backups.releaseHold').map((c) => c.input)).toEqual([
      { confirmOriginalOff: true }
    ])
  })
})
