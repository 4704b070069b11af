// `npm run bench`: every benchmark, each a ratio against its own baseline.
import { replicaBench } from './replica.bench'
import { circuitBench } from './circuit.bench'
import { writePathBench } from './write-path.bench'
import { keystrokeBench } from './keystroke.bench'
import { printingBench } from './printing.bench'
import { checkoutBench } from './checkout.bench'
import { venueBench } from './venue.bench'

async function main() {
  const lines: string[] = []
  console.log('Saleroom benchmarks (ratios against baselines measured in this run)\n')
  await replicaBench(lines)
  await circuitBench(lines)
  await writePathBench(lines)
  await keystrokeBench(lines)
  await printingBench(lines)
  await checkoutBench(lines)
  await venueBench(lines)
  for (const l of lines) console.log(`- ${l}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
