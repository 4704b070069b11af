// Run by kill-during-backup.test.ts: takes clerking copies of a replica to a
// folder, one after another, saying when each is half done and when it is
// whole, until the test kills it.
import { rollingBackup } from '../../src-main/db/backups'
import { openReplica } from '../../src-main/db/replica'

async function main() {
  const [file, folder] = process.argv.slice(2)
  const replica = await openReplica(file, { now: Date.now })
  const t0 = Date.UTC(2026, 10, 30, 9, 0)
  for (let i = 0; ; i++) {
    let half = false
    await rollingBackup(replica, 'clerking-podium', t0 + i * 60_000, 3, folder, {
      progress: (done, total) => {
        if (!half && done * 2 >= total && done < total) {
          half = true
          process.stdout.write(`HALF ${i}\n`)
        }
      }
    })
    process.stdout.write(`DONE ${i}\n`)
  }
}
void main()
