// The house's layers: the kernel (src-main/core) imports no capability, and
// capabilities talk to each other only through the kernel's ports, so each
// folder can be read, tested and replaced on its own.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '../..')
const CAPABILITIES = ['app', 'clerking', 'lookup', 'settings', 'sync', 'checkout', 'printing']

function imports(dir: string): { file: string; target: string }[] {
  const out: { file: string; target: string }[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    if (!name.endsWith('.ts')) continue
    const text = readFileSync(join(ROOT, dir, name), 'utf8')
    for (const m of text.matchAll(/from\s+'(\.\.?\/[^']+)'/g)) out.push({ file: `${dir}/${name}`, target: m[1] })
  }
  return out
}

describe('layers', () => {
  it('src-main/core (the kernel) imports no capability folder', () => {
    const all = imports('src-main/core')
    expect(all.length).toBeGreaterThan(5) // the scan sees the kernel's own imports
    const offenders = all.filter(({ target }) => CAPABILITIES.some((c) => target.startsWith(`../${c}/`)))
    expect(offenders).toEqual([])
  })

  it('the sync capability does not reach into clerking (item handling is registered by the composition root)', () => {
    expect(imports('src-main/sync').filter(({ target }) => target.startsWith('../clerking/'))).toEqual([])
  })

  it('each capability declares its calls in its own contract file, merged once', () => {
    const index = readFileSync(join(ROOT, 'src-shared/contract/index.ts'), 'utf8')
    for (const c of ['app', 'settings', 'lookup', 'sync', 'clerking']) expect(index).toContain(`from './${c}'`)
    expect(index).toMatch(/mergeCalls\(/)
  })
})
