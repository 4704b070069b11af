// `npm run bench`: every benchmark, each a ratio against its own baseline.
//   npm run bench -- write-path checkout    only those
//   npm run bench -- --except=keystroke     all but those
//   npm run bench -- --smoke                small: proves they run; the figures mean nothing
import { loadavg } from 'node:os'
import { runBenches } from './benches'

async function main() {
  const args = process.argv.slice(2)
  const smoke = args.includes('--smoke')
  const except = args
    .filter((a) => a.startsWith('--except='))
    .flatMap((a) => a.slice('--except='.length).split(','))
    .filter(Boolean)
  const only = args.filter((a) => !a.startsWith('--'))
  console.log(`Saleroom benchmarks${smoke ? ', small (smoke)' : ''} (ratios against baselines measured in this run)\n`)
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')
  const loadBefore = load()
  const lines = await runBenches({ smoke }, { only, except }, (name, figures) =>
    console.log(`# ${name}: ${figures} figures`)
  )
  console.log('')
  for (const l of lines) console.log(`- ${l}`)
  console.log(`\nload average before ${loadBefore}, after ${load()} (1, 5, 15 min)`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
