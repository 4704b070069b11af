// `npm run serve`: build the renderer, then run the web host (flags pass through).
import { spawnSync } from 'node:child_process'

const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const r = spawnSync('npx', ['tsx', 'src-main/web/cli.ts', ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(r.status ?? 0)
