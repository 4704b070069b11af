// The house's layers: the kernel (src-main/core) imports no capability, and
// capabilities talk to each other only through the kernel's ports, hooks and
// the sync registry, so each folder can be read, tested and replaced on its own.
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(__dirname, '../..')
const SRC = join(ROOT, 'src-main')
/** Libraries and hosts every capability may use; the composition root (app) may use everything. */
const INFRASTRUCTURE = ['core', 'db', 'circuit', 'circuit-server', 'circuit-sim', 'app', 'web']
const CAPABILITIES = readdirSync(SRC).filter((d) => statSync(join(SRC, d)).isDirectory() && !INFRASTRUCTURE.includes(d))

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return files(full)
    return name.endsWith('.ts') || name.endsWith('.svelte') ? [full] : []
  })
}

/** Every relative import of a folder's files, resolved to the top folder of src-main it lands in. */
function importsOf(folder: string): { file: string; target: string }[] {
  const out: { file: string; target: string }[] = []
  for (const file of files(join(SRC, folder))) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.\.?\/[^']+)'/g)) {
      const resolved = relative(SRC, join(file, '..', m[1]))
      out.push({ file: relative(ROOT, file), target: resolved.split('/')[0] })
    }
  }
  return out
}

describe('layers', () => {
  it('finds the capabilities', () => {
    for (const c of ['clerking', 'checkout', 'printing', 'phone-cards', 'sync', 'safety-net', 'records']) {
      expect(CAPABILITIES).toContain(c)
    }
  })

  it('src-main/core (the kernel) imports no capability folder', () => {
    const all = importsOf('core')
    expect(all.length).toBeGreaterThan(5) // the scan sees the kernel's own imports
    expect(all.filter(({ target }) => CAPABILITIES.includes(target))).toEqual([])
  })

  it.each(CAPABILITIES)('%s imports no other capability (every pair)', (capability) => {
    const offenders = importsOf(capability).filter(
      ({ target }) => CAPABILITIES.includes(target) && target !== capability
    )
    expect(offenders).toEqual([])
  })

  it('each capability declares its calls in its own contract file, merged once', () => {
    const index = readFileSync(join(ROOT, 'src-shared/contract/index.ts'), 'utf8')
    for (const c of ['app', 'settings', 'lookup', 'sync', 'clerking']) expect(index).toContain(`from './${c}'`)
    expect(index).toMatch(/mergeCalls\(/)
  })

  it('the sync registry is one instance, made by the composition root (no module-level handler map)', () => {
    const sync = files(join(SRC, 'sync')).map((f) => readFileSync(f, 'utf8'))
    expect(sync.some((t) => /new SyncRegistry\(/.test(t))).toBe(false)
    expect(sync.some((t) => /export const \w+\s*=\s*new Map/.test(t))).toBe(false)
    expect(readFileSync(join(SRC, 'app/compose.ts'), 'utf8')).toMatch(/new SyncRegistry\(/)
  })
})
