// npm run sim:bidlogix -- --port N --client-id C --key K
//   [--key-transport header|signature|bearer] [--auctions 1001,1002:webcast]
//   [--duplicates list|message] [--premium long|decimal] [--seed N] [--host 127.0.0.1]
import { BIDLOGIX_KEY_TRANSPORTS } from '../../../src-shared/contract'
import { parseFlags, stopOnSignals } from '../sim-kit'
import { startBidlogixSimulator } from './simulator'

const USAGE = `Usage: npm run sim:bidlogix -- --port N --client-id C --key K [--key-transport ${BIDLOGIX_KEY_TRANSPORTS.join('|')}]
       [--auctions 1001,1002:webcast] [--duplicates list|message] [--premium long|decimal] [--seed N] [--host H]`

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(', ')}`)
  return value as T
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`--${name} needs a whole number`)
  return Number(value)
}

async function main() {
  let flags: Record<string, string>
  let auctions: { id: string; webcast: boolean }[] | undefined
  try {
    flags = parseFlags(process.argv.slice(2), {
      port: 'string',
      host: 'string',
      'client-id': 'string',
      key: 'string',
      'key-transport': 'string',
      auctions: 'string',
      duplicates: 'string',
      premium: 'string',
      seed: 'string',
      help: 'boolean'
    })
    if (flags.help) {
      console.log(USAGE)
      return
    }
    if (!flags['client-id'] || !flags.key) throw new Error('--client-id and --key are required')
    auctions = flags.auctions?.split(',').map((a) => {
      const m = /^(\d+)(:webcast)?$/.exec(a.trim())
      if (!m) throw new Error(`--auctions: "${a}" is not an auction id (digits, optionally ":webcast")`)
      return { id: m[1], webcast: m[2] !== undefined }
    })
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  let sim
  try {
    sim = await startBidlogixSimulator({
      port: int('port', flags.port) ?? 0,
      host: flags.host,
      clientId: flags['client-id'],
      key: flags.key,
      keyTransport: oneOf('key-transport', flags['key-transport'], BIDLOGIX_KEY_TRANSPORTS),
      auctions,
      duplicates: oneOf('duplicates', flags.duplicates, ['list', 'message'] as const),
      premium: oneOf('premium', flags.premium, ['long', 'decimal'] as const),
      seed: int('seed', flags.seed)
    })
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
  console.log(
    `Auctions: ${(
      auctions ?? [
        { id: '1001', webcast: false },
        { id: '1002', webcast: true }
      ]
    )
      .map((a) => `${a.id}${a.webcast ? ' (webcast)' : ''}`)
      .join(', ')}; control API: ${sim.url}/_sim/state, /_sim/faults`
  )
  console.log(`Bidlogix simulator listening on ${sim.url}`)
  stopOnSignals('Bidlogix', sim)
}

void main()
