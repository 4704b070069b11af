// Run by the lost-WAL tests: a real station (a core on its data folder) that
// passes lots, saying after each commit which outbox entry it wrote, until
// the test kills it (SIGKILL: nothing is closed, nothing checkpointed).
//
//   station-child.ts <dataDir> <lots> <checkpointAfter> [share]
//
// The first <checkpointAfter> lots are checkpointed into the database file;
// the rest live only in its -wal file. With [share], a copy is taken there
// after the checkpoint.
import { bootCore } from '../../src-main/app/boot'
import { replicaOnly } from '../../src-main/app/host-setup'
import { systemClock } from '../../src-main/core/clock'
import { sequentialIds } from '../../src-main/core/ids'
import { noPrinter, silentLogger } from '../../src-main/core/ports'

async function main() {
  const [dataDir, lotsText, checkpointText, share] = process.argv.slice(2)
  const lots = Number(lotsText)
  const checkpointAfter = Number(checkpointText)
  const core = await bootCore({
    dataDir,
    clock: systemClock,
    ids: sequentialIds(`c${process.pid}-`),
    host: 'web',
    version: '0.0.0-test',
    printer: noPrinter,
    log: silentLogger,
    witnessFsyncMs: 60_000,
    connect: replicaOnly
  })
  const call = async (name: string, input: unknown) => {
    const r = await core.dispatch(name, input)
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
    return r.data
  }
  const db = core.replica()!
  db.raw.exec(`INSERT INTO sales (id, label, status, raw) VALUES ('s1', 'Autumn Sale', 'published', '{}')`)
  const add = db.raw.prepare(
    `INSERT INTO items (id, sale_id, lot, lot_sort, title, status, raw) VALUES (?, 's1', ?, ?, ?, 'available', '{}')`
  )
  for (let i = 1; i <= lots; i++) add.run(`i${i}`, String(i), String(i).padStart(9, '0'), `Lot ${i}`)
  await call('settings.update', { stationName: 'Podium' })
  if (share) await call('backups.configure', { folder: share })

  for (let i = 1; i <= lots; i++) {
    if (i === checkpointAfter + 1) {
      db.raw.pragma('wal_checkpoint(TRUNCATE)')
      if (share) await call('backups.now', {})
      process.stdout.write('CHECKPOINT\n')
    }
    await call('clerking.pass', { itemId: `i${i}` })
    const entry = db.raw.prepare('SELECT seq, op_id AS opId, label FROM outbox ORDER BY seq DESC LIMIT 1').get()
    process.stdout.write(`COMMITTED ${JSON.stringify(entry)}\n`)
  }
  process.stdout.write('READY\n')
  setInterval(() => undefined, 60_000) // wait to be killed
}
void main().catch((err: unknown) => {
  process.stdout.write(`FAILED ${String(err)}\n`)
  process.exit(1)
})
