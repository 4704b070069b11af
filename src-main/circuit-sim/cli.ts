// npm run sim -- --port 4010 --seed 1 --lots 20000 --clients 50000 --user x --password y

import { CURRENCIES, DEFAULT_PASSWORD, DEFAULT_USER, startSimulator, type SimulatorOptions } from './index'

const USAGE = `Usage: npm run sim -- [--port N] [--host 127.0.0.1] [--seed N] [--lots N] [--clients N]
                      [--user EMAIL] [--password PW] [--token-ttl SECONDS] [--quiet]
                      [--currency ${Object.keys(CURRENCIES).join('|')}]`

function parseArgs(argv: string[]): SimulatorOptions {
  const opts: SimulatorOptions = {}
  const int = (name: string, v: string | undefined): number => {
    if (v === undefined || !/^-?\d+$/.test(v)) throw new Error(`--${name} needs an integer`)
    return Number(v)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const value = (): string | undefined => inline ?? argv[++i]
    switch (flag) {
      case '--port':
        opts.port = int('port', value())
        break
      case '--host':
        opts.host = value()
        break
      case '--seed':
        opts.seed = int('seed', value())
        break
      case '--lots':
        opts.lots = int('lots', value())
        break
      case '--clients':
        opts.clients = int('clients', value())
        break
      case '--user':
        opts.user = value()
        break
      case '--password':
        opts.password = value()
        break
      case '--token-ttl':
        opts.tokenTtlSeconds = int('token-ttl', value())
        break
      case '--currency': {
        const code = value()
        if (!code || !(code.toUpperCase() in CURRENCIES))
          throw new Error(`--currency needs one of ${Object.keys(CURRENCIES).join(', ')}`)
        opts.currency = code.toUpperCase()
        break
      }
      case '--quiet':
        opts.quiet = true
        break
      case '--help':
      case '-h':
        console.log(USAGE)
        process.exit(0)
        break
      default:
        throw new Error(`Unknown argument "${arg}"\n${USAGE}`)
    }
  }
  return opts
}

async function main(): Promise<void> {
  let opts: SimulatorOptions
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
  const started = Date.now()
  const sim = await startSimulator(opts)
  console.log(
    `Seeded ${sim.store.items.size} items, ${sim.store.clients.size} clients, ${sim.store.orders.size} orders in ${Date.now() - started} ms (seed ${opts.seed ?? 1}, ${sim.store.currency.code})`
  )
  console.log(
    `Credentials: user "${opts.user ?? DEFAULT_USER}" password "${opts.password ?? DEFAULT_PASSWORD}" (HTTP Basic on GET /api/login-token, or POST /api/v1.0/bo_auth)`
  )
  console.log(
    `Control API: ${sim.url}/_sim/state, /_sim/faults, /_sim/shapes, /_sim/reset, /_sim/stats, /_sim/station-edit, /_sim/expire-tokens`
  )
  console.log(`Circuit simulator listening on ${sim.url}`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`Received ${signal}, stopping Circuit simulator`)
    void sim.close().then(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
