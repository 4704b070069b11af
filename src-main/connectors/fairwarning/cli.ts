// npm run sim:fairwarning -- --port N --key K
//   [--key-transport key-headers|x-api-key|bearer|query|body] [--limit-meaning end|count]
//   [--record-count in-array|top] [--items N] [--seed N] [--host 127.0.0.1]
// Without --items it holds the demo catalogue (lots 501… for the Circuit demo's Winter Interiors).
import { FAIRWARNING_KEY_TRANSPORTS, LIMIT_MEANINGS } from '../../../src-shared/contract'
import { parseFlags, stopOnSignals } from '../sim-kit'
import { demoCatalogue, generatedCatalogue } from './catalogue'
import { startFairWarningSimulator } from './simulator'

const USAGE = `Usage: npm run sim:fairwarning -- --port N --key K [--key-transport ${FAIRWARNING_KEY_TRANSPORTS.join('|')}]
       [--limit-meaning ${LIMIT_MEANINGS.join('|')}] [--record-count in-array|top] [--items N] [--seed N] [--host H]`

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
  try {
    flags = parseFlags(process.argv.slice(2), {
      port: 'string',
      host: 'string',
      key: 'string',
      'key-transport': 'string',
      'limit-meaning': 'string',
      'record-count': 'string',
      items: 'string',
      seed: 'string',
      help: 'boolean'
    })
    if (flags.help) {
      console.log(USAGE)
      return
    }
    if (!flags.key) throw new Error('--key is required (the API key the simulator accepts)')
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  let sim
  try {
    const count = int('items', flags.items)
    sim = await startFairWarningSimulator({
      port: int('port', flags.port) ?? 0,
      host: flags.host,
      key: flags.key,
      keyTransport: oneOf('key-transport', flags['key-transport'], FAIRWARNING_KEY_TRANSPORTS),
      limitMeaning: oneOf('limit-meaning', flags['limit-meaning'], LIMIT_MEANINGS),
      recordCount: oneOf('record-count', flags['record-count'], ['in-array', 'top'] as const),
      items: count === undefined ? demoCatalogue() : generatedCatalogue(count),
      seed: int('seed', flags.seed)
    })
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
  console.log(`Holding ${sim.items.length} items; control API: ${sim.url}/_sim/state, /_sim/faults, /_sim/items`)
  console.log(`FairWarning simulator listening on ${sim.url}`)
  stopOnSignals('FairWarning', sim)
}

void main()
