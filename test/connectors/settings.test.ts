// Connector settings on a station with nothing from the environment: the
// address and readings go to the replica, the key to the secret store (and
// nowhere else: not the replica, not the audit, not an answer), and a preview
// then reaches FairWarning with them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bootCore, type Core } from '../../src-main/app/boot'
import { circuitSide } from '../../src-main/app/host-setup'
import { startSimulator, type RunningSimulator } from '../../src-main/circuit-sim'
import { createFileSecretStore } from '../../src-main/circuit'
import { systemClock } from '../../src-main/core/clock'
import { sequentialIds } from '../../src-main/core/ids'
import { noPrinter, silentLogger } from '../../src-main/core/ports'
import { generatedCatalogue, DEMO_CATEGORY_MAP } from '../../src-main/connectors/fairwarning/catalogue'
import { startFairWarningSimulator, type RunningFairWarningSim } from '../../src-main/connectors/fairwarning/simulator'
import type { ConnectorsStatus, FairWarningPreview } from '../../src-shared/contract'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../helpers'

const KEY = 'house-public:house-private-9f3'
let circuit: RunningSimulator
let fw: RunningFairWarningSim
let core: Core
const data = tempDir('saleroom-connector-settings-')
const secretsFile = join(data.dir, 'secrets.json')

beforeAll(async () => {
  circuit = await startSimulator({ seed: 5, lots: 40, clients: 20, quiet: true })
  fw = await startFairWarningSimulator({ key: KEY, items: generatedCatalogue(12), limitMeaning: 'count' })
  core = await bootCore({
    dataDir: data.dir,
    clock: systemClock,
    ids: sequentialIds('s'),
    host: 'web',
    version: '0.0.0-test',
    printer: noPrinter,
    log: silentLogger,
    connect: circuitSide({
      env: { url: circuit.url, email: 'demo@saleroom.test', password: 'demo' },
      connectors: {},
      secrets: () => createFileSecretStore(secretsFile),
      demo: false,
      probeIntervalMs: 50
    })
  })
})
afterAll(async () => {
  await core?.close()
  await Promise.all([circuit?.close(), fw?.close()])
  data.cleanup()
})

const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
  const r = await core.dispatch(name, input)
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
  return r.data as T
}

it('without an address and key, a preview says what to set up, and where', async () => {
  const r = await core.dispatch('connectors.fairwarning.preview', { saleId: '3', filters: {} })
  expect(r).toEqual({
    ok: false,
    error: {
      code: 'conflict',
      message: 'FairWarning is not set up: enter its address and API key under Connectors (F8).'
    }
  })
})

it('refuses an address that is not https (or this machine) and changes nothing', async () => {
  const r = await core.dispatch('connectors.fairwarning.configure', { url: 'http://fairwarning.example.com' })
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'invalid_input', message: expect.stringMatching(/must start with https:\/\//) }
  })
  expect((await call<ConnectorsStatus>('connectors.status')).fairwarning.url).toBeNull()
})

it('keeps the key in the secret store (a 0600 file here), never in the replica, the audit or an answer, and uses it', async () => {
  const status = await call<ConnectorsStatus>('connectors.fairwarning.configure', {
    url: `${fw.url}/`,
    key: KEY,
    limitMeaning: 'count',
    pageSize: 5
  })
  expect(status.fairwarning).toMatchObject({
    url: fw.url,
    keySet: true,
    limitMeaning: 'count',
    pageSize: 5,
    fromEnvironment: false
  })
  expect(status.keyStore).toBe(`a file only this user can read (0600): ${secretsFile}`)
  expect(JSON.stringify(status)).not.toContain('house-private')
  expect(statSync(secretsFile).mode & 0o777).toBe(0o600)
  expect(readFileSync(secretsFile, 'utf8')).toContain(KEY)

  const db = core.replica()!.raw
  const all = JSON.stringify(
    (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'").all() as {
        name: string
      }[]
    )
      .filter((t) => !t.name.startsWith('sqlite_'))
      .map((t) => db.prepare(`SELECT * FROM "${t.name}"`).all())
  )
  expect(all).not.toContain('house-private')
  const audit = db.prepare("SELECT after FROM audit_log WHERE action = 'connectors.fairwarning.configure'").all() as {
    after: string
  }[]
  expect(audit.map((a) => JSON.parse(a.after))).toEqual([
    { limitMeaning: 'count', pageSize: 5, url: fw.url, key: 'changed' }
  ])

  for (const [fairwarningCategory, circuitCategory] of Object.entries(DEMO_CATEGORY_MAP))
    await call('connectors.fairwarning.mapCategory', { fairwarningCategory, circuitCategory })
  const p = await call<FairWarningPreview>('connectors.fairwarning.preview', { saleId: '3', filters: {} })
  expect(p.create).toHaveLength(12)
})

it('forgets the key on request', async () => {
  const status = await call<ConnectorsStatus>('connectors.fairwarning.configure', { key: null })
  expect(status.fairwarning.keySet).toBe(false)
  expect(readFileSync(secretsFile, 'utf8')).not.toContain(KEY)
})
