// The shell over a fake bridge: the component tree gets its client through
// props/context, so no core is needed here.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, fireEvent } from '@testing-library/svelte'
import App from './App.svelte'
import { Api } from './lib/api'
import type { SaleroomBridge } from '../src-shared/events'

function fakeBridge(answers: Record<string, unknown>): SaleroomBridge & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    invoke: async (name) => {
      calls.push(name)
      if (name in answers) return { ok: true, data: answers[name] }
      return { ok: false, error: { code: 'offline', message: `no fake for ${name}` } }
    },
    on: () => () => {}
  }
}

const info = {
  name: 'Saleroom',
  version: '1',
  host: 'web',
  dataDir: '/d',
  schemaVersion: 2,
  station: 'S',
  firstRun: false,
  damaged: null
}
const status = {
  connection: 'online',
  demo: true,
  serverUrl: null,
  pending: 3,
  needsAttention: 0,
  lastSyncAt: null,
  lastError: null
}

describe('App shell', () => {
  it('shows the demo banner and switches screens with F-keys', async () => {
    const bridge = fakeBridge({ 'app.info': info, 'app.status': status, 'sales.list': [] })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('demo-banner')).toBeTruthy())
    expect(screen.getByTestId('status-line').textContent).toBe('Online — 3 waiting — last sync never')
    await fireEvent.keyDown(window, { key: 'F2' })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('checkout'))
    await fireEvent.keyDown(window, { key: '5', ctrlKey: true })
    await waitFor(() => expect(document.querySelector('main')?.dataset.screen).toBe('settings'))
  })

  it('shows the recovery screen when the replica is damaged, and nothing else', async () => {
    const damaged = { ...info, damaged: { message: 'The local database is damaged', latestBackup: '/d/backups/x.db' } }
    const bridge = fakeBridge({ 'app.info': damaged })
    render(App, { props: { api: new Api(bridge) } })
    await waitFor(() => expect(screen.getByTestId('damaged-screen')).toBeTruthy())
    expect(screen.getByText('Restore the latest backup')).toBeTruthy()
    expect(bridge.calls).not.toContain('app.status')
  })
})
