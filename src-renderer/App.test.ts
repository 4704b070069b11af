// The shell over a fake bridge: the component tree gets its client through
// props/context, so no core is needed here.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, fireEvent } from '@testing-library/svelte'
import App from './App.svelte'
import { Api } from './lib/api'
import { fakeBridge, fakeInfo, fakeStatus } from './fake-bridge'

const info = fakeInfo
const status = { ...fakeStatus, demo: true, pending: 3 }

describe('App shell', () => {
  it('shows the demo banner and switches screens with F-keys', async () => {
    const { bridge } = fakeBridge({ 'app.info': info, 'app.status': status, 'sales.list': [] })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('demo-banner')).toBeTruthy())
    expect(screen.getByTestId('status-line').textContent).toBe('Online — 3 waiting — last sync never')
    await fireEvent.keyDown(window, { key: 'F2' })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('checkout'))
    await fireEvent.keyDown(window, { key: '5', ctrlKey: true })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('settings'))
  })

  it('shows the recovery screen when the replica is damaged, and nothing else', async () => {
    const damaged = {
      ...info,
      damaged: {
        kind: 'damaged' as const,
        message: 'The local database is damaged',
        latestBackup: '/d/backups/x.db',
        copies: [
          {
            file: '/d/backups/x.db',
            place: 'this-station' as const,
            kind: 'shutdown',
            station: 'Podium',
            stationId: null,
            takenAt: '2026-11-23T09:00:00.000Z',
            bytes: 4096,
            unsent: 0,
            sales: [],
            problem: null
          }
        ],
        lostEntries: [],
        via: { kind: 'direct' }
      }
    }
    const { bridge, calls } = fakeBridge({ 'app.info': damaged })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('damaged-screen')).toBeTruthy())
    expect(screen.getByTestId('recovery-copy').textContent).toContain('Restore the copy of')
    expect(calls.map((c) => c.name)).not.toContain('app.status')
  })
})
