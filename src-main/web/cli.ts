// `npm run serve`: the web host on 127.0.0.1 with the built renderer.
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { bootCore } from '../app/boot'
import { systemClock } from '../core/clock'
import { randomIds } from '../core/ids'
import { consoleLogger, noPrinter } from '../core/ports'
import {
  APP_VERSION,
  circuitEnv,
  circuitSide,
  connectorEnv,
  defaultWebDataDir,
  fileSecrets,
  resolveDataDir
} from '../app/host-setup'
import { startWebHost } from './server'

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      renderer: { type: 'string' },
      // The venue: host the hub (--hub-port, --hub-host), or join one (--join URL --code CODE).
      'hub-port': { type: 'string' },
      'hub-host': { type: 'string' },
      join: { type: 'string' },
      code: { type: 'string' }
    }
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}"`)
    process.exit(2)
  }
  const hubPort = values['hub-port'] === undefined ? null : Number(values['hub-port'])
  if (hubPort !== null && (!Number.isInteger(hubPort) || hubPort < 0 || hubPort > 65535)) {
    console.error(`--hub-port must be a number from 0 to 65535, not "${values['hub-port']}"`)
    process.exit(2)
  }
  if ((values.join === undefined) !== (values.code === undefined)) {
    console.error('--join URL and --code CODE go together (the code is shown on the hub: Settings → Venue).')
    process.exit(2)
  }
  if (values.join !== undefined && hubPort !== null) {
    console.error('A station either hosts the venue (--hub-port) or joins one (--join), not both.')
    process.exit(2)
  }
  const dataDir = resolveDataDir(values['data-dir'], defaultWebDataDir())
  const core = await bootCore({
    dataDir,
    clock: systemClock,
    ids: randomIds,
    host: 'web',
    version: APP_VERSION,
    printer: noPrinter,
    log: consoleLogger,
    // CIRCUIT_URL/EMAIL/PASSWORD, else the server saved in Settings, else the demo simulator.
    // FAIRWARNING_URL/API_KEY and BIDLOGIX_URL/CLIENT_ID/API_KEY likewise for the connectors.
    connect: circuitSide({
      env: circuitEnv(),
      connectors: connectorEnv(),
      secrets: fileSecrets,
      demo: process.env.SALEROOM_DEMO === '0' ? false : undefined,
      join: values.join !== undefined ? { url: values.join, code: values.code! } : undefined
    })
  })
  if (hubPort !== null) {
    const hosted = await core.dispatch('venue.host', {
      port: hubPort,
      ...(values['hub-host'] ? { host: values['hub-host'] } : {})
    })
    if (!hosted.ok) {
      console.error(`Saleroom could not host the venue: ${hosted.error.message}`)
      await core.close()
      process.exit(1)
    }
    console.log((hosted.data as { hosting: { line: string } }).hosting.line)
  }
  const host = await startWebHost({
    core,
    rendererDir: values.renderer ?? resolve(__dirname, '../../out/renderer'),
    port
  })
  console.log(`Saleroom data in ${dataDir}`)
  console.log(`Saleroom at ${host.openUrl}`)
  const stop = async () => {
    await host.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err) => {
  console.error(`Saleroom could not start: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
