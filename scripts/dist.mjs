// `npm run dist`: package installers on a developer machine. better-sqlite3 is
// rebuilt for Electron's ABI here and only here (never in postinstall: the
// build machines cannot fetch Electron's headers). Afterwards run
// `npm rebuild better-sqlite3` to get the Node build back for the tests.
import { spawnSync } from 'node:child_process'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
run('npx', ['electron-vite', 'build'])
run('npx', ['electron-builder', 'install-app-deps'])
run('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)])
