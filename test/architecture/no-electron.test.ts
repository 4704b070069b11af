import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(__dirname, '../..')
const SHELL = new Set(['src-main/index.ts', 'src-main/preload.ts'])

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...sources(p))
    else if (/\.(ts|mts|svelte|js|mjs)$/.test(name)) out.push(p)
  }
  return out
}

const IMPORTS_ELECTRON =
  /(?:from\s+['"]electron['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/

describe('architecture', () => {
  it('only the shell (src-main/index.ts and the preload) imports electron', () => {
    const offenders = ['src-main', 'src-shared', 'src-renderer', 'test', 'bench', 'scripts']
      .flatMap((d) => {
        try {
          return sources(join(ROOT, d))
        } catch {
          return []
        }
      })
      .map((f) => relative(ROOT, f))
      .filter((f) => !SHELL.has(f) && f !== 'test/architecture/no-electron.test.ts')
      .filter((f) => IMPORTS_ELECTRON.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(offenders).toEqual([])
  })

  it('the shell does import electron (the rule above is not vacuous)', () => {
    for (const f of SHELL) expect(IMPORTS_ELECTRON.test(readFileSync(join(ROOT, f), 'utf8'))).toBe(true)
  })

  it('the preload never hands ipcRenderer itself to the page', () => {
    const preload = readFileSync(join(ROOT, 'src-main/preload.ts'), 'utf8')
    const exposed = /exposeInMainWorld\(\s*'saleroom',\s*(\w+)\s*\)/.exec(preload)
    expect(exposed?.[1]).toBe('bridge')
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/)
  })
})
